"""Reading progress per document: how many respondent sentences were read in `codeer read`.

A sentence counts as read when some coder (or the one coder asked about) has moved onto
it in the document view; the ``reads`` table keeps one row per sentence span and coder.
The sentences counted are those of respondent turns, made exactly as the document view
makes them (:func:`codeer.review.document_text.load_sentences`), so the numbers match
what a coder sees. A read recorded for a span that is no longer a sentence (the units
were rebuilt by a later `codeer code` with another pipeline) does not count.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass

from codeer.review.document_text import load_sentences

READING_COLUMNS = ("document", "sentences", "read", "percent")


@dataclass
class ReadingRow:
    """One document: its respondent sentences and how many of them were read."""

    document: str
    sentences: int
    read: int

    @property
    def percent(self) -> int:
        """Whole percent read (0 for a document without respondent sentences)."""
        return round(100 * self.read / self.sentences) if self.sentences else 0

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "percent": self.percent}


def reading_progress(con: sqlite3.Connection, *, coder: str | None = None) -> list[ReadingRow]:
    """One row per document (by name): respondent sentences, and those read.

    *coder* counts only that coder's reads; without it a sentence read by anyone counts.
    """
    reads: dict[int, set[tuple[int, int]]] = {}
    sql = "SELECT DISTINCT document_id, start, end FROM reads"
    params: tuple = ()
    if coder:
        sql += " WHERE coder = ?"
        params = (coder,)
    for row in con.execute(sql, params):
        reads.setdefault(row[0], set()).add((row[1], row[2]))
    rows = []
    for doc in con.execute("SELECT id, name FROM documents ORDER BY name").fetchall():
        spans = load_sentences(con, doc["id"]).respondent_spans()
        rows.append(ReadingRow(doc["name"], len(spans), len(spans & reads.get(doc["id"], set()))))
    return rows
