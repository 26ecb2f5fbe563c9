"""Review decisions: how a coder's choice on a suggestion is stored, and undone.

Every function here is one logical step: one transaction that writes the coder's rows
and appends one event to the log, so a crash can lose at most the step in flight.

How decisions are stored (rows in ``codings``; the suggestion itself is never changed):

- accept: one ``accepted`` row by the coder with ``suggestion_id`` = the suggestion, the
  suggestion's code, and the suggestion's span or, when widened, the whole turn.
- reject: one ``rejected`` row by the coder, same code and the suggestion's span.
- change code: two rows, a ``rejected`` row for the suggested code and an ``accepted``
  row for the new code (both with ``suggestion_id``), so that "the machine was wrong
  about X" and "the fragment is about Y" both stay visible for agreement and learning.
- add code: one ``manual`` row by the coder on the current span **without**
  ``suggestion_id``: adding a code does not decide the suggestion, which stays open.
- memo: a ``memos`` row by the coder attached to the suggestion; the coder's latest memo
  is also copied into the ``memo`` column of the decision rows.

Undo deletes exactly the rows a step created (their ids are in the step's event) and logs
a ``review.undo`` event naming the undone event; the event log itself is append-only.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from codeer.errors import CodeerError
from codeer.review.queue import ReviewFilter, select_suggestions
from codeer.store.coding_writes import insert_coding
from codeer.store.codings import MACHINE_CODERS
from codeer.store.project import Project, now

# Steps a reviewer makes one by one; `u` undoes the newest of these by the same coder.
INTERACTIVE_ACTIONS = (
    "review.accept",
    "review.reject",
    "review.change",
    "review.add",
    "review.memo",
    "review.code",  # a manual coding in the document view (codeer.review.manual)
)
BULK_ACTION = "review.bulk"
UNDO_ACTION = "review.undo"


class ReviewError(CodeerError):
    """A review step that cannot be done (unknown code, machine coder, ...)."""


class AlreadyDecided(ReviewError):
    """This coder has already decided the suggestion (e.g. in another window)."""


class NotOpen(ReviewError):
    """The suggestion is gone or retracted (e.g. `codeer code` ran with a new codebook)."""


@dataclass
class Step:
    """One stored step: its event and the rows it created (what undo deletes)."""

    event_id: int
    action: str
    suggestion_id: int | None
    rows: list[int] = field(default_factory=list)
    memos: list[int] = field(default_factory=list)
    span: tuple[int, int] | None = None
    code: str | None = None
    new_code: str | None = None
    # coding id -> its memo column before a memo step changed it (undo puts it back)
    previous_memos: dict[str, str | None] = field(default_factory=dict)
    document_id: int | None = None  # as logged (a memo on a suggestion logs none)


def check_coder(coder: str) -> str:
    """A human coder's name; the machine's name is reserved for suggestions."""
    coder = (coder or "").strip()
    if not coder:
        raise ReviewError("no coder name", hint="pass --coder NAME or set CODEER_CODER")
    if coder in MACHINE_CODERS:
        raise ReviewError(f"{coder!r} is the name of a machine coder", hint="pass --coder NAME")
    return coder


def is_decided(con: sqlite3.Connection, suggestion_id: int, coder: str) -> bool:
    """Whether *coder* has an accepted or rejected row for the suggestion."""
    return (
        con.execute(
            "SELECT 1 FROM codings WHERE suggestion_id = ? AND coder = ? "
            "AND status IN ('accepted', 'rejected') LIMIT 1",
            (suggestion_id, coder),
        ).fetchone()
        is not None
    )


def latest_memo(con: sqlite3.Connection, suggestion_id: int, coder: str) -> str | None:
    """The coder's newest memo on the suggestion, or None."""
    row = con.execute(
        "SELECT text FROM memos WHERE coding_id = ? AND coder = ? ORDER BY id DESC LIMIT 1",
        (suggestion_id, coder),
    ).fetchone()
    return row["text"] if row else None


def check_code(con: sqlite3.Connection, key: str) -> str:
    """*key* if some stored codebook defines it."""
    if con.execute("SELECT 1 FROM codes WHERE key = ? LIMIT 1", (key,)).fetchone() is None:
        raise ReviewError(f"unknown code {key!r}", hint="see the keys with `codeer codebook show`")
    return key


