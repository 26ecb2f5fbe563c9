"""Inter-coder agreement statistics: pure functions on plain data, no SQL, no I/O.

Reliability data is a list of *units*; each unit holds one value per coder, in the same
coder order for every unit, and ``None`` where a coder has no value (missing data). A unit
may carry a *weight* (how many identical units it stands for: a cell count of a published
table, or the number of characters of a stretch of text), so that a table of counts and a
digitised text need not be expanded unit by unit.

Every statistic returns ``None`` when it is undefined (no pairable data, or no variation:
every value in the same category, so that chance agreement is already perfect).

- :func:`percent_agreement`: share of agreeing pairs of values within units.
- :func:`cohen_kappa`: Cohen (1960), exactly two coders, units both coded.
- :func:`fleiss_kappa`: Fleiss (1971), units coded by every coder.
- :func:`krippendorff_alpha`: Krippendorff's alpha for nominal data, with missing values.
- :func:`unitized_alpha`: Krippendorff's u-alpha for one category on a continuum.

docs/agreement.md gives the formulas and the published examples each is tested against.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

Unit = Sequence[Hashable | None]

# Below this, 1 - expected agreement counts as zero (floating-point sums of shares).
_EPSILON = 1e-12


def _weights(units: Sequence[Unit], weights: Sequence[float] | None) -> Sequence[float]:
    if weights is None:
        return [1] * len(units)
    if len(weights) != len(units):
        raise ValueError("one weight per unit")
    return weights


def _values(unit: Unit) -> list[Hashable]:
    return [value for value in unit if value is not None]


def pairable_units(units: Sequence[Unit], weights: Sequence[float] | None = None) -> float:
    """The (weighted) number of units with at least two values: those agreement can use."""
    return sum(w for unit, w in zip(units, _weights(units, weights), strict=True)
               if len(_values(unit)) >= 2)  # fmt: skip


def percent_agreement(
    units: Sequence[Unit], weights: Sequence[float] | None = None
) -> float | None:
    """The share (0-1) of agreeing pairs of values within units, averaged over units.

    For two coders: the share of units both coded on which they gave the same value.
    Units with fewer than two values are left out.
    """
    total = agreeing = 0.0
    for unit, weight in zip(units, _weights(units, weights), strict=True):
        values = _values(unit)
        m = len(values)
        if m < 2:
            continue
        same = sum(n * (n - 1) for n in Counter(values).values())
        agreeing += weight * same / (m * (m - 1))
        total += weight
    return agreeing / total if total else None


def confusion_table(
    units: Sequence[Unit], weights: Sequence[float] | None = None
) -> dict[tuple[Hashable, Hashable], float]:
    """(value of coder 1, value of coder 2) -> number of units, for units both coded."""
    table: Counter[tuple[Hashable, Hashable]] = Counter()
    for unit, weight in zip(units, _weights(units, weights), strict=True):
        if len(unit) != 2:
            raise ValueError("a confusion table needs exactly two coders")
        if unit[0] is not None and unit[1] is not None:
            table[(unit[0], unit[1])] += weight
    return dict(table)


def cohen_kappa(units: Sequence[Unit], weights: Sequence[float] | None = None) -> float | None:
    """Cohen's kappa for exactly two coders: (p_o - p_e) / (1 - p_e).

    p_o is the share of units (coded by both) with the same value, p_e the sum over values
    of the product of the two coders' own shares of that value.
    """
    if units and len(units[0]) != 2:
        return None
    table = confusion_table(units, weights)
    n = sum(table.values())
    if not n:
        return None
    first: Counter[Hashable] = Counter()
    second: Counter[Hashable] = Counter()
    for (a, b), count in table.items():
        first[a] += count
        second[b] += count
    observed = sum(count for (a, b), count in table.items() if a == b) / n
    expected = sum(first[v] * second[v] for v in first) / (n * n)
    if 1 - expected < _EPSILON:
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa_counts(rows: Sequence[Sequence[float]]) -> float | None:
    """Fleiss' kappa from a subjects x categories table of rater counts (Fleiss 1971).

    Every row must add up to the same number of raters m >= 2.
    """
    rows = [row for row in rows if sum(row)]
    if not rows:
        return None
    m = sum(rows[0])
    if m < 2 or any(abs(sum(row) - m) > _EPSILON for row in rows):
        raise ValueError("Fleiss' kappa needs the same number (>= 2) of ratings per subject")
    n = len(rows)
    p_bar = sum((sum(c * c for c in row) - m) / (m * (m - 1)) for row in rows) / n
    shares = [sum(row[j] for row in rows) / (n * m) for j in range(len(rows[0]))]
    p_e = sum(p * p for p in shares)
    if 1 - p_e < _EPSILON:
        return None
    return (p_bar - p_e) / (1 - p_e)


def fleiss_kappa(units: Sequence[Unit], weights: Sequence[float] | None = None) -> float | None:
    """Fleiss' kappa over the units every coder coded (a unit with a gap is left out)."""
    complete = [
        (unit, w)
        for unit, w in zip(units, _weights(units, weights), strict=True)
        if unit and all(v is not None for v in unit)
    ]
    if not complete or len(complete[0][0]) < 2:
        return None
    categories = sorted({v for unit, _ in complete for v in unit}, key=repr)
    index = {c: i for i, c in enumerate(categories)}
    # A weight w stands for w identical subjects: scale the formula's sums, not the rows.
    m = len(complete[0][0])
    total = sum(w for _, w in complete)
    p_bar = 0.0
    sums = [0.0] * len(categories)
    for unit, w in complete:
        counts = Counter(index[v] for v in unit)
        p_bar += w * (sum(c * c for c in counts.values()) - m) / (m * (m - 1))
        for j, c in counts.items():
            sums[j] += w * c
    p_bar /= total
    p_e = sum((s / (total * m)) ** 2 for s in sums)
    if 1 - p_e < _EPSILON:
        return None
    return (p_bar - p_e) / (1 - p_e)


