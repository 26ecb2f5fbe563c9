"""Opening ``codeer.db`` safely: whose file it is, whether it is whole, read-only access.

Before codeer migrates or reads a database it makes sure that

- the file is codeer's: ``PRAGMA application_id`` holds :data:`APPLICATION_ID` (set at
  init and on the first writable open of an older project); a file without the marker is
  taken as codeer's only when it has a schema version and codeer's tables, and an empty
  file is a new project. Anything else is refused, never altered;
- the file is whole: ``PRAGMA quick_check`` (2-8 ms per megabyte) on files up
  to :data:`QUICK_CHECK_MAX_BYTES`; larger ones rely on SQLite's own errors, which
  :func:`database_error` turns into the same one-line message;
- a project in a folder codeer cannot write (a read-only share, a mounted backup) still
  opens for reading (``mode=ro``, or ``immutable=1`` when SQLite cannot even make its
  shared-memory file there); a writing command then fails with one clear line.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from codeer.errors import ProjectError

APPLICATION_ID = 0x636F6465  # "code" in ASCII; a codeer.db carries it in its header
QUICK_CHECK_MAX_BYTES = 64 * 2**20
# Tables every codeer.db of at least that schema version has (later ones add more).
REQUIRED_TABLES = {
    1: {"documents", "attributes", "turns", "events"},
    2: {"codebooks", "codes", "units", "codings", "memos"},
}
RESTORE_HINT = (
    "restore codeer.db from a backup, or try `sqlite3 codeer.db .recover | sqlite3 fixed.db` "
    "and use fixed.db as codeer.db"
)
READ_ONLY_HINT = "copy the project folder to a place you can write to, or ask for write access"


def open_ready(
    path: Path, create: bool, migrate: Callable[[sqlite3.Connection], int], schema: int
) -> tuple[sqlite3.Connection, bool]:
    """Open, check and (when writable) migrate and mark *path*: (connection, read_only).

    *migrate* is :func:`codeer.store.project.migrate` (passed in: project imports us);
    *schema* the version this codeer writes. Every failure is a :class:`ProjectError`.
    """
    try:
        con, read_only, version = open_database(path, create=create)
    except sqlite3.DatabaseError as exc:
        raise database_error(exc, path) from exc
    try:
        if read_only and version > schema:
            migrate(con)  # says that codeer is too old, and changes nothing
        if read_only and version < schema:
            raise ProjectError(
                f"{path} has schema version {version} and needs an upgrade to {schema}, "
                "but the project is read-only",
                hint="copy the project folder to a place you can write to",
            )
        if not read_only:
            migrate(con)
            mark(con)
    except sqlite3.DatabaseError as exc:
        con.close()
        raise database_error(exc, path) from exc
    except BaseException:
        con.close()
        raise
    return con, read_only


def read_only_error(path: Path) -> ProjectError:
    """The error of a writing command on a project opened read-only."""
    return ProjectError(
        f"{path} is read-only: this command needs to write to the project", hint=READ_ONLY_HINT
    )


def open_database(path: Path, *, create: bool = False) -> tuple[sqlite3.Connection, bool, int]:
    """Connect to *path* and check it: (connection, read_only, schema version).

    Opens for writing when it can; an existing file in a folder (or a file) codeer may not
    write opens read-only instead, so that listing and exporting still work. Nothing is
    written before :func:`check_database` has found the file to be codeer's (switching
    to WAL alone would change another program's file).
    """
    if not create and not _writable(path):
        con = _connect_read_only(path)
        return con, True, _checked(con, path)
    con = _connect_read_write(path)
    version = _checked(con, path)
    try:
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.OperationalError as exc:
        con.close()
        code = getattr(exc, "sqlite_errorcode", None)
        if create or code not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
            raise
        con = _connect_read_only(path)
        return con, True, _checked(con, path)
    return con, False, version


def _checked(con: sqlite3.Connection, path: Path) -> int:
    try:
        return check_database(con, path)
    except BaseException:
        con.close()
        raise


def _writable(path: Path) -> bool:
    folder = path.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _connect_read_write(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is exactly
    # one logical step and nothing is committed behind our back.
    con = sqlite3.connect(path, isolation_level=None, timeout=30)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA foreign_keys = ON")
    return con


def _connect_read_only(path: Path) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri()
    try:
        con = _open_uri(f"{uri}?mode=ro")
    except sqlite3.OperationalError:
        # A WAL database needs its -shm file; in a folder nobody may write, SQLite can
        # only read the file as it is. Unsaved journal pages would then be invisible:
        # refuse rather than show an older state.
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise ProjectError(
                f"{path} is read-only and has changes still in {wal.name}",
                hint=READ_ONLY_HINT,
            ) from None
        con = _open_uri(f"{uri}?mode=ro&immutable=1")
    return con


def _open_uri(uri: str) -> sqlite3.Connection:
    con = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
    try:
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        con.close()
        raise
    return con


def check_database(con: sqlite3.Connection, path: Path) -> int:
    """Make sure *con* is a whole codeer database (or an empty file); return its version.

    Raises :class:`ProjectError` for another program's SQLite file, a damaged file, or a
    schema version without codeer's tables.
    """
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    version = con.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app_id not in (0, APPLICATION_ID):
        raise _not_ours(path, "it belongs to another program (its application id is set)")
    if app_id == 0 and version == 0 and tables:
        shown = ", ".join(sorted(tables)[:5])
        raise _not_ours(path, f"it holds other tables ({shown})")
    missing = set().union(*(t for v, t in REQUIRED_TABLES.items() if version >= v))
    missing -= tables
    if missing:
        raise ProjectError(
            f"{path} is damaged: schema version {version} but tables "
            f"{', '.join(sorted(missing))} are missing",
            hint=RESTORE_HINT,
        )
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size <= QUICK_CHECK_MAX_BYTES:
        problems = [row[0] for row in con.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise ProjectError(
                f"{path} is damaged ({problems[0]})".splitlines()[0], hint=RESTORE_HINT
            )
    return version


def mark(con: sqlite3.Connection) -> None:
    """Set codeer's application id in the header (once; on a writable connection)."""
    if con.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _not_ours(path: Path, why: str) -> ProjectError:
    return ProjectError(
        f"{path} is not a codeer database: {why}; codeer leaves it untouched",
        hint="use another folder for the codeer project, or rename that file",
    )


