"""Reading a metadata ``.xlsx``: the first sheet's cells, safely and without silent gaps.

The workbook is unpacked within the import limits before openpyxl sees it (a zip bomb
stops there; openpyxl parses its XML with defusedxml, which odfpy brings along). Any
error of a damaged workbook becomes one MetadataError. A formula cell is read through
the value Excel saved with it; a formula without a saved value (a file written by a
script, never opened in Excel) would read as empty, so it is an error naming the cell.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from codeer.errors import ImportFileError, MetadataError
from codeer.ingest.limits import Limits, check_all_members, open_zip

_SAVE_AGAIN = "open it in Excel or LibreOffice and save it again as .xlsx, or save it as .csv"


def read_xlsx(
    data: bytes, path: Path, limits: Limits
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-empty data rows (with their row numbers) of the first sheet.

    Raises:
        MetadataError: not a readable workbook, too large unpacked, or a formula cell
            without a saved value.
    """
    from codeer.ingest.office import DAMAGED_ZIP

    where = str(path)
    try:
        with open_zip(data) as archive:
            check_all_members(archive, limits, where)
    except ImportFileError as exc:
        raise MetadataError(exc.message, where=exc.where, hint=exc.hint) from None
    except DAMAGED_ZIP as exc:
        raise _unreadable(exc, where) from None
    try:
        formulas = _formulas(data)
        header, rows = _values(data, formulas, path)
    except MetadataError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged workbooks
        raise _unreadable(exc, where) from None
    return header, rows


def _unreadable(exc: BaseException, where: str) -> MetadataError:
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    name = type(exc).__name__
    return MetadataError(
        f"not a readable Excel file ({name}{': ' + detail if detail else ''})",
        where=where,
        hint=_SAVE_AGAIN,
    )


def _first_sheet(data: bytes, data_only: bool) -> tuple[Any, Any]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    if not book.worksheets:
        book.close()
        raise ValueError("the workbook has no sheets")
    return book, book.worksheets[0]


def _formulas(data: bytes) -> dict[tuple[int, int], str]:
    """(row, column) -> formula text of every formula cell of the first sheet."""
    book, sheet = _first_sheet(data, data_only=False)
    try:
        found = {}
        for cells in sheet.iter_rows():
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":
                    found[(cell.row, cell.column)] = str(cell.value)
        return found
    finally:
        book.close()


def _values(
    data: bytes, formulas: dict[tuple[int, int], str], path: Path
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    book, sheet = _first_sheet(data, data_only=True)
    try:
        header: list[str] = []
        rows = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = []
            for column, cell in enumerate(cells, start=1):
                value = getattr(cell, "value", None)
                row = getattr(cell, "row", None) or number
                col = getattr(cell, "column", None) or column
                if value is None and (row, col) in formulas:
                    raise _no_cached_value(path, sheet.title, row, col, formulas[(row, col)])
                values.append(cell_text(value))
            if number == 1:
                header = values
            elif any(values):
                rows.append((number, values))
        return header, rows
    finally:
        book.close()


def _no_cached_value(path: Path, sheet: str, row: int, column: int, formula: str) -> MetadataError:
    from openpyxl.utils import get_column_letter

    shown = formula if len(formula) <= 60 else formula[:57] + "..."
    return MetadataError(
        f"cell {get_column_letter(column)}{row} of sheet {sheet!r} holds a formula "
        f"({shown}) without a saved value",
        where=path.name,
        hint="open the file in Excel or LibreOffice and save it, so the values are saved "
        "with the formulas (or type the values in)",
    )


def cell_text(value: object) -> str:
    """A cell value as the text of an attribute."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 2 as 2.0
    return str(value).strip()
