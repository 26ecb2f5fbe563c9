"""``codeer export qdpx|qdc``: the project or its codebook for ATLAS.ti, MAXQDA, NVivo,
QualCoder (REFI-QDA); and the ``.qdpx`` branch of ``codeer import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from codeer.cli.common import info, open_project

export_app = typer.Typer(
    name="export",
    help="Export the project (.qdpx) or its codebook (.qdc) as REFI-QDA for other QDA tools.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    """Add the ``export`` command group to *app*."""
    app.add_typer(export_app, name="export")


@export_app.command("qdpx")
def qdpx(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The .qdpx file to write.")],
    suggestions: Annotated[
        bool,
        typer.Option("--suggestions", help="Also export the undecided machine suggestions."),
    ] = False,
) -> None:
    """Write documents, codebook, accepted and manual codings, coders, attributes and memos
    as a REFI-QDA project (see docs/exchange.md)."""
    from codeer.exchange.qdpx_export import export_qdpx

    with open_project(ctx) as project:
        summary = export_qdpx(project, file, suggestions=suggestions)
    info(
        f"Wrote {summary.path}: {summary.sources} sources, {summary.codes} codes, "
        f"{summary.codings} codings, {summary.users} coders, {summary.notes} memos."
    )


@export_app.command("qdc")
def qdc(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The .qdc file to write.")],
    codebook: Annotated[
        Path | None,
        typer.Option(help="Codebook YAML to export (default: the project's newest codebook)."),
    ] = None,
) -> None:
    """Write a codebook as a REFI-QDA codebook: codes, hierarchy, definitions, criteria."""
    from codeer.exchange.qdc import export_qdc
    from codeer.exchange.refi import codes_from_codebook, codes_from_store

    if codebook is not None:
        from codeer.coding.codebook import load_codebook

        codes = codes_from_codebook(load_codebook(codebook))
    else:
        with open_project(ctx) as project:
            codes = codes_from_store(project.con)
    export_qdc(codes, file)
    info(f"Wrote {file}: {len(codes)} codes.")


def import_qdpx_files(
    ctx: typer.Context, paths: list[Path], replace: bool, max_size: float = 20.0
) -> bool:
    """Import each ``.qdpx``, one line per source on stderr; False if anything failed."""
    from codeer.errors import CodeerError
    from codeer.exchange.qdpx_import import FAILED, import_qdpx
    from codeer.ingest.limits import Limits

    ok = True
    with open_project(ctx) as project:
        for path in paths:
            try:
                report = import_qdpx(
                    project,
                    path,
                    replace=replace,
                    limits=Limits(max_size),
                    on_source=lambda outcome: _report(outcome.line(), outcome.status == FAILED),
                )
            except CodeerError as error:
                info(f"Error: {error.one_line()}")
                ok = False
                continue
            ok = ok and report.ok
            origin = f" made by {report.origin}" if report.origin else ""
            extra = f", {report.project_memos} project memos" if report.project_memos else ""
            sources = len(report.outcomes)
            info(f"Done: {path}{origin}: {sources} sources, {report.codes} codes{extra}.")
    return ok


def _report(line: str, failed: bool) -> None:
    info(f"Error: {line}" if failed else line)
