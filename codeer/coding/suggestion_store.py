"""Storing coded units and the machine's suggestions, in batches of whole documents.

:func:`store_document` brings one document's units and machine suggestions in line with
what the codebook now finds: a wanted suggestion stays (its score/evidence updated if
they changed), a new one is added (or a retracted one revived), one no longer wanted is
marked ``retracted`` (never deleted), and a suggestion some coder has decided on, like
every row of a human coder, is left alone. :class:`DocumentBatch` groups documents into
transactions.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from codeer.store.codings import MACHINE_CODER
from codeer.store.project import Project, now


@dataclass
class CodeResult:
    """What one coding run did."""

    documents: int = 0
    units: int = 0
    added: int = 0
    retracted: int = 0
    unchanged: int = 0
    updated: int = 0
    suggestions: int = 0  # current suggestions of this run, all documents
    codebook_id: int | None = None
    codebook: str = ""
    pipeline: str = ""
    failed: list[str] = field(default_factory=list)  # "document: why", left as they were

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Suggestion:
    """One suggested code for one unit."""

    start: int
    end: int
    code: str
    score: float
    valence: str
    evidence: list[dict[str, Any]] = field(default_factory=list)


# One encoder for all records: json.dumps(..., ensure_ascii=False) builds a new one per call.
evidence_json = json.JSONEncoder(ensure_ascii=False).encode


class DocumentBatch:
    """Documents stored together in one transaction, up to about ``ROWS`` rows.

    Every document is stored whole or not at all, as before, but a commit per document
    cost more than storing its rows (SQLite rewrites the same index pages each time).
    An interrupted run keeps the documents of the batches committed so far; a re-run
    finishes the rest.
    """

    ROWS = 5000

    def __init__(self, project: Project):
        self.project = project
        self.open: Any = None
        self.rows = 0

    def begin(self) -> None:
        """Open a transaction unless one is open."""
        if self.open is None:
            self.open = self.project.transaction()
            self.open.__enter__()

    def done(self, rows: int) -> None:
        """One more document is stored; commit when the batch is full."""
        self.rows += rows
        if self.rows >= self.ROWS:
            self.commit()

    def commit(self) -> None:
        """Commit the open transaction, if any."""
        if self.open is not None:
            transaction, self.open, self.rows = self.open, None, 0
            transaction.__exit__(None, None, None)

    def abort(self, error: BaseException) -> None:
        """Roll the open batch back (*error* is what stopped the run)."""
        if self.open is not None:
            transaction, self.open, self.rows = self.open, None, 0
            transaction.__exit__(type(error), error, error.__traceback__)


def store_document(
    con,
    doc_id: int,
    book_id: int,
    units: list[tuple[int, int, int]],
    suggestions: list[Suggestion],
    result: CodeResult,
) -> None:
    """Store one document's units and bring its machine suggestions up to date.

    Runs inside a transaction the caller holds (see :class:`DocumentBatch`).
    """
    wanted_units = {(start, end): turn_id for turn_id, start, end in units}
    for row in con.execute("SELECT id, start, end FROM units WHERE document_id = ?", (doc_id,)):
        if (row["start"], row["end"]) not in wanted_units:
            con.execute("DELETE FROM units WHERE id = ?", (row["id"],))
    con.executemany(
        "INSERT OR IGNORE INTO units (document_id, turn_id, start, end) VALUES (?, ?, ?, ?)",
        [(doc_id, turn_id, start, end) for (start, end), turn_id in wanted_units.items()],
    )
    result.units += len(wanted_units)
    result.documents += 1

    existing: dict[tuple[int, int, str], Any] = {}
    for row in con.execute(
        "SELECT c.*, EXISTS (SELECT 1 FROM codings d WHERE d.suggestion_id = c.id) AS decided"
        " FROM codings c WHERE c.document_id = ? AND c.coder = ?"
        " AND c.status IN ('suggested', 'retracted') ORDER BY c.status DESC, c.id",
        (doc_id, MACHINE_CODER),
    ):
        # DESC puts 'suggested' before 'retracted': keep the live row per key.
        existing.setdefault((row["start"], row["end"], row["code"]), row)

    stamp = now()
    wanted = set()
    inserts = []
    for s in suggestions:
        key = (s.start, s.end, s.code)
        if key in wanted:
            continue
        wanted.add(key)
        result.suggestions += 1
        evidence = evidence_json(s.evidence)
        row = existing.get(key)
        if row is None:
            inserts.append(
                (doc_id, s.start, s.end, s.code, MACHINE_CODER, s.score, s.valence,
                 evidence, book_id, stamp)
            )  # fmt: skip
        elif row["decided"]:
            result.unchanged += 1  # a coder decided on it: never touch it
        elif row["status"] == "retracted":
            _update(con, row["id"], s, evidence, book_id)
            result.added += 1
        elif (row["score"], row["valence"], row["evidence"]) != (s.score, s.valence, evidence):
            _update(con, row["id"], s, evidence, book_id)
            result.updated += 1
        else:
            if row["codebook_id"] != book_id:
                con.execute("UPDATE codings SET codebook_id = ? WHERE id = ?", (book_id, row["id"]))
            result.unchanged += 1
    con.executemany(
        "INSERT INTO codings (document_id, start, end, code, status, coder, score,"
        " valence, evidence, codebook_id, created_at)"
        " VALUES (?, ?, ?, ?, 'suggested', ?, ?, ?, ?, ?, ?)",
        inserts,
    )
    result.added += len(inserts)
    for key, row in existing.items():
        if key not in wanted and row["status"] == "suggested" and not row["decided"]:
            con.execute("UPDATE codings SET status = 'retracted' WHERE id = ?", (row["id"],))
            result.retracted += 1


def _update(con, coding_id: int, s: Suggestion, evidence: str, book_id: int) -> None:
    con.execute(
        "UPDATE codings SET status = 'suggested', score = ?, valence = ?, evidence = ?,"
        " codebook_id = ? WHERE id = ?",
        (s.score, s.valence, evidence, book_id, coding_id),
    )
