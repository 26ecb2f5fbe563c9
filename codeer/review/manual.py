"""Manual codings and memos: a coder codes any fragment by hand, as one logical step each.

A manual coding is one ``codings`` row with status ``manual``, the coder, the code, the
fragment's offsets into the stored text (``text[start:end]``), no score, no evidence, no
``suggestion_id``, and the id of the newest stored codebook, which must define the code.
Synthesis counts it exactly like an accepted suggestion, and `codeer code` never touches
it (it only changes the machine coder's rows).

Each step is one transaction with one event in the append-only log (actor = the coder):

- ``review.code``: a manual coding made in the document view (`codeer read`); the view's
  ``u`` undoes it (it is one of :data:`codeer.review.decisions.INTERACTIVE_ACTIONS`);
- ``manual.add``: a manual coding made with `codeer add` (scripted, so not undone by
  ``u``, like a bulk decision);
- ``review.memo``: a memo on a coding of the coder's own, or on a sentence without any
  coding (then the memo has no ``coding_id`` and its span is in the event).

Adding the same coding again (same document, span, code and coder, accepted or manual)
stores nothing and reports it as unchanged, so `codeer add --from` can be re-run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from codeer.errors import CodeerError
from codeer.review.decisions import Step, check_coder, insert_memo, log_step
from codeer.store.coding_writes import insert_coding
from codeer.store.project import Project, now

CODE_ACTION = "review.code"
ADD_ACTION = "manual.add"
MEMO_ACTION = "review.memo"


class ManualError(CodeerError):
    """A manual coding that cannot be stored (bad offsets, unknown code, no codebook)."""


@dataclass(frozen=True)
class Added:
    """The outcome of one manual coding: the row's id and whether it is new."""

    coding_id: int
    added: bool
    step: Step | None = None
    memo_added: bool = False  # an existing coding got the (new) memo given with it


def newest_codebook(con: sqlite3.Connection) -> int:
    """The id of the newest stored codebook; without one there is nothing to code with."""
    row = con.execute("SELECT max(id) FROM codebooks").fetchone()
    if row is None or row[0] is None:
        raise ManualError(
            "the project has no codebook yet",
            hint="run `codeer code --codebook FILE` once (it stores the codebook; "
            "without --codebook the shipped wijkteams codebook)",
        )
    return int(row[0])


def insert_manual(
    con: sqlite3.Connection,
    document_id: int,
    span: tuple[int, int],
    code: str,
    coder: str,
    codebook_id: int,
    memo: str | None,
    stamp: str | None = None,
) -> int:
    """Insert one ``manual`` codings row (no score, valence, evidence or suggestion); its id."""
    stamp = stamp or now()
    return insert_coding(
        con, document_id, *span, code, "manual", coder,
        codebook_id=codebook_id, memo=memo, created_at=stamp, decided_at=stamp,
    )  # fmt: skip


def check_new_code(con: sqlite3.Connection, codebook_id: int, key: str) -> str:
    """*key* if the codebook *codebook_id* defines it."""
    found = con.execute(
        "SELECT 1 FROM codes WHERE codebook_id = ? AND key = ?", (codebook_id, key)
    ).fetchone()
    if found is None:
        raise ManualError(
            f"unknown code {key!r} (not in the newest codebook)",
            hint="see the keys with `codeer codebook show`",
        )
    return key


def check_span(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) if ``0 <= start < end <= len(text)`` (code-point offsets)."""
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ManualError(f"{name} must be a whole number, not {value!r}")
    if not 0 <= start < end <= len(text):
        raise ManualError(
            f"offsets {start}-{end} are outside the text (0-{len(text)}) or empty",
            hint="give 0 <= start < end <= the text's length in characters (code points)",
        )
    return start, end


def find_coding(
    con: sqlite3.Connection, document_id: int, start: int, end: int, code: str, coder: str
) -> int | None:
    """The id of the coder's accepted or manual row with this span and code, if any."""
    row = con.execute(
        "SELECT id FROM codings WHERE document_id = ? AND start = ? AND end = ? AND code = ? "
        "AND coder = ? AND status IN ('accepted', 'manual') ORDER BY id LIMIT 1",
        (document_id, start, end, code, coder),
    ).fetchone()
    return int(row[0]) if row else None