def _suggestion(con: sqlite3.Connection, suggestion_id: int) -> sqlite3.Row:
    row = con.execute(
        "SELECT * FROM codings WHERE id = ? AND status = 'suggested'", (suggestion_id,)
    ).fetchone()
    if row is None:
        raise NotOpen(f"suggestion {suggestion_id} is no longer open (retracted or removed)")
    return row


def _insert(
    con: sqlite3.Connection,
    sug: sqlite3.Row,
    *,
    coder: str,
    status: str,
    code: str,
    span: tuple[int, int],
    memo: str | None,
    linked: bool = True,
) -> int:
    """Insert one decision row derived from suggestion *sug*; returns its id."""
    stamp = now()
    machine = code == sug["code"]  # score and evidence belong to the suggested code only
    return insert_coding(
        con, sug["document_id"], span[0], span[1], code, status, coder,
        score=sug["score"] if machine else None,
        valence=sug["valence"] if status != "manual" else None,
        codebook_id=sug["codebook_id"], suggestion_id=sug["id"] if linked else None,
        memo=memo, created_at=stamp, decided_at=stamp,
    )  # fmt: skip


def insert_memo(
    con: sqlite3.Connection, document_id: int, coding_id: int | None, coder: str, text: str
) -> int:
    """Insert one memo of *coder* (on *coding_id*, or on no coding); returns its id."""
    cur = con.execute(
        "INSERT INTO memos (document_id, coding_id, coder, text, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (document_id, coding_id, coder, text, now()),
    )
    return int(cur.lastrowid)


def log_step(project: Project, action: str, coder: str, detail: dict[str, Any]) -> int:
    """Log one step of *coder* in the event log (inside the caller's transaction); its id."""
    project.log(action, detail, actor=coder)
    return int(project.con.execute("SELECT last_insert_rowid()").fetchone()[0])


def decide(
    project: Project,
    suggestion_id: int,
    coder: str,
    decision: str,
    *,
    code: str | None = None,
    span: tuple[int, int] | None = None,
    memo: str | None = None,
) -> Step:
    """Store one decision (``accept``, ``reject``, ``change`` or ``add``) as one transaction.

    *code* is the new code for ``change`` and ``add``; *span* is the fragment as shown
    (the suggestion's own span by default; a reject always keeps the suggestion's span).
    """
    coder = check_coder(coder)
    if decision not in ("accept", "reject", "change", "add"):
        raise ValueError(f"unknown decision {decision!r}")
    with project.transaction() as con:
        sug = _suggestion(con, suggestion_id)
        own = (sug["start"], sug["end"])
        span = span or own
        if decision != "add" and is_decided(con, suggestion_id, coder):
            raise AlreadyDecided(f"{coder} has already decided suggestion {suggestion_id}")
        if decision in ("change", "add"):
            if not code:
                raise ReviewError(f"{decision} needs a code key")
            check_code(con, code)
            if decision == "change" and code == sug["code"]:
                raise ReviewError(f"the suggestion already has code {code!r}", hint="accept it")
        common = {"coder": coder, "memo": memo}
        if decision == "accept":
            rows = [_insert(con, sug, status="accepted", code=sug["code"], span=span, **common)]
        elif decision == "reject":
            span = own
            rows = [_insert(con, sug, status="rejected", code=sug["code"], span=own, **common)]
        elif decision == "change":
            rows = [
                _insert(con, sug, status="rejected", code=sug["code"], span=own, **common),
                _insert(con, sug, status="accepted", code=code, span=span, **common),
            ]
        else:
            rows = [
                _insert(con, sug, status="manual", code=code, span=span, linked=False, **common)
            ]
        detail = {
            "suggestion_id": suggestion_id,
            "document_id": sug["document_id"],
            "code": sug["code"],
            "new_code": code if decision in ("change", "add") else None,
            "span": list(span),
            "rows": rows,
            "memo": memo,
        }
        event_id = log_step(project, f"review.{decision}", coder, detail)
    return Step(event_id, f"review.{decision}", suggestion_id, rows, [], span, sug["code"], code)


def add_memo(project: Project, suggestion_id: int, coder: str, text: str) -> Step:
    """Attach a memo to a suggestion (its own step, so it can be undone)."""
    coder = check_coder(coder)
    with project.transaction() as con:
        sug = _suggestion(con, suggestion_id)
        memo_id = insert_memo(con, sug["document_id"], suggestion_id, coder, text)
        detail = {
            "suggestion_id": suggestion_id,
            "code": sug["code"],
            "memos": [memo_id],
            "text": text,
        }
        event_id = log_step(project, "review.memo", coder, detail)
    return Step(event_id, "review.memo", suggestion_id, [], [memo_id], None, sug["code"])