def database_error(exc: sqlite3.Error, path: Path | str | None = None) -> ProjectError:
    """A SQLite error as one line a researcher can act on (disk full, damaged, read-only)."""
    code = getattr(exc, "sqlite_errorcode", None)
    where = str(path) if path else "the project database"
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if code == sqlite3.SQLITE_FULL:
        return disk_full_error()
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return ProjectError(f"{where} is damaged or not a database ({first})", hint=RESTORE_HINT)
    if code == sqlite3.SQLITE_READONLY or (code == sqlite3.SQLITE_CANTOPEN and path is None):
        return ProjectError(f"{where} is read-only ({first})", hint=READ_ONLY_HINT)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return ProjectError(
            f"{where} is busy ({first})",
            hint="another codeer command is writing to this project; wait and try again",
        )
    if code == sqlite3.SQLITE_IOERR:
        return ProjectError(f"cannot read or write {where} ({first})", hint="check the disk")
    return ProjectError(f"database error in {where}: {first}")


def disk_full_error() -> ProjectError:
    """The one message for a full disk, whoever noticed it (SQLite or a file write)."""
    return ProjectError(
        "the disk is full: the step in progress was not saved (the project is as before it)",
        hint="free some disk space and run the command again",
    )


def os_error(exc: OSError) -> ProjectError:
    """A file-system error (full disk, no permission, read-only disk) as one line."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full_error()
    name = f"{exc.filename}: " if exc.filename else ""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ProjectError(f"{name}{reason}", hint="check the permissions of that file or folder")
    return ProjectError(f"{name}{reason}".splitlines()[0])
