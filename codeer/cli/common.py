"""Helpers shared by the command modules: the project option, output and errors."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from codeer.store.project import Project


def project_dir(ctx: typer.Context) -> Path:
    """The project folder from the global ``--project`` option (or CODEER_PROJECT, or cwd)."""
    obj = ctx.find_root().obj or {}
    folder = obj.get("project") or os.environ.get("CODEER_PROJECT") or "."
    return Path(folder)


def open_project(ctx: typer.Context) -> Project:
    """Open the project named by ``--project``; a missing project is a one-line error."""
    from codeer.store.project import Project

    return Project.open(project_dir(ctx))


def info(message: str) -> None:
    """A message for the user: stderr, so stdout stays pure data."""
    print(message, file=sys.stderr)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one ``Error: ...`` line on stderr and return the Exit to raise."""
    print(f"Error: {message}", file=sys.stderr)
    return typer.Exit(code)


def parse_where(values: list[str] | None) -> dict[str, str]:
    """Turn ``--where KEY=VALUE`` options into a dict; a malformed one is a usage error."""
    result: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--where")
        result[key.strip()] = value.strip()
    return result


def err_console():
    """A rich console on stderr for progress bars and tables meant for people."""
    from rich.console import Console

    return Console(stderr=True)


class _TerminalStream:
    """stdout for data shown on a terminal: control characters from transcripts (escape
    sequences) are written visibly (``\\x1b``), never obeyed. Files and pipes get the
    bytes as they are, so exports stay exact."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        from codeer.store.safe_output import terminal_text

        return self._stream.write(terminal_text(text))

    def flush(self) -> None:
        self._stream.flush()


def data_stream():
    """Where a command writes its data (csv, jsonl, Markdown): stdout, made safe on a terminal."""
    stream = sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return _TerminalStream(stream) if tty else stream


def table_console():
    """A rich console for a table on stdout; a pipe or file gets no width to fit into."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=1000)
