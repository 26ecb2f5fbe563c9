"""Render the report tree as Markdown, for pasting into a paper or a wiki.

Figures are written as PNG files into a folder next to the Markdown file and linked
relatively (Markdown has no portable way to inline them); pass ``figures=None`` to leave
them out.
"""

from __future__ import annotations

from pathlib import Path

from codeer.report.model import (
    Banner,
    Block,
    Facts,
    Figure,
    Paragraph,
    QuoteList,
    Raw,
    Report,
    Section,
    Table,
)
from codeer.store.files import write_bytes_atomic
from codeer.store.safe_output import entity_lt, markdown_text


def _escape(text: str) -> str:
    """Escape what would break a table cell, start unintended Markdown or form HTML."""
    return _text(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _text(text: str) -> str:
    """Text from the data (a transcript, an attribute): ``& < >`` as entities, no HTML."""
    return markdown_text(text)


class _Figures:
    """Writes figures as fig-01.png, fig-02.png ... into *folder* (created on demand)."""

    def __init__(self, folder: Path | None, link_base: str):
        self.folder, self.link_base, self.n = folder, link_base, 0
        self.written: list[Path] = []

    def add(self, figure: Figure) -> str:
        if self.folder is None:
            return ""
        self.n += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"fig-{self.n:02d}.png"
        write_bytes_atomic(path, figure.png)
        self.written.append(path)
        alt = _text(figure.alt).replace("[", "(").replace("]", ")")
        return f"![{alt}]({self.link_base}/{path.name})\n\n*{_text(figure.caption)}*"


def _table(table: Table) -> str:
    align = ["---"] + (["---:"] if table.numeric else ["---"]) * (len(table.header) - 1)
    lines = ["| " + " | ".join(_escape(h) for h in table.header) + " |"]
    lines.append("| " + " | ".join(align) + " |")
    for n, row in enumerate(table.rows):
        # Escaped first, then our own line breaks, so only codeer writes tags here.
        cells = [_escape(c.replace("\n\n", "\0")).replace("\0", "<br><br>") for c in row]
        if table.total_row and n == len(table.rows) - 1:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    return f"*{_text(table.caption)}*\n\n{text}" if table.caption else text


def _block(block: Block, figures: _Figures) -> str:
    if isinstance(block, Paragraph):
        return _text(block.text)
    if isinstance(block, Banner):
        return f"> **{_text(block.text)}**"
    if isinstance(block, Facts):
        return "\n".join(f"- **{_text(label)}:** {_text(value)}" for label, value in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return figures.add(block)
    if isinstance(block, QuoteList):
        return "\n\n".join(
            f"> “{_text(' '.join(q.text.split()))}”\n> — {_text(source)}"
            for q, source in block.quotes
        )
    if isinstance(block, Raw):
        return entity_lt(block.markdown.strip())
    raise TypeError(f"unknown report block {type(block).__name__}")


def _section(section: Section, depth: int, figures: _Figures) -> list[str]:
    parts = [f"{'#' * min(depth, 6)} {_text(section.title)}"]
    parts += [text for b in section.blocks if (text := _block(b, figures))]
    for child in section.children:
        parts += _section(child, depth + 1, figures)
    return parts


def render_markdown(
    report: Report, figures: Path | None = None, link_base: str = ""
) -> tuple[str, list[Path]]:
    """(Markdown text, PNG files written into *figures*)."""
    sink = _Figures(figures, link_base or (figures.name if figures else ""))
    parts = [f"# {_text(report.title)}", f"*{_text(report.subtitle)}*"]
    if report.banner:
        parts.append(f"> **{_text(report.banner)}**")
    for section in report.sections:
        parts += _section(section, 2, sink)
    return "\n\n".join(parts) + "\n", sink.written
