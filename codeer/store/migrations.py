"""The schema of a codeer project and how an older one is brought up to date.

``MIGRATIONS[i]`` migrates a project from schema version ``i`` to ``i + 1`` (kept in
``PRAGMA user_version``). :func:`migrate` applies the missing ones on open, each in its
own transaction, so an interrupted migration leaves the previous version intact.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress

from codeer.errors import ProjectError

# Each entry migrates from version i to i+1. Never edit a released migration: add one.
MIGRATIONS: list[str] = [
    # 1: documents, their attributes and speaker turns, and the event log.
    """
    CREATE TABLE documents (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,      -- file name as imported
        source      TEXT NOT NULL,             -- path it was imported from
        sha256      TEXT NOT NULL,             -- of the raw file bytes
        text        TEXT NOT NULL,             -- normalised full text; offsets point here
        format      TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    CREATE TABLE attributes (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        key         TEXT NOT NULL,
        value       TEXT NOT NULL,
        PRIMARY KEY (document_id, key)
    );
    CREATE TABLE turns (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx         INTEGER NOT NULL,
        speaker     TEXT NOT NULL,             -- label as written, '' when unlabelled
        role        TEXT NOT NULL CHECK (role IN ('interviewer', 'respondent')),
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        timestamp   REAL,                      -- seconds from the start, or NULL
        UNIQUE (document_id, idx),
        CHECK (start <= end)
    );
    CREATE TABLE events (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        detail  TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    """,
    # 2: codebooks, codes, sentence units, codings (suggestions and decisions), memos.
    """
    CREATE TABLE codebooks (
        id        INTEGER PRIMARY KEY,
        hash      TEXT NOT NULL UNIQUE,        -- sha256 of the canonical content
        source    TEXT NOT NULL,
        content   TEXT NOT NULL,               -- the YAML as loaded
        loaded_at TEXT NOT NULL
    );
    CREATE TABLE codes (
        codebook_id INTEGER NOT NULL REFERENCES codebooks(id) ON DELETE CASCADE,
        key         TEXT NOT NULL,
        label       TEXT NOT NULL,
        parent      TEXT,
        path        TEXT NOT NULL,             -- keys from the top-level code down, '/'-joined
        definition  TEXT NOT NULL DEFAULT '',
        data        TEXT NOT NULL DEFAULT '{}',-- the full code as JSON
        PRIMARY KEY (codebook_id, key)
    );
    CREATE TABLE units (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        turn_id     INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        UNIQUE (document_id, start, end)
    );
    CREATE TABLE codings (
        id            INTEGER PRIMARY KEY,
        document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start         INTEGER NOT NULL,
        end           INTEGER NOT NULL,
        code          TEXT NOT NULL,           -- code key
        status        TEXT NOT NULL CHECK (status IN
                        ('suggested', 'retracted', 'accepted', 'rejected', 'manual')),
        coder         TEXT NOT NULL,           -- 'codeer' for the machine, else a person
        score         REAL,
        valence       TEXT CHECK (valence IN ('positive', 'negative', 'neutral')),
        evidence      TEXT NOT NULL DEFAULT '[]', -- JSON list of matches
        codebook_id   INTEGER REFERENCES codebooks(id),
        suggestion_id INTEGER REFERENCES codings(id) ON DELETE CASCADE,
        memo          TEXT,
        created_at    TEXT NOT NULL,
        decided_at    TEXT,
        CHECK (start <= end)
    );
    CREATE INDEX codings_doc ON codings(document_id, start);
    CREATE INDEX codings_code ON codings(code, status);
    CREATE INDEX codings_suggestion ON codings(suggestion_id, coder);
    CREATE TABLE memos (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
        coding_id   INTEGER REFERENCES codings(id) ON DELETE CASCADE,
        coder       TEXT NOT NULL,
        text        TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    """,
    # 3: stored cluster runs (until now created on first use by codeer.synthesis.cluster_store with
    # IF NOT EXISTS, hence IF NOT EXISTS here too), and indexes for memo and undo lookups.
    """
    CREATE TABLE IF NOT EXISTS cluster_runs (
        id            INTEGER PRIMARY KEY,
        created_at    TEXT NOT NULL,
        actor         TEXT NOT NULL,
        theme         TEXT NOT NULL,             -- code key clustered (with its sub-codes)
        status        TEXT NOT NULL,             -- the --status filter used
        case_by       TEXT NOT NULL,             -- attribute that defines a case (gemeente)
        k_requested   TEXT NOT NULL,             -- 'auto' or the number asked for
        k             INTEGER NOT NULL,          -- number of clusters made
        seed          INTEGER NOT NULL,
        codebook_id   INTEGER REFERENCES codebooks(id) ON DELETE SET NULL,
        codebook_hash TEXT,                      -- newest codebook when the run was made
        n_fragments   INTEGER NOT NULL,
        params        TEXT NOT NULL DEFAULT '{}',-- JSON: features, criterion, scores, pipeline
        clusters      TEXT NOT NULL DEFAULT '[]' -- JSON: number, label, lemmas, size
    );
    CREATE TABLE IF NOT EXISTS cluster_assignments (
        run_id      INTEGER NOT NULL REFERENCES cluster_runs(id) ON DELETE CASCADE,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        cluster     INTEGER NOT NULL,            -- 1-based, clusters numbered by size
        similarity  REAL,                        -- cosine similarity to the cluster centre
        PRIMARY KEY (run_id, document_id, start, end)
    );
    CREATE INDEX IF NOT EXISTS cluster_runs_theme ON cluster_runs(theme, id);
    CREATE INDEX IF NOT EXISTS memos_coding ON memos(coding_id);
    CREATE INDEX IF NOT EXISTS events_actor ON events(actor, id);
    """,
    # 4: a third turn role, 'other' (text before the first label, a narrator, the chair of
    # a debate), which needs the turns table rebuilt (SQLite cannot alter a CHECK), and
    # where each turn's label begins (so every character belongs to some turn); the
    # speaker roles a researcher set after import; which sentences were read in the
    # document view. migrate() runs this with foreign keys off, as SQLite's procedure for
    # rebuilding a table prescribes, so units keep pointing at their turns.
    """
    CREATE TABLE turns_v4 (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx         INTEGER NOT NULL,
        speaker     TEXT NOT NULL,             -- label as written, '' when unlabelled
        role        TEXT NOT NULL CHECK (role IN ('interviewer', 'respondent', 'other')),
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        timestamp   REAL,                      -- seconds from the start, or NULL
        head        INTEGER,                   -- where the label/timestamp begins (NULL: start)
        UNIQUE (document_id, idx),
        CHECK (start <= end)
    );
    INSERT INTO turns_v4 (id, document_id, idx, speaker, role, start, end, timestamp)
        SELECT id, document_id, idx, speaker, role, start, end, timestamp FROM turns;
    DROP TABLE turns;
    ALTER TABLE turns_v4 RENAME TO turns;
    CREATE TABLE speaker_roles (
        document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE, -- NULL: every document
        speaker     TEXT NOT NULL,             -- the label exactly as written
        role        TEXT NOT NULL CHECK (role IN ('interviewer', 'respondent', 'other')),
        set_at      TEXT NOT NULL,
        actor       TEXT NOT NULL
    );
    CREATE UNIQUE INDEX speaker_roles_key ON speaker_roles(IFNULL(document_id, 0), speaker);
    CREATE TABLE reads (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start       INTEGER NOT NULL,          -- the sentence read, by offsets (units are
        end         INTEGER NOT NULL,          -- rebuilt by coding; offsets stay)
        coder       TEXT NOT NULL,
        read_at     TEXT NOT NULL,
        PRIMARY KEY (document_id, start, end, coder)
    );
    """,
    # 5: `codeer learn`: per theme a model as JSON (never a pickle, so a project from someone
    # else cannot run code), versioned by its decisions; per suggestion its probability.
    """
    ALTER TABLE codings ADD COLUMN learned_score REAL;
    ALTER TABLE codings ADD COLUMN learned TEXT;   -- JSON: model version, features up/down
    CREATE TABLE models (
        id INTEGER PRIMARY KEY, theme TEXT NOT NULL, version INTEGER NOT NULL,
        decisions_hash TEXT NOT NULL,              -- sha256 of the examples and labels
        n_positive INTEGER NOT NULL, n_negative INTEGER NOT NULL,
        model TEXT NOT NULL,                       -- JSON: features, weights, intercept
        created_at TEXT NOT NULL, actor TEXT NOT NULL, UNIQUE (theme, version)
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(con: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations up to *target*; return the version reached."""
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"the project has schema version {version}, newer than this codeer knows "
            f"({SCHEMA_VERSION})",
            hint="upgrade codeer",
        )
    if version >= target:
        return version
    # A migration may rebuild a table (v4): SQLite's procedure turns foreign keys off
    # (only possible outside a transaction) and checks them before each commit.
    con.execute("PRAGMA foreign_keys = OFF")
    try:
        while version < target:
            script = MIGRATIONS[version]
            # executescript would COMMIT first; run statement by statement inside one BEGIN.
            con.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(script):
                    con.execute(statement)
                broken = con.execute("PRAGMA foreign_key_check").fetchone()
                if broken is not None:
                    raise ProjectError(
                        f"migration to schema version {version + 1} would break a reference "
                        f"in table {broken[0]}",
                        hint="nothing was changed; report this with a copy of the project",
                    )
                version += 1
                con.execute(f"PRAGMA user_version = {version}")
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    with suppress(sqlite3.Error):
                        con.execute("ROLLBACK")
                raise
    finally:
        con.execute("PRAGMA foreign_keys = ON")
    return version


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
