"""The project store: migrations, WAL, foreign keys, the append-only event log."""

from __future__ import annotations

import sqlite3

import pytest

from codeer.errors import ProjectError
from codeer.store import DB_NAME, MIGRATIONS, SCHEMA_VERSION, Project, migrate


def test_new_project_has_current_schema_wal_and_foreign_keys(tmp_path):
    with Project.init(tmp_path) as project:
        assert project.schema_version() == SCHEMA_VERSION
        assert project.con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert project.con.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_older_schema_is_migrated_on_open_and_keeps_its_data(tmp_path):
    # Build a version-1 project by hand, as an earlier codeer would have left it.
    con = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    migrate(con, target=1)
    con.execute(
        "INSERT INTO documents (name, source, sha256, text, format, imported_at)"
        " VALUES ('oud.txt', 'oud.txt', 'x', 'R: Hallo.', 'txt', '2025-01-01')"
    )
    con.execute(
        "INSERT INTO turns (document_id, idx, speaker, role, start, end)"
        " VALUES (1, 0, 'R', 'respondent', 3, 9)"
    )
    con.close()

    with Project.open(tmp_path) as project:
        assert project.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
        assert project.con.execute("SELECT name FROM documents").fetchone()[0] == "oud.txt"
        tables = {
            r[0] for r in project.con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert {"codings", "codebooks", "units", "memos"} <= tables


def test_newer_schema_is_refused(tmp_path):
    Project.init(tmp_path).close()
    con = sqlite3.connect(tmp_path / DB_NAME)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(ProjectError, match="newer"):
        Project.open(tmp_path)


def test_missing_project_is_a_clear_error(tmp_path):
    with pytest.raises(ProjectError, match="codeer init"):
        Project.open(tmp_path / "nothing")


def test_event_log_is_append_only(tmp_path):
    with Project.init(tmp_path) as project:
        with project.transaction():
            project.log("test", {"a": 1})
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            project.con.execute("DELETE FROM events")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            project.con.execute("UPDATE events SET action = 'x'")


def test_transaction_rolls_back_as_a_whole(tmp_path):
    with Project.init(tmp_path) as project:
        with pytest.raises(RuntimeError), project.transaction():
            project.log("half", {})
            raise RuntimeError("crash in the middle of a step")
        assert project.con.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
