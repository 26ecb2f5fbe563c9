"""Consensus on disputed units: a third person (or the pair) decides what the codes are.

A *disputed unit* is a unit (a respondent sentence, or a turn) that at least two of the
compared coders have seen and coded differently (:mod:`codeer.store.coders`). Deciding it
is one transaction that:

- stores each consensus code as a ``codings`` row of the coder ``consensus`` with status
  ``manual``, the unit's span, the newest codebook, and a memo saying whose codes were
  compared, who decided and when;
- appends one ``consensus.decide`` event (actor = the person deciding) naming the unit,
  the coders' codes, the consensus codes and the rows; "no code applies" is a decision
  with no rows, so the event is what marks a unit as decided.

Undo (``u``) deletes the rows of the decider's newest live decision and appends a
``consensus.undo`` event naming it; the event log stays append-only.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from codeer.review.decisions import ReviewError, check_code, check_coder, log_step
from codeer.review.items import ItemLoader, Turn
from codeer.review.manual import insert_manual, newest_codebook
from codeer.store.coders import CONSENSUS_CODER, CodedUnit, coded_units
from codeer.store.codings import expand_codes
from codeer.store.project import Project, now

DECIDE_ACTION = "consensus.decide"
UNDO_ACTION = "consensus.undo"


@dataclass
class Dispute:
    """One disputed unit with the codes each coder gave it (None: not seen)."""

    document_id: int
    document: str
    start: int
    end: int
    codes: dict[str, frozenset[str] | None]
    text: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    turn: Turn | None = None
    question: Turn | None = None

    @property
    def all_codes(self) -> list[str]:
        """Every code some coder gave (sorted)."""
        return sorted(set().union(*(c for c in self.codes.values() if c)))

    @property
    def agreed_codes(self) -> list[str]:
        """The codes every coder who saw the unit gave."""
        seen = [c for c in self.codes.values() if c is not None]
        return sorted(frozenset.intersection(*seen)) if seen else []

    def to_dict(self) -> dict[str, Any]:
        """The jsonl record of ``codeer disagreements``."""
        return {
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "codes": {c: (sorted(v) if v is not None else None) for c, v in self.codes.items()},
        }


def find_disputes(
    con: sqlite3.Connection, coders: list[str], *, unit: str = "sentence", code: str | None = None
) -> list[Dispute]:
    """The disputed units between *coders* (of *code* and its sub-codes), in document order."""
    keys = expand_codes(con, [code]) if code else None
    units, _ = coded_units(con, coders, unit=unit, codes=keys)
    loader = ItemLoader(con)
    return [_dispute(loader, u) for u in units if u.disputed()]


def _dispute(loader: ItemLoader, unit: CodedUnit) -> Dispute:
    # ItemLoader's document cache and turn lookup are the ones the review screen uses.
    name, text, attrs = loader.document(unit.document_id)
    turn, question = loader.turn_and_question(unit.document_id, text, unit.start)
    return Dispute(
        unit.document_id, name, unit.start, unit.end, unit.codes,
        text[unit.start : unit.end], attrs, turn, question,
    )  # fmt: skip


def _live_events(con: sqlite3.Connection, actor: str | None = None) -> list[sqlite3.Row]:
    """The consensus decisions not undone (of *actor* only, when given), oldest first."""
    sql = "SELECT id, actor, action, detail FROM events WHERE action IN (?, ?)"
    params: list[Any] = [DECIDE_ACTION, UNDO_ACTION]
    if actor is not None:
        sql += " AND actor = ?"
        params.append(actor)
    rows = con.execute(sql + " ORDER BY id", params).fetchall()
    undone = {json.loads(r["detail"]).get("undoes") for r in rows if r["action"] == UNDO_ACTION}
    return [r for r in rows if r["action"] == DECIDE_ACTION and r["id"] not in undone]


def decided_units(con: sqlite3.Connection) -> set[tuple[int, int, int]]:
    """(document id, start, end) of every unit with a live consensus decision."""
    result = set()
    for row in _live_events(con):
        detail = json.loads(row["detail"])
        result.add((detail["document_id"], *detail["span"]))
    return result


def decide(project: Project, dispute: Dispute, codes: list[str], decider: str) -> int:
    """Store the consensus *codes* for *dispute* (empty: no code applies); returns the event id.

    One transaction: the ``consensus`` rows, and the event. A unit already decided (in
    another window, say) is refused.
    """
    decider = check_coder(decider)
    codes = sorted(dict.fromkeys(codes))
    span = (dispute.start, dispute.end)
    with project.transaction() as con:
        if (dispute.document_id, *span) in decided_units(con):
            raise ReviewError("this unit already has a consensus decision", hint="press u to undo")
        for key in codes:
            check_code(con, key)
        stamp = now()
        compared = ", ".join(
            f"{coder}: {'/'.join(sorted(c)) or '-'}"
            for coder, c in dispute.codes.items()
            if c is not None
        )
        memo = f"consensus decided by {decider} at {stamp} ({compared})"
        # check_code found each key in a stored codebook, so there is a newest one.
        book = newest_codebook(con) if codes else None
        rows = [
            insert_manual(con, dispute.document_id, span, key, CONSENSUS_CODER, book, memo, stamp)
            for key in codes
        ]
        detail = {
            "document_id": dispute.document_id,
            "span": list(span),
            "coders": {c: sorted(v) for c, v in dispute.codes.items() if v is not None},
            "codes": codes,
            "rows": rows,
        }
        return log_step(project, DECIDE_ACTION, decider, detail)


def undo(project: Project, decider: str) -> dict[str, Any] | None:
    """Undo the decider's newest live consensus decision; its detail, or None."""
    decider = check_coder(decider)
    with project.transaction() as con:
        live = _live_events(con, decider)
        if not live:
            return None
        event = live[-1]
        detail = json.loads(event["detail"])
        for row_id in detail.get("rows", []):
            con.execute("DELETE FROM codings WHERE id = ? AND coder = ?", (row_id, CONSENSUS_CODER))
        project.log(UNDO_ACTION, {"undoes": event["id"], **detail}, actor=decider)
    return detail
