"""Case attributes from a metadata table (CSV or XLSX) with a ``document`` column.

The ``document`` column holds a file name (``hoogerbrug.txt``) or its stem
(``hoogerbrug``); every other column is an attribute (gemeente, ses, positionering,
teamtype, ...). Empty cells set nothing. CSV files may use ``,``, ``;`` (Dutch Excel) or
tabs, in UTF-8 (with or without BOM), UTF-16 or Windows-1252.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codeer.errors import ImportFileError, MetadataError
from codeer.ingest.limits import DEFAULT_LIMITS, Limits, read_limited
from codeer.ingest.metadata_csv import read_csv

# File names looked for next to the transcripts when no --meta is given.
METADATA_NAMES = ("metadata.csv", "metadata.xlsx", "meta.csv", "meta.xlsx")


@dataclass(frozen=True)
class MetaRow:
    """One data row: where it stands (for error messages), which document, which values."""

    where: str  # "metadata.csv:7"
    document: str
    attributes: dict[str, str]


def find_metadata(folder: Path) -> Path | None:
    """The metadata file in *folder*, if it has one of the usual names.

    Raises:
        MetadataError: that file is a symbolic link (links inside a folder are not
            followed: they can point anywhere).
    """
    for name in METADATA_NAMES:
        candidate = folder / name
        if candidate.is_symlink():
            raise MetadataError(
                "the metadata file is a symbolic link; links inside a folder are not followed",
                where=str(candidate),
                hint="copy the file into the folder, or name it with --meta",
            )
        if candidate.is_file():
            return candidate
    return None


def read_metadata(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[MetaRow]:
    """Read all rows; a malformed file raises MetadataError naming the file and line.

    Column names must be unique (ignoring case) and every document may be named once
    (ignoring case); an Excel formula without a saved value is an error naming the cell.
    """
    if not path.is_file():
        raise MetadataError(
            "metadata file not found", where=str(path), hint="check the --meta path"
        )
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm"):
        raise MetadataError(
            f"cannot read metadata from a {suffix or 'nameless'} file",
            where=str(path),
            hint="use a .csv or .xlsx file with a 'document' column",
        )
    try:
        data = read_limited(path, limits, str(path))
    except ImportFileError as exc:
        raise MetadataError(exc.message, where=exc.where, hint=exc.hint) from None
    if suffix in (".xlsx", ".xlsm"):
        from codeer.ingest.spreadsheet import read_xlsx

        header, rows = read_xlsx(data, path, limits)
    else:
        header, rows = read_csv(data, path)
    return _rows(path, header, rows)


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
    first_of: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name and i != doc_col:
            raise MetadataError(f"column {i + 1} has no name", where=f"{path}:1", hint="name it")
        if name.casefold() in first_of:
            # Two columns for one attribute: which value would count is anyone's guess.
            raise MetadataError(
                f"columns {first_of[name.casefold()] + 1} and {i + 1} are both named {name!r}",
                where=f"{path}:1",
                hint="rename one of them, or merge them into one column",
            )
        first_of[name.casefold()] = i
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
        # Names match documents ignoring case, so 'a.txt' and 'A.TXT' are one document.
        if document.casefold() in seen:
            raise MetadataError(
                f"document {document!r} is listed twice (also at {seen[document.casefold()]})",
                where=where,
                hint="keep one row per document",
            )
        seen[document.casefold()] = where
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
