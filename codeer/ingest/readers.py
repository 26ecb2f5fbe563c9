"""File readers: one supported file -> a :class:`RawDocument` with its normalised text.

Plain text and Markdown are stored exactly as written (after :func:`normalise` and with
front matter removed). Word and OpenDocument files become their paragraphs joined by a
blank line. Subtitles (.vtt/.srt) are handled in :mod:`codeer.ingest.subtitles` and are
the only format that brings its own speaker turns.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from codeer.errors import ImportFileError
from codeer.ingest.model import RawDocument
from codeer.ingest.normalise import decode, normalise, split_front_matter

SUPPORTED = (".txt", ".md", ".docx", ".odt", ".vtt", ".srt")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Word content that is not part of the running text: deleted or moved-away revisions,
# drawings/text boxes (their text is a separate story), and field codes.
_DOCX_SKIP = {
    f"{_W}del",
    f"{_W}moveFrom",
    f"{_W}drawing",
    f"{_W}pict",
    f"{_W}object",
    f"{_W}instrText",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}


# What a damaged zip container (.docx, .odt) can raise while it is being read.
DAMAGED_ZIP: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    EOFError,
    OSError,
    zlib.error,  # corrupt compressed data inside the zip
    NotImplementedError,  # zipfile: a damaged header names an unknown compression
)


def read_file(path: Path) -> RawDocument:
    """Read one transcript file, choosing the reader by its (case-insensitive) extension.

    Raises:
        ImportFileError: unsupported extension, unreadable, empty, damaged or undecodable
            file; ``where`` is the path.
    """
    where = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ImportFileError(
            f"cannot import '{path.suffix or path.name}' files",
            where=where,
            hint="supported formats are " + ", ".join(SUPPORTED),
        )
    fmt = suffix[1:]
    data = _read_bytes(path, where)
    if fmt in ("docx", "odt"):
        if not data:
            raise ImportFileError(
                "the file is empty", where=where, hint="check that you picked the right file"
            )
        text = _read_docx(data, where) if fmt == "docx" else _read_odt(data, where)
        text = normalise(text)
        if not text.strip():
            raise ImportFileError(
                "the document contains no text",
                where=where,
                hint="check that the text is in the document body, not in text boxes or headers",
            )
        return RawDocument(text=text, format=fmt)
    if fmt in ("vtt", "srt"):
        from codeer.ingest.subtitles import read_subtitles

        return read_subtitles(data, fmt, where)
    return read_text(data, fmt, where)


def read_text(data: bytes, fmt: str, where: str) -> RawDocument:
    """A .txt or .md file: decoded, normalised, front matter split off, nothing else."""
    attributes, text = split_front_matter(normalise(decode(data, where)), where)
    if not text.strip():
        raise ImportFileError(
            "the file has no text after its front matter",
            where=where,
            hint="add the transcript below the closing '---' line",
        )
    return RawDocument(text=text, format=fmt, attributes=attributes)


def _read_bytes(path: Path, where: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            f"cannot read the file: {exc.strerror or exc}",
            where=where,
            hint="check that it exists and that you may read it",
        ) from None


def _not_valid(kind: str, where: str, hint: str) -> ImportFileError:
    return ImportFileError(
        f"not a valid {kind} file (damaged or another format)", where=where, hint=hint
    )


# --- Word (.docx) -----------------------------------------------------------------------


def _read_docx(data: bytes, where: str) -> str:
    import io

    import docx  # heavy; only when a .docx is imported
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    hint = "is it a .doc? open it in Word and save it as .docx"
    if data[:4] == b"\xd0\xcf\x11\xe0":
        # OLE container: an old binary .doc renamed to .docx, or a password-protected file.
        raise ImportFileError(
            "not a valid Word file: this is an old-style .doc or a password-protected file",
            where=where,
            hint="open it in Word, remove any password, and save it as .docx",
        )
    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = list(_docx_blocks(document.element.body))
    except (PackageNotFoundError, XMLSyntaxError, *DAMAGED_ZIP):
        raise _not_valid("Word", where, hint) from None
    return "\n\n".join(p for p in paragraphs if p.strip())


def _docx_blocks(parent: Any) -> Iterator[str]:
    """Paragraph texts in body order, descending into tables and content controls."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            yield _docx_paragraph(child)
        elif tag in (
            f"{_W}tbl",
            f"{_W}tr",
            f"{_W}tc",
            f"{_W}sdt",
            f"{_W}sdtContent",
            f"{_W}customXml",
            f"{_W}ins",
            f"{_W}moveTo",
        ):
            # Each w:tc appears once even when merged, so merged cells are not repeated.
            yield from _docx_blocks(child)


