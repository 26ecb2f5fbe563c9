"""The report's sub-theme sections and ``subthemes.md`` (the first theme hook).

The summaries (:mod:`codeer.synthesis.summary`) are computed once per report, with the
report's status, coder, significance level and case attribute, and cached in
``ctx.extra`` (:func:`report_summaries`), so that HTML, Markdown and ``subthemes.md``
say the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codeer.report.model import Paragraph, Raw, ReportContext, Section
from codeer.report.overview import STATUS_TEXT, n_text
from codeer.synthesis.model import ALPHA, MIN_FRAGMENTS

if TYPE_CHECKING:
    from codeer.synthesis.model import ThemeSummary

#: Sub-theme headings in the report: "Subthema's" is a child of a theme section (h4, ####),
#: so each sub-theme is one level below it.
SUBTHEME_LEVEL = 5
SUBTHEME_METHOD = (
    "Subthema's",
    "per thema worden de verschillende gecodeerde tekstfragmenten (een fragment dat "
    "meerdere coderingen heeft telt één keer) geclusterd op hun inhoudswoorden (k-means, "
    "aantal automatisch gekozen, seed 0); elke clusterrun wordt in het project bewaard en "
    "met zijn nummer genoemd. De namen van subthema's zijn woorden en woordparen zoals ze "
    "in de citaten staan. Het zijn voorstellen: lees de citaten. Minder dan "
    f"{MIN_FRAGMENTS} fragmenten worden niet geclusterd. Zie docs/cluster.md.",
)


def report_summaries(ctx: ReportContext) -> dict[str, ThemeSummary]:
    """Theme key -> sub-theme summary, computed once per report and cached in ``ctx.extra``.

    Uses the report's status (after the fallback), coder, alpha and first case
    attribute, so the summaries count the same codings and cases as the rest of the
    report. Runs are stored (the text cites them). If clustering cannot be done at all,
    the reason is kept in ``ctx.extra["summaries_error"]`` and the result is empty.
    """
    if "summaries" not in ctx.extra:
        from codeer.errors import CodeerError
        from codeer.synthesis.summary import summarise_project

        try:
            found = summarise_project(
                ctx.project,
                status=ctx.status,
                by=ctx.by[0],
                lang="nl",
                coder=ctx.coder,
                alpha=ctx.alpha,
            )
        except CodeerError as exc:
            ctx.extra["summaries_error"] = exc.one_line()
            found = []
        ctx.extra["summaries"] = {s.theme: s for s in found}
    return ctx.extra["summaries"]


def subtheme_sections(ctx: ReportContext, theme: str) -> list[Section]:
    """Sub-theme summary of *theme* (a top-level code key), under the theme's section.

    A theme with fewer fragments than clustering needs gets one line saying so.
    """
    from codeer.synthesis.summary_text import summary_html, summary_markdown

    found = report_summaries(ctx).get(theme)
    anchor = f"subthemas-{theme}"
    error = ctx.extra.get("summaries_error")
    if error:
        line = f"Subthema's konden niet worden bepaald: {error}"
        return [Section("Subthema's", [Paragraph(line)], anchor=anchor)]
    n = found.n_fragments if found else 0
    if n < MIN_FRAGMENTS:
        line = (
            "Te weinig fragmenten om subthema's te onderscheiden: "
            f"{n_text(n, 'tekstfragment', 'verschillende tekstfragmenten')}, "
            f"minstens {MIN_FRAGMENTS} nodig."
        )
        return [Section("Subthema's", [Paragraph(line)], anchor=anchor)]
    blocks: list = []
    codings = int(ctx.count_top.row_totals.get(theme, 0))
    if codings != n:  # a fragment with two sub-codes counts for each code, clustered once
        blocks.append(
            Paragraph(
                f"De {n_text(codings, 'codering', 'coderingen')} van dit thema "
                f"hierboven beslaan {n} verschillende tekstfragmenten; bij het clusteren telt "
                "elk fragment één keer, ook als het meer dan één subcode heeft."
            )
        )
    options = {"level": SUBTHEME_LEVEL, "theme_heading": False}
    blocks.append(
        Raw(summary_html([found], "nl", **options), summary_markdown([found], "nl", **options))
    )
    return [Section("Subthema's", blocks, anchor=anchor)]


def subthemes_markdown(ctx: ReportContext) -> str:
    """``subthemes.md`` of ``codeer run``: every theme's summary, on the report's codings."""
    from codeer.synthesis.summary_text import summary_markdown

    summaries = report_summaries(ctx)
    lines = ["# Subthema's per thema", ""]
    if ctx.banner:
        lines += [f"> **{ctx.banner}**", ""]
    coder = f" --coder {ctx.coder}" if ctx.coder else ""
    alpha = f" --alpha {ctx.alpha:g}" if ctx.alpha != ALPHA else ""
    lines += [
        f"Geteld: {STATUS_TEXT.get(ctx.status, ctx.status)} (--status {ctx.status}{coder}); "
        f"cases: {ctx.by[0]}. Dezelfde coderingen als in het rapport; opnieuw te maken met "
        f"`codeer summary --status {ctx.status} --by {ctx.by[0]}{coder}{alpha}`.",
        "",
    ]
    error = ctx.extra.get("summaries_error")
    if error:
        return "\n".join([*lines, f"Subthema's konden niet worden bepaald: {error}", ""])
    return "\n".join(lines) + "\n" + summary_markdown(list(summaries.values()), "nl")
