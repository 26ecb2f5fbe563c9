"""The project store: migrations, WAL, foreign keys, the append-only event log."""

from __future__ import annotations

import sqlite3

import pytest

from codeer.errors import ProjectError
from codeer.store.migrations import MIGRATIONS, SCHEMA_VERSION, migrate
from codeer.store.project import DB_NAME, Project


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
        assert {"codings", "codebooks", "units", "memos", "cluster_runs"} <= tables


# What codeer.synthesis.cluster_store created on first use before migration 3 (schema version 2).
OLD_CLUSTER_TABLES = """
CREATE TABLE IF NOT EXISTS cluster_runs (
    id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, actor TEXT NOT NULL,
    theme TEXT NOT NULL, status TEXT NOT NULL, case_by TEXT NOT NULL,
    k_requested TEXT NOT NULL, k INTEGER NOT NULL, seed INTEGER NOT NULL,
    codebook_id INTEGER REFERENCES codebooks(id) ON DELETE SET NULL, codebook_hash TEXT,
    n_fragments INTEGER NOT NULL, params TEXT NOT NULL DEFAULT '{}',
    clusters TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS cluster_assignments (
    run_id INTEGER NOT NULL REFERENCES cluster_runs(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL, cluster INTEGER NOT NULL, similarity REAL,
    PRIMARY KEY (run_id, document_id, start, end)
);
CREATE INDEX IF NOT EXISTS cluster_runs_theme ON cluster_runs(theme, id);
"""


@pytest.mark.parametrize("had_cluster_tables", [False, True], ids=["fresh", "clustered"])
def test_version_2_is_migrated_to_3_with_cluster_tables_and_indexes(tmp_path, had_cluster_tables):
    con = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    assert migrate(con, target=2) == 2
    con.execute(
        "INSERT INTO documents (name, source, sha256, text, format, imported_at)"
        " VALUES ('oud.txt', 'oud.txt', 'x', 'R: Hallo.', 'txt', '2025-01-01')"
    )
    if had_cluster_tables:  # clustered with codeer before migration 3
        con.executescript(OLD_CLUSTER_TABLES)
        con.execute(
            "INSERT INTO cluster_runs (created_at, actor, theme, status, case_by, k_requested,"
            " k, seed, n_fragments) VALUES ('2025-01-01', 'ann', 'vertrouwen', 'accepted',"
            " 'gemeente', 'auto', 1, 0, 1)"
        )
        con.execute(
            "INSERT INTO cluster_assignments (run_id, document_id, start, end, cluster)"
            " VALUES (1, 1, 3, 9, 1)"
        )
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    con.close()

    with Project.open(tmp_path) as project:
        assert project.schema_version() == SCHEMA_VERSION >= 3
        master = project.con.execute("SELECT type, name, tbl_name FROM sqlite_master")
        names = {(r["type"], r["name"]): r["tbl_name"] for r in master}
        assert ("table", "cluster_runs") in names and ("table", "cluster_assignments") in names
        assert names[("index", "cluster_runs_theme")] == "cluster_runs"
        assert names[("index", "memos_coding")] == "memos"
        assert names[("index", "events_actor")] == "events"

        def columns(index: str) -> list[str]:
            return [r["name"] for r in project.con.execute(f"PRAGMA index_info({index})")]

        assert columns("memos_coding") == ["coding_id"]
        assert columns("events_actor") == ["actor", "id"]
        runs = project.con.execute("SELECT COUNT(*) FROM cluster_runs").fetchone()[0]
        assignments = project.con.execute("SELECT COUNT(*) FROM cluster_assignments")
        assert (runs, assignments.fetchone()[0]) == ((1, 1) if had_cluster_tables else (0, 0))
        plan = project.con.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM events WHERE actor = 'ann' ORDER BY id DESC"
        ).fetchall()
        assert any("events_actor" in row["detail"] for row in plan)


def test_cluster_runs_are_stored_without_ensure_tables(tmp_path):
    from codeer.synthesis.cluster_store import ensure_tables, list_runs

    with Project.init(tmp_path) as project:
        ensure_tables(project.con)  # still callable for old callers; does nothing
        assert list_runs(project.con) == []
        with project.transaction() as con:
            con.execute(
                "INSERT INTO cluster_runs (created_at, actor, theme, status, case_by,"
                " k_requested, k, seed, n_fragments) VALUES ('2025-01-01', 'ann', 'x',"
                " 'accepted', 'gemeente', 'auto', 1, 0, 0)"
            )
        assert [r["theme"] for r in list_runs(project.con)] == ["x"]


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


def test_version_3_is_migrated_to_4_keeping_turns_units_and_codings(tmp_path):
    """The turns table is rebuilt for role 'other'; units still point at their turns."""
    con = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    con.execute("PRAGMA foreign_keys = ON")
    assert migrate(con, target=3) == 3
    con.execute(
        "INSERT INTO documents (name, source, sha256, text, format, imported_at)"
        " VALUES ('oud.txt', 'oud.txt', 'x', 'I: Vraag? R: Antwoord.', 'txt', '2025-01-01')"
    )
    con.execute(
        "INSERT INTO turns (id, document_id, idx, speaker, role, start, end)"
        " VALUES (7, 1, 0, 'I', 'interviewer', 3, 9), (8, 1, 1, 'R', 'respondent', 13, 22)"
    )
    con.execute("INSERT INTO units (document_id, turn_id, start, end) VALUES (1, 8, 13, 22)")
    con.execute(
        "INSERT INTO codings (document_id, start, end, code, status, coder, created_at)"
        " VALUES (1, 13, 22, 'vertrouwen', 'manual', 'ann', '2025-01-01')"
    )
    con.close()

    with Project.open(tmp_path) as project:
        assert project.schema_version() == SCHEMA_VERSION >= 4
        db = project.con
        turns = [tuple(r) for r in db.execute("SELECT id, role, start, end FROM turns")]
        assert turns == [(7, "interviewer", 3, 9), (8, "respondent", 13, 22)]
        assert [tuple(r) for r in db.execute("SELECT turn_id, start FROM units")] == [(8, 13)]
        assert db.execute("SELECT COUNT(*) FROM codings").fetchone()[0] == 1
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.execute("UPDATE turns SET role = 'other' WHERE id = 7")  # the new role is allowed
        # Deleting the document still cascades through the rebuilt table.
        db.execute("DELETE FROM documents")
        assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
