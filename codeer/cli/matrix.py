"""``codeer matrix`` and ``codeer report``: cross-case synthesis and the readable report."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from codeer.cli.common import data_stream, info, open_project, parse_where


class Value(StrEnum):
    count = "count"
    presence = "presence"
    share = "share"
    words = "words"


class Status(StrEnum):
    accepted = "accepted"
    suggested = "suggested"
    all = "all"


class Level(StrEnum):
    leaf = "leaf"
    top = "top"


class Within(StrEnum):
    unit = "unit"
    turn = "turn"
    document = "document"


CoderOption = Annotated[
    str | None,
    typer.Option(
        metavar="NAME",
        help="Only this coder's codings (e.g. consensus); default: every coder, each "
        "fragment once per code.",
    ),
]


AlphaOption = Annotated[
    float,
    typer.Option(
        min=0.0001,
        max=0.5,
        help="Significance level: a difference between groups is called 'vaker' only when "
        "Fisher's p is below it.",
    ),
]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    md = "md"
    json = "json"
    parquet = "parquet"


def register(app: typer.Typer) -> None:
    """Add matrix and report to *app*."""
    app.command("matrix")(matrix)
    app.command("report")(report)


def _split_by(by: str) -> tuple[str, ...]:
    parts = tuple(p.strip() for p in by.split(",") if p.strip())
    if not parts or len(parts) > 2:
        raise typer.BadParameter("give one attribute or two joined by a comma", param_hint="--by")
    return parts


def matrix(
    ctx: typer.Context,
    by: Annotated[
        str,
        typer.Option(
            metavar="ATTR[,ATTR]",
            help="Case attribute(s) for the columns: ATTR or ATTR,ATTR (crossed); "
            "'document' makes every document a case.",
        ),
    ] = "gemeente",
    value: Annotated[
        Value,
        typer.Option(
            help="count: fragments; presence: 0/1; share: % of respondent "
            "units; words: coded words."
        ),
    ] = Value.count,
    status: Annotated[
        Status, typer.Option(help="accepted (accepted + manual), suggested, or all.")
    ] = Status.accepted,
    level: Annotated[
        Level, typer.Option(help="leaf: every code its own row; top: roll up into themes.")
    ] = Level.leaf,
    where: Annotated[
        list[str] | None,
        typer.Option(metavar="KEY=VALUE", help="Only documents with KEY=VALUE (repeatable)."),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Output format (default: from -o, else table)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE; format from extension."
        ),
    ] = None,
    cooccurrence: Annotated[
        bool, typer.Option("--cooccurrence", help="Code x code co-occurrence instead.")
    ] = False,
    within: Annotated[
        Within, typer.Option(help="With --cooccurrence: count units, turns or documents.")
    ] = Within.unit,
    framework: Annotated[
        bool, typer.Option("--framework", help="Cases x codes with representative quotes.")
    ] = False,
    quotes: Annotated[int, typer.Option(min=1, help="With --framework: quotes per cell.")] = 3,
    nonzero: Annotated[
        bool, typer.Option("--nonzero", help="Leave out codes without any coding.")
    ] = False,
    plot: Annotated[
        Path | None, typer.Option(metavar="FILE.png", help="Also draw a heatmap to FILE.png.")
    ] = None,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="CSV: write cells as they are (no ' before = + - @; docs/matrix.md)."
        ),
    ] = False,
    coder: CoderOption = None,
) -> None:
    """Codes x cases such as gemeenten: count, presence, share or words, with totals.

    Counts exactly the codings `codeer segments --format jsonl` lists for the same
    --status and --where. See docs/matrix.md for definitions.
    """
    from codeer.synthesis.matrix import case_matrix, cooccurrence_matrix, drop_empty, review_note
    from codeer.synthesis.matrix_export import format_for, render, write
    from codeer.synthesis.matrix_framework import framework_matrix

    if cooccurrence and framework:
        raise typer.BadParameter("choose --cooccurrence or --framework, not both")
    filters = parse_where(where)
    chosen = format_for(output, fmt.value if fmt else None)
    with open_project(ctx) as project:
        common = {"status": status.value, "level": level.value, "where": filters, "coder": coder}
        if cooccurrence:
            result = cooccurrence_matrix(project, within=within.value, **common)
        elif framework:
            result = framework_matrix(project, by=_split_by(by), quotes=quotes, **common)
        else:
            result = case_matrix(project, by=_split_by(by), value=value.value, **common)
        if nonzero:
            result = drop_empty(result)
        note = review_note(project, status.value, coder)
    for message in ([note] if note else []) + result.notes:
        info(message)
    if plot is not None:
        from codeer.report.plot import write_heatmap

        write_heatmap(result, plot)
        info(f"Wrote heatmap to {plot}.")
    if output is None:
        data_stream().write(render(result, chosen, raw))
        return
    write([result], output, chosen, raw)
    info(f"Wrote {result.name} ({chosen}) to {output}.")


def report(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help="FILE.html (self-contained) or FILE.md."
        ),
    ],
    status: Annotated[
        Status | None,
        typer.Option(
            help="Which codings count (default: accepted, or all with a warning "
            "banner when nothing has been reviewed yet)."
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            metavar="ATTR[,ATTR]",
            help="Case attribute(s) for the columns (default: gemeente if present, else document).",
        ),
    ] = None,
    quotes: Annotated[int, typer.Option(min=1, help="Quotes per theme and per cell.")] = 3,
    coder: CoderOption = None,
    alpha: AlphaOption = 0.05,
    title: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Title (default: 'Rapport: ' + the codebook's name)."),
    ] = None,
) -> None:
    """Write a report: overview, themes with quotes and heatmaps, matrices and memos."""
    from codeer.report import write_report

    with open_project(ctx) as project:
        written, report_ctx = write_report(
            project,
            output,
            status=status.value if status else None,
            by=_split_by(by) if by else None,
            quotes=quotes,
            coder=coder,
            alpha=alpha,
            title=title,
        )
    if report_ctx.fallback:
        info(
            "Nothing has been reviewed yet: the report uses the suggestions (--status all) "
            "and says so at the top. Review with `codeer review`, or pass --status."
        )
    elif report_ctx.banner:
        info(f"The report has a warning at the top: {report_ctx.banner}")
    extra = f" and {len(written) - 1} figures" if len(written) > 1 else ""
    info(f"Wrote report to {output}{extra}.")
