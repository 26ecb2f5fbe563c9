"""``codeer speakers``: the speaker labels of each document, their roles, and the
label-like text that was read as text; ``codeer speakers set`` changes a role."""

from __future__ import annotations

import csv
import json
from enum import StrEnum
from typing import Annotated

import typer

from codeer.cli.common import data_stream, info, open_project


class Format(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


class Role(StrEnum):
    interviewer = "interviewer"
    respondent = "respondent"
    other = "other"


speakers_app = typer.Typer(
    help="Speaker labels per document with role and turn count; `set` changes a role.",
    no_args_is_help=False,
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``speakers`` group to *app*."""
    app.add_typer(speakers_app, name="speakers")


DocumentOption = Annotated[
    str | None,
    typer.Option("--document", "-d", help="Only this document (file name or stem)."),
]


@speakers_app.callback()
def speakers(
    ctx: typer.Context,
    document: DocumentOption = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """List every speaker label per document with its role and number of turns, then the
    label-like strings at line starts that were read as text (and why)."""
    if ctx.invoked_subcommand is not None:
        return
    from codeer.ingest.speaker_roles import labels_not_taken, list_speakers
    from codeer.store.documents import resolve_document

    with open_project(ctx) as project:
        doc_id = resolve_document(project.con, document)["id"] if document else None
        rows = list_speakers(project, doc_id)
        skipped = labels_not_taken(project, doc_id)
    if format is Format.jsonl:
        for row in rows:
            print(
                json.dumps({"kind": "speaker", **row.to_dict()}, ensure_ascii=False),
                file=data_stream(),
            )
        for item in skipped:
            print(
                json.dumps({"kind": "not_a_label", **item.to_dict()}, ensure_ascii=False),
                file=data_stream(),
            )
        return
    if format is Format.csv:
        from codeer.store.safe_output import spreadsheet_row

        writer = csv.writer(data_stream(), lineterminator="\n")
        writer.writerow(["document", "speaker", "role", "turns", "given"])
        for row in rows:
            writer.writerow(
                spreadsheet_row([row.document, row.speaker, row.role, row.turns, row.given])
            )
        return
    _print_tables(rows, skipped)


def _print_tables(rows, skipped) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from codeer.store.safe_output import terminal_text as _visible

    console = Console(soft_wrap=False)
    table = Table(title="Speakers")
    for column in ("document", "speaker", "role", "turns", "given"):
        table.add_column(column)
    for row in rows:
        speaker = row.speaker or "(no label)"
        table.add_row(*(escape(_visible(v)) for v in (row.document, speaker, row.role)),
                      str(row.turns), row.given)  # fmt: skip
    console.print(table)
    if skipped:
        table = Table(title="Read as text, not as a speaker label")
        for column in ("document", "line", "text before the colon", "why"):
            table.add_column(column)
        for item in skipped:
            table.add_row(escape(_visible(item.document)), str(item.line),
                          escape(_visible(item.label)), item.reason)  # fmt: skip
        console.print(table)
        info("A speaker after all? `codeer speakers set LABEL ROLE --document DOC`.")


@speakers_app.command("set")
def set_role(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="The speaker label exactly as written.")],
    role: Annotated[Role, typer.Argument(help="interviewer, respondent or other.")],
    document: DocumentOption = None,
) -> None:
    """Give a speaker label a role, in one document or in all (and in later imports).

    Turns with that label change role; where the label was read as text, the document is
    segmented again with it as a speaker. Sentence units and the machine's suggestions
    follow (the newest codebook runs again); decisions and manual codings never change.
    """
    from codeer.coding.recode import recode_after_roles
    from codeer.ingest.speaker_roles import set_speaker_role
    from codeer.store.documents import resolve_document
    from codeer.store.project import default_actor

    with open_project(ctx) as project:
        doc_id = resolve_document(project.con, document)["id"] if document else None
        change = set_speaker_role(project, label, role.value, doc_id, actor=default_actor())
        where = f"{len(change.documents)} document(s)" if change.documents else "no document"
        info(f"{label!r} is now {role.value}: {change.turns} turn(s) in {where} changed.")
        for name in change.reparsed:
            info(f"  {name}: segmented again with {label!r} as a speaker.")
        if change.documents:
            result = recode_after_roles(project)
            if result is not None:
                info(
                    f"Coded again: {result.suggestions} suggestions ({result.added} added, "
                    f"{result.retracted} retracted); decisions unchanged."
                )
