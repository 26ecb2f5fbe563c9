"""The report as a format-neutral tree of sections and blocks.

The builder (:mod:`codeer.report.build`) fills it from the project; the HTML and
Markdown renderers walk the same tree, so both variants always say the same thing.
Text in blocks is plain text: each renderer escapes it for its own format.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codeer.synthesis.matrix_framework import Quote
from codeer.synthesis.model import ALPHA

if TYPE_CHECKING:
    from codeer.store.project import Project
    from codeer.synthesis.matrix import Matrix


@dataclass
class Paragraph:
    text: str


@dataclass
class Banner:
    """A prominent warning at the top of a section (e.g. 'based on suggestions')."""

    text: str


@dataclass
class Facts:
    """Label/value pairs (a definition list)."""

    items: list[tuple[str, str]]


@dataclass
class Table:
    """A table of already formatted cells; the first column is a row header."""

    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    numeric: bool = True  # right-align cells after the first column
    total_row: bool = False  # the last row is a Total row (shown bold)
    quotes: bool = False  # cells hold quote lists separated by blank lines


@dataclass
class Figure:
    """A PNG image; HTML inlines it as a data: URI, Markdown writes it next to the file."""

    png: bytes
    alt: str
    caption: str = ""


@dataclass
class QuoteList:
    """Quotes, each with a short line that says where it comes from."""

    quotes: list[tuple[Quote, str]]


@dataclass
class Raw:
    """Pre-rendered content from another module (e.g. codeer.synthesis.summary_text), per format.

    The producer is responsible for escaping and for self-containment (no external
    links or assets); renderers insert it unchanged.
    """

    html: str
    markdown: str


Block = Paragraph | Banner | Facts | Table | Figure | QuoteList | Raw


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    anchor: str = ""

    def __post_init__(self) -> None:
        if not self.anchor:
            self.anchor = slug(self.title)


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]
    banner: str | None = None
    lang: str = "nl"


def slug(text: str) -> str:
    """An ASCII anchor for a heading ('Thema: Vertrouwen' -> 'thema-vertrouwen')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "sectie"


@dataclass
class ReportContext:
    """What every section builder and hook may use.

    ``coder`` is the one coder whose codings count (``--coder``), or None for every
    coder; ``alpha`` the significance level for the wording of group differences;
    ``banner`` the warning shown at the top (and in ``subthemes.md``), if any.
    """

    project: Project
    status: str
    fallback: bool
    by: tuple[str, ...]
    quotes: int
    count_top: Matrix
    count_leaf: Matrix
    has_units: bool
    extra: dict = field(default_factory=dict)  # room for hooks to share computed data
    coder: str | None = None
    alpha: float = ALPHA
    banner: str | None = None
