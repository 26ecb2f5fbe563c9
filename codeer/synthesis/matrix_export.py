"""Write matrices as text table, CSV, Markdown, JSON, Parquet or Excel.

CSV layout (a contract for scripts): the first column holds the code key, then one column
per case value (crossed attributes joined with `` / ``), then ``Total``; the last row is
``Total``. Co-occurrence matrices have no totals; framework matrices have the case in the
first column and one column per code.
"""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codeer.store.files import write_atomic, write_text_atomic
from codeer.store.safe_output import markdown_text, needs_quote, spreadsheet_row, terminal_text
from codeer.synthesis.matrix_data import MatrixError

if TYPE_CHECKING:
    from codeer.synthesis.matrix import Matrix

FORMATS = ("table", "csv", "xlsx", "md", "json", "parquet")
TEXT_FORMATS = ("table", "csv", "md", "json")
_EXTENSIONS = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".parquet": "parquet",
    ".txt": "table",
}


def format_for(path: Path | None, fmt: str | None) -> str:
    """The output format: ``--format`` if given, else from the file extension, else table."""
    if fmt is not None and fmt not in FORMATS:
        raise MatrixError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    guessed = _EXTENSIONS.get(path.suffix.lower()) if path else None
    if path is not None and fmt is None and guessed is None:
        raise MatrixError(
            f"cannot tell the format from {path.name!r}",
            hint=f"use an extension ({', '.join(sorted(_EXTENSIONS))}) or --format",
        )
    if fmt and guessed and fmt != guessed:
        raise MatrixError(f"--format {fmt} does not match the file name {path.name!r}")
    chosen = fmt or guessed or "table"
    if chosen in ("xlsx", "parquet") and path is None:
        raise MatrixError(
            f"{chosen} is a binary format", hint=f"write it to a file: -o FILE.{chosen}"
        )
    return chosen


def _cell(value: Any, share: bool, digits: int) -> Any:
    """A number as shown: ints stay ints, shares get *digits* decimals, missing is empty."""
    if isinstance(value, list):
        return "\n\n".join(q.display() for q in value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if share:
        return round(float(value), digits)
    return int(value)


def rows_of(matrix: Matrix, digits: int = 2) -> tuple[list[str], list[list[Any]]]:
    """Header and rows, totals included, as shown in every flat format."""
    frame = matrix.with_totals()
    share = matrix.value == "share"
    header = [frame.index.name or "code", *map(str, frame.columns)]
    body = [
        [str(key), *(_cell(v, share, digits) for v in values)]
        for key, *values in frame.itertuples(index=True, name=None)
    ]
    return header, body


def to_csv(matrix: Matrix, raw: bool = False) -> str:
    """CSV; a text cell a spreadsheet would run as a formula gets a leading ``'`` unless *raw*."""
    import csv

    header, body = rows_of(matrix)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(spreadsheet_row(header, raw))
    writer.writerows(spreadsheet_row(row, raw) for row in body)
    return out.getvalue()


def _md_escape(text: Any) -> str:
    # Entities first, so transcript HTML stays text; then our own line breaks.
    text = markdown_text(text).replace("|", "\\|")
    return text.replace("\n\n", "<br>").replace("\n", " ")


def to_markdown(matrix: Matrix) -> str:
    """A pipe table (numbers right-aligned), ready to paste into a paper."""
    header, body = rows_of(matrix, digits=1)
    align = ["---"] + ["---:" if matrix.kind != "framework" else "---"] * (len(header) - 1)
    lines = ["| " + " | ".join(_md_escape(h) for h in header) + " |"]
    lines.append("| " + " | ".join(align) + " |")
    for row in body:
        cells = [_md_escape(c) if c != "" else "–" for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def to_table(matrix: Matrix) -> str:
    """A plain aligned table for the terminal (no width limit, so it pipes and greps)."""
    if matrix.kind == "framework":
        lines = []
        for case, row in matrix.data.iterrows():
            lines.append(f"== {case} ==")
            for code, quotes in row.items():
                for quote in quotes:
                    lines.append(f"  [{code}] {quote.display()}")
        return terminal_text("\n".join(lines)) + "\n"
    header, body = rows_of(matrix, digits=1)
    cells = [header] + [[("–" if c == "" else str(c)) for c in row] for row in body]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        first = row[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]).rstrip())
        if n == 0 or (matrix.row_totals is not None and n == len(cells) - 2):
            lines.append("  ".join("-" * w for w in widths))
    return terminal_text("\n".join(lines)) + "\n"


def _axis(matrix: Matrix, key: Any) -> dict[str, Any]:
    """A row or column header for JSON: a case with its attribute values, or a code."""
    if key in matrix.case_values:
        return {"key": str(key), "values": matrix.case_values[key]}
    return {"key": str(key), "label": matrix.labels.get(key, str(key))}


