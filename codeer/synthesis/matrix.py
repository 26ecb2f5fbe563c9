"""Cross-case matrices: codes x cases, code co-occurrence, and the framework matrix.

Definitions (also in docs/matrix.md):

- ``count``: coded fragments: a fragment (document, start, end) counts once per code,
  however many coders coded it (``codeer segments`` lists one row per coder).
- ``presence``: 1 when the case has at least one coding of the code, else 0.
- ``share``: % of the case's respondent units (sentence units made by ``codeer code``)
  that overlap at least one coding of the code.
- ``words``: the words of the coded fragments, ``len(fragment.split())`` summed over the
  fragments (each once per code).

``coder`` (``--coder``) keeps one coder's rows (``consensus`` included); the default is
every coder, each fragment still counted once per code.

Totals: count/words/presence add up (a presence row total is the number of cases where
the code occurs). For share the totals are pooled, never sums of percentages: the row
total is the share over all units in scope, the column total the share of the case's
units with any coding in the matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from codeer.synthesis.matrix_data import (
    ALL_LABEL,
    SPAN_KEY,
    Cases,
    CodeRows,
    MatrixError,
    check_coder,
    codings_sql,
    frame_of,
    load_cases,
    load_items,
    load_rows,
    load_spans,
    overlap_pairs,
    word_counts,
)

if TYPE_CHECKING:
    import pandas as pd

    from codeer.store.project import Project

VALUES = ("count", "presence", "share", "words")
LEVELS = ("leaf", "top")
WITHIN = ("unit", "turn", "document")
MATRIX_STATUSES = ("accepted", "suggested", "all")
DEFAULT_BY = ("gemeente",)

__all__ = [
    "ALL_LABEL",
    "Matrix",
    "MatrixError",
    "case_matrix",
    "cooccurrence_matrix",
    "review_note",
]


@dataclass
class Matrix:
    """A computed matrix plus what a reader needs to interpret it.

    ``data`` holds the cells without totals; ``kind`` is ``cases`` (codes x cases),
    ``cooccurrence`` (codes x codes) or ``framework`` (cases x codes, cells are lists of
    :class:`~codeer.synthesis.matrix_framework.Quote`).
    """

    kind: str
    name: str
    data: pd.DataFrame
    value: str
    settings: dict[str, Any]
    labels: dict[str, str] = field(default_factory=dict)
    row_totals: pd.Series | None = None
    column_totals: pd.Series | None = None
    total: float | None = None
    notes: list[str] = field(default_factory=list)
    case_values: dict[str, dict[str, str]] = field(default_factory=dict)

    def with_totals(self) -> pd.DataFrame:
        """``data`` with a ``Total`` column and a last ``Total`` row (when it has totals)."""
        frame = self.data.copy()
        if self.row_totals is None or self.column_totals is None:
            return frame
        frame["Total"] = self.row_totals
        totals = [*self.column_totals.reindex(self.data.columns), self.total]
        frame.loc["Total"] = totals
        if self.value in ("count", "presence", "words"):
            frame = frame.astype("int64")
        return frame


def review_note(project: Project, status: str, coder: str | None = None) -> str | None:
    """The stderr note when ``accepted`` is asked but nobody has reviewed anything yet."""
    if status != "accepted" or coder is not None:
        return None
    con = project.con
    if con.execute(
        "SELECT 1 FROM codings WHERE status IN ('accepted','manual') LIMIT 1"
    ).fetchone():
        return None
    if not con.execute("SELECT 1 FROM codings LIMIT 1").fetchone():
        return "There are no codings yet: run `codeer code` to get suggestions to review."
    (suggested,) = con.execute("SELECT COUNT(*) FROM codings WHERE status = 'suggested'").fetchone()
    return (
        f"Nothing has been reviewed yet (no accepted or manual codings; {suggested} "
        "suggestions wait for review), so this matrix only has zeros. Use --status all to "
        "include the suggestions, or --status suggested for the suggestions alone."
    )


def _check(value: str, allowed: tuple[str, ...], option: str) -> None:
    if value not in allowed:
        raise MatrixError(f"unknown {option} {value!r}", hint=f"use one of: {', '.join(allowed)}")


def _scope(project: Project, by, status, level, where, coded: set[str]) -> tuple[Cases, CodeRows]:
    """Cases and code rows; *coded* holds the code keys in the data already loaded."""
    _check(status, MATRIX_STATUSES, "--status")
    _check(level, LEVELS, "--level")
    cases = load_cases(project.con, tuple(by), where)
    rows = load_rows(project.con, level, coded)
    return cases, rows


def scope_notes(cases: Cases, where: dict[str, str] | None) -> list[str]:
    """Notes for the reader when the filters leave nothing to show."""
    if cases.labels or not where:
        return []
    shown = " ".join(f"--where {k}={v}" for k, v in where.items())
    return [f"No documents match {shown}; check the values with `codeer documents`."]


def matrix_name(value: str, by: tuple[str, ...], level: str = "leaf") -> str:
    """A short title that doubles as the xlsx sheet name: 'count (themes) by gemeente'."""
    name = f"{value} (themes)" if level == "top" else value
    return f"{name} by {' x '.join(by)}" if by else name


def case_matrix(
    project: Project,
    *,
    by: tuple[str, ...] | list[str] = DEFAULT_BY,
    value: str = "count",
    status: str = "accepted",
    level: str = "leaf",
    where: dict[str, str] | None = None,
    coder: str | None = None,
) -> Matrix:
    """Codes (rows) x cases (columns) with one of :data:`VALUES` in the cells, plus totals.

    *coder* keeps only that coder's codings; by default every coder's, each fragment
    counted once per code.
    """
    _check(value, VALUES, "--value")
    by = tuple(by)
    _check(status, MATRIX_STATUSES, "--status")
    con = project.con
    check_coder(con, coder)
    settings = {"by": list(by), "value": value, "status": status, "level": level}
    settings["where"] = dict(where or {})
    if coder is not None:
        settings["coder"] = coder

    if value in ("count", "presence"):
        # Aggregate in SQL: one row per (document, code), never one per coding.
        sql, params = codings_sql(
            f"c.document_id, c.code, COUNT(DISTINCT {SPAN_KEY})", status, where, coder
        )
        grouped = con.execute(sql + " GROUP BY c.document_id, c.code", params).fetchall()
        long = frame_of(grouped, {"document_id": "int64", "code": object, "n": "int64"})
    else:
        spans = load_spans(con, status, where, coder=coder)
        long = spans[["document_id", "code"]].copy()
        if value == "words":
            long["n"] = word_counts(con, spans)
    cases, rows = _scope(project, by, status, level, where, set(long["code"].unique()))
    if value == "share":
        return _share_matrix(project, spans, cases, rows, settings)

    long["row"] = rows.map_series(long["code"])
    long["case"] = long["document_id"].map(cases.doc_case)
    table = long.pivot_table(index="row", columns="case", values="n", aggfunc="sum")
    table = table.reindex(index=rows.keys, columns=cases.labels).fillna(0).astype("int64")
    if value == "presence":
        table = (table > 0).astype("int64")
    table.index.name, table.columns.name = "code", None
    return Matrix(
        kind="cases",
        name=matrix_name(value, by, level),
        data=table,
        value=value,
        settings=settings,
        labels=rows.labels,
        row_totals=table.sum(axis=1),
        column_totals=table.sum(axis=0),
        total=int(table.to_numpy().sum()),
        case_values=cases.values,
        notes=scope_notes(cases, settings["where"]),
    )


def _share_matrix(project, spans, cases: Cases, rows: CodeRows, settings) -> Matrix:
    """% of respondent units per case overlapping a coding of the row's code(s)."""
    import pandas as pd

    units = load_items(project.con, "unit", set(cases.doc_case))
    if units.empty and cases.labels:
        raise MatrixError(
            "no respondent units in the documents in scope, so there is no denominator "
            "for --value share",
            hint="run `codeer code` first (it splits respondent turns into units), "
            "or use --value count",
        )
    span_idx, unit_idx = overlap_pairs(units, spans)
    pairs = pd.DataFrame(
        {
            "unit": unit_idx,
            "row": spans["code"].to_numpy()[span_idx],
        }
    )
    pairs["row"] = rows.map_series(pairs["row"])
    pairs = pairs.drop_duplicates()  # a unit counts once per row, however many codings
    unit_case = units["document_id"].map(cases.doc_case)
    pairs["case"] = unit_case.to_numpy()[pairs["unit"].to_numpy()]
    denominators = unit_case.value_counts().reindex(cases.labels).fillna(0)

    hits = pairs.groupby(["row", "case"]).size().unstack("case")
    hits = hits.reindex(index=rows.keys, columns=cases.labels).fillna(0)
    table = (hits / denominators.where(denominators > 0) * 100).astype("float64")
    table.index.name, table.columns.name = "code", None

    # Pooled totals: units with the row's code over all units; any coding per case.
    all_units = max(len(units), 1)
    row_totals = (
        pairs.groupby("row")["unit"].nunique().reindex(rows.keys).fillna(0) / all_units * 100
    )
    any_units = pairs.drop_duplicates("unit")
    col_hits = any_units.groupby("case").size().reindex(cases.labels).fillna(0)
    column_totals = col_hits / denominators.where(denominators > 0) * 100
    return Matrix(
        kind="cases",
        name=matrix_name("share", tuple(settings["by"]), settings["level"]),
        data=table,
        value="share",
        settings=settings,
        labels=rows.labels,
        row_totals=row_totals.astype("float64"),
        column_totals=column_totals.astype("float64"),
        total=float(len(any_units) / all_units * 100),
        case_values=cases.values,
        notes=scope_notes(cases, settings["where"]),
    )


