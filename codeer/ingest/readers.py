"""File readers: one supported file -> a :class:`RawDocument` with its normalised text.

Plain text and Markdown are stored exactly as written (after :func:`normalise` and with
front matter removed). Word and OpenDocument files become their paragraphs joined by a
blank line. Subtitles (.vtt/.srt) are handled in :mod:`codeer.ingest.subtitles` and are
the only format that brings its own speaker turns.
"""

from __future__ import annotations

from pathlib import Path

from codeer.errors import ImportFileError
from codeer.ingest.limits import DEFAULT_LIMITS, Limits, check_text, read_limited
from codeer.ingest.model import RawDocument
from codeer.ingest.normalise import decode, normalise, split_front_matter

SUPPORTED = (".txt", ".md", ".docx", ".odt", ".vtt", ".srt")


def read_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawDocument:
    """Read one transcript file, choosing the reader by its (case-insensitive) extension.

    Raises:
        ImportFileError: unsupported extension, unreadable, empty, damaged, undecodable
            or too large file (see :class:`~codeer.ingest.limits.Limits`); ``where`` is
            the path.
    """
    check_supported(path)
    return read_data(path, read_limited(path, limits, str(path)), limits)


def check_supported(path: Path) -> None:
    """Refuse a file whose extension codeer cannot read, before reading it."""
    if path.suffix.lower() not in SUPPORTED:
        raise ImportFileError(
            f"cannot import '{path.suffix or path.name}' files",
            where=str(path),
            hint="supported formats are " + ", ".join(SUPPORTED),
        )


def read_data(path: Path, data: bytes, limits: Limits = DEFAULT_LIMITS) -> RawDocument:
    """Read the bytes *data* of the file *path* (already read within *limits*)."""
    check_supported(path)
    where = str(path)
    fmt = path.suffix.lower()[1:]
    if fmt in ("docx", "odt"):
        if not data:
            raise ImportFileError(
                "the file is empty", where=where, hint="check that you picked the right file"
            )
        if fmt == "docx":
            from codeer.ingest.office import read_docx

            text = read_docx(data, where, limits)
        else:
            from codeer.ingest.opendocument import read_odt

            text = read_odt(data, where, limits)
        text = normalise(text)
        if not text.strip():
            raise ImportFileError(
                "the document contains no text",
                where=where,
                hint="check that the text is in the document body, not in text boxes or headers",
            )
        check_text(text, limits, where)
        return RawDocument(text=text, format=fmt)
    if fmt in ("vtt", "srt"):
        from codeer.ingest.subtitles import read_subtitles

        return read_subtitles(data, fmt, where, limits)
    return read_text(data, fmt, where, limits)


def read_text(data: bytes, fmt: str, where: str, limits: Limits = DEFAULT_LIMITS) -> RawDocument:
    """A .txt or .md file: decoded, normalised, front matter split off, nothing else."""
    text = normalise(decode(data, where))
    # Checked before the front matter and turns are looked for: both cost per line.
    check_text(text, limits, where)
    attributes, text = split_front_matter(text, where)
    if not text.strip():
        raise ImportFileError(
            "the file has no text after its front matter",
            where=where,
            hint="add the transcript below the closing '---' line",
        )
    return RawDocument(text=text, format=fmt, attributes=attributes)