def to_json(matrix: Matrix) -> str:
    """Structured JSON: settings, rows with labels, columns with attribute values, cells."""
    data = matrix.data

    def clean(v: Any) -> Any:
        if isinstance(v, list):
            return [q.to_dict() for q in v]
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return float(v) if matrix.value == "share" else int(v)

    doc: dict[str, Any] = {
        "kind": matrix.kind,
        "name": matrix.name,
        "value": matrix.value,
        "settings": matrix.settings,
        "rows": [_axis(matrix, k) for k in data.index],
        "columns": [_axis(matrix, c) for c in data.columns],
        "cells": [[clean(v) for v in row] for row in data.itertuples(index=False)],
        "notes": matrix.notes,
    }
    if matrix.row_totals is not None and matrix.column_totals is not None:
        doc["row_totals"] = [clean(v) for v in matrix.row_totals.tolist()]
        doc["column_totals"] = [clean(v) for v in matrix.column_totals.tolist()]
        doc["total"] = clean(matrix.total)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render(matrix: Matrix, fmt: str, raw: bool = False) -> str:
    """The matrix as text in one of :data:`TEXT_FORMATS` (*raw*: CSV cells as they are)."""
    if fmt == "csv":
        return to_csv(matrix, raw)
    return {"table": to_table, "md": to_markdown, "json": to_json}[fmt](matrix)


def write_parquet(matrix: Matrix, path: Path) -> None:
    """Parquet needs pyarrow; framework matrices are written long (one row per quote)."""
    import pandas as pd

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise MatrixError(
            "writing Parquet needs the pyarrow package, which is not installed",
            hint="pip install 'codeer[parquet]' (or pyarrow), or use -o FILE.csv / FILE.xlsx",
        ) from None
    if matrix.kind == "framework":
        records = [
            {"case": case, "code": code, "rank": i + 1, **q.to_dict()}
            for case, row in matrix.data.iterrows()
            for code, quotes in row.items()
            for i, q in enumerate(quotes)
        ]
        frame = pd.DataFrame.from_records(records)
    else:
        frame = matrix.with_totals().reset_index()
        frame.columns = [str(c) for c in frame.columns]
    write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))


def sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name)[:31] or "matrix"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _xlsx_value(value: Any) -> Any:
    """A cell value Excel accepts: control characters (which xlsx cannot hold) shown as
    ``\\x1b`` escapes rather than dropped; empty text as an empty cell."""
    if value == "":
        return None
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group(0)):02x}", value)
    return value


def write_xlsx(matrices: list[Matrix], path: Path) -> None:
    """One sheet per matrix, bold frozen header, sized columns, wrapped quote cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for matrix in matrices:
        sheet = book.create_sheet(sheet_title(matrix.name, taken))
        header, body = rows_of(matrix)
        for row in [header, *body]:
            sheet.append([_xlsx_value(c) for c in row])
            # openpyxl takes a text starting with "=" for a formula: keep every such
            # text a string cell, exactly as written, so nothing in it is ever run.
            for cell in sheet[sheet.max_row]:
                if needs_quote(cell.value):
                    cell.data_type = "s"
        bold = Font(bold=True)
        for cell in sheet[1]:
            cell.font = bold
        if matrix.row_totals is not None:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        sheet.freeze_panes = "B2"  # header row and code column stay in view
        quotes = matrix.kind == "framework"
        for i, title in enumerate(header, start=1):
            letter = get_column_letter(i)
            values = [str(title)] + [str(r[i - 1]) for r in body]
            if quotes and i > 1:
                width = 60
            else:
                width = min(max(len(v) for v in values) + 2, 40 if i == 1 else 24)
            sheet.column_dimensions[letter].width = max(width, 8)
        wrap = Alignment(wrap_text=True, vertical="top")
        for cell in sheet[1]:
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        if quotes:
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    cell.alignment = wrap
        if matrix.value == "share":
            for row in sheet.iter_rows(min_row=2, min_col=2):
                for cell in row:
                    cell.number_format = "0.0"
    book.properties.title = "codeer matrices"
    book.properties.description = "; ".join(
        f"{m.name}: {json.dumps(m.settings, ensure_ascii=False)}" for m in matrices
    )[:1000]
    write_atomic(path, book.save)


def write(matrices: list[Matrix], path: Path, fmt: str, raw: bool = False) -> None:
    """Write *matrices* to *path*: xlsx takes them all, other formats take exactly one.

    *raw* writes CSV cells as they are (no ``'`` before a formula-like text).
    """
    if fmt == "xlsx":
        write_xlsx(matrices, path)
        return
    if len(matrices) != 1:
        raise MatrixError(f"{fmt} holds one matrix; use -o FILE.xlsx for several")
    if fmt == "parquet":
        write_parquet(matrices[0], path)
    else:
        write_text_atomic(path, render(matrices[0], fmt, raw))
