"""OpenDocument text (.odt): the paragraphs of ``content.xml``, read safely.

``content.xml`` is parsed with the safe parser of :mod:`codeer.ingest.office`, not with
odfpy: odfpy's loader swallows XML errors and returns the document up to the damage, so
a file with a bare ``&`` in paragraph 3 was stored with only two paragraphs. Here any
damage is one error for the file and nothing is stored. Spaces written as
``<text:s text:c="N"/>`` count towards the text limit before they are made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from codeer.errors import ImportFileError
from codeer.ingest.limits import CharBudget, Limits
from codeer.ingest.office import Container, not_valid

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
# Not running text: revision history (holds deleted paragraphs), footnotes, comments,
# frames (text boxes, images).
_SKIP = {f"{_TEXT}tracked-changes", f"{_TEXT}note", f"{_OFFICE}annotation", f"{_DRAW}frame"}
_PARAGRAPHS = (f"{_TEXT}p", f"{_TEXT}h")
_TEXT_MIMETYPES = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.text-template",
    "application/vnd.oasis.opendocument.text-master",
)
# ODF collapses runs of these (like HTML); text:s, text:tab and text:line-break are exact.
_COLLAPSIBLE = re.compile(r"[ \t\n\r]+")


def read_odt(data: bytes, where: str, limits: Limits) -> str:
    """The paragraphs and headings of an .odt body in order, joined by a blank line.

    Raises:
        ImportFileError: damaged zip or XML, not a text document, or over the limits.
    """
    hint = "open it in LibreOffice or Word and save it again as .odt or .docx"
    container = Container(data, limits, where, not_valid("OpenDocument text", where, hint))
    mimetype = _mimetype(container)
    if mimetype and mimetype not in _TEXT_MIMETYPES:
        raise _not_text(mimetype, where)
    root = container.xml("content.xml")
    body = root.find(f"{_OFFICE}body")
    text = body.find(f"{_OFFICE}text") if body is not None else None
    if text is None:
        if root.tag != f"{_OFFICE}document-content":
            raise container.damaged
        raise _not_text(mimetype or "unknown type", where)
    budget = CharBudget(limits, where)
    paragraphs = []
    for paragraph in _blocks(text, budget):
        if paragraph.strip():
            paragraphs.append(paragraph)
            budget.spend(2)  # the blank line between paragraphs
    return "\n\n".join(paragraphs)


def _mimetype(container: Container) -> str:
    if not container.has("mimetype"):
        return ""
    return container.read("mimetype")[:200].decode("ascii", "replace").strip()


def _not_text(mimetype: str, where: str) -> ImportFileError:
    return ImportFileError(
        f"not an OpenDocument text file ({mimetype})",
        where=where,
        hint="export the text to .odt, .docx or .txt",
    )


def _blocks(parent: Any, budget: CharBudget) -> Iterator[str]:
    """text:p and text:h texts in document order, also inside lists, tables and sections."""
    for child in parent.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag in _PARAGRAPHS:
            yield _paragraph(child, budget)
        else:
            yield from _blocks(child, budget)


def _paragraph(p: Any, budget: CharBudget) -> str:
    parts: list[str] = []
    spaces = 0  # made by text:s, already counted in the budget
    # ODF drops white space at the start of a paragraph and collapses runs of it.
    pending_space = False
    started = False

    def add(text: str | None, collapsible: bool) -> None:
        nonlocal pending_space, started
        if text is None:
            return
        if not collapsible:
            if pending_space:
                parts.append(" ")
            pending_space = False
            parts.append(text)
            started = True
            return
        for i, word in enumerate(_COLLAPSIBLE.split(text)):
            if i:
                pending_space = started  # white space stood before this word
            if word:
                if pending_space:
                    parts.append(" ")
                pending_space = False
                parts.append(word)
                started = True

    def walk(element: Any) -> None:
        nonlocal spaces
        add(element.text, collapsible=True)
        for child in element.iterchildren():
            tag = child.tag
            if isinstance(tag, str) and tag not in _SKIP:
                if tag == f"{_TEXT}s":
                    count = _space_count(child.get(f"{_TEXT}c"))
                    # Counted before the spaces are made: c="2000000000" stops here.
                    budget.spend(count, f"a run of {count:,} spaces (text:s)")
                    spaces += count
                    add(" " * count, collapsible=False)
                elif tag == f"{_TEXT}tab":
                    add("\t", collapsible=False)
                elif tag == f"{_TEXT}line-break":
                    add("\n", collapsible=False)
                else:
                    walk(child)
            # The text after a child (also a skipped note) belongs to this element.
            add(child.tail, collapsible=True)

    walk(p)
    text = "".join(parts)
    budget.spend(len(text) - spaces)
    return text


def _space_count(value: str | None) -> int:
    """text:c as a number of spaces; a missing or unreadable count means one space."""
    # isascii: str.isdigit() also accepts digits like '²' that int() refuses.
    return int(value) if value and value.isascii() and value.isdigit() else 1