def _step_from_event(row: sqlite3.Row) -> Step:
    detail = json.loads(row["detail"] or "{}")
    span = detail.get("span")
    return Step(
        event_id=row["id"],
        action=row["action"],
        suggestion_id=detail.get("suggestion_id"),
        rows=list(detail.get("rows", [])),
        memos=list(detail.get("memos", [])),
        span=tuple(span) if span else None,
        code=detail.get("code"),
        new_code=detail.get("new_code"),
        previous_memos=dict(detail.get("previous_memos") or {}),
        document_id=detail.get("document_id"),
    )


def last_step(
    con: sqlite3.Connection, coder: str, actions: tuple[str, ...] = INTERACTIVE_ACTIONS
) -> Step | None:
    """The coder's newest step among *actions* that has not been undone yet.

    Undo events always come after the step they undo, so scanning newest-first we learn
    which steps are undone before we reach them, and can stop at the first live one.
    """
    wanted = (*actions, UNDO_ACTION)
    cursor = con.execute(
        f"SELECT id, action, detail FROM events WHERE actor = ? "
        f"AND action IN ({', '.join('?' * len(wanted))}) ORDER BY id DESC",
        (coder, *wanted),
    )
    undone: set[int] = set()
    for row in cursor:
        if row["action"] == UNDO_ACTION:
            undone.add(json.loads(row["detail"]).get("undoes"))
        elif row["id"] not in undone:
            return _step_from_event(row)
    return None


def _delete_and_log(project: Project, step: Step, coder: str) -> None:
    """Inside a transaction: delete what *step* created and log the undo."""
    for table, ids in (("codings", step.rows), ("memos", step.memos)):
        for chunk in range(0, len(ids), 500):  # stay under SQLite's parameter limit
            part = ids[chunk : chunk + 500]
            project.con.execute(
                f"DELETE FROM {table} WHERE coder = ? AND id IN ({', '.join('?' * len(part))})",
                (coder, *part),
            )
    for coding_id, memo in step.previous_memos.items():
        project.con.execute(
            "UPDATE codings SET memo = ? WHERE id = ? AND coder = ?", (memo, int(coding_id), coder)
        )
    detail = {
        "undoes": step.event_id,
        "action": step.action,
        "suggestion_id": step.suggestion_id,
        "rows": step.rows,
        "memos": step.memos,
    }
    log_step(project, UNDO_ACTION, coder, detail)


def undo_step(project: Project, step: Step, coder: str) -> Step:
    """Undo one given step (e.g. a bulk step found with :func:`last_step`)."""
    coder = check_coder(coder)
    with project.transaction():
        _delete_and_log(project, step, coder)
    return step


def undo_last(project: Project, coder: str) -> Step | None:
    """Undo the coder's newest interactive step; None if there is nothing to undo.

    Finding and undoing the step happen in one transaction, so two windows of the same
    coder cannot undo the same step twice.
    """
    coder = check_coder(coder)
    with project.transaction() as con:
        step = last_step(con, coder)
        if step is not None:
            _delete_and_log(project, step, coder)
    return step


def bulk_decide(
    project: Project,
    coder: str,
    decision: str,
    flt: ReviewFilter,
    *,
    dry_run: bool = False,
) -> list[int]:
    """Accept or reject every suggestion in *flt* this coder has not decided; one step.

    Returns the ids of the suggestions decided (or that would be, with *dry_run*). The
    step is logged as one ``review.bulk`` event with the coder, the filter and the rows.
    """
    coder = check_coder(coder)
    if decision not in ("accept", "reject"):
        raise ValueError(f"bulk decisions are accept or reject, not {decision!r}")
    status = "accepted" if decision == "accept" else "rejected"
    with project.transaction() as con:
        ids = [row[0] for row in select_suggestions(con, coder, flt, undecided_only=True)]
        if dry_run:
            return ids
        rows = []
        for sid in ids:
            sug = _suggestion(con, sid)
            span = (sug["start"], sug["end"])
            rows.append(
                _insert(
                    con, sug, coder=coder, status=status, code=sug["code"], span=span, memo=None
                )
            )
        detail = {
            "decision": decision,
            "filter": {
                "code": flt.code,
                "document": flt.document,
                "where": flt.where,
                "min_score": flt.min_score,
            },
            "count": len(ids),
            "suggestions": ids,
            "rows": rows,
        }
        log_step(project, BULK_ACTION, coder, detail)
    return ids
