"""``codeer import``, ``codeer documents`` and ``codeer show``: getting transcripts in and
checking what was parsed."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from codeer.cli.common import data_stream, info, open_project


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


class ShowFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    """Add import, documents and show to *app*."""
    app.command("import")(import_command)
    app.command("documents")(documents)
    app.command("show")(show)


def import_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Transcript files or folders (recursive).")],
    meta: Annotated[
        Path | None,
        typer.Option(help="CSV/XLSX with a 'document' column and attribute columns."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace documents whose content changed.")
    ] = False,
    interviewer: Annotated[
        list[str] | None,
        typer.Option(
            help="Speaker label of the interviewer, exactly as written (repeatable); "
            "other speakers respond."
        ),
    ] = None,
    speaker: Annotated[
        list[str] | None,
        typer.Option(
            help="LABEL=ROLE (interviewer, respondent, other) for a speaker label exactly as "
            "written, e.g. 'De voorzitter=interviewer' (repeatable)."
        ),
    ] = None,
    max_size: Annotated[
        float,
        typer.Option(
            "--max-size",
            metavar="MB",
            min=0.001,
            help="Largest document to import: MB megabytes of file (or unpacked .docx/.odt), "
            "MB million characters, MB x 5,000 lines or turns (docs/import.md).",
        ),
    ] = 20.0,
) -> None:
    """Import transcripts (.txt .md .docx .odt .vtt .srt) with their case attributes.

    Each file lands in its own transaction: a bad file is reported on one line and
    skipped, the others land, and the exit code is 1. Re-importing identical files
    changes nothing.
    """
    qdpx = [p for p in paths if p.suffix.lower() == ".qdpx"]
    qdpx_ok = True
    if qdpx:  # REFI-QDA projects from other tools: codeer.exchange, docs/exchange.md
        from codeer.cli.exchange import import_qdpx_files

        # A failed .qdpx is reported and the other files are still imported.
        qdpx_ok = import_qdpx_files(ctx, qdpx, replace, max_size)
        paths = [p for p in paths if p not in qdpx]
        if not paths:
            raise typer.Exit(0 if qdpx_ok else 1)
    from codeer.ingest.importer import (
        FAILED,
        IMPORTED,
        REPLACED,
        SKIPPED,
        UNCHANGED,
        import_paths,
    )
    from codeer.ingest.limits import Limits
    from codeer.ingest.speaker_roles import parse_speaker_roles

    roles = parse_speaker_roles(speaker or [], where="--speaker")

    def report_file(outcome) -> None:
        if outcome.status == FAILED:
            print(f"Error: {one_line(outcome.error.one_line())}", file=sys.stderr)
        elif outcome.status == SKIPPED:
            info(one_line(f"{SKIPPED:<9} {outcome.path} ({'; '.join(outcome.notes)})"))
        else:
            detail = "; ".join(
                [f"{outcome.turns} turns, {outcome.speakers} speakers", *outcome.notes]
            )
            info(one_line(f"{outcome.status:<9} {outcome.name} ({detail})"))

    with open_project(ctx) as project:
        report = import_paths(
            project,
            paths,
            meta,
            replace,
            interviewer,
            on_file=report_file,
            speakers=roles,
            limits=Limits(max_size),
        )
    for error in report.meta_errors:
        print(f"Error: {one_line(error.one_line())}", file=sys.stderr)
    if report.meta_file:
        info(one_line(f"Attributes from {report.meta_file}: {report.meta_applied} rows applied."))
    counts = ", ".join(
        f"{report.count(s)} {s}"
        for s in (IMPORTED, REPLACED, UNCHANGED, SKIPPED, FAILED)
        if report.count(s)
    )
    info(f"Done: {counts or 'no transcript files found'}.")
    if not report.ok or not qdpx_ok:
        raise typer.Exit(1)


def one_line(text: str) -> str:
    """A message about a file as one terminal line: a file name or cell value with a line
    break or an escape sequence in it can neither split the line nor steer the terminal."""
    from codeer.store.safe_output import terminal_text

    return terminal_text(text).replace("\n", "\\n").replace("\t", " ")


def documents(
    ctx: typer.Context,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="CSV: write cells as they are (no ' before = + - @; docs/matrix.md)."
        ),
    ] = False,
) -> None:
    """List the documents: name, format, turns, words, speakers, attributes."""
    from codeer.store.documents import list_documents
    from codeer.store.safe_output import spreadsheet_row

    with open_project(ctx) as project:
        rows = list_documents(project.con)
    if format is ListFormat.jsonl:
        for row in rows:
            print(json.dumps(row.to_dict(), ensure_ascii=False), file=data_stream())
        return
    flat = [
        {
            **row.to_dict(),
            "speakers": "; ".join(row.speakers),
            "attributes": "; ".join(f"{k}={v}" for k, v in row.attributes.items()),
        }
        for row in rows
    ]
    if format is ListFormat.csv:
        fields = ["name", "format", "turns", "words", "speakers", "attributes"]
        writer = csv.writer(data_stream(), lineterminator="\n")
        writer.writerow(fields)
        writer.writerows(spreadsheet_row([row[f] for f in fields], raw) for row in flat)
        return
    _table(flat, ["name", "format", "turns", "words", "speakers", "attributes"])
    if not rows:
        info("No documents yet: run `codeer import PATH`.")


def show(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="Document file name or its stem.")],
    format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.table,
) -> None:
    """Show a document's turns: index, speaker, role, start, end, timestamp, text."""
    from codeer.store.documents import document_turns, resolve_document

    with open_project(ctx) as project:
        doc = resolve_document(project.con, document)
        turns = document_turns(project.con, doc["id"])
    if format is ShowFormat.jsonl:
        for turn in turns:
            print(json.dumps(turn, ensure_ascii=False), file=data_stream())
        return
    _table(
        turns, ["index", "speaker", "role", "start", "end", "timestamp", "text"], title=doc["name"]
    )


def _table(rows: list[dict], columns: list[str], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from codeer.store.safe_output import terminal_text

    # Text objects, not strings: a transcript's "[bold]" or "[/x]" is text, not rich
    # markup; control characters are shown as \x1b instead of reaching the terminal.
    def cell(value) -> Text:
        return Text("" if value is None else terminal_text(value))

    table = Table(title=cell(title) if title else None, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold", ratio=4 if column == "text" else None)
    for row in rows:
        table.add_row(*(cell(row[c]) for c in columns))
    Console(soft_wrap=False).print(table)
