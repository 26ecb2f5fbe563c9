"""The ``codeer`` entry point: global options, command registration and error handling.

Each command module exposes ``register(app)``; heavy libraries are imported inside the
commands so that ``codeer --help`` stays instant.
"""

from __future__ import annotations

import importlib
import os
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
            _error(exc)
        except KeyboardInterrupt:
            print("Interrupted.", file=sys.stderr)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # `codeer segments | head`: the reader has all it wanted. Say nothing, and keep
            # Python from complaining about stdout at exit.
            _silence_stdout()
            raise typer.Exit(0) from None
        except Exception as exc:
            # typer's own exits and usage errors pass; a database or file-system error
            # (full disk, damaged file, no permission) becomes one line, never a traceback.
            if type(exc).__module__.split(".")[0] in ("typer", "click"):
                raise
            _error(_domain_error(exc))


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test runner's stdout)
        pass


def _error(exc) -> None:
    print(f"Error: {exc.one_line()}", file=sys.stderr)
    raise typer.Exit(1) from None


def _domain_error(exc: Exception):
    """The CodeerError a user sees for an error no command turned into one."""
    import sqlite3

    from codeer.errors import CodeerError
    from codeer.store.opening import database_error, os_error

    if isinstance(exc, sqlite3.Error):
        return database_error(exc)
    if isinstance(exc, MemoryError):
        return CodeerError("out of memory", hint="close other programs or use a smaller input")
    if isinstance(exc, OSError):
        return os_error(exc)
    if os.environ.get("CODEER_DEBUG"):
        raise exc
    text = str(exc).splitlines()[0] if str(exc) else ""
    return CodeerError(
        f"unexpected error ({type(exc).__name__}{': ' + text if text else ''})",
        hint="this is a bug in codeer: please report it with the output of the same "
        "command run with CODEER_DEBUG=1",
    )


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
    "codeer.cli.speakers",
    "codeer.cli.codebook",
    "codeer.cli.coding",
    "codeer.cli.run",
    "codeer.cli.review",
    "codeer.cli.matrix",
    "codeer.cli.cluster",
    "codeer.cli.reading",
    "codeer.cli.exchange",
    "codeer.cli.learning",
    "codeer.cli.agreement",
    "codeer.cli.decisions_io",
    "codeer.cli.memos",
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
