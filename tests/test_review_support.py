"""Shared builders for the review tests (fictional municipalities and people only)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

from tests.factories import add_codebook, add_coding, add_document, new_project

QUESTION = "I: Hoe werken jullie samen met de scholen in de wijk?"
ANSWER = (
    "R: We hebben korte lijntjes met de intern begeleider. "
    "Er is geen vertrouwen in de backoffice van de gemeente. "
    "De werkdruk is hoog en de wachtlijst groeit."
)
SENTENCES = [
    ("We hebben korte lijntjes met de intern begeleider.", "verbinden", "lijntjes", "positive"),
    ("Er is geen vertrouwen in de backoffice van de gemeente.", "vertrouwen", "vertrouwen",
     "negative"),
    ("De werkdruk is hoog en de wachtlijst groeit.", "werkdruk", "werkdruk", "neutral"),
]  # fmt: skip
CODES = [
    ("verbinden", None),
    ("korte_lijnen", "verbinden"),
    ("vertrouwen", None),
    ("werkdruk", None),
]


def build(folder: Path, documents: int = 2) -> tuple[Path, list[int]]:
    """A project with *documents* interviews, three suggestions each; returns ids in order.

    Document names sort in creation order, so the ids come back in review order.
    """
    project = new_project(folder)
    book = add_codebook(project, CODES)
    with project.transaction() as con:
        con.execute(
            "UPDATE codes SET data = ? WHERE key = 'vertrouwen'",
            (
                json.dumps(
                    {"inclusion": ["vertrouwen in partners"], "exclusion": ["zelfvertrouwen"]}
                ),
            ),
        )
    text = QUESTION + "\n" + ANSWER
    q_end = len(QUESTION)
    # Turn spans leave out the speaker labels ("I: ", "R: "), as the importer does.
    turns = [("I", "interviewer", 3, q_end), ("R", "respondent", q_end + 4, len(text))]
    ids: list[int] = []
    for n in range(documents):
        gemeente = "Dijkstad" if n % 2 == 0 else "Veenhoven"
        doc = add_document(
            project,
            f"interview-{n:02d}.txt",
            text,
            {"gemeente": gemeente, "ses": "laag" if n % 2 == 0 else "hoog"},
            turns,
        )
        for sentence, code, word, valence in SENTENCES:
            start = text.index(sentence)
            w = text.index(word, start)
            evidence = [
                {"pattern": f"lemma:{word}", "words": word, "start": w, "end": w + len(word)}
            ]
            ids.append(
                add_coding(
                    project,
                    doc,
                    start,
                    start + len(sentence),
                    code,
                    score=0.9 - 0.1 * len(ids) % 0.8,
                    valence=valence,
                    evidence=evidence,
                    codebook_id=book,
                )
            )
    project.close()
    return folder, ids


def rows(folder: Path, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    """Query the store through a separate connection: only committed data is visible."""
    con = sqlite3.connect(folder / "codeer.db")
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def decisions(folder: Path, coder: str) -> list[tuple]:
    """(suggestion_id, code, status, start, end) of the coder's rows, oldest first."""
    return [
        tuple(r)
        for r in rows(
            folder,
            "SELECT suggestion_id, code, status, start, end FROM codings "
            "WHERE coder = ? ORDER BY id",
            (coder,),
        )
    ]


def run(coro) -> None:
    """Run an async Pilot test body from a plain pytest test (no pytest-asyncio here)."""
    asyncio.run(coro)
