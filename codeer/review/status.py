"""Review status: per code and per coder, how many suggestions are decided and how.

One row per (code, coder). The machine coder ``codeer`` has one row per code with the
number of suggestions and ``open`` = suggestions **no** coder has decided yet. Each human
coder has a row per code with their own accepted, rejected and manual rows, ``suggested``
= the suggestions for that code (the pool they review) and ``open`` = suggestions of that
code **this coder** has not decided (another coder's decisions do not count).

A change of code counts as one rejected row for the suggested code and one accepted row
for the new code; ``manual`` counts the codes a coder added by hand (``n``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass

from codeer.store.codings import MACHINE_CODER, code_paths, expand_codes

COLUMNS = ("code", "coder", "suggested", "accepted", "rejected", "manual", "open")


@dataclass
class StatusRow:
    """The counts of one coder for one code."""

    code: str
    coder: str
    suggested: int = 0
    accepted: int = 0
    rejected: int = 0
    manual: int = 0
    open: int = 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def review_status(
    con: sqlite3.Connection, *, coder: str | None = None, code: str | None = None
) -> list[StatusRow]:
    """The status rows, in codebook order, the machine row first within each code."""
    suggested = dict(
        con.execute(
            "SELECT code, count(*) FROM codings WHERE status = 'suggested' GROUP BY code"
        ).fetchall()
    )
    open_any = dict(
        con.execute(
            "SELECT c.code, count(*) FROM codings c WHERE c.status = 'suggested' AND NOT EXISTS "
            "(SELECT 1 FROM codings d WHERE d.suggestion_id = c.id "
            "AND d.status IN ('accepted', 'rejected')) GROUP BY c.code"
        ).fetchall()
    )
    # Suggestions each coder has decided, per suggested code (DISTINCT: a change of code
    # writes two rows for one suggestion).
    decided: dict[tuple[str, str], int] = {}
    for row in con.execute(
        "SELECT s.code, d.coder, count(DISTINCT s.id) FROM codings s JOIN codings d "
        "ON d.suggestion_id = s.id AND d.status IN ('accepted', 'rejected') "
        "WHERE s.status = 'suggested' GROUP BY s.code, d.coder"
    ):
        decided[(row[0], row[1])] = row[2]
    own: dict[tuple[str, str], dict[str, int]] = {}
    for row in con.execute(
        "SELECT code, coder, status, count(*) FROM codings WHERE coder != ? "
        "AND status IN ('accepted', 'rejected', 'manual') GROUP BY code, coder, status",
        (MACHINE_CODER,),
    ):
        own.setdefault((row[0], row[1]), {})[row[2]] = row[3]

    coders = sorted({c for _, c in own} | {c for _, c in decided})
    if coder:
        coders = [coder]
    keys = set(suggested) | {k for k, _ in own}
    if code:
        keys &= expand_codes(con, [code])
    paths = code_paths(con)
    rows = []
    for key in sorted(keys, key=lambda k: ("/".join(paths.get(k, [k])), k)):
        total = suggested.get(key, 0)
        if total and not coder:
            rows.append(StatusRow(key, MACHINE_CODER, suggested=total, open=open_any.get(key, 0)))
        for name in coders:
            counts = own.get((key, name), {})
            if not counts and not total:
                continue
            rows.append(
                StatusRow(
                    key,
                    name,
                    suggested=total,
                    accepted=counts.get("accepted", 0),
                    rejected=counts.get("rejected", 0),
                    manual=counts.get("manual", 0),
                    open=total - decided.get((key, name), 0),
                )
            )
    return rows
