"""One way to write a ``codings`` row, for every place that records a coding.

A decision (accept, reject, change), a hand-made coding, an imported one, a simulated
researcher's and a learned proposal all insert the same row shape; naming the columns
here once keeps them from drifting apart. (``codeer code`` writes its suggestions in
bulk with ``executemany``, see :mod:`codeer.coding.suggestion_store`.)
"""

from __future__ import annotations

import sqlite3
from typing import Any

from codeer.store.project import now

# Columns a caller may give besides the six every coding has.
OPTIONAL_COLUMNS = frozenset((
    "score", "valence", "evidence", "codebook_id", "suggestion_id", "memo",
    "learned_score", "learned", "created_at", "decided_at",
))  # fmt: skip


def insert_coding(
    con: sqlite3.Connection,
    document_id: int,
    start: int,
    end: int,
    code: str,
    status: str,
    coder: str,
    **columns: Any,
) -> int:
    """Insert one ``codings`` row and return its id.

    *columns* are optional columns by name (:data:`OPTIONAL_COLUMNS`); ``evidence``
    defaults to ``'[]'`` and ``created_at`` to now. An unknown name is a programming
    error (ValueError), never silently dropped.
    """
    unknown = set(columns) - OPTIONAL_COLUMNS
    if unknown:
        raise ValueError(f"not a codings column: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {
        "document_id": document_id,
        "start": start,
        "end": end,
        "code": code,
        "status": status,
        "coder": coder,
        "evidence": "[]",
        **columns,
    }
    if values.get("created_at") is None:
        values["created_at"] = now()
    names = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cur = con.execute(f"INSERT INTO codings ({names}) VALUES ({marks})", tuple(values.values()))
    return int(cur.lastrowid)