#: Above this many codes a co-occurrence matrix keeps only the codes that occur.
MAX_DENSE_CODES = 300


def cooccurrence_matrix(
    project: Project,
    *,
    within: str = "unit",
    status: str = "accepted",
    level: str = "leaf",
    where: dict[str, str] | None = None,
    coder: str | None = None,
) -> Matrix:
    """Codes x codes: how many units/turns/documents hold codings of both codes.

    A coding occurs in every unit or turn its span overlaps. The diagonal is the number
    of units/turns/documents where the code occurs at all.
    """
    import numpy as np
    import pandas as pd

    _check(within, WITHIN, "--within")
    _check(status, MATRIX_STATUSES, "--status")
    check_coder(project.con, coder)
    spans = load_spans(project.con, status, where, coder=coder)
    cases, rows = _scope(project, (), status, level, where, set(spans["code"].unique()))
    if within == "document":
        pairs = pd.DataFrame({"item": spans["document_id"], "row": spans["code"]})
    else:
        items = load_items(project.con, within, set(cases.doc_case))
        if items.empty and not spans.empty:
            raise MatrixError(
                f"no {within}s in the documents in scope",
                hint="run `codeer code` first, or use --within turn or --within document",
            )
        span_idx, item_idx = overlap_pairs(items, spans)
        pairs = pd.DataFrame({"item": item_idx, "row": spans["code"].to_numpy()[span_idx]})
    pairs["row"] = rows.map_series(pairs["row"])
    pairs = pairs.drop_duplicates()
    keys = list(rows.keys)
    if len(keys) > MAX_DENSE_CODES:
        # Codes x codes is dense: with thousands of codes only the ones that occur fit in
        # memory (the others would be rows and columns of zeros).
        present = set(pairs["row"])
        keys = [key for key in keys if key in present]
    position = {key: i for i, key in enumerate(keys)}
    counts = np.zeros((len(keys), len(keys)), dtype=np.int64)
    if not pairs.empty:
        from scipy.sparse import coo_matrix

        item_codes, item_ix = np.unique(pairs["item"].to_numpy(), return_inverse=True)
        incidence = coo_matrix(
            (
                np.ones(len(pairs), dtype=np.int64),
                (item_ix, pairs["row"].map(position).to_numpy()),
            ),
            shape=(len(item_codes), len(keys)),
        ).tocsr()
        counts = (incidence.T @ incidence).toarray().astype(np.int64)
    table = pd.DataFrame(counts, index=keys, columns=keys)
    table.index.name = "code"
    settings = {"within": within, "status": status, "level": level, "where": dict(where or {})}
    if coder is not None:
        settings["coder"] = coder
    return Matrix(
        kind="cooccurrence",
        name=f"co-occurrence{' (themes)' if level == 'top' else ''} per {within}",
        data=table,
        value="count",
        settings=settings,
        labels=rows.labels,
    )


def drop_empty(matrix: Matrix) -> Matrix:
    """A copy without code rows (and co-occurrence columns) that are all zero or empty."""
    data = matrix.data
    if matrix.kind == "framework":
        keep = [c for c in data.columns if any(len(q) for q in data[c])]
        return replace(matrix, data=data[keep])
    keep = data.index[(data.fillna(0) != 0).any(axis=1)]
    kept = data.loc[keep]
    if matrix.kind == "cooccurrence":
        kept = kept[list(keep)]
    totals = matrix.row_totals.loc[keep] if matrix.row_totals is not None else None
    return replace(matrix, data=kept, row_totals=totals)
