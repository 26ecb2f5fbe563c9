"""A small two-coder project for the agreement, consensus, decisions and memo tests.

The interviews, municipalities and people in it are fictional.
"""

from __future__ import annotations

from pathlib import Path

from codeer.store.project import Project
from tests.factories import add_codebook, add_coding, add_document, new_project

QUESTION = "I: Hoe werken jullie samen met de scholen in Dijkstad?"
SENTENCES = [
    "We hebben korte lijntjes met de school.",
    "Er is geen vertrouwen in de gemeente.",
    "De werkdruk is hoog.",
]
CODES = [
    ("verbinden", None),
    ("korte_lijnen", "verbinden"),
    ("vertrouwen", None),
    ("werkdruk", None),
]

# (document number, sentence number) -> codes, per coder; every coder saw both documents.
CODINGS = {
    "anna": {(0, 0): ["verbinden"], (0, 1): ["vertrouwen"], (0, 2): ["werkdruk"],
             (1, 0): ["korte_lijnen"]},
    "bram": {(0, 0): ["verbinden"], (0, 1): ["werkdruk"], (1, 0): ["verbinden"],
             (1, 2): ["werkdruk"]},
}  # fmt: skip


def text_and_spans() -> tuple[str, list[tuple[int, int]], list[tuple[str, str, int, int]]]:
    """The document text, its sentence spans and its turns (speaker, role, start, end)."""
    answer = "R: " + " ".join(SENTENCES)
    text = QUESTION + "\n" + answer
    base = len(QUESTION) + 1 + 3
    spans, pos = [], base
    for sentence in SENTENCES:
        spans.append((pos, pos + len(sentence)))
        pos += len(sentence) + 1
    turns = [("I", "interviewer", 3, len(QUESTION)), ("R", "respondent", base, len(text))]
    return text, spans, turns


def add_units(project: Project, doc_id: int, spans: list[tuple[int, int]]) -> None:
    """Sentence units as `codeer code` stores them (in the respondent turn)."""
    with project.transaction() as con:
        turn = con.execute(
            "SELECT id FROM turns WHERE document_id = ? AND role = 'respondent'", (doc_id,)
        ).fetchone()[0]
        for start, end in spans:
            con.execute(
                "INSERT INTO units (document_id, turn_id, start, end) VALUES (?, ?, ?, ?)",
                (doc_id, turn, start, end),
            )


def build(folder: Path, codings: dict | None = None, documents: int = 2) -> tuple[Path, list[int]]:
    """The project: *documents* interviews, sentence units, manual codings per coder."""
    project = new_project(folder)
    book = add_codebook(project, CODES)
    text, spans, turns = text_and_spans()
    docs = []
    for n in range(documents):
        gemeente = "Dijkstad" if n % 2 == 0 else "Veenhoven"
        doc = add_document(project, f"interview-{n:02d}.txt", text, {"gemeente": gemeente}, turns)
        add_units(project, doc, spans)
        docs.append(doc)
    for coder, coded in (CODINGS if codings is None else codings).items():
        for (d, s), keys in coded.items():
            for key in keys:
                add_coding(
                    project, docs[d], *spans[s], key, status="manual", coder=coder,
                    score=None, valence=None, codebook_id=book,
                )  # fmt: skip
    project.close()
    return folder, docs


def span(sentence: int) -> tuple[int, int]:
    return text_and_spans()[1][sentence]
