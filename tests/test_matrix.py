"""Matrix values on the small project of test_matrix_data, counted by hand.

The comments give the hand count: A1 is the first respondent sentence of a.txt, etc.
Accepted codings: A1 vertrouwen; A2-A3 lijntjes (manual, spans two units); B1 privacy
twice (ann and bob); B2 vertrouwen; C3 privacy and vertrouwen. Undecided suggestions:
A2 privacy, C1 verbinden, C1 lijntjes. A3 verbinden was rejected.
"""

from __future__ import annotations

import pytest

from codeer.synthesis.matrix import case_matrix, cooccurrence_matrix, drop_empty
from codeer.synthesis.matrix_data import MatrixError
from codeer.synthesis.matrix_framework import framework_matrix
from tests.test_matrix_data import build_small

LEAF = ["vertrouwen", "privacy", "verbinden", "lijntjes", "werkdruk"]
TOP = ["vertrouwen", "verbinden", "werkdruk"]
GEMEENTEN = ["Aadorp", "Beekdorp", "Cedam"]


@pytest.fixture
def small(tmp_path):
    project = build_small(tmp_path / "small")
    yield project
    project.close()


def cells(matrix) -> dict[str, list]:
    return {key: list(row) for key, row in matrix.data.iterrows()}


def test_count_accepted_leaf(small):
    m = case_matrix(small)
    assert list(m.data.index) == LEAF  # codebook order, zero rows kept
    assert list(m.data.columns) == GEMEENTEN  # Cedam has a document but no codings
    assert cells(m) == {
        "vertrouwen": [2, 1, 0],  # A1 + B2 | C3
        "privacy": [1, 1, 0],  # B1 by ann and by bob counts once (issue 13) | C3
        "verbinden": [0, 0, 0],  # A3 was rejected
        "lijntjes": [1, 0, 0],
        "werkdruk": [0, 0, 0],
    }
    assert m.row_totals.tolist() == [3, 2, 0, 1, 0]
    assert m.column_totals.tolist() == [4, 2, 0]
    assert m.total == 6
    frame = m.with_totals()
    assert frame.loc["Total", "Total"] == 6 and frame.loc["privacy", "Total"] == 2


def test_count_top_all_and_suggested(small):
    top = case_matrix(small, level="top")
    assert list(top.data.index) == TOP
    assert cells(top) == {"vertrouwen": [3, 2, 0], "verbinden": [1, 0, 0], "werkdruk": [0, 0, 0]}
    every = case_matrix(small, status="all")
    # + A2 privacy, C1 verbinden, C1 lijntjes (the accepted suggestions do not count twice)
    assert cells(every)["privacy"] == [2, 1, 0]
    assert cells(every)["verbinden"] == [0, 1, 0]
    assert cells(every)["lijntjes"] == [1, 1, 0]
    assert every.total == 9
    suggested = case_matrix(small, status="suggested", level="top")
    assert cells(suggested) == {
        "vertrouwen": [1, 0, 0],
        "verbinden": [0, 2, 0],
        "werkdruk": [0, 0, 0],
    }


def test_presence_totals_count_cases(small):
    m = case_matrix(small, value="presence")
    assert cells(m)["vertrouwen"] == [1, 1, 0]
    assert cells(m)["lijntjes"] == [1, 0, 0]
    assert m.row_totals.tolist() == [2, 2, 0, 1, 0]  # number of cases where present
    assert m.column_totals.tolist() == [3, 2, 0]  # number of codes present in the case
    assert m.total == 5


def test_share_of_respondent_units_with_pooled_totals(small):
    # Units: Aadorp 5 (a: 3, b: 2), Beekdorp 4, Cedam 1; 10 in all.
    m = case_matrix(small, value="share")
    got = cells(m)
    assert got["vertrouwen"] == pytest.approx([40.0, 25.0, 0.0])  # A1,B2 of 5 | C3 of 4
    assert got["privacy"] == pytest.approx([20.0, 25.0, 0.0])  # B1 once, though coded twice
    assert got["lijntjes"] == pytest.approx([40.0, 0.0, 0.0])  # A2 and A3
    assert m.row_totals.tolist() == pytest.approx([30.0, 20.0, 0.0, 20.0, 0.0])
    assert m.column_totals.tolist() == pytest.approx([100.0, 25.0, 0.0])
    assert m.total == pytest.approx(60.0)
    top = case_matrix(small, value="share", level="top")
    assert cells(top)["vertrouwen"] == pytest.approx([60.0, 25.0, 0.0])  # C3 counted once


