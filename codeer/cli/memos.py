"""``codeer memos``: every memo with its document, fragment, code, coder and time."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from codeer.cli.common import data_stream, info, open_project


class Format(StrEnum):
    md = "md"
    csv = "csv"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    """Add ``memos`` to *app*."""
    app.command("memos")(memos)


def memos(
    ctx: typer.Context,
    fmt: Annotated[
        Format, typer.Option("--format", help="md (readable), csv or jsonl.")
    ] = Format.md,
    coder: Annotated[
        str | None, typer.Option("--coder", metavar="NAME", help="Only this coder's memos.")
    ] = None,
    raw: Annotated[
        bool, typer.Option("--raw", help="csv: no leading ' before cells a spreadsheet runs.")
    ] = False,
) -> None:
    """Every memo: document, span, fragment, code, coder and time."""
    from codeer.store.memos import COLUMNS, list_memos, memos_markdown

    with open_project(ctx) as project:
        found = list_memos(project.con, coder)
    if fmt is Format.jsonl:
        import json

        for memo in found:
            data_stream().write(json.dumps(memo.to_dict(), ensure_ascii=False) + "\n")
    elif fmt is Format.csv:
        import csv

        from codeer.store.safe_output import spreadsheet_row

        writer = csv.writer(data_stream(), lineterminator="\n")
        writer.writerow(COLUMNS)
        for memo in found:
            record = memo.to_dict()
            writer.writerow(
                spreadsheet_row(["" if record[c] is None else record[c] for c in COLUMNS], raw)
            )
    else:
        data_stream().write(memos_markdown(found))
    info(f"{len(found)} memo(s).")
