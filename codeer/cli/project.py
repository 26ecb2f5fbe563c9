"""``codeer init``: create a project folder with an empty store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from codeer.cli.common import info, project_dir


def register(app: typer.Typer) -> None:
    """Add the project commands to *app*."""
    app.command("init")(init)


def init(
    ctx: typer.Context,
    folder: Annotated[
        Path | None,
        typer.Argument(help="Folder for the project (default: --project or the current folder)."),
    ] = None,
) -> None:
    """Create a codeer project (a folder with codeer.db); harmless on an existing one."""
    from codeer.store.project import DB_NAME, Project

    target = folder if folder is not None else project_dir(ctx)
    existed = (target / DB_NAME).is_file()
    with Project.init(target) as project:
        if not existed:
            with project.transaction():
                project.log("init", {"folder": str(target.resolve())})
        version = project.schema_version()
    verb = "Opened existing" if existed else "Created"
    info(f"{verb} project in {target} (schema version {version}).")