def add_manual(
    project: Project,
    document_id: int,
    start: int,
    end: int,
    code: str,
    coder: str,
    *,
    memo: str | None = None,
    action: str = CODE_ACTION,
) -> Added:
    """Store one manual coding (with an optional memo) as one transaction and one event."""
    coder = check_coder(coder)
    memo = memo.strip() if memo and memo.strip() else None
    with project.transaction() as con:
        doc = con.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        if doc is None:
            raise ManualError(f"document {document_id} is gone", hint="see `codeer documents`")
        check_span(doc["text"], start, end)
        book = newest_codebook(con)
        check_new_code(con, book, code)
        existing = find_coding(con, document_id, start, end, code, coder)
        if existing is not None:
            old = con.execute("SELECT memo FROM codings WHERE id = ?", (existing,)).fetchone()
            if memo is None or memo == old["memo"]:
                return Added(existing, False)
            # The coding is there but this memo is new: store it, never drop it.
            step = _note(project, document_id, coder, memo, existing, None)
            return Added(existing, False, step, memo_added=True)
        coding_id = insert_manual(con, document_id, (start, end), code, coder, book, memo)
        memos = []
        if memo:
            memos.append(insert_memo(con, document_id, coding_id, coder, memo))
        detail = {
            "suggestion_id": None,
            "document_id": document_id,
            "code": code,
            "span": [start, end],
            "rows": [coding_id],
            "memos": memos,
            "memo": memo,
        }
        event_id = log_step(project, action, coder, detail)
    step = Step(event_id, action, None, [coding_id], memos, (start, end), code)
    return Added(coding_id, True, step)


def add_note(
    project: Project,
    document_id: int,
    coder: str,
    text: str,
    *,
    coding_id: int | None = None,
    span: tuple[int, int] | None = None,
) -> Step:
    """A memo on one of the coder's own codings (*coding_id*) or on a sentence (*span*).

    A memo on a coding is also copied into that row's ``memo`` column (what `segments`
    shows); the previous value is kept in the event, and undo puts it back.
    """
    coder = check_coder(coder)
    text = text.strip()
    if not text:
        raise ManualError("an empty memo", hint="type the memo text")
    with project.transaction():
        return _note(project, document_id, coder, text, coding_id, span)


def _note(
    project: Project,
    document_id: int,
    coder: str,
    text: str,
    coding_id: int | None,
    span: tuple[int, int] | None,
) -> Step:
    """The memo step of :func:`add_note`, inside the caller's transaction."""
    con = project.con
    previous: dict[str, str | None] = {}
    code = None
    if coding_id is not None:
        row = con.execute(
            "SELECT code, memo, start, end FROM codings WHERE id = ? AND coder = ? "
            "AND document_id = ?",
            (coding_id, coder, document_id),
        ).fetchone()
        if row is None:
            raise ManualError(f"coding {coding_id} is not one of {coder}'s codings")
        code, span = row["code"], (row["start"], row["end"])
        previous[str(coding_id)] = row["memo"]
        con.execute("UPDATE codings SET memo = ? WHERE id = ?", (text, coding_id))
    memo_id = insert_memo(con, document_id, coding_id, coder, text)
    detail = {
        "suggestion_id": None,
        "coding_id": coding_id,
        "document_id": document_id,
        "code": code,
        "span": list(span) if span else None,
        "memos": [memo_id],
        "text": text,
        "previous_memos": previous,
    }
    event_id = log_step(project, MEMO_ACTION, coder, detail)
    return Step(event_id, MEMO_ACTION, None, [], [memo_id], span, code)
