"""``codeer codebook check FILE`` and ``codeer codebook show``: validate and print codebooks."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from codeer.cli.common import data_stream, info, project_dir

codebook_app = typer.Typer(
    name="codebook",
    help="Check a codebook file or show the codebook tree.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add the ``codebook`` command group to *app*."""
    app.add_typer(codebook_app, name="codebook")


@codebook_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="The codebook YAML file to check.")],
) -> None:
    """Report every problem in a codebook with its line and field (exit 1 if there are any)."""
    from codeer.coding.codebook import check_codebook, parse_codebook

    problems = check_codebook(file)
    for problem in problems:
        # One grep- and editor-friendly line per problem: FILE:LINE: field: message.
        print(f"{file}:{problem.line}: {problem.field}: {problem.message}")
    if problems:
        print(f"Error: {len(problems)} problem(s) in {file}", file=sys.stderr)
        raise typer.Exit(1)
    codebook = parse_codebook(file.read_text(encoding="utf-8"), source=str(file))
    top = codebook.children(None)
    keys = ", ".join(c.key for c in top[:12])
    if len(top) > 12:  # one readable line, also for a codebook of thousands of codes
        keys += f", ... and {len(top) - 12:,} more"
    info(f"OK: {file}: {len(codebook.codes)} codes, {len(top)} top-level ({keys}).")


@codebook_app.command("show")
def show(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Codebook file (default: the project's latest codebook, else the shipped one)."
        ),
    ] = None,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ShowFormat.table,
) -> None:
    """Print the code tree: key, label, parent and path of every code."""
    from codeer.coding.codebook import load_codebook

    codebook = (
        load_codebook(file) if file is not None else _project_codebook(ctx) or load_codebook()
    )
    if fmt is ShowFormat.json:
        rows = [
            {"key": c.key, "label": c.label, "parent": c.parent, "path": c.path}
            for _, c in codebook.tree()
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    tree = codebook.tree()
    width = max(len("  " * depth + code.key) for depth, code in tree)
    print(f"{'CODE'.ljust(width)}  {'PATTERNS':>8}  LABEL")
    for depth, code in tree:
        name = "  " * depth + code.key
        print(f"{name.ljust(width)}  {len(code.patterns):>8}  {code.label}")
    info(f"{len(codebook.codes)} codes from {codebook.source}")


def _project_codebook(ctx: typer.Context):
    """The latest codebook stored in the current project, if there is a project."""
    from codeer.coding.codebook import latest_stored_codebook
    from codeer.store.project import DB_NAME, Project

    folder = project_dir(ctx)
    if not (folder / DB_NAME).is_file():
        return None
    with Project.open(folder) as project:
        return latest_stored_codebook(project.con)


@codebook_app.command("import")
def import_qdc_command(
    file: Annotated[Path, typer.Argument(help="A REFI-QDA codebook (.qdc) from another tool.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the YAML here (default: standard output)."),
    ] = None,
) -> None:
    """Convert a REFI-QDA codebook (.qdc) to a codeer YAML codebook (codes, hierarchy,
    definitions; no patterns)."""
    from codeer.exchange.qdc import import_qdc
    from codeer.store.files import write_text_atomic

    text = import_qdc(file, name=output.stem if output else None)
    if output is None:
        data_stream().write(text)  # another tool's text: shown, never obeyed
        return
    write_text_atomic(output, text)
    info(f"Wrote {output}: check it with `codeer codebook check {output}`.")
