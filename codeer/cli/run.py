"""``codeer run``: the whole pipeline on a folder of transcripts, non-interactive."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from codeer.cli.common import info


def register(app: typer.Typer) -> None:
    """Add ``run`` to *app*."""
    app.command("run")(run)


def run(
    transcripts: Annotated[Path, typer.Argument(help="Folder (or file) of transcripts.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (holds the project).")],
    codebook: Annotated[
        Path | None, typer.Option(help="Codebook YAML (default: the shipped wijkteams codebook).")
    ] = None,
    meta: Annotated[
        Path | None, typer.Option(help="Metadata CSV/XLSX (default: metadata.csv next to them).")
    ] = None,
    n_process: Annotated[int, typer.Option(help="Processes for spaCy.", min=1)] = 1,
    max_size: Annotated[
        float,
        typer.Option(
            "--max-size",
            metavar="MB",
            min=0.001,
            help="Largest transcript to import, as for `codeer import` (docs/import.md).",
        ),
    ] = 20.0,
    title: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Report title (default: 'Rapport: ' + codebook name)."),
    ] = None,
) -> None:
    """Import, code and write segments.csv, summary.md, subthemes.md, matrices, report to OUT."""
    from rich.progress import Progress

    from codeer.cli.importing import one_line
    from codeer.ingest.importer import SKIPPED
    from codeer.ingest.limits import Limits
    from codeer.pipeline import run_pipeline

    if not transcripts.exists():
        raise typer.BadParameter(f"{transcripts} does not exist", param_hint="TRANSCRIPTS")

    def on_file(outcome) -> None:
        if outcome.error is not None:
            print(f"Error: {one_line(outcome.error.one_line())}", file=sys.stderr)
        elif outcome.status == SKIPPED:
            info(one_line(f"{SKIPPED:<9} {outcome.path} ({'; '.join(outcome.notes)})"))
        else:
            detail = "; ".join([f"{outcome.turns} turns", *outcome.notes])
            info(one_line(f"{outcome.status:<9} {outcome.name} ({detail})"))

    bar = Progress(transient=True, console=_stderr())
    task = None

    def progress(done: int, total: int) -> None:
        # Started on the first call, so errors before coding print on a clean line.
        nonlocal task
        if task is None:
            bar.start()
            task = bar.add_task("coding", total=total)
        bar.update(task, completed=done, total=total)

    try:
        result = run_pipeline(
            transcripts,
            out,
            codebook=codebook,
            meta=meta,
            n_process=n_process,
            on_file=on_file,
            on_step=info,
            progress=progress,
            limits=Limits(max_size),
            title=title,
        )
    finally:
        if task is not None:
            bar.stop()
    for error in result.imported.meta_errors:
        print(f"Error: {one_line(error.one_line())}", file=sys.stderr)
    coded = result.coded
    info(
        f"Coded {coded.units} respondent sentences in {coded.documents} documents: "
        f"{coded.suggestions} suggestions ({coded.added} new, {coded.retracted} retracted)."
    )
    info(f"Project: {out} (use `codeer --project {out} review` to review the suggestions)")
    for path in result.files:
        info(f"  {path}")
    for failure in coded.failed:
        # One document that could not be coded keeps what it had; the others are done.
        print(f"Error: {one_line(failure)} - this document was not coded", file=sys.stderr)
    if not result.imported.ok or coded.failed:
        raise typer.Exit(1)


def _stderr():
    from rich.console import Console

    return Console(stderr=True)
