"""Lean data access for the synthesis matrices: cases, code rows, spans and units.

Everything here reads the store with narrow queries built on
:func:`codeer.store.codings.status_clause` and the same attribute filter as
:func:`codeer.store.codings.select_codings`, so a matrix counts exactly the rows that
``codeer segments`` lists for the same ``--status`` and ``--where``. Nothing builds one
Python object per coding: results go straight into numpy/pandas, which keeps a matrix
over a million codings within a few seconds.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from codeer.errors import CodeerError
from codeer.store.codings import code_paths, status_clause

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

NONE_LABEL = "(none)"


def attribute_hint(known: set[str]) -> str:
    """How to fix a --by that names no attribute: the ones there are, or how to add some."""
    if not known:
        return (
            "the documents have no attributes yet: import them with --meta FILE (or YAML front"
            " matter), or use --by document"
        )
    return f"use --by with one of: {', '.join(sorted(known))} (or --by document)"


CASE_SEP = " / "
DOCUMENT_KEY = "document"  # pseudo attribute: every document is its own case
ALL_LABEL = "(all)"  # the single case when there is no --by at all

# Ordinal values researchers expect in this order rather than alphabetically.
_ORDINALS = [
    ("laag", "midden", "hoog"),
    ("klein", "middel", "groot"),
    ("low", "middle", "high"),
]


class MatrixError(CodeerError):
    """A matrix cannot be made as asked (unknown attribute, no units, bad option)."""


def where_sql(where: dict[str, str] | None) -> tuple[str, list[Any]]:
    """The ``--where`` filter on alias ``d`` (documents), exactly as select_codings has it."""
    sql, params = "", []
    for key, value in (where or {}).items():
        # Same rows as select_codings' EXISTS, but SQLite evaluates IN (...) once instead
        # of once per coding, which matters with a million codings.
        sql += (
            " AND d.id IN (SELECT a.document_id FROM attributes a WHERE a.key = ? AND a.value = ?)"
        )
        params += [key, value]
    return sql, params


def codings_sql(
    select: str, status: str, where: dict[str, str] | None, coder: str | None = None
) -> tuple[str, list]:
    """``SELECT <select>`` over the codings that count for *status* and *where*.

    These are coding rows: two coders accepting the same span give two rows. Counting
    callers count a fragment once per code (:data:`SPAN_KEY`, :func:`load_spans`), whatever
    the number of coders. *coder* keeps only that coder's rows (``consensus`` included).
    """
    filt, params = where_sql(where)
    if coder is not None:
        filt += " AND c.coder = ?"
        params.append(coder)
    # NOT INDEXED: one sequential scan beats a million index probes on codings(code,
    # status) followed by row lookups (0.3 s instead of 1.9 s at 1M codings).
    sql = (
        f"SELECT {select} FROM codings c NOT INDEXED JOIN documents d ON d.id = c.document_id "
        f"WHERE {status_clause(status)}{filt}"
    )
    return sql, params


#: One number per span for COUNT(DISTINCT ...): a fragment counts once per code and
#: document, however many coders (or a coder and a suggestion) coded it.
SPAN_KEY = "c.start * 4294967296 + c.end"


def _natural_key(value: str) -> tuple:
    # "wijk 2" before "wijk 10"; "(none)" always last.
    parts = re.split(r"(\d+)", value.casefold())
    return (value == NONE_LABEL, [(0, int(p)) if p.isdigit() else (1, p) for p in parts])


def _value_order(values: set[str]) -> list[str]:
    """Attribute values in the order a reader expects (ordinal scales, else natural)."""
    real = {v for v in values if v != NONE_LABEL}
    for scale in _ORDINALS:
        if real and {v.casefold() for v in real} <= set(scale):
            ordered = sorted(real, key=lambda v: scale.index(v.casefold()))
            return ordered + ([NONE_LABEL] if NONE_LABEL in values else [])
    return sorted(values, key=_natural_key)


@dataclass
class Cases:
    """The documents in scope and the case (column) each belongs to."""

    by: tuple[str, ...]
    doc_case: dict[int, str]  # document id -> case label
    doc_name: dict[int, str]
    labels: list[str]  # case labels in display order
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # label -> {attr: value}


def load_cases(con: sqlite3.Connection, by: tuple[str, ...], where: dict | None) -> Cases:
    """Documents matching *where*, each assigned to the case of its *by* attribute values.

    A document without an attribute goes into ``(none)`` for it; ``document`` is the
    document name (unless a real attribute has that name).
    """
    known = {row[0] for row in con.execute("SELECT DISTINCT key FROM attributes")}
    if by and not con.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
        raise MatrixError(
            "the project has no documents yet", hint="import transcripts with `codeer import`"
        )
    for attr in by:
        if attr not in known and attr != DOCUMENT_KEY:
            raise MatrixError(f"no document has the attribute {attr!r}", hint=attribute_hint(known))
    filt, params = where_sql(where)
    docs = con.execute(f"SELECT d.id, d.name FROM documents d WHERE 1{filt}", params).fetchall()
    attrs: dict[int, dict[str, str]] = {}
    for doc_id, key, value in con.execute("SELECT document_id, key, value FROM attributes"):
        attrs.setdefault(doc_id, {})[key] = value

    doc_values: dict[int, tuple[str, ...]] = {}
    for doc_id, name in docs:
        mine = attrs.get(doc_id, {})
        doc_values[doc_id] = tuple(
            mine.get(a, name if a == DOCUMENT_KEY and a not in known else NONE_LABEL) for a in by
        )
    # Order columns attribute by attribute so crossed cases group under the first one.
    orders = [_value_order({v[i] for v in doc_values.values()}) for i in range(len(by))]
    combos = sorted(
        set(doc_values.values()), key=lambda t: [orders[i].index(v) for i, v in enumerate(t)]
    )
    label = {t: CASE_SEP.join(t) if by else ALL_LABEL for t in combos}
    return Cases(
        by=by,
        doc_case={d: label[v] for d, v in doc_values.items()},
        doc_name=dict(docs),
        labels=[label[t] for t in combos],
        values={label[t]: dict(zip(by, t, strict=True)) for t in combos},
    )


@dataclass
class CodeRows:
    """The matrix rows: code keys (or themes) in codebook order, with a key -> row map."""

    keys: list[str]
    labels: dict[str, str]
    definitions: dict[str, str]
    row_of: dict[str, str]  # coded key -> row key (itself, or its theme for --level top)
    paths: dict[str, list[str]]

    def map(self, code: str) -> str:
        return self.row_of.get(code) or self.paths.get(code, [code])[0]

    def map_series(self, codes: pd.Series) -> pd.Series:
        """Row keys for a column of code keys (mapping each distinct key once)."""
        return codes.map({code: self.map(code) for code in codes.unique()})


def load_rows(con: sqlite3.Connection, level: str, coded: set[str]) -> CodeRows:
    """All codes of the newest codebook in codebook order, then coded keys it lacks.

    Zero rows are kept on purpose: that no case mentions a theme is itself a finding,
    and scripts get the same shape whatever the filters.
    """
    paths = code_paths(con)
    book = con.execute("SELECT MAX(id) FROM codebooks").fetchone()[0]
    rows = con.execute(
        "SELECT key, label, path, definition FROM codes WHERE codebook_id = ? ORDER BY rowid",
        (book,),
    ).fetchall()
    labels = {r[0]: r[1] for r in rows}
    definitions = {r[0]: r[3] for r in rows}
    order = [r[0] for r in rows]
    order += sorted(coded - set(order))
    if level == "leaf":
        row_of = {k: k for k in set(order) | coded}
        keys = order
    else:
        row_of = {k: paths.get(k, [k])[0] for k in set(order) | coded}
        keys = list(dict.fromkeys(row_of[k] for k in order))
    return CodeRows(keys, labels, definitions, row_of, paths)


def check_coder(con: sqlite3.Connection, coder: str | None) -> None:
    """Raise MatrixError when *coder* (``--coder``) has no coding at all in the project.

    A typo would otherwise give a matrix of zeros that looks like a finding.
    """
    if (
        coder is None
        or con.execute("SELECT 1 FROM codings WHERE coder = ? LIMIT 1", (coder,)).fetchone()
    ):
        return
    known = [r[0] for r in con.execute("SELECT DISTINCT coder FROM codings ORDER BY coder")]
    raise MatrixError(
        f"no codings by coder {coder!r}",
        hint=f"use --coder with one of: {', '.join(known)}" if known else "code first",
    )


def frame_of(rows: list[tuple], columns: dict[str, Any]) -> pd.DataFrame:
    """A DataFrame from query rows, column by column.

    ``itemgetter`` + ``np.fromiter`` per column is several times faster than
    ``DataFrame.from_records`` or ``zip(*rows)`` on a million tuples.
    """
    from operator import itemgetter

    import numpy as np
    import pandas as pd

    data = {}
    for i, (name, dtype) in enumerate(columns.items()):
        values = map(itemgetter(i), rows)
        if dtype == "int64":
            data[name] = np.fromiter(values, dtype=np.int64, count=len(rows))
        else:  # object (strings) or float with None -> nan
            data[name] = np.array(list(values), dtype=dtype)
    return pd.DataFrame(data)


def load_spans(
    con: sqlite3.Connection,
    status: str,
    where: dict | None,
    ranked: bool = False,
    coder: str | None = None,
) -> pd.DataFrame:
    """One lean row per counting fragment and code: document_id, code, start, end.

    *ranked* adds ``id`` and ``score`` (for choosing quotes); left out otherwise because
    every column costs time at a million rows.
    """
    columns: dict[str, Any] = {"document_id": "int64", "code": object}
    columns |= {"start": "int64", "end": "int64"}
    if ranked:
        columns |= {"id": "int64", "score": "float64"}
    sql, params = codings_sql(", ".join(f"c.{name}" for name in columns), status, where, coder)
    frame = frame_of(con.execute(sql, params).fetchall(), columns)
    # A fragment counts once per code, however many coders coded it (issue 13); for
    # quotes the best-scored row of the span stays.
    if ranked:
        frame = frame.sort_values(["score", "id"], ascending=[False, True], na_position="last")
    frame = frame.drop_duplicates(["document_id", "code", "start", "end"])
    return frame.sort_index() if ranked else frame.reset_index(drop=True)


def load_items(con: sqlite3.Connection, within: str, doc_ids: set[int]) -> pd.DataFrame:
    """Respondent units (``unit``) or turns (``turn``) of the given documents."""

    if within == "unit":
        sql = (
            "SELECT u.id, u.document_id, u.start, u.end FROM units u "
            "JOIN turns t ON t.id = u.turn_id WHERE t.role = 'respondent'"
        )
    else:
        sql = "SELECT id, document_id, start, end FROM turns"
    frame = frame_of(
        con.execute(sql).fetchall(), dict.fromkeys(("id", "document_id", "start", "end"), "int64")
    )
    return frame[frame["document_id"].isin(list(doc_ids))].reset_index(drop=True)


def overlap_pairs(items: pd.DataFrame, spans: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(span index, item index) for every span that overlaps an item, vectorised.

    Overlap means ``span.start < item.end and item.start < span.end``; a zero-length span
    counts for the item containing its position. Items may overlap each other.
    """
    import numpy as np

    if items.empty or spans.empty:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    docs = np.union1d(items["document_id"].to_numpy(), spans["document_id"].to_numpy())
    big = np.int64(2**40)  # > any text length; keeps documents apart in one key space
    items = items.assign(_d=np.searchsorted(docs, items["document_id"].to_numpy()))
    items = items.sort_values(["_d", "start", "end"], kind="stable")
    item_pos = items.index.to_numpy()
    ik_start = items["_d"].to_numpy() * big + items["start"].to_numpy()
    ik_end = items["_d"].to_numpy() * big + items["end"].to_numpy()
    reach = np.maximum.accumulate(ik_end)  # furthest end so far: robust to nested items

    sd = np.searchsorted(docs, spans["document_id"].to_numpy()) * big
    s_start = sd + spans["start"].to_numpy()
    s_end = sd + np.maximum(spans["end"].to_numpy(), spans["start"].to_numpy() + 1)
    first = np.searchsorted(reach, s_start, side="right")
    last = np.searchsorted(ik_start, s_end, side="left")
    lengths = np.clip(last - first, 0, None)
    span_idx = np.repeat(np.arange(len(spans)), lengths)
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    sorted_idx = np.repeat(first, lengths) + (np.arange(lengths.sum()) - offsets)
    keep = ik_end[sorted_idx] > s_start[span_idx]
    return span_idx[keep], item_pos[sorted_idx[keep]]


