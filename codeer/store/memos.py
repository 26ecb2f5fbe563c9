"""Every memo in a project, with the fragment it is about: ``codeer memos``.

Memos live in two places: the ``memos`` table (one row per memo a coder wrote, on a
suggestion, on one of their codings, or on a sentence without a coding, whose span is
then only in the ``review.memo`` event), and the ``memo`` column of codings (the coder's
latest memo copied onto decision rows; the only place for memos that came in with
`codeer import-decisions` and for the note on each consensus coding). A column memo is
listed only when no ``memos`` row of the same coder with the same text is attached to
that coding or to its suggestion, so a memo is listed once.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from codeer.store.codings import MACHINE_CODERS

COLUMNS = ["document", "start", "end", "code", "coder", "time", "fragment", "memo"]


@dataclass(frozen=True)
class Memo:
    """One memo and what it is about (start/end None for a memo on a whole document)."""

    document: str
    start: int | None
    end: int | None
    code: str | None
    coder: str
    time: str
    fragment: str
    memo: str

    def to_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in COLUMNS}


def _event_spans(con: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """memo id -> span, for memos on a sentence without a coding (kept in the event)."""
    spans: dict[int, tuple[int, int]] = {}
    for (detail,) in con.execute("SELECT detail FROM events WHERE action = 'review.memo'"):
        data = json.loads(detail or "{}")
        span = data.get("span")
        if span and data.get("coding_id") is None:
            for memo_id in data.get("memos") or []:
                spans[memo_id] = (span[0], span[1])
    return spans


def list_memos(con: sqlite3.Connection, coder: str | None = None) -> list[Memo]:
    """Every memo (of *coder* only, when given), by document, position and time."""
    texts: dict[int, tuple[str, str]] = {}

    def doc(doc_id: int) -> tuple[str, str]:
        if doc_id not in texts:
            row = con.execute("SELECT name, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            texts[doc_id] = (row[0], row[1])
        return texts[doc_id]

    spans = _event_spans(con)
    result: list[Memo] = []
    written: set[tuple[str, str, int]] = set()  # (coder, text, coding id) of memos rows
    sql = (
        "SELECT m.id, m.document_id, m.coding_id, m.coder, m.text, m.created_at, "
        "c.document_id AS c_doc, c.start, c.end, c.code FROM memos m "
        "LEFT JOIN codings c ON c.id = m.coding_id"
    )
    for row in con.execute(sql):
        written.add((row["coder"], row["text"], row["coding_id"]))
        if coder and row["coder"] != coder:
            continue
        doc_id = row["c_doc"] if row["coding_id"] is not None else row["document_id"]
        if doc_id is None:
            continue
        name, text = doc(doc_id)
        start, end = (
            (row["start"], row["end"]) if row["coding_id"] else spans.get(row["id"], (None, None))
        )
        fragment = text[start:end] if start is not None else ""
        result.append(
            Memo(
                name,
                start,
                end,
                row["code"],
                row["coder"],
                row["created_at"],
                fragment,
                row["text"],
            )
        )
    rows = con.execute(
        "SELECT id, document_id, start, end, code, coder, memo, suggestion_id, decided_at, "
        f"created_at FROM codings WHERE memo IS NOT NULL AND memo != '' AND coder NOT IN "
        f"({', '.join('?' * len(MACHINE_CODERS))}) ORDER BY id",
        MACHINE_CODERS,
    ).fetchall()
    for row in rows:
        if coder and row["coder"] != coder:
            continue
        key = (row["coder"], row["memo"], row["suggestion_id"] or row["id"])
        if key in written or (row["coder"], row["memo"], row["id"]) in written:
            continue
        written.add(key)
        name, text = doc(row["document_id"])
        result.append(
            Memo(
                name, row["start"], row["end"], row["code"], row["coder"],
                row["decided_at"] or row["created_at"], text[row["start"] : row["end"]],
                row["memo"],
            )
        )  # fmt: skip
    result.sort(key=lambda m: (m.document, m.start if m.start is not None else -1, m.time))
    return result


def memos_markdown(memos: list[Memo]) -> str:
    """Memos as Markdown: a section per document, one entry per memo (text made safe)."""
    from codeer.store.safe_output import markdown_text

    if not memos:
        return "# Memos\n\nNo memos yet.\n"
    lines = ["# Memos", ""]
    current = None
    for memo in memos:
        if memo.document != current:
            current = memo.document
            lines += [f"## {markdown_text(memo.document)}", ""]
        where = f"{memo.start}-{memo.end}" if memo.start is not None else "whole document"
        code = f" · {markdown_text(memo.code)}" if memo.code else ""
        lines.append(f"- **{markdown_text(memo.coder)}** · {memo.time} · {where}{code}")
        if memo.fragment:
            lines.append(f"  > {markdown_text(' '.join(memo.fragment.split()))}")
        lines.append("")
        for part in memo.memo.splitlines() or [""]:
            lines.append(f"  {markdown_text(part)}")
        lines.append("")
    return "\n".join(lines)
