"""Stored cluster runs, so that a report can cite exactly which clustering it shows.

One run = one theme clustered once: its parameters, the codebook version, and the cluster
of every fragment. The tables ``cluster_runs`` and ``cluster_assignments`` are created by
migration 3 in :mod:`codeer.store.migrations` (before that, by this module on first use).
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from codeer.store.project import default_actor, now

if TYPE_CHECKING:
    from codeer.store.project import Project
    from codeer.synthesis.model import ThemeClustering


def ensure_tables(con: sqlite3.Connection) -> None:
    """Kept for callers of earlier versions: a no-op now.

    The cluster tables are part of the schema since migration 3 (:mod:`codeer.store.project`),
    so every project opened with :meth:`Project.open` or :meth:`Project.init` has them.
    """


def has_tables(con: sqlite3.Connection) -> bool:
    """Whether the cluster tables exist (always, from schema version 3 on).

    Only a raw connection to a database below version 3 lacks them; readers then return
    nothing instead of failing.
    """
    row = con.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cluster_runs'"
    ).fetchone()
    return row is not None


def current_codebook(con: sqlite3.Connection) -> tuple[int | None, str | None]:
    """Id and hash of the newest codebook (the one whose code paths win), if any."""
    row = con.execute("SELECT id, hash FROM codebooks ORDER BY id DESC LIMIT 1").fetchone()
    return (row["id"], row["hash"]) if row else (None, None)


def save_run(project: Project, result: ThemeClustering) -> int:
    """Store one theme's clustering in one transaction; sets and returns ``result.run_id``."""
    with project.transaction() as con:
        codebook_id, codebook_hash = current_codebook(con)
        doc_ids = {row["name"]: row["id"] for row in con.execute("SELECT id, name FROM documents")}
        clusters = [
            {"number": c.number, "label": c.label, "lemmas": c.lemmas, "size": c.size}
            for c in result.clusters
        ]
        cur = con.execute(
            "INSERT INTO cluster_runs (created_at, actor, theme, status, case_by, k_requested,"
            " k, seed, codebook_id, codebook_hash, n_fragments, params, clusters)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                now(),
                default_actor(),
                result.theme,
                result.status,
                result.by,
                str(result.k_requested),
                result.k,
                result.seed,
                codebook_id,
                codebook_hash,
                len(result.fragments),
                json.dumps(result.params, ensure_ascii=False),
                json.dumps(clusters, ensure_ascii=False),
            ),
        )
        run_id = int(cur.lastrowid)
        con.executemany(
            "INSERT INTO cluster_assignments (run_id, document_id, start, end, cluster,"
            " similarity) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (run_id, doc_ids[f.document], f.start, f.end, cluster, round(sim, 6))
                for f, cluster, sim in zip(
                    result.fragments, result.assignments, result.similarities, strict=True
                )
            ],
        )
        project.log(
            "cluster",
            {"run": run_id, "theme": result.theme, "k": result.k, "seed": result.seed},
        )
    result.run_id = run_id
    result.codebook = {"id": codebook_id, "hash": codebook_hash}
    return run_id


def load_run(con: sqlite3.Connection, run_id: int) -> dict[str, Any] | None:
    """A stored run as a dict (params and clusters decoded), or None."""
    if not has_tables(con):
        return None
    row = con.execute("SELECT * FROM cluster_runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        return None
    run = dict(row)
    run["params"] = json.loads(run["params"])
    run["clusters"] = json.loads(run["clusters"])
    return run


def load_assignments(con: sqlite3.Connection, run_id: int) -> list[dict[str, Any]]:
    """Document name, start, end and cluster of every fragment of a run, in stored order."""
    if not has_tables(con):
        return []
    rows = con.execute(
        "SELECT d.name AS document, a.start, a.end, a.cluster, a.similarity"
        " FROM cluster_assignments a JOIN documents d ON d.id = a.document_id"
        " WHERE a.run_id = ? ORDER BY d.name, a.start, a.end",
        (run_id,),
    ).fetchall()
    return [dict(row) for row in rows]


def list_runs(con: sqlite3.Connection, theme: str | None = None) -> list[dict[str, Any]]:
    """Stored runs, newest first (optionally for one theme)."""
    if not has_tables(con):
        return []
    sql = (
        "SELECT id, created_at, theme, status, k_requested, k, seed, n_fragments FROM cluster_runs"
    )
    params: tuple[Any, ...] = ()
    if theme:
        sql += " WHERE theme = ?"
        params = (theme,)
    return [dict(r) for r in con.execute(sql + " ORDER BY id DESC", params).fetchall()]
