"""Build the report tree from a project: overview, themes, matrices, method.

Which codings count: ``status=None`` means accepted + manual codings, falling back to
``all`` (suggestions included) when nothing has been reviewed yet, with a banner that
says so. An explicit status is used as given, without fallback.

Extension points are the ``*_HOOKS`` lists at the bottom of this module (marked
EXTENSION POINT). The sub-theme summaries (:mod:`codeer.synthesis.summary`) are the first
theme hook, :func:`subtheme_sections`: computed once per report, with the report's status
and case attribute, and cached in ``ctx.extra`` (:func:`report_summaries`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from codeer.report import overview
from codeer.report.model import (
    Facts,
    Figure,
    Paragraph,
    QuoteList,
    Raw,
    Report,
    Section,
    Table,
)
from codeer.synthesis.matrix import Matrix, case_matrix, cooccurrence_matrix, drop_empty
from codeer.synthesis.matrix_data import DOCUMENT_KEY, NONE_LABEL
from codeer.synthesis.matrix_export import rows_of
from codeer.synthesis.matrix_framework import framework_matrix, theme_quotes
from codeer.synthesis.model import MIN_FRAGMENTS

if TYPE_CHECKING:
    from codeer.store.project import Project
    from codeer.synthesis.model import ThemeSummary

STATUS_TEXT = {
    "accepted": "geaccepteerde en handmatige coderingen (beoordeeld door een codeur)",
    "suggested": "alleen nog niet beoordeelde suggesties van codeer",
    "all": "geaccepteerde en handmatige coderingen plus nog niet beoordeelde suggesties",
}
FALLBACK_BANNER = (
    "Let op: er zijn nog geen beoordeelde coderingen. Dit rapport is gebaseerd op de "
    "suggesties van codeer, die nog niet door een onderzoeker zijn gecontroleerd. "
    "Beoordeel ze met `codeer review` en maak het rapport opnieuw."
)


@dataclass
class ReportContext:
    """What every section builder and hook may use."""

    project: Project
    status: str
    fallback: bool
    by: tuple[str, ...]
    quotes: int
    count_top: Matrix
    count_leaf: Matrix
    has_units: bool
    extra: dict = field(default_factory=dict)  # room for hooks to share computed data


def resolve_status(project: Project, status: str | None) -> tuple[str, bool]:
    """(status to use, whether it fell back to ``all`` because nothing was reviewed)."""
    if status is not None:
        return status, False
    reviewed = project.con.execute(
        "SELECT 1 FROM codings WHERE status IN ('accepted', 'manual') LIMIT 1"
    ).fetchone()
    return ("accepted", False) if reviewed else ("all", True)


def default_by(project: Project) -> tuple[str, ...]:
    """``gemeente`` when documents have it, else every document is its own case."""
    found = project.con.execute("SELECT 1 FROM attributes WHERE key = 'gemeente' LIMIT 1")
    return ("gemeente",) if found.fetchone() else (DOCUMENT_KEY,)


def matrix_table(matrix: Matrix, caption: str = "", digits: int = 1) -> Table:
    """A report table from a matrix (with totals, labels in the first column)."""
    header, body = rows_of(matrix, digits=digits)
    header = ["Totaal" if h == "Total" else h for h in header]
    header[0] = header[0].capitalize()  # "Code" / "Case" for readers
    for row in body:
        key = row[0]
        row[0] = "Totaal" if key == "Total" else matrix.labels.get(key, key)
    cells = [[str(c) if c != "" else "–" for c in row] for row in body]
    if matrix.kind == "framework":
        header = [header[0]] + [matrix.labels.get(h, h) for h in header[1:]]
        cells = [[str(c) for c in row] for row in body]
    return Table(
        header=header,
        rows=cells,
        caption=caption,
        numeric=matrix.kind != "framework",
        total_row=matrix.row_totals is not None,
        quotes=matrix.kind == "framework",
    )


def _figure(matrix: Matrix, title: str) -> Figure | None:
    from codeer.report.plot import heatmap_png

    if matrix.data.empty or not matrix.data.fillna(0).to_numpy().any():
        return None
    return Figure(heatmap_png(matrix, title=title, label_rows=True), alt=title, caption=title)


def _quote_source(quote, values: dict[str, str]) -> str:
    case = ", ".join(v for v in values.values() if v != NONE_LABEL)
    where = (
        f"{quote.document}, beurt {quote.turn_index}"
        if quote.turn_index is not None
        else (quote.document)
    )
    return f"{case + ' · ' if case else ''}{where} (tekens {quote.start}-{quote.end})"


def theme_sections(ctx: ReportContext) -> list[Section]:
    """One section per theme: definition, sub-codes, counts per case, heatmap, quotes."""
    project, top, leaf = ctx.project, ctx.count_top, ctx.count_leaf
    quotes = theme_quotes(
        project, status=ctx.status, level="top", per_row=ctx.quotes * 2, attributes=ctx.by
    )
    paths = {key: overview.code_path(project, key) for key in leaf.data.index}
    definitions = overview.definitions(project)
    n_cases = len(top.data.columns)
    sections = []
    for theme in top.data.index:
        label = top.labels.get(theme, theme)
        section = Section(f"Thema: {label}", anchor=f"thema-{theme}")
        if definitions.get(theme):
            section.blocks.append(Paragraph(definitions[theme]))
        members = [k for k in leaf.data.index if paths.get(k, [k])[0] == theme]
        subs = [k for k in members if k != theme]
        if subs and any(definitions.get(k) for k in subs):
            section.blocks.append(
                Facts([(leaf.labels.get(k, k), definitions.get(k, "") or "–") for k in subs])
            )
        elif subs:
            names = ", ".join(leaf.labels.get(k, k) for k in subs)
            section.blocks.append(Paragraph(f"Subcodes: {names}."))
        total = int(top.row_totals[theme])
        present = int((top.data.loc[theme] > 0).sum())
        section.blocks.append(
            Paragraph(
                f"{total} gecodeerde {'fragment' if total == 1 else 'fragmenten'}; "
                f"het thema komt voor in {present} van "
                f"{n_cases} cases ({', '.join(ctx.by)})."
            )
        )
        if total:
            sub = Matrix(
                kind="cases",
                name=label,
                data=leaf.data.loc[members],
                value="count",
                settings=leaf.settings,
                labels=leaf.labels,
                row_totals=leaf.row_totals.loc[members],
                column_totals=top.data.loc[theme],
                total=total,
            )
            section.blocks.append(matrix_table(sub, "Aantal gecodeerde fragmenten per case"))
            figure = _figure(drop_empty(sub), f"{label}: fragmenten per case")
            if figure:
                section.blocks.append(figure)
        picked = quotes.get(theme, [])[: ctx.quotes]
        if picked:
            section.blocks.append(QuoteList([(q, _quote_source(q, v)) for q, v in picked]))
        for hook in THEME_HOOKS:
            section.children.extend(hook(ctx, theme))
        sections.append(section)
    return sections


def matrix_sections(ctx: ReportContext) -> list[Section]:
    """The cross-case matrices as tables (and heatmaps for the main ones)."""
    project, by, status = ctx.project, ctx.by, ctx.status
    shown: list[tuple[str, Matrix, str]] = [
        ("Aantal fragmenten per thema", ctx.count_top, "Gecodeerde fragmenten per thema en case."),
        (
            "Aanwezigheid per thema",
            case_matrix(project, by=by, value="presence", status=status, level="top"),
            "1 = het thema komt in de case voor; Totaal = aantal cases met het thema.",
        ),
    ]
    if ctx.has_units:
        shown.append(
            (
                "Aandeel respondent-eenheden per thema",
                case_matrix(project, by=by, value="share", status=status, level="top"),
                "% van de zinnen (eenheden) van respondenten in de case met het thema; "
                "totalen zijn gepoold over alle eenheden, geen som van percentages.",
            )
        )
    shown.append(
        (
            "Aantal fragmenten per code",
            drop_empty(ctx.count_leaf),
            "Alle codes met ten minste één codering.",
        )
    )
    within = "unit" if ctx.has_units else "document"
    cooc = cooccurrence_matrix(project, within=within, status=status, level="top")
    shown.append(
        (
            "Samen voorkomen van thema's",
            cooc,
            f"Aantal {'eenheden' if ctx.has_units else 'documenten'} waarin beide thema's "
            "voorkomen; de diagonaal is het aantal waarin het thema voorkomt.",
        )
    )
    frame = framework_matrix(project, by=by, quotes=ctx.quotes, status=status, level="top")
    shown.append(
        (
            "Framework-matrix",
            drop_empty(frame),
            f"Per case en thema tot {ctx.quotes} representatieve citaten.",
        )
    )
    ctx.extra["matrices"] = [m for _, m, _ in shown]
    sections = []
    for title, matrix, caption in shown:
        section = Section(title, [Paragraph(caption), matrix_table(matrix)])
        # Heatmaps where colour helps; presence is all 0/1 and per-code is in the themes.
        if (
            matrix.kind != "framework"
            and matrix.value not in ("presence",)
            and (title != "Aantal fragmenten per code")
        ):
            figure = _figure(matrix, title)
            if figure:
                section.blocks.append(figure)
        sections.append(section)
    return sections


def build_report(
    project: Project,
    *,
    status: str | None = None,
    by: tuple[str, ...] | None = None,
    quotes: int = 3,
) -> tuple[Report, ReportContext]:
    """The whole report for *project* (see the module docstring for status fallback)."""
    used, fallback = resolve_status(project, status)
    by = tuple(by) if by else default_by(project)
    count_top = case_matrix(project, by=by, value="count", status=used, level="top")
    count_leaf = case_matrix(project, by=by, value="count", status=used, level="leaf")
    has_units = project.con.execute("SELECT 1 FROM units LIMIT 1").fetchone() is not None
    ctx = ReportContext(project, used, fallback, by, quotes, count_top, count_leaf, has_units)

    intro = Section("Overzicht", [Facts(overview.facts(project, used, STATUS_TEXT[used], by))])
    themes = Section(
        "Thema's",
        [
            Paragraph(
                "Per thema: de definitie uit het codeboek, de subcodes, het aantal gecodeerde "
                "fragmenten per case, representatieve citaten en de subthema's."
            )
        ],
        theme_sections(ctx),
    )
    matrices = Section("Matrices", [], matrix_sections(ctx))
    method_items = overview.method_facts(used, STATUS_TEXT[used])
    method_items.append(SUBTHEME_METHOD)
    method = Section("Werkwijze", [Facts(method_items)])
    sections = [intro, themes, matrices]
    for hook in REPORT_HOOKS:
        sections.extend(hook(ctx))
    sections.append(method)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = Report(
        title=f"Rapport: {project.folder.resolve().name}",
        subtitle=f"Gemaakt met codeer op {stamp}; telling: {STATUS_TEXT[used]}.",
        sections=sections,
        banner=FALLBACK_BANNER if fallback else None,
    )
    return report, ctx


# ----------------------------------------------------------------------------------------
# EXTENSION POINT for later issues. Hooks return extra Sections; they get the context
# (project, status in use, case attributes, computed count matrices).
#
# Theme hooks return Sections that are added under each theme's section, after the quotes,
# in HTML and Markdown alike; the first is `subtheme_sections` (codeer/summary.py).
# ----------------------------------------------------------------------------------------


#: Sub-theme headings in the report: "Subthema's" is a child of a theme section (h4, ####),
#: so each sub-theme is one level below it.
SUBTHEME_LEVEL = 5
SUBTHEME_METHOD = (
    "Subthema's",
    "per thema worden de verschillende gecodeerde tekstfragmenten (een fragment dat "
    "meerdere coderingen heeft telt één keer) geclusterd op hun inhoudswoorden (k-means, "
    "aantal automatisch gekozen, seed 0); elke clusterrun wordt in het project bewaard en "
    "met zijn nummer genoemd. Het zijn voorstellen: lees de citaten. Minder dan "
    f"{MIN_FRAGMENTS} fragmenten worden niet geclusterd. Zie docs/cluster.md.",
)


def report_summaries(ctx: ReportContext) -> dict[str, ThemeSummary]:
    """Theme key -> sub-theme summary, computed once per report and cached in ``ctx.extra``.

    Uses the report's status (after the fallback) and its first case attribute, so the
    summaries count the same codings and cases as the rest of the report. Runs are stored
    (the text cites them). If clustering cannot be done at all, the reason is kept in
    ``ctx.extra["summaries_error"]`` and the result is empty.
    """
    if "summaries" not in ctx.extra:
        from codeer.errors import CodeerError
        from codeer.synthesis.summary import summarise_project

        try:
            found = summarise_project(ctx.project, status=ctx.status, by=ctx.by[0], lang="nl")
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
            f"Te weinig fragmenten om subthema's te onderscheiden: {n} verschillende "
            f"{'tekstfragment' if n == 1 else 'tekstfragmenten'}, minstens {MIN_FRAGMENTS} nodig."
        )
        return [Section("Subthema's", [Paragraph(line)], anchor=anchor)]
    blocks: list = []
    codings = int(ctx.count_top.row_totals.get(theme, 0))
    if codings != n:  # the counts above are coding rows; clustering counts spans once
        blocks.append(
            Paragraph(
                f"De {codings} coderingen van dit thema hierboven beslaan {n} verschillende "
                "tekstfragmenten; bij het clusteren telt elk fragment één keer, ook als het "
                "meer dan één (sub)code of codeur heeft."
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
    if ctx.fallback:
        lines += [f"> **{FALLBACK_BANNER}**", ""]
    lines += [
        f"Geteld: {STATUS_TEXT.get(ctx.status, ctx.status)} (--status {ctx.status}); "
        f"cases: {ctx.by[0]}. Dezelfde coderingen als in het rapport; opnieuw te maken met "
        f"`codeer summary --status {ctx.status} --by {ctx.by[0]}`.",
        "",
    ]
    error = ctx.extra.get("summaries_error")
    if error:
        return "\n".join([*lines, f"Subthema's konden niet worden bepaald: {error}", ""])
    return "\n".join(lines) + "\n" + summary_markdown(list(summaries.values()), "nl")


THEME_HOOKS: list[Callable[[ReportContext, str], list[Section]]] = [subtheme_sections]
# Extra top-level sections, inserted after "Matrices" and before "Werkwijze".
REPORT_HOOKS: list[Callable[[ReportContext], list[Section]]] = []
