"""Build the report tree from a project: overview, themes, matrices, memos, method.

Which codings count: ``status=None`` means accepted + manual codings, falling back to
``all`` (suggestions included) when nothing has been reviewed yet. An explicit status is
used as given, without fallback. A banner at the top says so whenever a number counts
undecided suggestions or not every suggestion has been reviewed (how much is). ``coder``
keeps one coder's codings; by default every coder's, a fragment once per code.

Extension points are the ``*_HOOKS`` lists at the bottom of this module (marked
EXTENSION POINT). The sub-theme summaries (:mod:`codeer.synthesis.summary`) are the first
theme hook, :func:`subtheme_sections`: computed once per report, with the report's status
and case attribute, and cached in ``ctx.extra`` (:func:`report_summaries`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from codeer.report import overview
from codeer.report.memos import memo_section
from codeer.report.model import (
    Facts,
    Figure,
    Paragraph,
    QuoteList,
    Report,
    ReportContext,
    Section,
    Table,
)
from codeer.report.overview import FALLBACK_BANNER, STATUS_TEXT, n_text
from codeer.report.subthemes import (
    SUBTHEME_LEVEL,
    SUBTHEME_METHOD,
    report_summaries,
    subtheme_sections,
    subthemes_markdown,
)
from codeer.synthesis.matrix import Matrix, case_matrix, cooccurrence_matrix, drop_empty
from codeer.synthesis.matrix_data import DOCUMENT_KEY, NONE_LABEL
from codeer.synthesis.matrix_export import rows_of
from codeer.synthesis.matrix_framework import framework_matrix, theme_quotes
from codeer.synthesis.model import ALPHA

if TYPE_CHECKING:
    from codeer.store.project import Project

__all__ = [
    "FALLBACK_BANNER",
    "STATUS_TEXT",
    "SUBTHEME_LEVEL",
    "SUBTHEME_METHOD",
    "ReportContext",
    "build_report",
    "report_summaries",
    "subtheme_sections",
    "subthemes_markdown",
]


def resolve_status(
    project: Project, status: str | None, coder: str | None = None
) -> tuple[str, bool]:
    """(status to use, whether it fell back to ``all`` because nothing was reviewed)."""
    if status is not None:
        return status, False
    sql = "SELECT 1 FROM codings WHERE status IN ('accepted', 'manual')"
    params: tuple = ()
    if coder is not None:
        sql, params = sql + " AND coder = ?", (coder,)
    reviewed = project.con.execute(sql + " LIMIT 1", params).fetchone()
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


#: A heatmap with more rows or columns than this is unreadable and costly to draw (a
#: codebook of thousands of codes): the table stays, the picture is left out.
MAX_HEATMAP_CELLS = 80
#: Tables longer than this show only the rows with codings, and say so.
MAX_TABLE_ROWS = 200
#: Themes without any coding are listed by name, not given a section each.
MAX_LISTED_THEMES = 50


def _figure(matrix: Matrix, title: str) -> Figure | None:
    from codeer.report.plot import heatmap_png

    if matrix.data.empty or not matrix.data.fillna(0).to_numpy().any():
        return None
    matrix = drop_empty(matrix) if matrix.kind != "cooccurrence" else matrix
    if max(matrix.data.shape) > MAX_HEATMAP_CELLS:
        return None
    return Figure(heatmap_png(matrix, title=title, label_rows=True), alt=title, caption=title)


def _bounded(matrix: Matrix, caption: str) -> tuple[Matrix, str]:
    """A matrix short enough for a report table: empty rows go when there are too many."""
    if len(matrix.data) <= MAX_TABLE_ROWS or matrix.kind == "framework":
        return matrix, caption
    kept = drop_empty(matrix)
    left_out = len(matrix.data) - len(kept.data)
    rows = n_text(left_out, "rij zonder coderingen is", "rijen zonder coderingen zijn")
    note = f" {rows} weggelaten."
    return kept, caption + note


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
        project,
        status=ctx.status,
        level="top",
        per_row=ctx.quotes * 2,
        attributes=ctx.by,
        coder=ctx.coder,
    )
    paths = {key: overview.code_path(project, key) for key in leaf.data.index}
    definitions = overview.definitions(project)
    n_cases = len(top.data.columns)
    sections = []
    empty = [k for k in top.data.index if not int(top.row_totals[k])]
    # With many themes, those without any coding are named in one place, not one section
    # each (a codebook of thousands of codes would make a report nobody can read).
    listed = set(empty) if len(top.data.index) > MAX_LISTED_THEMES else set()
    for theme in top.data.index:
        if theme in listed:
            continue
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
                f"{n_text(total, 'gecodeerd fragment', 'gecodeerde fragmenten')}; "
                f"het thema komt voor in {present} van "
                f"{n_text(n_cases, 'case', 'cases')} ({', '.join(ctx.by)})."
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
    if listed:
        names = [top.labels.get(k, k) for k in empty]
        shown = ", ".join(names[:MAX_LISTED_THEMES])
        more = len(names) - MAX_LISTED_THEMES
        if more > 0:
            shown += " en " + n_text(more, "ander thema", "andere thema's")
        line = n_text(len(names), "thema", "thema's") + f" zonder coderingen: {shown}."
        sections.append(Section("Thema's zonder coderingen", [Paragraph(line)]))
    return sections


def matrix_sections(ctx: ReportContext) -> list[Section]:
    """The cross-case matrices as tables (and heatmaps for the main ones)."""
    project, by, status = ctx.project, ctx.by, ctx.status
    one = {"status": status, "coder": ctx.coder}
    shown: list[tuple[str, Matrix, str]] = [
        ("Aantal fragmenten per thema", ctx.count_top, "Gecodeerde fragmenten per thema en case."),
        (
            "Aanwezigheid per thema",
            case_matrix(project, by=by, value="presence", level="top", **one),
            "1 = het thema komt in de case voor; Totaal = aantal cases met het thema.",
        ),
    ]
    if ctx.has_units:
        shown.append(
            (
                "Aandeel respondent-eenheden per thema",
                case_matrix(project, by=by, value="share", level="top", **one),
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
    cooc = cooccurrence_matrix(project, within=within, level="top", **one)
    shown.append(
        (
            "Samen voorkomen van thema's",
            cooc,
            f"Aantal {'eenheden' if ctx.has_units else 'documenten'} waarin beide thema's "
            "voorkomen; de diagonaal is het aantal waarin het thema voorkomt.",
        )
    )
    frame = framework_matrix(project, by=by, quotes=ctx.quotes, level="top", **one)
    shown.append(
        (
            "Framework-matrix",
            drop_empty(frame),
            f"Per case en thema tot {n_text(ctx.quotes, 'citaat', 'citaten')} (de meest "
            "representatieve), met de memo's over dat fragment tussen [ ].",
        )
    )
    ctx.extra["matrices"] = [m for _, m, _ in shown]
    sections = []
    for title, matrix, caption in shown:
        matrix, caption = _bounded(matrix, caption)
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
    coder: str | None = None,
    alpha: float = ALPHA,
    title: str | None = None,
) -> tuple[Report, ReportContext]:
    """The whole report for *project* (see the module docstring for status and banner).

    *title* is used as given; the default is "Rapport: " plus the codebook's name.
    """
    used, fallback = resolve_status(project, status, coder)
    by = tuple(by) if by else default_by(project)
    common = {"by": by, "value": "count", "status": used, "coder": coder}
    count_top = case_matrix(project, level="top", **common)
    count_leaf = case_matrix(project, level="leaf", **common)
    has_units = project.con.execute("SELECT 1 FROM units LIMIT 1").fetchone() is not None
    banner = overview.review_banner(used, fallback, overview.review_progress(project, coder))
    ctx = ReportContext(
        project, used, fallback, by, quotes, count_top, count_leaf, has_units,
        coder=coder, alpha=alpha, banner=banner,
    )  # fmt: skip

    facts = overview.facts(project, used, STATUS_TEXT[used], by, coder)
    intro = Section("Overzicht", [Facts(facts)])
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
    method_items = overview.method_facts(used, STATUS_TEXT[used], coder, alpha)
    method_items.append(SUBTHEME_METHOD)
    method = Section("Werkwijze", [Facts(method_items)])
    sections = [intro, themes, matrices, memo_section(ctx)]
    for hook in REPORT_HOOKS:
        sections.extend(hook(ctx))
    sections.append(method)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    who = f"; codeur: {coder}" if coder else ""
    report = Report(
        title=overview.report_title(project, title),
        subtitle=f"Gemaakt met codeer op {stamp}; telling: {STATUS_TEXT[used]}{who}.",
        sections=sections,
        banner=ctx.banner,
    )
    return report, ctx


# ----------------------------------------------------------------------------------------
# EXTENSION POINT for later issues. Hooks return extra Sections; they get the context
# (project, status in use, case attributes, computed count matrices).
#
# Theme hooks return Sections that are added under each theme's section, after the quotes,
# in HTML and Markdown alike; the first is `subtheme_sections` (codeer/report/subthemes.py).
# ----------------------------------------------------------------------------------------


THEME_HOOKS: list[Callable[[ReportContext, str], list[Section]]] = [subtheme_sections]
# Extra top-level sections, inserted after "Memo's" and before "Werkwijze".
REPORT_HOOKS: list[Callable[[ReportContext], list[Section]]] = []
