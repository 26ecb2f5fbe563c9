"""Domain errors. The CLI turns each into one ``Error: ...`` line on stderr.

Every error carries an optional *hint* that tells the user how to fix the problem, and
an optional *where* (file, file:line, or file:line field) that names the place.
"""

from __future__ import annotations


class CodeerError(Exception):
    """Base class for errors the user can fix; never a bug in codeer."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def one_line(self) -> str:
        """The error as one line: ``where: message (hint)``."""
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" - {self.hint}"
        return text

    def __str__(self) -> str:
        return self.one_line()


class ProjectError(CodeerError):
    """The project folder or its database is missing or unusable."""


class ImportFileError(CodeerError):
    """One input file could not be imported (bad encoding, empty, damaged, ...)."""


class MetadataError(CodeerError):
    """The metadata file (CSV/XLSX/front matter) is malformed or names unknown documents."""


class DocumentNotFound(CodeerError):
    """A document name or stem does not match any imported document."""


class CodebookError(CodeerError):
    """The codebook file is malformed; ``where`` names the line and field."""
