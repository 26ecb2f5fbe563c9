"""store.coding_writes.insert_coding: the one writer of decision-like codings rows.

The document text is fictional.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codeer.store.coding_writes import insert_coding
from tests.factories import add_document, new_project


def test_insert_coding_writes_the_given_columns_and_defaults(tmp_path: Path):
    project = new_project(tmp_path / "p")
    doc = add_document(project, "fictief.txt", "In Fictiedam bellen we de school.")
    with project.transaction() as con:
        first = insert_coding(con, doc, 3, 12, "verbinden", "manual", "ann", memo="zo")
        second = insert_coding(
            con, doc, 0, 2, "verbinden", "rejected", "bob", score=0.6, created_at="t0"
        )
    rows = project.con.execute(
        "SELECT id, start, end, status, coder, score, evidence, memo, created_at"
        " FROM codings ORDER BY id"
    ).fetchall()
    assert [r["id"] for r in rows] == [first, second]
    assert tuple(rows[0])[1:8] == (3, 12, "manual", "ann", None, "[]", "zo")
    assert rows[0]["created_at"]  # now, when not given
    assert tuple(rows[1])[1:] == (0, 2, "rejected", "bob", 0.6, "[]", None, "t0")
    with pytest.raises(ValueError, match="not a codings column: colour"):
        insert_coding(project.con, doc, 0, 2, "verbinden", "manual", "ann", colour="red")
    project.close()
