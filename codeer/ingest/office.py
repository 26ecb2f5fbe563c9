"""Word (.docx) files, and the safe reading of XML inside zip containers (also for .odt).

The XML codeer needs is read straight from the zip with bounded unpacking
(:mod:`codeer.ingest.limits`) and parsed with a parser that loads no DTD, expands no
entities and fetches nothing from the network. Word and LibreOffice never write a
``<!DOCTYPE``; a part that has one is refused (entity expansion and external entities are
the classic XML attacks). Any XML error means one clear "damaged file" error for the file,
with the part and line, never a partly read document.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from codeer.errors import ImportFileError
from codeer.ingest.limits import Limits, open_zip, read_member

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
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
_DOCX_CONTAINERS = {
    f"{_W}tbl",
    f"{_W}tr",
    f"{_W}tc",
    f"{_W}sdt",
    f"{_W}sdtContent",
    f"{_W}customXml",
    f"{_W}ins",
    f"{_W}moveTo",
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
    RuntimeError,  # zipfile: an encrypted member
)

_DOCTYPES = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


class Container:
    """The members of one zip container, read within one file's limits."""

    def __init__(self, data: bytes, limits: Limits, where: str, damaged: ImportFileError):
        self.where = where
        self.limits = limits
        self.damaged = damaged
        self._budget = [limits.max_bytes]
        try:
            self.archive = open_zip(data)
        except DAMAGED_ZIP:
            raise damaged from None

    def read(self, name: str) -> bytes:
        """The unpacked bytes of member *name*; a missing or damaged member is ``damaged``."""
        try:
            return read_member(self.archive, name, self.limits, self.where, self._budget)
        except DAMAGED_ZIP:
            raise self.damaged from None

    def has(self, name: str) -> bool:
        return name in self.archive.NameToInfo

    def xml(self, name: str) -> Any:
        """Member *name* parsed safely; returns the root element."""
        return parse_xml(self.read(name), name, self.where, self.damaged)


def parse_xml(data: bytes, part: str, where: str, damaged: ImportFileError) -> Any:
    """Parse one XML part without DTDs, entities or network; errors name the part and line.

    Raises:
        ImportFileError: the part declares a DOCTYPE (refused), or is not well-formed.
    """
    from lxml import etree

    if any(marker in data for marker in _DOCTYPES):
        raise ImportFileError(
            f"{part} declares a DOCTYPE (entities), which Word and LibreOffice never write; "
            "refused for safety",
            where=where,
            hint="open the file in Word or LibreOffice and save it again, or export it as .txt",
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = f" at line {exc.lineno}" if exc.lineno else ""
        raise ImportFileError(
            f"{damaged.message}: {part} is not valid XML{line} ({exc.msg})",
            where=where,
            hint=damaged.hint,
        ) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise ImportFileError(
            f"{part} declares a DOCTYPE (entities); refused for safety",
            where=where,
            hint="open the file in Word or LibreOffice and save it again",
        )
    return root


def not_valid(kind: str, where: str, hint: str) -> ImportFileError:
    """The error for a file that is not (or no longer) a valid file of its kind."""
    return ImportFileError(
        f"not a valid {kind} file (damaged or another format)", where=where, hint=hint
    )


# --- Word (.docx) -----------------------------------------------------------------------


def read_docx(data: bytes, where: str, limits: Limits) -> str:
    """The paragraphs of a .docx body in order, joined by a blank line."""
    hint = "is it a .doc? open it in Word and save it as .docx"
    if data[:4] == b"\xd0\xcf\x11\xe0":
        # OLE container: an old binary .doc renamed to .docx, or a password-protected file.
        raise ImportFileError(
            "not a valid Word file: this is an old-style .doc or a password-protected file",
            where=where,
            hint="open it in Word, remove any password, and save it as .docx",
        )
    damaged = not_valid("Word", where, hint)
    container = Container(data, limits, where, damaged)
    root = container.xml(_main_part(container))
    body = root.find(f"{_W}body")
    if root.tag != f"{_W}document" or body is None:
        raise damaged
    paragraphs = _docx_blocks(body)
    return "\n\n".join(p for p in paragraphs if p.strip())


def _main_part(container: Container) -> str:
    """The main document part named by the package relationships (word/document.xml)."""
    if not container.has("_rels/.rels"):
        raise container.damaged
    for rel in container.xml("_rels/.rels").iter(f"{_RELS}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
            target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
            if container.has(target):
                return target
    raise container.damaged


def _docx_blocks(parent: Any) -> Iterator[str]:
    """Paragraph texts in body order, descending into tables and content controls."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            yield _docx_paragraph(child)
        elif tag in _DOCX_CONTAINERS:
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
