"""Size limits for one imported file, and bounded reading of files and zip members.

A researcher's folder can hold anything: a 5 GB video renamed ``.txt``, a 1 MB ``.docx``
that unpacks to 300 MB of XML (a zip bomb), an ``.odt`` asking for two billion spaces.
Every reader goes through these checks so that memory and time stay bounded by one
number, ``--max-size MB`` (:class:`Limits`):

- the file itself, and the unpacked XML codeer reads from a ``.docx``/``.odt``/``.xlsx``,
  at most *MB* megabytes (a zip's declared sizes are checked first, and the bytes are
  counted while unpacking, since declared sizes can lie);
- the document text (spaces written as ``text:s text:c=N`` included) at most *MB* million
  characters;
- at most *MB* x 5,000 lines and turns per document (the turn parser's memory and time
  grow with the number of lines).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from codeer.errors import ImportFileError

DEFAULT_MAX_MB = 20.0
LINES_PER_MB = 5_000
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """How large one imported file may be; all limits follow from ``max_mb``."""

    max_mb: float = DEFAULT_MAX_MB

    @property
    def max_bytes(self) -> int:
        """Bytes of the file, and of the unpacked parts of a zip container."""
        return int(self.max_mb * 2**20)

    @property
    def max_chars(self) -> int:
        """Characters of the document text."""
        return int(self.max_mb * 1_000_000)

    @property
    def max_lines(self) -> int:
        """Lines of the document text, and turns of the document."""
        return max(1, int(self.max_mb * LINES_PER_MB))


DEFAULT_LIMITS = Limits()


def _raise_hint(limits: Limits) -> str:
    return (
        "split the file into smaller ones, or raise the limit with "
        f"`codeer import --max-size MB` (now {limits.max_mb:g})"
    )


def too_large(what: str, where: str, limits: Limits) -> ImportFileError:
    """The one error for any limit: what is too large, and how to get past it."""
    return ImportFileError(f"too large to import: {what}", where=where, hint=_raise_hint(limits))


def _mb(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


def read_limited(path: Path, limits: Limits, where: str) -> bytes:
    """The bytes of *path*, refusing a file over ``limits.max_bytes`` before reading it all.

    Raises:
        ImportFileError: the file cannot be read, or is too large.
    """
    try:
        with path.open("rb") as stream:
            # Read one byte more than allowed: a file that grew after a stat, or a
            # device that never ends, is still caught without reading it all.
            data = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        raise ImportFileError(
            f"cannot read the file: {exc.strerror or exc}",
            where=where,
            hint="check that it exists and that you may read it",
        ) from None
    if len(data) > limits.max_bytes:
        size = _file_size(path)
        shown = _mb(size) if size > limits.max_bytes else f"over {_mb(limits.max_bytes)}"
        raise too_large(f"the file is {shown}, the limit is {limits.max_mb:g} MB", where, limits)
    return data


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def check_text(text: str, limits: Limits, where: str) -> None:
    """Refuse a document text with more characters or lines than the limits allow."""
    if len(text) > limits.max_chars:
        raise too_large(
            f"the text has {len(text):,} characters, the limit is {limits.max_chars:,}",
            where,
            limits,
        )
    lines = text.count("\n") + 1
    if lines > limits.max_lines:
        raise too_large(
            f"the text has {lines:,} lines, the limit is {limits.max_lines:,}", where, limits
        )


def check_turns(count: int, limits: Limits, where: str) -> None:
    """Refuse a document with more turns than the limit allows."""
    if count > limits.max_lines:
        raise too_large(
            f"the document has {count:,} turns, the limit is {limits.max_lines:,}", where, limits
        )


class CharBudget:
    """Counts characters as a reader produces them, so an expansion is stopped early."""

    def __init__(self, limits: Limits, where: str):
        self.limits = limits
        self.where = where
        self.used = 0

    def spend(self, count: int, what: str = "the text") -> None:
        """Account for *count* more characters; raise before they would exceed the limit."""
        self.used += count
        if self.used > self.limits.max_chars:
            raise too_large(
                f"{what} grows beyond {self.limits.max_chars:,} characters",
                self.where,
                self.limits,
            )


def open_zip(data: bytes) -> zipfile.ZipFile:
    """A zip archive over *data*; zipfile's own errors are left to the caller."""
    return zipfile.ZipFile(io.BytesIO(data))


def read_member(
    archive: zipfile.ZipFile, name: str, limits: Limits, where: str, budget: list[int]
) -> bytes:
    """One member unpacked, counting bytes: its declared size and the real one are checked.

    *budget* is a one-element list with the bytes left for this file's unpacked parts,
    shared by all members read from it.

    Raises:
        KeyError: no such member (the caller says which file format is damaged).
        ImportFileError: the unpacked bytes would go over the limit.
    """
    info = archive.getinfo(name)
    if info.file_size > budget[0]:
        raise _unpacked_too_large(name, info.file_size, where, limits)
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > budget[0]:
                raise _unpacked_too_large(name, total, where, limits)
            chunks.append(chunk)
    budget[0] -= total
    return b"".join(chunks)


def check_all_members(archive: zipfile.ZipFile, limits: Limits, where: str) -> None:
    """Unpack every member without keeping it, to make sure the whole is within the limit.

    For containers another library reads in full (an ``.xlsx`` for openpyxl).
    """
    budget = [limits.max_bytes]
    declared = sum(info.file_size for info in archive.infolist())
    if declared > limits.max_bytes:
        raise _unpacked_too_large("its parts", declared, where, limits)
    for info in archive.infolist():
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise _unpacked_too_large(
                        info.filename, limits.max_bytes - budget[0], where, limits
                    )


def _unpacked_too_large(name: str, size: int, where: str, limits: Limits) -> ImportFileError:
    return too_large(
        f"{name} unpacks to {_mb(size)} or more, the limit is {limits.max_mb:g} MB "
        "(a damaged file, or a zip bomb)",
        where,
        limits,
    )
