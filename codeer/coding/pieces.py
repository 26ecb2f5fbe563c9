"""The texts ``code_project`` sends through spaCy: respondent turns, their questions,
and long turns cut into pieces (``codeer.coding.suggest`` imports ``pipeline_pieces``
from here, and the benchmark and tests find it there too).

A piece knows its document, its turn and where it starts in the stored document text,
so offsets found in it point into that text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

QUESTION = -1  # marks a question turn in the stream (its own "question" slot)


class Piece(NamedTuple):
    """One text ``code_project`` sends through the pipeline, and where it comes from."""

    document: int
    turn: int
    start: int  # offset of the text in the stored document text
    text: str
    question: int | None  # QUESTION, or the id of the question turn this answer answers


def pipeline_pieces(
    con, documents: list[int], with_questions: bool, limit: int | None = None
) -> Iterator[Piece]:
    """The texts ``code_project`` runs through spaCy, in its order (the benchmark's too).

    Every respondent turn of the *documents*, each answer preceded once by the
    interviewer's question it answers when *with_questions* (see :func:`_stream`). A turn
    longer than *limit* (default :data:`MAX_PIECE`) comes in several pieces, cut at
    sentence ends (:func:`split_long`), so spaCy's length limit is never reached.
    """
    limit = limit or MAX_PIECE
    turns = _turns_by_document(con, documents)
    for doc_id in documents:
        if not any(role == "respondent" for _id, role, _s, _e in turns[doc_id]):
            continue
        text = con.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        for turn_id, start, end, question in _stream(turns.pop(doc_id), text, with_questions):
            for a, b in split_long(text, start, end, limit):
                yield Piece(doc_id, turn_id, a, text[a:b], question)


# spaCy refuses texts over nlp.max_length (1,000,000) and needs memory in proportion;
# a turn longer than this (a transcript without speaker labels) goes in pieces.
MAX_PIECE = 100_000
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+|\n\s*")
_SPACE = re.compile(r"\s+")


def split_long(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """(start, end) pieces of ``text[start:end]``, none longer than *limit* characters.

    Each piece ends after the last sentence end (or line break) in its second half, else
    after the last white space, else exactly at *limit*; the pieces cover the turn
    without gap or overlap, so offsets stay exact.
    """
    while end - start > limit:
        window = text[start + limit // 2 : start + limit]
        cut = None
        for pattern in (_SENTENCE_END, _SPACE):
            found = None
            for found in pattern.finditer(window):  # noqa: B007 - the last one counts
                pass
            if found is not None:
                cut = start + limit // 2 + found.end()
                break
        cut = cut if cut is not None and cut > start else start + limit
        yield start, cut
        start = cut
    yield start, end


def _turns_by_document(con, documents: list[int]) -> dict[int, list[tuple[int, str, int, int]]]:
    """Per document, in order: (turn id, role, start, end) of its non-empty turns."""
    result: dict[int, list[tuple[int, str, int, int]]] = {d: [] for d in documents}
    for row in con.execute(
        "SELECT id, document_id, role, start, end FROM turns WHERE end > start"
        " ORDER BY document_id, start"
    ):
        if row["document_id"] in result:
            result[row["document_id"]].append((row["id"], row["role"], row["start"], row["end"]))
    return result


def _stream(
    turns: list[tuple[int, str, int, int]], text: str, with_questions: bool
) -> Iterator[tuple[int, int, int, int | None]]:
    """(turn id, start, end, question) for one document, to run through the pipeline.

    Respondent turns carry the id of the interviewer's question before them (or None);
    that question comes first in the stream, once, with ``QUESTION`` in the last slot. A
    short interviewer turn without a question mark ("Ja.", "Hm-hm, oke") is a backchannel:
    the answer after it still answers the question before it.
    """
    question: tuple[int, int, int] | None = None
    streamed = False
    for turn_id, role, start, end in turns:
        if role != "respondent":
            said = text[start:end]
            if with_questions and ("?" in said or len(said.split()) >= 4):
                question, streamed = (turn_id, start, end), False
            continue
        if question is not None and not streamed:
            streamed = True
            yield (*question, QUESTION)
        yield turn_id, start, end, question[0] if question else None
