"""Human coders' codings laid over units: the data behind agreement and disagreements.

Used by ``codeer agreement`` (:mod:`codeer.synthesis.agreement_data`) and by the consensus
queue (:mod:`codeer.review.consensus`); it lives here, in the store, because both rooms
may import the store but not each other.

Definitions (also in docs/agreement.md):

- A *human coder* is any coder with an ``accepted``, ``rejected`` or ``manual`` row who is
  not a machine (``codeer``, ``codeer-learn``) and not ``consensus``.
- A coder has *seen* a document when they made any decision in it (an accepted, rejected
  or manual row) or marked one of its sentences as read in the document view. Units of a
  document a coder has not seen are *missing* for that coder, not "not coded".
- A coder *coded* a unit with a code when one of their ``accepted`` or ``manual`` rows
  with that code overlaps the unit by at least one character.
- Units: ``sentence`` = the respondent sentences `codeer code` stored (table ``units``);
  ``turn`` = every respondent turn, plus any other turn a selected coder coded in.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from codeer.store.codings import MACHINE_CODERS

CONSENSUS_CODER = "consensus"
UNIT_KINDS = ("sentence", "turn")


def human_coders(con: sqlite3.Connection) -> list[str]:
    """Every human coder with a decision or manual coding, sorted by name."""
    skip = (*MACHINE_CODERS, CONSENSUS_CODER)
    rows = con.execute(
        "SELECT DISTINCT coder FROM codings WHERE status IN ('accepted', 'rejected', 'manual') "
        f"AND coder NOT IN ({', '.join('?' * len(skip))}) ORDER BY coder",
        skip,
    ).fetchall()
    return [row[0] for row in rows]


def seen_documents(con: sqlite3.Connection, coders: Iterable[str]) -> dict[str, set[int]]:
    """coder -> ids of the documents that coder has seen (see the module docstring)."""
    result: dict[str, set[int]] = {coder: set() for coder in coders}
    if not result:
        return result
    marks = ", ".join("?" * len(result))
    rows = con.execute(
        f"SELECT coder, document_id FROM codings WHERE coder IN ({marks}) "
        "AND status IN ('accepted', 'rejected', 'manual') "
        f"UNION SELECT coder, document_id FROM reads WHERE coder IN ({marks})",
        (*result, *result),
    )
    for coder, document_id in rows:
        result[coder].add(document_id)
    return result


@dataclass(frozen=True)
class CodedSpan:
    """One accepted or manual coding of a selected coder."""

    document_id: int
    start: int
    end: int
    code: str
    coder: str


def coded_spans(
    con: sqlite3.Connection, coders: list[str], codes: set[str] | None = None
) -> list[CodedSpan]:
    """The coders' accepted and manual codings (of *codes* only, when given)."""
    if not coders:
        return []
    sql = (
        "SELECT document_id, start, end, code, coder FROM codings WHERE "
        f"status IN ('accepted', 'manual') AND coder IN ({', '.join('?' * len(coders))}) "
        "ORDER BY document_id, start, end, code, coder"
    )
    spans = [CodedSpan(*row) for row in con.execute(sql, coders)]
    return [s for s in spans if codes is None or s.code in codes]


@dataclass
class CodedUnit:
    """One unit with each coder's codes; ``None`` for a coder who has not seen it."""

    document_id: int
    document: str
    start: int
    end: int
    codes: dict[str, frozenset[str] | None] = field(default_factory=dict)

    def disputed(self) -> bool:
        """Whether at least two coders saw the unit and their codes differ."""
        seen = [codes for codes in self.codes.values() if codes is not None]
        return len(seen) >= 2 and any(codes != seen[0] for codes in seen[1:])


def _unit_spans(
    con: sqlite3.Connection, unit: str, doc_ids: set[int], spans: list[CodedSpan]
) -> dict[int, list[tuple[int, int]]]:
    """document id -> sorted (start, end) of its units of kind *unit*."""
    result: dict[int, list[tuple[int, int]]] = {doc: [] for doc in doc_ids}
    if unit == "sentence":
        rows = con.execute("SELECT document_id, start, end FROM units ORDER BY document_id, start")
        for doc, start, end in rows:
            if doc in result:
                result[doc].append((start, end))
        return result
    if unit != "turn":
        raise ValueError(f"unknown unit {unit!r}; use one of {UNIT_KINDS}")
    by_doc: dict[int, list[CodedSpan]] = {}
    for span in spans:
        by_doc.setdefault(span.document_id, []).append(span)
    rows = con.execute(
        "SELECT document_id, start, end, role FROM turns WHERE start < end "
        "ORDER BY document_id, start"
    )
    for doc, start, end, role in rows:
        if doc not in result:
            continue
        coded = any(s.start < end and s.end > start for s in by_doc.get(doc, []))
        if role == "respondent" or coded:
            result[doc].append((start, end))
    return result


def coded_units(
    con: sqlite3.Connection,
    coders: list[str],
    *,
    unit: str = "sentence",
    codes: set[str] | None = None,
    label: Callable[[str], str] | None = None,
) -> tuple[list[CodedUnit], int]:
    """Every unit of the documents some coder has seen, with each coder's codes.

    *codes* keeps only those code keys; *label* maps a key to what is compared (the key
    itself, or its theme for ``--level top``). Returns the units in document order and
    the number of codings that overlap no unit (counted nowhere at this unit).
    """
    label = label or (lambda key: key)
    seen = seen_documents(con, coders)
    doc_ids = set().union(*seen.values()) if seen else set()
    spans = [s for s in coded_spans(con, coders, codes) if s.document_id in doc_ids]
    bounds = _unit_spans(con, unit, doc_ids, spans)
    names = dict(con.execute("SELECT id, name FROM documents").fetchall())
    units: dict[tuple[int, int, int], CodedUnit] = {}
    for doc in sorted(doc_ids, key=lambda d: names.get(d, "")):
        for start, end in bounds[doc]:
            units[(doc, start, end)] = CodedUnit(
                doc,
                names.get(doc, str(doc)),
                start,
                end,
                {c: (frozenset() if doc in seen[c] else None) for c in coders},
            )
    starts = {doc: [s for s, _ in spans_] for doc, spans_ in bounds.items()}
    outside = 0
    for span in spans:
        doc_bounds = bounds[span.document_id]
        first = max(bisect.bisect_right(starts[span.document_id], span.start) - 1, 0)
        hit = False
        for start, end in doc_bounds[first:]:
            if start >= span.end:
                break
            if end > span.start:
                hit = True
                item = units[(span.document_id, start, end)]
                item.codes[span.coder] = (item.codes[span.coder] or frozenset()) | {
                    label(span.code)
                }
        outside += not hit
    return list(units.values()), outside
