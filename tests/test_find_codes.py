"""Code search ranking, shared by the code picker and the plain modes of every session.

An exact key first, then keys starting with the query, then labels starting with it, then
the other matches, each group in codebook order. The interview is fictional.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from codeer.review.document_app import DocumentApp
from codeer.review.document_plain import handle
from codeer.review.document_session import DocumentSession
from codeer.review.items import CodeInfo, find_codes
from codeer.review.screens import CodePicker
from codeer.store.project import Project
from tests.factories import add_codebook, add_document, new_project


def code(key: str, label: str, parent: str = "context") -> CodeInfo:
    return CodeInfo(key=key, label=label, path=f"{parent}/{key}")


CODES = [  # in codebook order
    code("netwerk", "Werken in een netwerk", "verbinden"),
    code("overig", "Overige zaken"),
    code("samenwerking_huisarts", "Samenwerking met de huisarts"),
    code("Werkplek", "De eigen plek"),
    code("werkdruk_wachtlijsten", "Werkdruk en wachtlijsten"),
    code("werk", "Werk"),
    code("zorg", "Zorg", "werkvelden"),
]


def keys(found: list[CodeInfo]) -> list[str]:
    return [c.key for c in found]


def test_exact_key_then_key_start_then_label_start_then_the_rest() -> None:
    assert keys(find_codes(CODES, "werk")) == [
        "werk",  # the exact key
        "Werkplek",  # keys starting with it (any case), in codebook order
        "werkdruk_wachtlijsten",
        "netwerk",  # a label starting with it
        "samenwerking_huisarts",  # the rest, in codebook order: in the key
        "zorg",  # ... or only in the path
    ]
    assert keys(find_codes(CODES, " WERKD ")) == ["werkdruk_wachtlijsten"]
    assert keys(find_codes(CODES, "zaken")) == ["overig"]
    assert find_codes(CODES, "xyz") == []


def test_an_empty_query_gives_every_code_in_codebook_order() -> None:
    assert find_codes(CODES, "  ") == CODES


def build(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    project = new_project(folder)
    add_codebook(
        project,
        [
            ("context", None),
            ("samenwerking_huisarts", "context"),
            ("werkdruk_wachtlijsten", "context"),
        ],
    )
    add_document(
        project, "interview-01.txt", "De wachtlijst is lang. Dat zegt de (fictieve) huisarts."
    )
    project.close()
    return folder


def test_typing_the_start_of_a_key_and_enter_picks_that_key(tmp_path: Path) -> None:
    folder = build(tmp_path)

    async def body() -> None:
        app = DocumentApp(DocumentSession(Project.open(folder), "interview-01", "anna"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("c")
            assert isinstance(app.screen, CodePicker)
            await pilot.press(*"werk", "enter")
            assert app.message == "Coded this sentence as werkdruk_wachtlijsten."

    asyncio.run(body())


def test_plain_mode_lists_the_best_match_first(tmp_path: Path) -> None:
    folder = build(tmp_path)
    session = DocumentSession(Project.open(folder), "interview-01", "anna")
    assert handle(session, "c werk") == (
        "'werk' matches: werkdruk_wachtlijsten, samenwerking_huisarts; be more precise."
    )
    assert handle(session, "c werkdruk") == "Coded this sentence as werkdruk_wachtlijsten."
    session.project.close()
