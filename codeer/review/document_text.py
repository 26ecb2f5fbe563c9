"""Sentences of a document for the document view: stored units plus a fast splitter.

The document view (``codeer read``) moves sentence by sentence through *every* turn, also
the interviewer's and 'other' turns, which `codeer code` never splits into units. The
sentences of a turn are:

- the stored ``units`` that lie inside the turn (made by `codeer code`, so a suggestion
  sits exactly on one sentence), and, for any text of the turn that no unit covers,
  sentences from :func:`split_sentences`;
- for a turn without units (interviewer, other, or a document not yet coded), only
  sentences from :func:`split_sentences`.

The splitter's rule (deterministic, one regular expression, no NLP model): a sentence ends
after one or more of ``. ! ? …`` (plus any closing quotes or brackets) that are followed by
white space and then by something that is not a lower-case letter (so "bijv. de school"
and "o.a. met de huisarts" stay one sentence) and not a title before a name ("Dhr.
Jansen", "Mevr. De Vries", "Dr. Bakker"), and at every line break. Sentences are
trimmed of white space at both ends, like units. So every non-white-space character of
every turn is in exactly one sentence; the white space between sentences is shown but
belongs to none.
"""

from __future__ import annotations

import bisect
import re
import sqlite3
from dataclasses import dataclass

_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n")
_NON_SPACE = re.compile(r"\S")
# Titles before a name end in a full stop but never end a sentence there.
_TITLE = re.compile(
    r"(?<![\w.])(?:[Dd]hr|[Mm]evr|[Mm]w|[Dd]rs|[Ii]r|[Mm]r|[Dd]r|[Pp]rof|[Ii]ng|[Ss]t)\Z"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its position in the document's sentence list, its turn and span."""

    index: int
    turn: int  # position of its turn in DocumentSentences.turns (not the stored idx)
    start: int
    end: int
    unit: bool  # a stored unit (True) or made by the splitter (False)


@dataclass(frozen=True, slots=True)
class DocTurn:
    """A speaker turn with the range of its sentences (``first`` .. ``first + count``)."""

    position: int
    idx: int
    speaker: str
    role: str
    start: int
    end: int
    first: int
    count: int


@dataclass
class DocumentSentences:
    """A document's text, its turns and all their sentences, in document order."""

    document_id: int
    name: str
    text: str
    turns: list[DocTurn]
    sentences: list[Sentence]

    def respondent_spans(self) -> set[tuple[int, int]]:
        """The spans of the sentences in respondent turns (what reading progress counts)."""
        return {(s.start, s.end) for s in self.sentences if self.turns[s.turn].role == "respondent"}


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) without white space at the edges; None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentence spans of ``text[start:end]`` by the rule in the module docstring."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for match in _END.finditer(text, start, end):
        if match.group() == "\n":
            cut, nxt = match.start(), match.end()
        else:
            after = _NON_SPACE.search(text, match.end(), end)
            if after is not None and after.group().islower():
                continue  # an abbreviation such as "bijv. de": the sentence goes on
            if match.group() == "." and _TITLE.search(
                text, max(start, match.start() - 6), match.start()
            ):
                continue  # "Dhr. Jansen", "Mevr. De Vries": a title before a name
            cut = nxt = match.end()
        span = _trimmed(text, pos, cut)
        if span:
            spans.append(span)
        pos = nxt
    span = _trimmed(text, pos, end)
    if span:
        spans.append(span)
    return spans


def turn_sentences(
    text: str, start: int, end: int, units: list[tuple[int, int]]
) -> list[tuple[int, int, bool]]:
    """(start, end, is_unit) for one turn: its units, and the splitter for the rest.

    *units* are the stored units inside the turn, sorted by start; an overlapping unit
    (which `codeer code` never makes) is skipped so that sentences never overlap.
    """
    result: list[tuple[int, int, bool]] = []
    pos = start
    for u_start, u_end in units:
        if u_start < pos or u_end > end or u_start >= u_end:
            continue
        result.extend((s, e, False) for s, e in split_sentences(text, pos, u_start))
        result.append((u_start, u_end, True))
        pos = u_end
    result.extend((s, e, False) for s, e in split_sentences(text, pos, end))
    return result


def load_sentences(con: sqlite3.Connection, document_id: int) -> DocumentSentences:
    """A document's turns and sentences, in three queries (document, turns, units)."""
    doc = con.execute("SELECT name, text FROM documents WHERE id = ?", (document_id,)).fetchone()
    text = doc["text"]
    turn_rows = con.execute(
        "SELECT idx, speaker, role, start, end FROM turns WHERE document_id = ? "
        "ORDER BY start, idx",
        (document_id,),
    ).fetchall()
    units = [
        (row[0], row[1])
        for row in con.execute(
            "SELECT start, end FROM units WHERE document_id = ? ORDER BY start, end",
            (document_id,),
        )
    ]
    unit_starts = [u[0] for u in units]
    turns: list[DocTurn] = []
    sentences: list[Sentence] = []
    for position, row in enumerate(turn_rows):
        t_start, t_end = row["start"], row["end"]
        lo = bisect.bisect_left(unit_starts, t_start)
        hi = bisect.bisect_left(unit_starts, t_end)
        inside = [u for u in units[lo:hi] if u[1] <= t_end]
        first = len(sentences)
        for s, e, is_unit in turn_sentences(text, t_start, t_end, inside):
            sentences.append(Sentence(len(sentences), position, s, e, is_unit))
        turns.append(
            DocTurn(
                position, row["idx"], row["speaker"], row["role"], t_start, t_end,
                first, len(sentences) - first,
            )
        )  # fmt: skip
    return DocumentSentences(document_id, doc["name"], text, turns, sentences)
