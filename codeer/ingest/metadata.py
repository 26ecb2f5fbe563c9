"""Case attributes from a metadata table (CSV or XLSX) with a ``document`` column.

The ``document`` column holds a file name (``hoogerbrug.txt``) or its stem
(``hoogerbrug``); every other column is an attribute (gemeente, ses, positionering,
teamtype, ...). Empty cells set nothing. CSV files may use ``,``, ``;`` (Dutch Excel) or
tabs, in UTF-8 (with or without BOM), UTF-16 or Windows-1252.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from codeer.errors import MetadataError

# File names looked for next to the transcripts when no --meta is given.
METADATA_NAMES = ("metadata.csv", "metadata.xlsx", "meta.csv", "meta.xlsx")


@dataclass(frozen=True)
class MetaRow:
    """One data row: where it stands (for error messages), which document, which values."""

    where: str  # "metadata.csv:7"
    document: str
    attributes: dict[str, str]


def find_metadata(folder: Path) -> Path | None:
    """The metadata file in *folder*, if it has one of the usual names."""
    for name in METADATA_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def read_metadata(path: Path) -> list[MetaRow]:
    """Read all rows; a malformed file raises MetadataError naming the file and line."""
    if not path.is_file():
        raise MetadataError(
            "metadata file not found", where=str(path), hint="check the --meta path"
        )
    suffix = path.suffix.lower()
    if suffix == ".csv" or suffix == ".tsv" or suffix == ".txt":
        header, rows = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        header, rows = _read_xlsx(path)
    else:
        raise MetadataError(
            f"cannot read metadata from a {suffix or 'nameless'} file",
            where=str(path),
            hint="use a .csv or .xlsx file with a 'document' column",
        )
    return _rows(path, header, rows)


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from codeer.ingest.normalise import decode, normalise

    text = normalise(decode(path.read_bytes(), str(path)))
    lines = text.split("\n")
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(lines, dialect)
    header: list[str] | None = None
    rows = []
    for number, record in enumerate(reader, start=1):
        if header is None:
            header = record
            continue
        if any(cell.strip() for cell in record):
            rows.append((number, record))
    return header or [], rows


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise MetadataError(
            f"not a readable Excel file ({exc})", where=str(path), hint="save it as .xlsx or .csv"
        ) from exc
    sheet = book.worksheets[0]
    header: list[str] = []
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell(value) for value in values]
        if number == 1:
            header = cells
        elif any(cells):
            rows.append((number, cells))
    book.close()
    return header, rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 2 as 2.0
    return str(value).strip()


def _rows(path: Path, header: list[str], rows: list[tuple[int, list[str]]]) -> list[MetaRow]:
    names = [h.strip() for h in header]
    lowered = [h.lower() for h in names]
    if "document" not in lowered:
        raise MetadataError(
            "no 'document' column in the header",
            where=f"{path}:1",
            hint="add a column 'document' holding each transcript's file name or stem",
        )
    doc_col = lowered.index("document")
    for i, name in enumerate(names):
        if not name and i != doc_col:
            raise MetadataError(f"column {i + 1} has no name", where=f"{path}:1", hint="name it")
    result: list[MetaRow] = []
    seen: dict[str, str] = {}
    for number, record in rows:
        where = f"{path.name}:{number}"
        if len(record) > len(names):
            raise MetadataError(
                f"{len(record)} values but the header has {len(names)} columns",
                where=where,
                hint="check for a stray separator in this row",
            )
        record = [cell.strip() for cell in record] + [""] * (len(names) - len(record))
        document = record[doc_col]
        if not document:
            raise MetadataError("empty 'document' cell", where=where, hint="fill in the file name")
        if document in seen:
            raise MetadataError(
                f"document {document!r} is listed twice (also at {seen[document]})",
                where=where,
                hint="keep one row per document",
            )
        seen[document] = where
        attributes = {
            names[i]: value for i, value in enumerate(record) if i != doc_col and value != ""
        }
        result.append(MetaRow(where, document, attributes))
    return result


def match_document(name: str, documents: list[str]) -> str | None:
    """The imported document a metadata row means: exact name, else unique stem match."""
    if name in documents:
        return name
    folded = name.casefold()
    exact = [doc for doc in documents if doc.casefold() == folded]
    if len(exact) == 1:
        return exact[0]
    stems = [doc for doc in documents if Path(doc).stem.casefold() == folded]
    return stems[0] if len(stems) == 1 else None
