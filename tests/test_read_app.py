"""The full-screen document view, driven key by key with Pilot; the store checked after keys.

Checks read the database through a separate connection, so they see only what is
committed. The interviews are fictional.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from codeer.review.document_app import DocumentApp, window_text
from codeer.review.document_session import DocumentSession
from codeer.review.screens import CodePicker, HelpScreen, Prompt
from codeer.store.project import Project
from tests.factories import add_codebook, add_document, new_project
from tests.test_review_support import build, rows, run

SIZE = (80, 24)


def make_app(folder: Path, coder: str = "anna", doc: str = "interview-00") -> DocumentApp:
    return DocumentApp(DocumentSession(Project.open(folder), doc, coder))


def screen_text(app: DocumentApp) -> str:
    app.screen._on_timer_update()
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def anna_rows(folder: Path) -> list[tuple]:
    sql = "SELECT code, status, start, end FROM codings WHERE coder = 'anna' ORDER BY id"
    return [tuple(r) for r in rows(folder, sql)]


def test_screen_shows_turns_roles_suggestions_and_moves(tmp_path: Path) -> None:
    folder, _ = build(tmp_path)

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            text = screen_text(app)
            assert "coder anna · sentence 1/4" in text
            assert "I (interviewer)" in text and "R (respondent)" in text
            assert "▶   Hoe werken jullie samen" in text
            assert "[verbinden: suggested" in text
            assert "? help" in text
            await pilot.press("j")
            assert "sentence 2/4" in screen_text(app)
            await pilot.press("down", "down", "down")
            assert app.session.cursor == 3
            assert "At the end of the document." in screen_text(app)
            await pilot.press("up", "k")
            assert app.session.cursor == 1
            await pilot.press("K")
            assert app.session.cursor == 0
            await pilot.press("J")
            assert app.session.cursor == 1
            await pilot.press("end", "home")
            assert app.session.cursor == 0
            assert "read 4/4" in screen_text(app)

    run(body())
    assert len(rows(folder, "SELECT * FROM reads WHERE coder = 'anna'")) == 4


def test_code_keys_span_turn_accept_reject_memo_undo(tmp_path: Path) -> None:
    folder, _ = build(tmp_path)

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("j", "c")
            assert isinstance(app.screen, CodePicker)
            await pilot.press(*"werkdr", "enter")
            assert anna_rows(folder) == [("werkdruk", "manual", 57, 107)]
            assert "Coded this sentence as werkdruk." in screen_text(app)
            await pilot.press("v", "j", "j", "c")
            app.screen.query_one(Input).value = "vertrouwen"
            await pilot.press("enter")
            assert anna_rows(folder)[-1] == ("vertrouwen", "manual", 57, 208)
            await pilot.press("w")
            app.screen.query_one(Input).value = "verbinden"
            await pilot.press("enter")
            assert anna_rows(folder)[-1] == ("verbinden", "manual", 57, 208)
            await pilot.press("k", "x")
            assert anna_rows(folder)[-1] == ("vertrouwen", "rejected", 108, 163)
            await pilot.press("k", "a")
            assert anna_rows(folder)[-1] == ("verbinden", "accepted", 57, 107)
            await pilot.press("m")
            assert isinstance(app.screen, Prompt)
            app.screen.query_one(Input).value = "duidelijk voorbeeld"
            await pilot.press("enter")
            memo = rows(folder, "SELECT text FROM memos WHERE coder = 'anna'")
            assert [r["text"] for r in memo] == ["duidelijk voorbeeld"]
            await pilot.press("u", "u")
            assert len(anna_rows(folder)) == 4
            assert "Undid accept of verbinden." in screen_text(app)
            await pilot.press("v", "escape")
            assert app.session.anchor is None
            await pilot.press("c", "escape")  # cancel the picker: nothing stored
            assert len(anna_rows(folder)) == 4
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape", "q")

    run(body())


def test_unknown_code_shows_error_and_stores_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    project = new_project(folder)
    add_document(project, "x.txt", "Een zin. Nog een zin.")
    project.close()

    async def body() -> None:
        app = make_app(folder, doc="x")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("c", "enter", "escape")  # no codebook: the list is empty
            assert not isinstance(app.screen, CodePicker)
            app._do(app.session.code, "werkdruk")  # what picking a code would do
            assert "Not done: the project has no codebook yet" in screen_text(app)

    run(body())
    assert rows(folder, "SELECT count(*) FROM codings")[0][0] == 0


def test_window_keeps_the_cursor_visible_in_a_long_document(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    project = new_project(folder)
    text = " ".join(f"Zin nummer {n} gaat over de wijk in Veldhoven." for n in range(3000))
    add_document(project, "lang.txt", text)
    add_codebook(project, [("wijk", None)])
    session = DocumentSession(project, "lang", "anna")
    session.goto(2500)
    window = window_text(session, 80, 20).plain
    assert "Zin nummer 2500 gaat" in window
    assert window.count("\n") < 40  # a window, not the whole document
    assert "Zin nummer 2400 " not in window
