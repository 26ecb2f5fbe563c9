"""The report's "Memo's" section: every memo with its document, fragment, code and coder.

Memos are the researcher's own words, so none is left out or shortened; the fragment a
memo is about is shortened to one line (the full text is in the transcript and in
``codeer memos``).
"""

from __future__ import annotations

from codeer.report.model import Paragraph, ReportContext, Section, Table
from codeer.report.overview import n_text

FRAGMENT_CHARS = 200


def memo_section(ctx: ReportContext) -> Section:
    """A table of the memos (of ``ctx.coder`` only, when the report is for one coder)."""
    from codeer.store.memos import list_memos
    from codeer.synthesis.summary_text import short_quote

    memos = list_memos(ctx.project.con, ctx.coder)
    if not memos:
        return Section("Memo's", [Paragraph("Er zijn nog geen memo's geschreven.")])
    who = f" van codeur {ctx.coder}" if ctx.coder else ""
    count = n_text(len(memos), "memo", "memo's")
    intro = (
        f"{count}{who}, per document op volgorde van de tekst; "
        "plaats = tekenposities in het document. Alle memo's: `codeer memos`."
    )
    rows = []
    for memo in memos:
        where = f"{memo.start}-{memo.end}" if memo.start is not None else "hele document"
        fragment = short_quote(memo.fragment, FRAGMENT_CHARS) if memo.fragment else "–"
        rows.append(
            [memo.document, where, memo.code or "–", memo.coder, fragment, memo.memo.strip()]
        )
    table = Table(
        header=["Document", "Plaats", "Code", "Codeur", "Fragment", "Memo"],
        rows=rows,
        numeric=False,
    )
    return Section("Memo's", [Paragraph(intro), table])
