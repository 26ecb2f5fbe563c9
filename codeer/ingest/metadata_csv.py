"""Reading a metadata CSV: the separator, quoting and cells as a spreadsheet writes them.

The separator (``,``, ``;`` or tab) is not guessed from the header line alone: the whole
file is parsed with each candidate and the one that gives a ``document`` column and rows
of the header's width wins. Quoting is honoured fully (``"Den ""Haag"" Oost"`` is
``Den "Haag" Oost``, a quoted cell may hold the separator or a line break), and cells of
any length are read. Broken quoting is an error naming the line, never a silent guess.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from codeer.errors import ImportFileError, MetadataError

SEPARATORS = (",", ";", "\t")
Rows = list[tuple[int, list[str]]]  # (line the record starts on, cells)


def read_csv(data: bytes, path: Path) -> tuple[list[str], Rows]:
    """The header and the non-empty data rows (with their line numbers) of a CSV file.

    Raises:
        MetadataError: undecodable file, or a quoted cell that is never closed or has text
            after its closing quote (with the line).
    """
    from codeer.ingest.normalise import decode, normalise

    try:
        text = normalise(decode(data, str(path)))
    except ImportFileError as exc:
        raise MetadataError(exc.message, where=exc.where, hint=exc.hint) from None
    parsed: dict[str, Rows] = {}
    errors: dict[str, MetadataError] = {}
    with _cells_of_any_size(len(text)):
        for separator in SEPARATORS:
            try:
                parsed[separator] = _parse(text, separator, path)
            except MetadataError as exc:
                errors[separator] = exc
    # A separator that splits the header line into a 'document' column but fails on the
    # quoting further down is the file's separator: its error is the one to show.
    first_line = text.split("\n", 1)[0]
    for separator, error in errors.items():
        cells = [cell.strip().strip('"').lower() for cell in first_line.split(separator)]
        best_ok = max(parsed.values(), key=_score) if parsed else []
        if "document" in cells and not _score(best_ok)[0]:
            raise error
    if not parsed:
        raise next(iter(errors.values()))
    best = max(parsed, key=lambda separator: _score(parsed[separator]))
    records = parsed[best]
    if not records:
        return [], []
    header = records[0][1]
    rows = [(line, cells) for line, cells in records[1:] if any(cell.strip() for cell in cells)]
    return header, rows


def _score(records: Rows) -> tuple[bool, int, int]:
    """How well a separator fits: a document column, rows as wide as the header, columns."""
    if not records:
        return (False, 0, 0)
    header = [cell.strip().lower() for cell in records[0][1]]
    rows = [cells for _, cells in records[1:] if any(cell.strip() for cell in cells)]
    fitting = sum(1 for cells in rows if len(cells) == len(header))
    return ("document" in header, fitting, len(header))


def _parse(text: str, separator: str, path: Path) -> Rows:
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=separator,
        quotechar='"',
        doublequote=True,
        skipinitialspace=True,
        strict=True,
    )
    records: Rows = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            raise _quoting_error(str(exc), start, reader.line_num, path) from None
        records.append((start, cells))


def _quoting_error(message: str, start: int, line: int, path: Path) -> MetadataError:
    example = 'write a quote inside a quoted cell as two: "Den ""Haag"" Oost"'
    if "end of data" in message:
        return MetadataError(
            'a quoted cell (starting with ") is never closed',
            where=f"{path.name}:{start}",
            hint=f"add the closing quote; {example}",
        )
    if "expected after" in message:
        return MetadataError(
            "text after the closing quote of a cell",
            where=f"{path.name}:{line}",
            hint=f"put the whole cell in quotes; {example}",
        )
    return MetadataError(
        f"cannot read this line ({message})", where=f"{path.name}:{line}", hint=example
    )


@contextmanager
def _cells_of_any_size(size: int) -> Iterator[None]:
    """Let the csv module read cells up to *size* characters (its default stops at 131,072).

    The limit is process-wide in the csv module, so it is set back afterwards.
    """
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(before)
