"""The ``codeer`` entry point: global options, command registration and error handling.

Each command module exposes ``register(app)``; heavy libraries are imported inside the
commands so that ``codeer --help`` stays instant.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from codeer import __version__


class CodeerGroup(TyperGroup):
    """The root command group: turns domain errors into one ``Error:`` line and exit 1.

    Doing this in the group (not only in ``main``) means tests through CliRunner see
    exactly what a user sees.
    """

    def invoke(self, ctx):  # type: ignore[override]
        from codeer.errors import CodeerError

        try:
            return super().invoke(ctx)
        except CodeerError as exc:
            print(f"Error: {exc.one_line()}", file=sys.stderr)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            print("Interrupted.", file=sys.stderr)
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=CodeerGroup,
    name="codeer",
    help="Code interview transcripts with a codebook and Dutch NLP, review, and compare cases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# One module per noun; each has register(app). Order = order in --help.
COMMAND_MODULES = [
    "codeer.cli.project",
    "codeer.cli.importing",
    "codeer.cli.codebook",
    "codeer.cli.coding",
    "codeer.cli.run",
    "codeer.cli.review",
    "codeer.cli.matrix",
    "codeer.cli.cluster",
]


def _version(value: bool) -> None:
    if value:
        print(f"codeer {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            "-p",
            envvar="CODEER_PROJECT",
            help="Project folder (default: the current folder).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """codeer: local, scriptable qualitative coding of interview transcripts."""
    ctx.obj = {"project": str(project) if project else None}


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Run the CLI (the console script and ``python -m codeer``)."""
    app(prog_name="codeer")
