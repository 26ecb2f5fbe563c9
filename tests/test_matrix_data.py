"""A small hand-countable project for the matrix and report tests, plus tests of the
vectorised building blocks (span/unit overlap and word counts).

All municipalities, people and quotes are fictional.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from codeer.store.project import Project
from codeer.synthesis.matrix_data import load_cases, overlap_pairs, word_counts
from tests.factories import add_codebook, add_coding, add_document, new_project

QUESTION = "Hoe werkt u samen met de school?"
SENTENCES = {
    "a.txt": [
        "Wij kennen de intern begeleider goed.",  # 6 words
        "Over privacy maken we ons zorgen.",  # 6
        "Korte lijntjes helpen echt.",  # 4
    ],
    "b.txt": ["De AVG maakt het lastig.", "Ik vertrouw mijn collega’s en ideeën."],  # 5, 6
    "c.txt": [
        "We overleggen elke week met de school.",
        "Dat gaat één keer goed.",
        "Privacy blijft een punt van zorg.",  # 6
        "Verder niets.",
    ],
    "d.txt": ["Geen opmerkingen over coördinatie."],
}
ATTRIBUTES = {
    "a.txt": {"gemeente": "Aadorp", "ses": "laag", "positionering": "binnen"},
    "b.txt": {"gemeente": "Aadorp", "ses": "laag", "positionering": "buiten"},
    "c.txt": {"gemeente": "Beekdorp", "ses": "hoog"},  # no positionering -> (none)
    "d.txt": {"gemeente": "Cedam", "ses": "hoog", "positionering": "buiten"},
}
CODES = [
    ("vertrouwen", None),
    ("privacy", "vertrouwen"),
    ("verbinden", None),
    ("lijntjes", "verbinden"),
    ("werkdruk", None),
]


def add_interview(project: Project, name: str, sentences: list[str], attributes: dict):
    """A document 'question, then the respondent's sentences' with one unit per sentence.

    Returns (document id, [(start, end) per sentence]).
    """
    answer_start = len(QUESTION) + 1
    text = QUESTION + "\n" + " ".join(sentences)
    doc = add_document(
        project,
        name,
        text,
        attributes,
        turns=[
            ("I", "interviewer", 0, len(QUESTION)),
            ("R", "respondent", answer_start, len(text)),
        ],
    )
    spans, pos = [], answer_start
    for sentence in sentences:
        spans.append((pos, pos + len(sentence)))
        pos += len(sentence) + 1
    add_units(project, doc, spans)
    return doc, spans


def add_units(project: Project, doc: int, spans: list[tuple[int, int]]) -> None:
    """Units (as `codeer code` makes them) in the respondent turn of *doc*."""
    with project.transaction() as con:
        (turn,) = con.execute(
            "SELECT id FROM turns WHERE document_id = ? AND role = 'respondent'", (doc,)
        ).fetchone()
        con.executemany(
            "INSERT INTO units (document_id, turn_id, start, end) VALUES (?, ?, ?, ?)",
            [(doc, turn, s, e) for s, e in spans],
        )


def decide(project, suggestion: int, status: str, coder: str) -> int:
    """A coder's decision row on a suggestion (same span and code)."""
    row = project.con.execute(
        "SELECT document_id, start, end, code FROM codings WHERE id = ?", (suggestion,)
    ).fetchone()
    return add_coding(
        project,
        row[0],
        row[1],
        row[2],
        row[3],
        status=status,
        coder=coder,
        score=None,
        suggestion_id=suggestion,
    )


def build_small(folder: Path, reviewed: bool = True) -> Project:
    """The hand-counted project of docs/matrix.md's examples (see the test expectations)."""
    project = new_project(folder)
    add_codebook(project, CODES)
    docs = {n: add_interview(project, n, s, ATTRIBUTES[n]) for n, s in SENTENCES.items()}
    (a, ua), (b, ub), (c, uc) = docs["a.txt"], docs["b.txt"], docs["c.txt"]

    s1 = add_coding(project, a, *ua[0], "vertrouwen", score=0.9)
    add_coding(project, a, *ua[1], "privacy", score=0.7)  # stays undecided
    s4 = add_coding(project, a, *ua[2], "verbinden", score=0.6)
    s5 = add_coding(project, b, *ub[0], "privacy", score=0.8)
    add_coding(project, c, *uc[0], "verbinden", score=0.5)  # undecided
    add_coding(project, c, *uc[0], "lijntjes", score=0.95)  # undecided
    if reviewed:
        decide(project, s1, "accepted", "ann")
        decide(project, s4, "rejected", "ann")
        decide(project, s5, "accepted", "ann")
        decide(project, s5, "accepted", "bob")  # second coder: a second row
        manual = {"status": "manual", "coder": "ann", "score": None}
        add_coding(project, a, ua[1][0], ua[2][1], "lijntjes", **manual)  # spans 2 units
        add_coding(project, b, *ub[1], "vertrouwen", **{**manual, "coder": "bob"})
        add_coding(project, c, *uc[2], "privacy", **manual)
        add_coding(project, c, *uc[2], "vertrouwen", **manual)  # parent, same unit
    return project


@pytest.fixture
def small(tmp_path) -> Project:
    project = build_small(tmp_path / "small")
    yield project
    project.close()


def test_overlap_pairs_handles_boundaries_nesting_and_zero_length():
    items = pd.DataFrame(
        {"document_id": [1, 1, 1, 2], "start": [0, 10, 12, 0], "end": [10, 20, 14, 5]}
    )
    spans = pd.DataFrame(
        {
            "document_id": [1, 1, 1, 2, 1],
            "start": [10, 5, 13, 4, 20],
            "end": [10, 11, 13, 9, 25],
        }
    )
    span_idx, item_idx = overlap_pairs(items, spans)
    got = sorted(zip(span_idx.tolist(), item_idx.tolist(), strict=True))
    # span 0 is empty at 10: inside item 1 only; span 1 touches items 0 and 1;
    # span 2 (empty at 13) sits in item 1 and the nested item 2; span 4 starts at the end.
    assert got == [(0, 1), (1, 0), (1, 1), (2, 1), (2, 2), (3, 3)]


def test_word_counts_match_str_split(tmp_path):
    project = new_project(tmp_path / "p")
    text = "  Eén  woord,\tnog\u00a0één\nen  coördinatie-overleg  "
    doc = add_document(project, "x.txt", text)
    spans = [(0, len(text)), (3, 7), (4, 5), (5, 5), (0, 2), (13, 30)]
    frame = pd.DataFrame(
        {
            "document_id": [doc] * len(spans),
            "start": [s for s, _ in spans],
            "end": [e for _, e in spans],
        }
    )
    expected = [len(text[s:e].split()) for s, e in spans]
    assert word_counts(project.con, frame).tolist() == expected


def test_cases_cross_with_none_and_ordinal_order(small):
    cases = load_cases(small.con, ("ses", "positionering"), None)
    assert cases.labels == ["laag / binnen", "laag / buiten", "hoog / buiten", "hoog / (none)"]
    assert cases.values["hoog / (none)"] == {"ses": "hoog", "positionering": "(none)"}
    by_doc = load_cases(small.con, ("document",), {"ses": "laag"})
    assert by_doc.labels == ["a.txt", "b.txt"]
