"""Build small real projects for tests, straight through the store.

All people, places and municipalities in test data are fictional.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from codeer.store.project import Project, now


def new_project(folder: Path) -> Project:
    """A fresh project in *folder* (created)."""
    return Project.init(folder)


def add_document(
    project: Project,
    name: str,
    text: str,
    attributes: dict[str, str] | None = None,
    turns: Iterable[tuple[str, str, int, int]] | None = None,
) -> int:
    """Insert a document; *turns* are (speaker, role, start, end). Default: one respondent turn."""
    turns = list(turns) if turns is not None else [("R", "respondent", 0, len(text))]
    with project.transaction() as con:
        cur = con.execute(
            "INSERT INTO documents (name, source, sha256, text, format, imported_at) "
            "VALUES (?, ?, ?, ?, 'txt', ?)",
            (name, name, hashlib.sha256(text.encode()).hexdigest(), text, now()),
        )
        doc_id = cur.lastrowid
        for key, value in (attributes or {}).items():
            con.execute(
                "INSERT INTO attributes (document_id, key, value) VALUES (?, ?, ?)",
                (doc_id, key, value),
            )
        for idx, (speaker, role, start, end) in enumerate(turns):
            con.execute(
                "INSERT INTO turns (document_id, idx, speaker, role, start, end) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (doc_id, idx, speaker, role, start, end),
            )
    return doc_id


def add_codebook(project: Project, codes: Iterable[tuple[str, str | None]]) -> int:
    """Store a minimal codebook from (key, parent) pairs; returns its id."""
    codes = list(codes)
    parents = dict(codes)

    def path(key: str) -> str:
        chain = [key]
        while parents.get(chain[0]):
            chain.insert(0, parents[chain[0]])
        return "/".join(chain)

    content = json.dumps(codes)
    with project.transaction() as con:
        cur = con.execute(
            "INSERT INTO codebooks (hash, source, content, loaded_at) VALUES (?, 'test', ?, ?)",
            (hashlib.sha256(content.encode()).hexdigest(), content, now()),
        )
        book_id = cur.lastrowid
        for key, parent in codes:
            con.execute(
                "INSERT INTO codes (codebook_id, key, label, parent, path, definition) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (book_id, key, key.title(), parent, path(key), f"Definition of {key}."),
            )
    return book_id


def add_coding(
    project: Project,
    document_id: int,
    start: int,
    end: int,
    code: str,
    *,
    status: str = "suggested",
    coder: str = "codeer",
    score: float | None = 0.8,
    valence: str | None = "neutral",
    evidence: list | None = None,
    suggestion_id: int | None = None,
    codebook_id: int | None = None,
) -> int:
    """Insert one coding row (a suggestion by default); returns its id."""
    if evidence is None and status == "suggested":
        evidence = [{"pattern": "lemma:test", "words": "test", "start": start, "end": end}]
    with project.transaction() as con:
        cur = con.execute(
            "INSERT INTO codings (document_id, start, end, code, status, coder, score, valence,"
            " evidence, codebook_id, suggestion_id, created_at, decided_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                document_id,
                start,
                end,
                code,
                status,
                coder,
                score,
                valence,
                json.dumps(evidence or []),
                codebook_id,
                suggestion_id,
                now(),
                None if status == "suggested" else now(),
            ),
        )
    return cur.lastrowid