def test_words(small):
    m = case_matrix(small, value="words")
    assert cells(m)["vertrouwen"] == [12, 6, 0]  # 6 (A1) + 6 (B2) | 6 (C3)
    assert cells(m)["privacy"] == [5, 6, 0]  # 5 (B1 by two coders counts once) | 6
    assert cells(m)["lijntjes"] == [10, 0, 0]  # A2 + A3 = 6 + 4


def test_crossed_attributes_and_where(small):
    m = case_matrix(small, by=("ses", "positionering"), level="top")
    assert list(m.data.columns) == [
        "laag / binnen",
        "laag / buiten",
        "hoog / buiten",
        "hoog / (none)",
    ]
    assert cells(m)["vertrouwen"] == [1, 2, 0, 2]  # B1 by ann and bob counts once
    assert cells(m)["verbinden"] == [1, 0, 0, 0]
    only_low = case_matrix(small, where={"ses": "laag"})
    assert list(only_low.data.columns) == ["Aadorp"]
    assert only_low.total == 4  # B1 by ann and bob counts once


def test_cooccurrence_within_unit_turn_document(small):
    unit = cooccurrence_matrix(small)
    assert unit.data.loc["vertrouwen", "vertrouwen"] == 3  # A1, B2, C3
    assert unit.data.loc["vertrouwen", "privacy"] == 1  # C3
    assert unit.data.loc["lijntjes", "lijntjes"] == 2  # A2, A3
    assert unit.data.loc["privacy", "lijntjes"] == 0
    turn = cooccurrence_matrix(small, within="turn")
    assert turn.data.loc["vertrouwen", "privacy"] == 2  # b and c respondent turns
    assert turn.data.loc["vertrouwen", "lijntjes"] == 1
    doc = cooccurrence_matrix(small, within="document", level="top")
    assert doc.data.loc["vertrouwen", "verbinden"] == 1
    top_all = cooccurrence_matrix(small, status="all", level="top")
    assert top_all.data.loc["vertrouwen", "vertrouwen"] == 5  # A1, A2, B1, B2, C3
    assert top_all.data.loc["verbinden", "verbinden"] == 3  # A2, A3, C1 (two codes, once)
    assert top_all.data.loc["vertrouwen", "verbinden"] == 1  # A2
    assert (top_all.data.to_numpy() == top_all.data.to_numpy().T).all()


def test_framework_picks_representative_quotes(small):
    m = framework_matrix(small, status="all", quotes=2)
    assert list(m.data.index) == GEMEENTEN
    privacy = m.data.loc["Aadorp", "privacy"]
    # A2 (score 0.7) before B1 (accepted, no score); B1 by two coders is quoted once.
    assert [q.text for q in privacy] == [
        "Over privacy maken we ons zorgen.",
        "De AVG maakt het lastig.",
    ]
    assert privacy[0].document == "a.txt" and privacy[0].turn_index == 1
    one = framework_matrix(small, quotes=1)
    # Both unscored: the longer fragment (A1) wins over B2.
    assert [q.text for q in one.data.loc["Aadorp", "vertrouwen"]] == [
        "Wij kennen de intern begeleider goed."
    ]
    assert one.data.loc["Cedam", "vertrouwen"] == []
    assert list(drop_empty(one).data.columns) == ["vertrouwen", "privacy", "lijntjes"]


def test_errors_name_the_fix(small, tmp_path):
    with pytest.raises(MatrixError, match="no document has the attribute 'wijk'"):
        case_matrix(small, by=("wijk",))
    with pytest.raises(MatrixError, match="--value"):
        case_matrix(small, value="median")
    bare = build_small(tmp_path / "bare")
    bare.con.execute("DELETE FROM units")
    with pytest.raises(MatrixError, match="codeer code"):
        case_matrix(bare, value="share")