def word_counts(con: sqlite3.Connection, spans: pd.DataFrame) -> np.ndarray:
    """Words per span: ``len(text[start:end].split())``, computed without slicing strings."""
    import numpy as np

    result = np.zeros(len(spans), dtype=np.int64)
    if spans.empty:
        return result
    space = np.zeros(0x3001, dtype=bool)  # every str.isspace() code point is below 0x3001
    space[[i for i in range(0x3001) if chr(i).isspace()]] = True
    by_doc = spans.groupby("document_id").indices
    for doc_id, idx in by_doc.items():
        (text,) = con.execute("SELECT text FROM documents WHERE id = ?", (int(doc_id),)).fetchone()
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        is_space = np.ones(len(cps) + 1, dtype=bool)  # sentinel: "space" before the text
        is_space[1:] = space[np.minimum(cps, 0x3000)] & (cps <= 0x3000)
        starts_word = ~is_space[1:] & is_space[:-1]  # a word begins at i
        cum = np.concatenate([[0], np.cumsum(starts_word)])  # word starts in [0, i)
        s = np.clip(spans["start"].to_numpy()[idx], 0, len(cps))
        e = np.clip(spans["end"].to_numpy()[idx], 0, len(cps))
        inner = cum[e] - cum[np.minimum(s + 1, e)]  # words starting strictly inside
        first = (s < e) & ~is_space[np.minimum(s, len(cps) - 1) + 1]  # a word cut at start
        result[idx] = np.where(e > s, inner + first, 0)
    return result