def krippendorff_alpha(
    units: Sequence[Unit], weights: Sequence[float] | None = None
) -> float | None:
    """Krippendorff's alpha for nominal data: 1 - (n - 1) * D / (n^2 - sum_c n_c^2).

    Built from the coincidence matrix: every unit with m_u >= 2 values contributes its
    ordered pairs of values from different coders, each counted 1 / (m_u - 1); n_c is how
    often value c is pairable, n the number of pairable values and D the coincidences of
    different values. Units with one value are left out (Krippendorff 2011).
    """
    n_c: Counter[Hashable] = Counter()
    disagreeing = 0.0
    for unit, weight in zip(units, _weights(units, weights), strict=True):
        values = _values(unit)
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        disagreeing += weight * (m * m - sum(c * c for c in counts.values())) / (m - 1)
        for value, count in counts.items():
            n_c[value] += weight * count
    n = sum(n_c.values())
    expected = n * n - sum(c * c for c in n_c.values())
    if n < 2 or expected < _EPSILON:
        return None
    return 1 - (n - 1) * disagreeing / expected


# -- unitizing -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitizedAlpha:
    """Krippendorff's u-alpha for one category: observed and expected disagreement."""

    observed: float
    expected: float
    alpha: float | None


def merge_segments(segments: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted segments with overlapping ones joined (touching ones stay apart)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in segments if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _sections(length: int, segments: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """The continuum [0, length) cut into (start, end, is_segment) sections."""
    sections: list[tuple[int, int, bool]] = []
    pos = 0
    for start, end in segments:
        if start > pos:
            sections.append((pos, start, False))
        sections.append((start, end, True))
        pos = end
    if pos < length:
        sections.append((pos, length, False))
    return sections


def _distance(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """Krippendorff's squared distance between two overlapping sections of two coders."""
    (bg, eg, seg_g), (bh, eh, seg_h) = g, h
    if seg_g and seg_h:
        return (bg - bh) ** 2 + (eg - eh) ** 2
    if seg_g and not seg_h and bh <= bg and eg <= eh:
        return (eg - bg) ** 2  # a segment the other coder left wholly uncoded
    if seg_h and not seg_g and bg <= bh and eh <= eg:
        return (eh - bh) ** 2
    return 0


def _observed(sections: list[list[tuple[int, int, bool]]]) -> int:
    """Sum over coder pairs i < j of the distances of their overlapping sections."""
    total = 0
    for i in range(len(sections)):
        for j in range(i + 1, len(sections)):
            a, b, x, y = sections[i], sections[j], 0, 0
            while x < len(a) and y < len(b):  # sweep: each overlapping pair once
                total += _distance(a[x], b[y])
                end_a, end_b = a[x][1], b[y][1]
                if end_a <= end_b:
                    x += 1
                if end_b <= end_a:
                    y += 1
    return total


def unitized_alpha(length: int, coders: Sequence[Sequence[tuple[int, int]]]) -> UnitizedAlpha:
    """Krippendorff's u-alpha for one category on a continuum [0, *length*).

    *coders* holds, per coder, the (start, end) segments that coder gave the category;
    overlapping segments of one coder are joined first. Following Krippendorff (2004,
    sec. 12.4): D_o = sum over ordered coder pairs and their overlapping sections of the
    squared distance, / (m (m - 1) L^2); D_e from all coders' segments and gaps; u-alpha =
    1 - D_o / D_e, None when D_e is 0 (no segments, or nothing but segments).
    """
    m = len(coders)
    if m < 2 or length <= 0:
        return UnitizedAlpha(0.0, 0.0, None)
    merged = [merge_segments(segments) for segments in coders]
    if any(end > length or start < 0 for segs in merged for start, end in segs):
        raise ValueError("a segment lies outside the continuum")
    sections = [_sections(length, segs) for segs in merged]
    observed = 2 * _observed(sections) / (m * (m - 1) * length * length)

    lengths = [end - start for segs in merged for start, end in segs]
    gaps = sorted(e - s for secs in sections for s, e, is_seg in secs if not is_seg)
    # suffix sums over gaps sorted by length: sum of (gap - l + 1) for gaps >= l
    suffix_len = [0] * (len(gaps) + 1)
    for k in range(len(gaps) - 1, -1, -1):
        suffix_len[k] = suffix_len[k + 1] + gaps[k]
    n_c = len(lengths)
    numerator = 0
    for seg in lengths:
        k = bisect.bisect_left(gaps, seg)
        fits = suffix_len[k] + (1 - seg) * (len(gaps) - k)
        numerator += (n_c - 1) * (2 * seg**3 - 3 * seg**2 + seg) * 2 + 6 * seg * seg * fits
    # numerator counts thirds (the (N-1)(2l^3-3l^2+l)/3 term), hence the 3 below.
    denominator = m * length * (m * length - 1) - sum(seg * (seg - 1) for seg in lengths)
    if not lengths or denominator <= 0:
        return UnitizedAlpha(observed, 0.0, None)
    expected = 2 * numerator / (6 * length * denominator)
    if expected < _EPSILON:
        return UnitizedAlpha(observed, expected, None)
    return UnitizedAlpha(observed, expected, 1 - observed / expected)
