"""From the store to agreement figures: coder x unit data per code, and the statistics.

The statistics themselves are in :mod:`codeer.synthesis.agreement` (pure functions); the
units and who coded what in :mod:`codeer.store.coders`. docs/agreement.md defines every
choice made here: which units count, when a value is missing, how "overall" pools codes.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from codeer.errors import CodeerError
from codeer.store.coders import CodedUnit, coded_spans, coded_units, human_coders, seen_documents
from codeer.store.codings import code_paths, expand_codes
from codeer.synthesis import agreement as stats

UNITS = ("sentence", "turn", "span")
OVERALL = "(overall)"
NONE = "(none)"
COLUMNS = ["code", "units", "percent", "cohen_kappa", "fleiss_kappa", "alpha", "u_alpha"]


class AgreementError(CodeerError):
    """Agreement cannot be computed as asked (too few coders, an unknown coder, ...)."""


@dataclass
class AgreementRow:
    """The figures for one code (or theme, or all of them pooled)."""

    code: str
    units: float
    percent: float | None
    cohen_kappa: float | None
    fleiss_kappa: float | None
    alpha: float | None
    u_alpha: float | None

    def to_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in COLUMNS}


@dataclass
class AgreementReport:
    """Everything ``codeer agreement`` shows."""

    coders: list[str]
    unit: str
    level: str
    rows: list[AgreementRow]
    overall: AgreementRow | None
    confusion: dict[tuple[str, str], int] | None = None
    outside: int = 0  # codings that overlap no unit of this kind
    documents: int = 0  # documents seen by every coder (the u-alpha continuum)

    def to_dict(self) -> dict[str, Any]:
        confusion = None
        if self.confusion is not None:
            confusion = [
                {self.coders[0]: a, self.coders[1]: b, "units": n}
                for (a, b), n in sorted(self.confusion.items())
            ]
        return {
            "coders": self.coders,
            "unit": self.unit,
            "level": self.level,
            "codes": [row.to_dict() for row in self.rows],
            "overall": self.overall.to_dict() if self.overall else None,
            "confusion": confusion,
            "codings_outside_units": self.outside,
            "documents_seen_by_all": self.documents,
        }


def choose_coders(con: sqlite3.Connection, coders: list[str] | None) -> list[str]:
    """The coders to compare: as given, else every human coder; at least two."""
    known = human_coders(con)
    if coders:
        coders = list(dict.fromkeys(c.strip() for c in coders if c.strip()))
        has_rows = {
            row[0]
            for row in con.execute(
                "SELECT coder FROM codings WHERE status IN ('accepted', 'rejected', 'manual') "
                "UNION SELECT coder FROM reads"
            )
        }
        unknown = [c for c in coders if c not in has_rows]
        if unknown:
            raise AgreementError(
                f"no decisions by coder {unknown[0]!r} in this project",
                hint=f"known coders: {', '.join(known) or 'none yet'}",
            )
    else:
        coders = known
    if len(coders) < 2:
        raise AgreementError(
            f"agreement needs at least two coders; this project has {len(coders)}"
            + (f" ({', '.join(coders)})" if coders else ""),
            hint="let a second coder review the same documents (`codeer review --coder NAME`), "
            "or import their work with `codeer import-decisions FILE.jsonl`",
        )
    return coders


def _labeller(con: sqlite3.Connection, level: str):
    if level != "top":
        return lambda key: key
    paths = code_paths(con)
    return lambda key: paths.get(key, [key])[0]


def _binary(units: list[CodedUnit], coders: list[str], label: str) -> list[list[int | None]]:
    return [
        [None if u.codes[c] is None else int(label in u.codes[c]) for c in coders] for u in units
    ]


def _row(label: str, units: list, weights: list | None, n: float, u_alpha: float | None):
    # Identical units collapse into one weighted unit: binary data over thousands of
    # sentences has only a handful of distinct value combinations.
    counts: Counter[tuple] = Counter()
    for unit, weight in zip(units, weights or [1] * len(units), strict=True):
        counts[tuple(unit)] += weight
    units, weights = list(counts), list(counts.values())
    return AgreementRow(
        label,
        n,
        stats.percent_agreement(units, weights),
        stats.cohen_kappa(units, weights),  # None unless exactly two coders
        stats.fleiss_kappa(units, weights),
        stats.krippendorff_alpha(units, weights),
        u_alpha,
    )


def agreement(
    con: sqlite3.Connection,
    coders: list[str] | None = None,
    *,
    code: str | None = None,
    level: str = "code",
    unit: str = "sentence",
) -> AgreementReport:
    """Agreement per code (or theme) and overall, between *coders* at *unit*."""
    if unit not in UNITS:
        raise AgreementError(f"unknown unit {unit!r}", hint=f"use one of {', '.join(UNITS)}")
    coders = choose_coders(con, coders)
    keys = expand_codes(con, [code]) if code else None
    label = _labeller(con, level)
    # Read once, used by u-alpha and by the span units alike.
    seen = seen_documents(con, coders)
    lengths = dict(con.execute("SELECT id, length(text) FROM documents").fetchall())
    segments = _segments(con, coders, keys, label)
    by_all = sorted(set.intersection(*seen.values()))
    continua = _continua(coders, segments, by_all, lengths)
    u_alphas = {
        name: stats.unitized_alpha(c["length"], c["coders"]) for name, c in continua.items()
    }
    if unit == "span":
        report = _span_report(coders, segments, seen, lengths, u_alphas)
    else:
        report = _unit_report(con, coders, keys, label, unit, u_alphas)
    report.level, report.documents = level, len(by_all)
    return report


def _unit_report(con, coders, keys, label, unit, u_alphas) -> AgreementReport:
    units, outside = coded_units(con, coders, unit=unit, codes=keys, label=label)
    labels = sorted({lab for u in units for codes in u.codes.values() if codes for lab in codes})
    rows, pooled = [], []
    for lab in labels:
        data = _binary(units, coders, lab)
        pooled += data
        n = stats.pairable_units(data)
        rows.append(_row(lab, data, None, n, _alpha(u_alphas.get(lab))))
    overall = None
    if rows:
        n = stats.pairable_units(_binary(units, coders, ""))
        overall = _row(OVERALL, pooled, None, n, _pooled_u_alpha(u_alphas))
    confusion = _confusion(units, coders) if len(coders) == 2 else None
    return AgreementReport(coders, unit, "code", rows, overall, confusion, outside)


def _alpha(result: stats.UnitizedAlpha | None) -> float | None:
    return result.alpha if result else None


def _pooled_u_alpha(results: dict[str, stats.UnitizedAlpha]) -> float | None:
    """1 - sum of D_o / sum of D_e over codes (Krippendorff's u-alpha across categories)."""
    observed = sum(r.observed for r in results.values() if r.alpha is not None)
    expected = sum(r.expected for r in results.values() if r.alpha is not None)
    return 1 - observed / expected if expected > 0 else None


def _confusion(units: list[CodedUnit], coders: list[str]) -> dict[tuple[str, str], int]:
    """Code of coder 1 x code of coder 2 over the units both saw and at least one coded.

    A code both gave is counted on the diagonal; a code only one gave is paired with each
    code only the other gave on that unit, or with ``(none)`` when there is none.
    """
    table: Counter[tuple[str, str]] = Counter()
    a_name, b_name = coders
    for u in units:
        a, b = u.codes[a_name], u.codes[b_name]
        if a is None or b is None or not (a or b):
            continue
        for lab in a & b:
            table[(lab, lab)] += 1
        only_a, only_b = sorted(a - b) or [NONE], sorted(b - a) or [NONE]
        if only_a == [NONE] and only_b == [NONE]:
            continue
        for x in only_a:
            for y in only_b:
                table[(x, y)] += 1
    return dict(table)


def _segments(con, coders, keys, label) -> dict[str, dict[int, dict[str, list]]]:
    """label -> document id -> coder -> (start, end) segments."""
    result: dict[str, dict[int, dict[str, list]]] = {}
    for span in coded_spans(con, coders, keys):
        per_doc = result.setdefault(label(span.code), {}).setdefault(span.document_id, {})
        per_doc.setdefault(span.coder, []).append((span.start, span.end))
    return result


def _continua(coders, segments, docs, lengths) -> dict[str, dict[str, Any]]:
    """Per label: the documents every coder saw (*docs*), end to end, with each coder's
    segments."""
    result: dict[str, dict[str, Any]] = {}
    for lab, per_doc in segments.items():
        offset, segs = 0, [[] for _ in coders]
        for doc in docs:
            for i, coder in enumerate(coders):
                segs[i] += [
                    (offset + s, offset + e) for s, e in per_doc.get(doc, {}).get(coder, [])
                ]
            offset += lengths[doc]
        result[lab] = {"length": offset, "coders": segs}
    return result


def _covers(segments: list[tuple[int, int]], position: int) -> int:
    """1 if a (sorted, merged) segment contains *position*, else 0."""
    k = bisect.bisect_right(segments, (position, float("inf"))) - 1
    return int(k >= 0 and segments[k][0] <= position < segments[k][1])


def _span_report(coders, segments, seen, lengths, u_alphas) -> AgreementReport:
    """Every character a unit: runs of characters with the same values, weighted by length."""
    docs = sorted(d for d in set().union(*seen.values()) if sum(d in s for s in seen.values()) > 1)
    rows, pooled, pooled_w = [], [], []
    for lab in sorted(segments):
        data, weights = [], []
        for doc in docs:
            per_coder = segments[lab].get(doc, {})
            merged = {c: stats.merge_segments(per_coder.get(c, [])) for c in coders}
            cuts = sorted(
                {0, lengths[doc]} | {x for segs in merged.values() for s in segs for x in s}
            )
            for start, end in pairwise(cuts):
                values = [None if doc not in seen[c] else _covers(merged[c], start) for c in coders]
                data.append(values)
                weights.append(end - start)
        pooled += data
        pooled_w += weights
        n = stats.pairable_units(data, weights)
        rows.append(_row(lab, data, weights, n, _alpha(u_alphas.get(lab))))
    overall = None
    if rows:
        n = sum(lengths[d] for d in docs)
        overall = _row(OVERALL, pooled, pooled_w, n, _pooled_u_alpha(u_alphas))
    return AgreementReport(coders, "span", "code", rows, overall, None, 0)
