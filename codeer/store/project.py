"""The SQLite project store: opening, creating and transactions.

A project is a folder holding ``codeer.db``. The schema is versioned with
``PRAGMA user_version`` and migrated forward on open (:mod:`codeer.store.migrations`),
each migration in its own transaction, so an interrupted migration leaves the previous
version intact. Every writing command uses :meth:`Project.transaction` once per logical
step.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from codeer.errors import ProjectError
from codeer.store.migrations import SCHEMA_VERSION, migrate

DB_NAME = "codeer.db"


def now() -> str:
    """The current UTC time as an ISO 8601 string (seconds precision)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def default_actor() -> str:
    """The person running codeer: ``CODEER_CODER``, else the login name."""
    name = os.environ.get("CODEER_CODER")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers; still record something
        return "unknown"


class Project:
    """An open codeer project: a folder with ``codeer.db``."""

    def __init__(self, folder: Path, con: sqlite3.Connection):
        self.folder = folder
        self.con = con
        self.read_only = False

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    @classmethod
    def init(cls, folder: Path) -> Project:
        """Create (or open, if it exists) a project in *folder*.

        An existing ``codeer.db`` that is not codeer's, or is damaged, is refused untouched.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        return cls._open(folder, folder / DB_NAME, create=True)

    @classmethod
    def open(cls, folder: Path) -> Project:
        """Open an existing project, migrating its schema if it is older.

        A project codeer may not write opens read-only (``read_only`` is then True): it
        can be listed and exported, and a writing command fails with one clear line.
        """
        folder = Path(folder)
        path = folder / DB_NAME
        if not path.is_file():
            raise ProjectError(
                f"no codeer project in {folder} (no {DB_NAME})",
                hint=f"run `codeer init {folder}` or pass --project DIR",
            )
        return cls._open(folder, path, create=False)

    @classmethod
    def _open(cls, folder: Path, path: Path, create: bool) -> Project:
        from codeer.store.opening import open_ready

        con, read_only = open_ready(path, create, migrate, SCHEMA_VERSION)
        project = cls(folder, con)
        project.read_only = read_only
        return project

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One logical step: everything inside commits together or not at all."""
        if self.read_only:
            from codeer.store.opening import read_only_error

            raise read_only_error(self.db_path)
        self.con.execute("BEGIN IMMEDIATE")
        try:
            yield self.con
        except BaseException:
            # SQLite may already have rolled back (a full disk does): a failing ROLLBACK
            # must not hide the error that stopped the step.
            if self.con.in_transaction:
                with suppress(sqlite3.Error):
                    self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    def log(self, action: str, detail: dict[str, Any] | None = None, actor: str | None = None):
        """Append an event; call inside the transaction of the step it describes."""
        self.con.execute(
            "INSERT INTO events (at, actor, action, detail) VALUES (?, ?, ?, ?)",
            (now(), actor or default_actor(), action, json.dumps(detail or {}, ensure_ascii=False)),
        )

    def schema_version(self) -> int:
        return self.con.execute("PRAGMA user_version").fetchone()[0]
