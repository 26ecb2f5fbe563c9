"""Which codings count: the one definition shared by segments, matrices and summaries.

Status filters (``--status``):

- ``accepted`` (default for synthesis): human decisions that apply a code, i.e. rows with
  status ``accepted`` or ``manual``.
- ``suggested``: the machine's suggestions that no coder has decided yet.
- ``all``: ``accepted`` plus ``suggested`` (everything that currently applies a code).
- ``rejected``, ``retracted``, ``manual``: exactly that stored status.
- ``any``: every stored row, whatever its status.

A decision on a suggestion is its own row (coder, status, span, code) whose
``suggestion_id`` points at the suggestion, so two coders' decisions stay apart.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

MACHINE_CODER = "codeer"
# The suggestion sources that are machines, not people: the codebook's patterns and the
# model learned from a project's own decisions (``codeer learn``, its own coder so that
# `codeer code` never retracts what it proposes).
LEARN_CODER = "codeer-learn"
MACHINE_CODERS = (MACHINE_CODER, LEARN_CODER)
STATUS_FILTERS = ("accepted", "suggested", "all", "rejected", "retracted", "manual", "any")

_UNDECIDED = (
    "c.status = 'suggested' AND NOT EXISTS "
    "(SELECT 1 FROM codings d WHERE d.suggestion_id = c.id AND d.status != 'suggested')"
)


def status_clause(status: str) -> str:
    """SQL condition on the alias ``c`` (table codings) for a ``--status`` value."""
    if status == "accepted":
        return "c.status IN ('accepted', 'manual')"
    if status == "suggested":
        return _UNDECIDED
    if status == "all":
        return f"(c.status IN ('accepted', 'manual') OR ({_UNDECIDED}))"
    if status in ("rejected", "retracted", "manual"):
        return f"c.status = '{status}'"
    if status == "any":
        return "1"
    raise ValueError(f"unknown status {status!r}; use one of: {', '.join(STATUS_FILTERS)}")


def code_paths(con: sqlite3.Connection) -> dict[str, list[str]]:
    """Key -> path (top-level key first) from the newest codebook that defines each key."""
    paths: dict[str, list[str]] = {}
    rows = con.execute("SELECT key, path FROM codes ORDER BY codebook_id DESC").fetchall()
    for row in rows:
        paths.setdefault(row["key"], row["path"].split("/"))
    return paths


def expand_codes(con: sqlite3.Connection, keys: list[str]) -> set[str]:
    """The given code keys plus all their descendants (in any stored codebook)."""
    paths = code_paths(con)
    wanted = set(keys)
    result = set(keys)
    for key, path in paths.items():
        if wanted.intersection(path):
            result.add(key)
    return result


def document_attributes(con: sqlite3.Connection) -> dict[int, dict[str, str]]:
    """document id -> {attribute: value}."""
    result: dict[int, dict[str, str]] = {}
    for row in con.execute("SELECT document_id, key, value FROM attributes ORDER BY key"):
        result.setdefault(row["document_id"], {})[row["key"]] = row["value"]
    return result


@dataclass
class CodingRow:
    """One coding with everything a reader or a script needs to judge it."""

    id: int
    document: str
    start: int
    end: int
    text: str
    code: str
    code_path: list[str]
    status: str
    coder: str
    score: float | None
    valence: str | None
    evidence: list[Any]
    memo: str | None
    speaker: str
    role: str
    turn: str
    turn_index: int | None
    attributes: dict[str, str] = field(default_factory=dict)
    suggestion_id: int | None = None
    created_at: str = ""
    decided_at: str | None = None
    #: Every memo on this coding (see :func:`coding_memos`): {"coder", "time", "text"}.
    memos: list[dict[str, str]] = field(default_factory=list)
    #: The learned model's probability and why (``codeer learn``); None when not scored.
    learned_score: float | None = None
    learned: Any = None

    def memo_text(self) -> str | None:
        """The memos as one cell: texts in time order joined with `` | ``.

        A memo by another coder than the row's (a coder's memo on a machine suggestion)
        starts with ``coder: `` so that nobody's words are put in another's mouth.
        """
        if not self.memos:
            return self.memo
        return MEMO_SEPARATOR.join(
            m["text"] if m["coder"] == self.coder else f"{m['coder']}: {m['text']}"
            for m in self.memos
        )

    def to_dict(self) -> dict[str, Any]:
        """The jsonl/csv record of the DESIGN.md contract."""
        return {
            "id": self.id,
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "role": self.role,
            "text": self.text,
            "code": self.code,
            "code_path": self.code_path,
            "status": self.status,
            "score": self.score,
            "valence": self.valence,
            "coder": self.coder,
            "evidence": self.evidence,
            "memo": self.memo_text(),
            "turn_index": self.turn_index,
            "turn": self.turn,
            "attributes": self.attributes,
            "suggestion_id": self.suggestion_id,
            "created_at": self.created_at,
            "decided_at": self.decided_at,
            "learned_score": self.learned_score,
            "learned": self.learned,
        }


def select_codings(
    con: sqlite3.Connection,
    *,
    status: str = "accepted",
    codes: list[str] | None = None,
    where: dict[str, str] | None = None,
    document: str | None = None,
    coder: str | None = None,
) -> list[CodingRow]:
    """Codings matching the filters, ordered by document and position.

    ``codes`` includes sub-codes; ``where`` keeps documents whose attributes equal every
    given value; ``document`` is a document name (already resolved).
    """
    sql = [
        "SELECT c.*, d.name AS document_name FROM codings c",
        "JOIN documents d ON d.id = c.document_id WHERE",
        status_clause(status),
    ]
    params: list[Any] = []
    if codes:
        keys = sorted(expand_codes(con, codes))
        sql.append(f"AND c.code IN ({', '.join('?' * len(keys))})")
        params += keys
    if document:
        sql.append("AND d.name = ?")
        params.append(document)
    if coder:
        sql.append("AND c.coder = ?")
        params.append(coder)
    for key, value in (where or {}).items():
        sql.append(
            "AND EXISTS (SELECT 1 FROM attributes a WHERE a.document_id = d.id "
            "AND a.key = ? AND a.value = ?)"
        )
        params += [key, value]
    sql.append("ORDER BY d.name, c.start, c.end, c.code, c.id")
    rows = con.execute(" ".join(sql), params).fetchall()

    paths = code_paths(con)
    attributes = document_attributes(con)
    memos = coding_memos(con)
    doc_ids = {row["document_id"] for row in rows}
    turns = _turn_index(con, doc_ids)
    # Each document's text once (not once per row: a 1 MB transcript with 60,000 codings
    # would be 60 GB), and each turn's context once, shared by its rows.
    texts = {
        doc_id: con.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        for doc_id in doc_ids
    }
    contexts: dict[tuple[int, int, int], str] = {}
    result = []
    for row in rows:
        text = texts[row["document_id"]]
        turn = _turn_at(turns.get(row["document_id"]), row["start"])
        context = ""
        if turn:
            span = _context_span(turn["start"], turn["end"], row["start"], row["end"])
            key = (row["document_id"], *span)
            context = contexts.get(key) or contexts.setdefault(key, text[span[0] : span[1]])
        result.append(
            CodingRow(
                id=row["id"],
                document=row["document_name"],
                start=row["start"],
                end=row["end"],
                text=text[row["start"] : row["end"]],
                code=row["code"],
                code_path=paths.get(row["code"], [row["code"]]),
                status=row["status"],
                coder=row["coder"],
                score=row["score"],
                valence=row["valence"],
                evidence=json.loads(row["evidence"] or "[]"),
                memo=row["memo"],
                speaker=turn["speaker"] if turn else "",
                role=turn["role"] if turn else "",
                turn=context,
                turn_index=turn["idx"] if turn else None,
                attributes=attributes.get(row["document_id"], {}),
                suggestion_id=row["suggestion_id"],
                created_at=row["created_at"],
                decided_at=row["decided_at"],
                memos=_memos_of(memos, row),
                learned_score=row["learned_score"],
                learned=_json_or_text(row["learned"]),
            )
        )
    return result


def _json_or_text(raw: str | None) -> Any:
    """A stored JSON column parsed; text that is no JSON (a damaged row) as it is."""
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


MEMO_SEPARATOR = " | "


def coding_memos(con: sqlite3.Connection) -> dict[int, list[dict[str, str]]]:
    """Coding id -> the ``memos`` rows attached to it, oldest first (one query)."""
    result: dict[int, list[dict[str, str]]] = {}
    for coding_id, coder, text, time in con.execute(
        "SELECT coding_id, coder, text, created_at FROM memos WHERE coding_id IS NOT NULL "
        "ORDER BY created_at, id"
    ):
        result.setdefault(coding_id, []).append({"coder": coder, "time": time, "text": text})
    return result


def _memos_of(memos: dict[int, list[dict[str, str]]], row: sqlite3.Row) -> list[dict[str, str]]:
    """The memos of one coding row, oldest first.

    Those on the row itself, and for a coder's decision on a suggestion the coder's own
    memos on that suggestion; then the ``memo`` column when no memo row of the coder
    holds its text (memos that came in with `codeer import-decisions`).
    """
    own, on_suggestion, column = memos.get(row["id"]), memos.get(row["suggestion_id"]), row["memo"]
    if not (own or on_suggestion or column):
        return []  # the common case, kept cheap for a million rows
    found = list(own or [])
    found += [m for m in on_suggestion or [] if m["coder"] == row["coder"]]
    found.sort(key=lambda m: m["time"])
    if column and not any(m["text"] == column and m["coder"] == row["coder"] for m in found):
        time = row["decided_at"] or row["created_at"]
        found.append({"coder": row["coder"], "time": time, "text": column})
    return found


# A turn longer than this (a transcript without speaker labels) is given as context only
# around the fragment: every row repeating a turn of a million characters helps nobody.
TURN_CONTEXT_CHARS = 20_000


def _context_span(turn_start: int, turn_end: int, start: int, end: int) -> tuple[int, int]:
    """The part of a turn given as a row's ``turn``: all of it, or a window in a long one.

    The window starts and ends on a multiple of 1,000 characters, so that the rows of one
    stretch of a long turn share the same context (and the same string in memory).
    """
    if turn_end - turn_start <= TURN_CONTEXT_CHARS:
        return turn_start, turn_end
    step = 1000  # about 1,000 to 2,000 characters of context either side
    low = max(turn_start, turn_start + ((start - turn_start) // step - 1) * step)
    high = min(turn_end, turn_start + ((end - turn_start) // step + 2) * step)
    return low, high


def _turn_index(con: sqlite3.Connection, document_ids: set[int]) -> dict[int, list[sqlite3.Row]]:
    index: dict[int, list[sqlite3.Row]] = {}
    for doc_id in document_ids:
        index[doc_id] = con.execute(
            "SELECT idx, speaker, role, start, end FROM turns WHERE document_id = ? ORDER BY start",
            (doc_id,),
        ).fetchall()
    return index


def _turn_at(turns: list[sqlite3.Row] | None, offset: int) -> sqlite3.Row | None:
    """The turn that contains *offset* (or the last one starting before it)."""
    if not turns:
        return None
    # key= rather than a list of starts: that list, built per row, made a 2,000-turn
    # document with 40,000 codings take 6 s.
    pos = bisect.bisect_right(turns, offset, key=lambda t: t["start"]) - 1
    return turns[pos] if pos >= 0 else turns[0]


# learned_score and learned came later: after the others, so no column moved.
FIXED_CSV_FIELDS = [
    "id", "document", "start", "end", "speaker", "role", "code", "code_path", "status", "score",
    "valence", "coder", "text", "evidence", "memo", "turn_index", "learned_score", "learned",
]  # fmt: skip


def evidence_text(evidence: list[Any]) -> str:
    """Evidence as a reader wants it in a spreadsheet: ``words [pattern]; ...``."""
    parts = []
    for item in evidence:
        if isinstance(item, dict):
            words = item.get("words") or item.get("text") or ""
            pattern = item.get("pattern") or ""
            parts.append(f"{words} [{pattern}]" if pattern else str(words))
        else:
            parts.append(str(item))
    return "; ".join(parts)


def write_codings_csv(rows: list[CodingRow], stream: Any, raw: bool = False) -> None:
    """One CSV row per coding; the documents' attributes as extra columns at the end.

    An attribute whose name clashes with a fixed column is written as ``attr_NAME``. A
    cell a spreadsheet would run as a formula gets a leading ``'`` unless *raw*
    (:mod:`codeer.store.safe_output`).
    """
    import csv

    from codeer.store.safe_output import spreadsheet_row

    keys = sorted({key for row in rows for key in row.attributes})
    columns = {key: (f"attr_{key}" if key in FIXED_CSV_FIELDS else key) for key in keys}
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(spreadsheet_row(FIXED_CSV_FIELDS + list(columns.values()), raw))
    for row in rows:
        record = row.to_dict()
        record["code_path"] = "/".join(row.code_path)
        record["evidence"] = evidence_text(row.evidence)
        if row.learned is not None and not isinstance(row.learned, str):
            record["learned"] = json.dumps(row.learned, ensure_ascii=False)  # as stored
        values = ["" if record[f] is None else record[f] for f in FIXED_CSV_FIELDS]
        writer.writerow(
            spreadsheet_row(values + [row.attributes.get(key, "") for key in keys], raw)
        )
