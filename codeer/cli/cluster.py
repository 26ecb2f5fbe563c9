"""``codeer cluster`` and ``codeer summary``: sub-themes and cross-case summaries."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from codeer.cli.common import data_stream, info, open_project
from codeer.cli.matrix import AlphaOption
from codeer.store.safe_output import entity_lt


class ClusterFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"


class Lang(StrEnum):
    nl = "nl"
    en = "en"


def register(app: typer.Typer) -> None:
    """Add the cluster and summary commands to *app*."""
    app.command("cluster")(cluster)
    app.command("summary")(summary)


CodeOption = Annotated[
    str | None,
    typer.Option("--code", "-c", help="One theme (code key, with its sub-codes); default: all."),
]
StatusOption = Annotated[
    str, typer.Option("--status", help="Which codings count: accepted, all, suggested, ...")
]
SeedOption = Annotated[int, typer.Option("--seed", help="Random seed; same seed, same result.")]
KOption = Annotated[
    str, typer.Option("--k", help="Number of sub-themes per theme, or 'auto' (silhouette).")
]
ByOption = Annotated[
    str, typer.Option("--by", help="Case attribute: cases are counted by its values.")
]


CoderOption = Annotated[
    str | None,
    typer.Option(
        "--coder",
        metavar="NAME",
        help="Only this coder's codings (e.g. consensus); default: every coder, each "
        "fragment once.",
    ),
]


def _k(value: str) -> int | str:
    if value == "auto":
        return value
    if not value.isdigit() or int(value) < 1:
        raise typer.BadParameter("use 'auto' or a positive whole number", param_hint="--k")
    return int(value)


def cluster(
    ctx: typer.Context,
    code: CodeOption = None,
    k: KOption = "auto",
    status: StatusOption = "accepted",
    seed: SeedOption = 0,
    by: ByOption = "gemeente",
    fmt: Annotated[
        ClusterFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ClusterFormat.table,
    coder: CoderOption = None,
) -> None:
    """Cluster each theme's coded fragments into sub-themes; every run is stored."""
    from codeer.synthesis.cluster import cluster_project

    k_value = _k(k)
    with open_project(ctx) as project:
        info("Clustering (loading the Dutch pipeline)...")
        results = cluster_project(
            project, code=code, k=k_value, status=status, seed=seed, by=by, coder=coder
        )
    if not results:
        info(f"No codings with status {status!r} to cluster (try --status all).")
        return
    for r in results:
        noun = "cluster" if r.k == 1 else "clusters"
        note = f"; {r.note}" if r.note else ""
        info(f"{r.theme}: {len(r.fragments)} fragments -> {r.k} {noun} (run #{r.run_id}){note}")
    if fmt is ClusterFormat.json:
        json.dump([r.to_dict() for r in results], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt is ClusterFormat.md:
        data_stream().write(entity_lt(_markdown(results)))
    else:
        _table(results)


def _markdown(results) -> str:
    from codeer.synthesis.summary_text import md_escape as esc
    from codeer.synthesis.summary_text import short_quote

    out = []
    for r in results:
        out.append(f"## {esc(r.theme_label)} ({esc(r.theme)}), run #{r.run_id}\n")
        out.append(
            f"{len(r.fragments)} fragments, {len(r.theme_cases)} of "
            f"{len(r.cases_total)} cases, k = {r.k} ({r.k_requested})."
            + (f" Note: {r.note}." if r.note else "")
            + "\n"
        )
        out.append("| cluster | label | fragments | cases | spread |")
        out.append("|---|---|---|---|---|")
        for c in r.clusters:
            spread = "; ".join(
                f"{key}: " + ", ".join(f"{v} {n}" for v, n in vals.items())
                for key, vals in c.spread.items()
            )
            cells = [str(c.number), c.label, str(c.size), str(c.n_cases), spread]
            out.append("| " + " | ".join(esc(x).replace("|", "\\|") for x in cells) + " |")
        out.append("")
        for c in r.clusters:
            out.append(f"**{c.number}. {esc(c.label)}**\n")
            out.extend(f"- “{esc(short_quote(q.text))}” ({esc(q.case)})" for q in c.quotes)
            out.append("")
    return "\n".join(out)


def _table(results) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from codeer.store.safe_output import terminal_text
    from codeer.synthesis.summary_text import short_quote

    def cell(value: str) -> Text:
        # Text, not markup: "[/x]" in a quote is text; control characters are shown.
        return Text(terminal_text(value))

    console = Console(file=sys.stdout, no_color=True, width=120)
    for r in results:
        table = Table(title=cell(f"{r.theme_label} ({r.theme}): run #{r.run_id}, k = {r.k}"))
        for column in ("#", "label", "fragments", "cases", "spread", "quote"):
            table.add_column(column)
        for c in r.clusters:
            spread = "\n".join(
                f"{key}: " + ", ".join(f"{v} {n}" for v, n in vals.items())
                for key, vals in c.spread.items()
            )
            quote = short_quote(c.quotes[0].text, 120) if c.quotes else ""
            values = (str(c.number), c.label, str(c.size), str(c.n_cases), spread, quote)
            table.add_row(*map(cell, values))
        console.print(table)


def summary(
    ctx: typer.Context,
    code: CodeOption = None,
    by: ByOption = "gemeente",
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the text.")] = Lang.nl,
    status: StatusOption = "accepted",
    seed: SeedOption = 0,
    k: KOption = "auto",
    coder: CoderOption = None,
    alpha: AlphaOption = 0.05,
) -> None:
    """Per theme, a Markdown text of sub-themes across cases, with quotes (to stdout)."""
    from codeer.synthesis.summary import summarise_project, summary_markdown

    k_value = _k(k)
    with open_project(ctx) as project:
        info("Clustering and summarising...")
        summaries = summarise_project(
            project,
            status=status,
            by=by,
            lang=lang.value,
            seed=seed,
            code=code,
            k=k_value,
            coder=coder,
            alpha=alpha,
        )
    data_stream().write(entity_lt(summary_markdown(summaries, lang.value)))
