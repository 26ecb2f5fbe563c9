"""``codeer export-decisions`` and ``codeer import-decisions``: merge coders' work by file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from codeer.cli.common import data_stream, info, open_project


def register(app: typer.Typer) -> None:
    """Add ``export-decisions`` and ``import-decisions`` to *app*."""
    app.command("export-decisions")(export_decisions)
    app.command("import-decisions")(import_decisions)


def export_decisions(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE.jsonl", help="Where to write; - for stdout.")
    ],
    coder: Annotated[
        str | None, typer.Option("--coder", metavar="NAME", help="Only this coder's work.")
    ] = None,
) -> None:
    """Write every human decision and manual coding to a JSON-lines file.

    Another copy of the project takes it in with `codeer import-decisions FILE.jsonl`.
    """
    import json

    from codeer.exchange.decisions import export_decisions as export
    from codeer.store.files import write_text_atomic

    with open_project(ctx) as project:
        records = export(project.con, coder)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if str(file) == "-":
        data_stream().write(text)
    else:
        write_text_atomic(file, text)
    coders = sorted({r["coder"] for r in records})
    info(
        f"Exported {len(records)} decision(s) and manual coding(s)"
        + (f" of {', '.join(coders)}" if coders else "")
        + ("" if str(file) == "-" else f" to {file}")
        + "."
    )


def import_decisions(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE.jsonl", help="A file from export-decisions.")
    ],
) -> None:
    """Add the decisions of a file from export-decisions; never overwrites.

    Conflicts (the same coder decided differently here) and refused lines (a missing
    document, a changed text) are listed by line number and not applied; the rest is
    added in one transaction. Importing the same file again changes nothing. Exit code 1
    when some line was not applied.
    """
    from codeer.exchange.decisions import import_decisions as merge

    with open_project(ctx) as project:
        result = merge(project, file)
    for n, reason in result.refused:
        info(f"Error: {file}:{n}: {reason}")
    for n, reason in result.conflicts:
        info(f"Conflict: {file}:{n}: {reason}")
    info(f"Imported {file}: {result.summary()}.")
    if result.refused or result.conflicts:
        info("Lines listed above were not applied; everything else is stored.")
        raise typer.Exit(1)