def _docx_paragraph(p: Any) -> str:
    parts: list[str] = []

    def walk(element: Any) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _DOCX_SKIP:
                continue  # comments/processing instructions, or not running text
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                # A page or column break separates text like a line break does.
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


# --- OpenDocument (.odt) ----------------------------------------------------------------


def _read_odt(data: bytes, where: str) -> str:
    import io
    from xml.sax import SAXException

    from odf.opendocument import load  # only when an .odt is imported

    hint = "open it in LibreOffice or Word and save it again as .odt or .docx"
    try:
        document = load(io.BytesIO(data))
    except (SAXException, *DAMAGED_ZIP):
        raise _not_valid("OpenDocument text", where, hint) from None
    body = getattr(document, "text", None)  # only text documents have one
    if body is None:
        raise ImportFileError(
            f"not an OpenDocument text file ({document.mimetype or 'unknown type'})",
            where=where,
            hint="export the text to .odt, .docx or .txt",
        )
    paragraphs = _odt_blocks(body)
    return "\n\n".join(p for p in paragraphs if p.strip())


_TEXTNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICENS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DRAWNS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
# Not running text: revision history (holds deleted paragraphs), footnotes, comments,
# frames (text boxes, images).
_ODT_SKIP = {
    (_TEXTNS, "tracked-changes"),
    (_TEXTNS, "note"),
    (_OFFICENS, "annotation"),
    (_DRAWNS, "frame"),
}


def _odt_blocks(parent: Any) -> Iterator[str]:
    """text:p and text:h texts in document order, also inside lists, tables and sections."""
    for child in parent.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None or qname in _ODT_SKIP:
            continue
        if qname in ((_TEXTNS, "p"), (_TEXTNS, "h")):
            yield _odt_paragraph(child)
        else:
            yield from _odt_blocks(child)


def _odt_paragraph(p: Any) -> str:
    parts: list[str] = []
    # ODF collapses runs of ordinary white space in text nodes (like HTML) and drops it at
    # the start of a paragraph; text:s, text:tab and text:line-break are kept exactly.
    pending_space = False
    started = False

    def add(text: str, collapsible: bool) -> None:
        nonlocal pending_space, started
        if collapsible:
            for ch in text:
                if ch in " \t\n\r":
                    pending_space = started
                else:
                    if pending_space:
                        parts.append(" ")
                    pending_space = False
                    parts.append(ch)
                    started = True
        else:
            if pending_space:
                parts.append(" ")
            pending_space = False
            parts.append(text)
            started = True

    def walk(element: Any) -> None:
        for child in element.childNodes:
            if child.nodeType == child.TEXT_NODE:
                add(child.data, collapsible=True)
                continue
            qname = getattr(child, "qname", None)
            if qname is None or qname in _ODT_SKIP:
                continue
            if qname == (_TEXTNS, "s"):
                count = child.getAttrNS(_TEXTNS, "c")
                add(" " * (int(count) if count and count.isdigit() else 1), collapsible=False)
            elif qname == (_TEXTNS, "tab"):
                add("\t", collapsible=False)
            elif qname == (_TEXTNS, "line-break"):
                add("\n", collapsible=False)
            else:
                walk(child)

    walk(p)
    return "".join(parts)
