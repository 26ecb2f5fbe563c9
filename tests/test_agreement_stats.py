"""The agreement statistics against published worked examples, edge cases, and a reference.

Each published example is typed in from the source named in its test (docs/agreement.md
lists them with the expected values). Values are compared to three decimals, as printed.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codeer.synthesis.agreement import (
    cohen_kappa,
    confusion_table,
    fleiss_kappa,
    fleiss_kappa_counts,
    krippendorff_alpha,
    merge_segments,
    percent_agreement,
    unitized_alpha,
)

N = None


def close(value: float | None, expected: float) -> bool:
    return value is not None and round(value, 3) == expected


# -- Cohen (1960) ----------------------------------------------------------------------

# Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
# Psychological Measurement 20(1), 37-46: the 200 units of Table 1 (p. 45, counts of
# judge A's category x judge B's category); p_o = .70, p_c = .41, kappa = .492.
COHEN_1960 = {
    (1, 1): 88, (1, 2): 14, (1, 3): 18,
    (2, 1): 10, (2, 2): 40, (2, 3): 10,
    (3, 1): 2, (3, 2): 6, (3, 3): 12,
}  # fmt: skip


def test_cohen_1960_table():
    units, weights = list(COHEN_1960), list(COHEN_1960.values())
    assert close(cohen_kappa(units, weights), 0.492)
    assert close(percent_agreement(units, weights), 0.700)
    assert confusion_table(units, weights)[(1, 3)] == 18


def test_cohen_weights_equal_expanded_units():
    expanded = [pair for pair, n in COHEN_1960.items() for _ in range(n)]
    assert math.isclose(
        cohen_kappa(expanded), cohen_kappa(list(COHEN_1960), [*COHEN_1960.values()])
    )


# -- Fleiss (1971) ---------------------------------------------------------------------

# Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
# Bulletin 76(5), 378-382, Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses;
# kappa = .430.
FLEISS_1971 = [
    (4, 4, 4, 4, 4, 4), (2, 2, 2, 5, 5, 5), (2, 3, 3, 3, 3, 5), (5, 5, 5, 5, 5, 5),
    (2, 2, 2, 4, 4, 4), (1, 1, 3, 3, 3, 3), (3, 3, 3, 3, 5, 5), (1, 1, 3, 3, 3, 4),
    (1, 1, 4, 4, 4, 4), (5, 5, 5, 5, 5, 5), (1, 4, 4, 4, 4, 4), (1, 2, 4, 4, 4, 4),
    (2, 2, 2, 3, 3, 3), (1, 4, 4, 4, 4, 4), (2, 2, 4, 4, 4, 5), (3, 3, 3, 3, 3, 5),
    (1, 1, 1, 4, 5, 5), (1, 1, 1, 1, 1, 2), (2, 2, 4, 4, 4, 4), (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5), (2, 4, 4, 4, 4, 4), (2, 2, 4, 5, 5, 5), (1, 1, 4, 4, 4, 4),
    (1, 4, 4, 4, 4, 5), (2, 2, 2, 2, 2, 4), (1, 1, 1, 1, 5, 5), (2, 2, 4, 4, 4, 4),
    (1, 3, 3, 3, 3, 3), (5, 5, 5, 5, 5, 5),
]  # fmt: skip

# The widely reproduced example of 10 subjects, 14 raters and 5 categories (e.g. the
# Wikipedia article "Fleiss' kappa", worked example): counts per category; kappa = 0.210.
FLEISS_14_RATERS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip


def test_fleiss_1971_table():
    assert close(fleiss_kappa(FLEISS_1971), 0.430)


def test_fleiss_14_raters_example():
    assert close(fleiss_kappa_counts(FLEISS_14_RATERS), 0.210)
    # the same subjects as rater values instead of counts
    units = [[c for c, n in enumerate(row) for _ in range(n)] for row in FLEISS_14_RATERS]
    assert close(fleiss_kappa(units), 0.210)


def test_fleiss_leaves_out_units_with_a_missing_rater():
    assert fleiss_kappa([*FLEISS_1971, (1, 2, N, 4, 5, 5)]) == fleiss_kappa(FLEISS_1971)


def test_fleiss_counts_refuse_uneven_rows():
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa_counts([[1, 1], [2, 1]])


# -- Krippendorff (2011) ---------------------------------------------------------------

# Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School
# for Communication, University of Pennsylvania. Section A: two observers, binary data,
# ten units; alpha = 0.095.
K2011_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
K2011_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
# Section C: four observers, nominal data, twelve units with missing values; alpha = 0.743.
K2011_NOMINAL = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def test_krippendorff_2011_binary():
    assert close(krippendorff_alpha(list(zip(K2011_A, K2011_B, strict=True))), 0.095)


def test_krippendorff_2011_nominal_with_missing_values():
    units = list(zip(*K2011_NOMINAL, strict=True))
    assert close(krippendorff_alpha(units), 0.743)


# -- Krippendorff's u-alpha --------------------------------------------------------------

# Krippendorff, K. (2004). Content analysis: an introduction to its methodology (2nd ed.),
# the worked example of section 12.4 (continuum 150-450, two observers, categories c and
# k), as reproduced in DKPro Statistics' test suite (Krippendorff2004Test): for c
# D_o = .0144, D_e = .0532, u-alpha = .7286; for k u-alpha = 1; over both .859.
K2004 = {
    "c": [[(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)]],
    "k": [[(180, 240), (300, 350)], [(180, 240), (300, 350)]],
}


def _shift(coders):
    return [[(s - 150, e - 150) for s, e in segs] for segs in coders]


def test_unitized_alpha_krippendorff_2004():
    c = unitized_alpha(300, _shift(K2004["c"]))
    k = unitized_alpha(300, _shift(K2004["k"]))
    assert round(c.observed, 4) == 0.0144
    assert round(c.expected, 4) == 0.0532
    assert round(c.alpha, 4) == 0.7286
    assert (round(k.observed, 4), round(k.expected, 4), k.alpha) == (0.0, 0.049, 1.0)
    overall = 1 - (c.observed + k.observed) / (c.expected + k.expected)
    assert round(overall, 3) == 0.859


# Krippendorff, K. (1995). On the reliability of unitizing continuous data. Sociological
# Methodology 25, 47-76: the four pairs A-D on a continuum of 24 (p. 57). Only the
# observed disagreements are checked: the paper's expected disagreements contain a
# computing error (noted by DKPro Statistics, whose test gives these D_o values).
K1995 = {
    "A": ([(2, 10), (14, 20)], [(4, 8), (15, 17)], 0.03125),
    "B": ([(0, 18)], [(0, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 9), (9, 10)], 2.26736),
    "C": ([(2, 8), (10, 12), (14, 18), (20, 22)], [(0, 2), (4, 8), (10, 14), (16, 18), (20, 22)],
          0.02777),
    "D": ([(0, 2), (2, 10), (10, 14), (14, 20), (20, 24)],
          [(0, 4), (4, 8), (8, 15), (15, 17), (17, 24)], 0.38715),
}  # fmt: skip


@pytest.mark.parametrize("pair", sorted(K1995))
def test_unitized_observed_disagreement_krippendorff_1995(pair):
    first, second, observed = K1995[pair]
    assert math.floor(unitized_alpha(24, [first, second]).observed * 1e5) / 1e5 == observed


def test_unitized_alpha_edge_cases():
    assert unitized_alpha(10, [[(2, 5)], [(2, 5)]]).alpha == 1.0
    assert unitized_alpha(10, [[], []]).alpha is None  # nothing coded: undefined
    # both coded the whole continuum as one segment: Krippendorff's D_e is still > 0
    assert unitized_alpha(10, [[(0, 10)], [(0, 10)]]).alpha == 1.0
    assert unitized_alpha(10, [[(2, 5)]]).alpha is None  # one coder
    # overlapping segments of one coder are joined first
    assert unitized_alpha(10, [[(2, 4), (3, 5)], [(2, 5)]]).alpha == 1.0
    with pytest.raises(ValueError):
        unitized_alpha(10, [[(2, 12)], [(2, 5)]])


def test_merge_segments_keeps_touching_segments_apart():
    assert merge_segments([(5, 8), (0, 3), (2, 4), (4, 5)]) == [(0, 4), (4, 5), (5, 8)]


# -- edge cases ------------------------------------------------------------------------


def test_perfect_agreement():
    units = [(1, 1), (0, 0), (1, 1), (0, 0)]
    assert percent_agreement(units) == 1.0
    assert cohen_kappa(units) == 1.0
    assert fleiss_kappa(units) == 1.0
    assert krippendorff_alpha(units) == 1.0


def test_a_single_category_is_undefined_not_an_error():
    units = [(1, 1), (1, 1), (1, 1)]
    assert percent_agreement(units) == 1.0
    assert cohen_kappa(units) is None
    assert fleiss_kappa(units) is None
    assert krippendorff_alpha(units) is None


def test_missing_data():
    units = [(1, N), (N, 0), (1, 1), (0, 0), (1, 0)]
    assert percent_agreement(units) == pytest.approx(2 / 3)
    assert cohen_kappa(units) == cohen_kappa([(1, 1), (0, 0), (1, 0)])
    assert krippendorff_alpha([(1, N), (N, N)]) is None  # nothing pairable
    assert percent_agreement([]) is None
    assert cohen_kappa([]) is None


def test_cohen_needs_exactly_two_coders():
    assert cohen_kappa([(1, 1, 0), (0, 0, 0)]) is None


# -- against the krippendorff package (test extra) -------------------------------------

values = st.one_of(st.none(), st.integers(min_value=0, max_value=3))


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=2, max_value=4).flatmap(
    lambda m: st.lists(st.lists(values, min_size=m, max_size=m), min_size=2, max_size=25)
))  # fmt: skip
def test_alpha_equals_the_krippendorff_package(units):
    import numpy as np

    krippendorff = pytest.importorskip("krippendorff")
    ours = krippendorff_alpha(units)
    data = np.array([[np.nan if v is None else v for v in unit] for unit in units], dtype=float).T
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    distinct = {v for u in pairable for v in u if v is not None}
    if len(distinct) < 2:
        assert ours is None
        return
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert ours == pytest.approx(theirs, abs=1e-9)
