"""Render the report tree as one self-contained HTML file.

Self-contained means: CSS inline, images as ``data:image/png;base64`` URIs, no scripts,
no fonts or links to anything outside the file, so it opens offline and can be mailed to
a municipality as is. All text goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
from html import escape

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

CSS = """
:root { --ink: #1d2433; --muted: #5b6475; --line: #d7dce5; --accent: #1f5f99; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); margin: 0; line-height: 1.5; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { font-size: 1.4rem; margin-top: 2.5rem; border-bottom: 2px solid var(--line);
  padding-bottom: .2rem; }
h3 { font-size: 1.15rem; margin-top: 1.8rem; }
h4 { font-size: 1rem; margin-top: 1.2rem; }
h5 { font-size: .95rem; margin: 1rem 0 .3rem; }
.codeer-summary .caveat { color: var(--muted); font-size: .9rem; }
.subtitle { color: var(--muted); margin-top: 0; }
.banner { background: #fff4d6; border: 2px solid #e0a800; border-radius: 6px;
  padding: .75rem 1rem; margin: 1rem 0; font-weight: 600; }
nav.toc { background: #f5f7fa; border: 1px solid var(--line); border-radius: 6px;
  padding: .5rem 1rem; margin: 1rem 0; }
nav.toc ul { margin: .25rem 0; padding-left: 1.2rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.table-wrap { overflow-x: auto; margin: .75rem 0 1rem; border: 1px solid var(--line);
  border-radius: 4px; }
table { border-collapse: collapse; font-size: .9rem; }
caption { caption-side: top; text-align: left; color: var(--muted); padding: .3rem .5rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .55rem; vertical-align: top; }
thead th { background: #eef2f7; position: sticky; top: 0; text-align: left; }
thead th.num { text-align: right; }
tbody th { text-align: left; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
td.quotes { min-width: 16rem; max-width: 28rem; font-size: .85rem; }
td.quotes p { margin: 0 0 .5rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .85rem; }
blockquote { margin: .6rem 0; padding: .4rem .9rem; border-left: 4px solid var(--accent);
  background: #f5f8fc; }
blockquote footer { color: var(--muted); font-size: .85rem; margin-top: .2rem; }
@media print { nav.toc { display: none; } thead th { position: static; } }
"""


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Banner):
        return f'<div class="banner" role="alert">{escape(block.text)}</div>'
    if isinstance(block, Facts):
        rows = "".join(
            f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in block.items
        )
        return f'<dl class="facts">{rows}</dl>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
        return (
            f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.alt)}">'
            f"{caption}</figure>"
        )
    if isinstance(block, QuoteList):
        return "".join(
            f"<blockquote><p>{escape(q.text.strip())}</p><footer>{escape(source)}</footer>"
            "</blockquote>"
            for q, source in block.quotes
        )
    if isinstance(block, Raw):
        return block.html
    raise TypeError(f"unknown report block {type(block).__name__}")


def _table(table: Table) -> str:
    num = ' class="num"' if table.numeric else ""
    head = "".join(
        f'<th scope="col"{num if i else ""}>{escape(h)}</th>' for i, h in enumerate(table.header)
    )
    body = []
    for n, row in enumerate(table.rows):
        total = table.total_row and n == len(table.rows) - 1
        cells = [f'<th scope="row">{escape(row[0])}</th>']
        for cell in row[1:]:
            if table.quotes:
                parts = [p for p in cell.split("\n\n") if p]
                inner = "".join(f"<p>{escape(p)}</p>" for p in parts)
                cells.append(f'<td class="quotes">{inner}</td>')
            else:
                cls = ' class="num"' if table.numeric else ""
                cells.append(f"<td{cls}>{escape(cell)}</td>")
        body.append(f"<tr{' class=total' if total else ''}>{''.join(cells)}</tr>")
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    return (
        f'<div class="table-wrap"><table>{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _section(section: Section, depth: int) -> str:
    level = min(depth, 6)
    parts = [f'<section id="{escape(section.anchor)}">']
    parts.append(f"<h{level}>{escape(section.title)}</h{level}>")
    parts.extend(_block(b) for b in section.blocks)
    parts.extend(_section(child, depth + 1) for child in section.children)
    parts.append("</section>")
    return "\n".join(parts)


def _toc(sections: list[Section]) -> str:
    items = []
    for s in sections:
        sub = "".join(
            f'<li><a href="#{escape(c.anchor)}">{escape(c.title)}</a></li>' for c in s.children
        )
        sub = f"<ul>{sub}</ul>" if sub else ""
        items.append(f'<li><a href="#{escape(s.anchor)}">{escape(s.title)}</a>{sub}</li>')
    return (
        '<nav class="toc" aria-label="Inhoud"><strong>Inhoud</strong>'
        f"<ul>{''.join(items)}</ul></nav>"
    )


def render_html(report: Report) -> str:
    """The complete HTML document as a string (write it as UTF-8)."""
    banner = (
        f'<div class="banner" role="alert">{escape(report.banner)}</div>' if (report.banner) else ""
    )
    body = "\n".join(_section(s, 2) for s in report.sections)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(report.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(report.title)}</h1>\n"
        f'<p class="subtitle">{escape(report.subtitle)}</p>\n{banner}\n{_toc(report.sections)}\n'
        f"{body}\n</main>\n</body>\n</html>\n"
    )
