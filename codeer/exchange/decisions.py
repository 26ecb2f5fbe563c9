"""Decision files: coders on copies of a project merge their work without a server.

``export_decisions`` writes one JSON object per line for every human decision and manual
coding (accepted, rejected and manual rows of anyone but the machine coders)::

    {"document": "hoogerbrug.txt", "sha256": "<of the stored text, UTF-8>",
     "start": 289, "end": 365, "code": "verbinden", "status": "accepted",
     "coder": "anna", "memo": null, "created_at": "...", "decided_at": "...",
     "suggestion": {"start": 289, "end": 365, "code": "verbinden"}}

``suggestion`` is null for a manual coding; for a decision it names the machine's
suggestion so the decision can be linked again to the same suggestion in the other copy.

``import_decisions`` adds what is new, in one transaction for the whole file, and never
overwrites. Per line (numbered from 1):

- refused: not JSON, a missing field, a document that is not in this project or whose
  text differs (sha256), a span outside the text, an unknown code, a machine coder;
- a decision is grouped with the other lines of the same coder on the same suggestion
  (a "change code" is two rows): if this project has the suggestion, the group is added
  when the coder has not decided it here, unchanged when the coder decided it the same
  way, and a *conflict* otherwise; without the suggestion here it is added unlinked;
- a manual (or unlinked) row is unchanged when the coder has the same span and code with
  the same status (and memo), a conflict when with another status or memo, else added.

A second import of the same file therefore changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codeer.errors import CodeerError
from codeer.store.coding_writes import insert_coding
from codeer.store.codings import MACHINE_CODERS
from codeer.store.project import Project, default_actor

FIELDS = ("document", "sha256", "start", "end", "code", "status", "coder", "memo",
          "created_at", "decided_at", "suggestion")  # fmt: skip
STATUSES = ("accepted", "rejected", "manual")
IMPORT_ACTION = "decisions.import"


class DecisionFileError(CodeerError):
    """The decision file cannot be read at all."""


def text_sha256(text: str) -> str:
    """The sha256 of a document's stored text (UTF-8): what ties a line to its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def export_decisions(con: sqlite3.Connection, coder: str | None = None) -> list[dict[str, Any]]:
    """Every human decision and manual coding (of *coder* only, when given), in order."""
    sql = (
        "SELECT c.*, d.name, d.text, s.start AS s_start, s.end AS s_end, s.code AS s_code "
        "FROM codings c JOIN documents d ON d.id = c.document_id "
        "LEFT JOIN codings s ON s.id = c.suggestion_id "
        f"WHERE c.status IN ('accepted', 'rejected', 'manual') AND c.coder NOT IN "
        f"({', '.join('?' * len(MACHINE_CODERS))})"
    )
    params: list[Any] = list(MACHINE_CODERS)
    if coder:
        sql += " AND c.coder = ?"
        params.append(coder)
    sql += " ORDER BY d.name, c.start, c.end, c.code, c.coder, c.id"
    hashes: dict[int, str] = {}
    records = []
    for row in con.execute(sql, params):
        if row["document_id"] not in hashes:
            hashes[row["document_id"]] = text_sha256(row["text"])
        suggestion = None
        if row["suggestion_id"] is not None and row["s_code"] is not None:
            suggestion = {"start": row["s_start"], "end": row["s_end"], "code": row["s_code"]}
        records.append(
            {
                "document": row["name"],
                "sha256": hashes[row["document_id"]],
                "start": row["start"],
                "end": row["end"],
                "code": row["code"],
                "status": row["status"],
                "coder": row["coder"],
                "memo": row["memo"],
                "created_at": row["created_at"],
                "decided_at": row["decided_at"],
                "suggestion": suggestion,
            }
        )
    return records


@dataclass
class ImportResult:
    """What an import did, line by line where something was not added."""

    added: int = 0
    linked: int = 0  # of the added rows, linked to a suggestion of this project
    unchanged: int = 0
    conflicts: list[tuple[int, str]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.added} row(s) added ({self.linked} linked to a suggestion), "
            f"{self.unchanged} unchanged, {len(self.conflicts)} conflict(s), "
            f"{len(self.refused)} line(s) refused"
        )


def _check(
    record: Any, docs: dict[str, sqlite3.Row], codes: set[str], hashes: dict[str, str]
) -> str | None:
    """Why a parsed line cannot be imported, or None (*hashes*: each text's sha256, filled
    as lines name documents, so a document is hashed once, not once per line)."""
    if not isinstance(record, dict):
        return "not a JSON object"
    missing = [f for f in FIELDS if f not in record]
    if missing:
        return f"missing field {missing[0]!r}"
    ints = (record["start"], record["end"])
    if any(isinstance(v, bool) or not isinstance(v, int) for v in ints):
        return "start and end must be whole numbers"
    if record["status"] not in STATUSES:
        return f"status {record['status']!r} is not one of {', '.join(STATUSES)}"
    coder = record["coder"]
    if not isinstance(coder, str) or not coder.strip() or coder in MACHINE_CODERS:
        return f"coder {coder!r} is not a person's name"
    doc = docs.get(record["document"])
    if doc is None:
        return f"document {record['document']!r} is not in this project"
    if record["document"] not in hashes:
        hashes[record["document"]] = text_sha256(doc["text"])
    if hashes[record["document"]] != record["sha256"]:
        return f"the text of {record['document']!r} differs from the exporting project's"
    if not 0 <= record["start"] < record["end"] <= len(doc["text"]):
        return f"span {record['start']}-{record['end']} is outside the text"
    if record["code"] not in codes:
        return f"unknown code {record['code']!r} (load the codebook first)"
    sug = record["suggestion"]
    if sug is not None and not (isinstance(sug, dict) and {"start", "end", "code"} <= set(sug)):
        return "suggestion must be null or have start, end and code"
    return None


def _find_suggestion(con: sqlite3.Connection, doc_id: int, sug: dict[str, Any]) -> int | None:
    row = con.execute(
        "SELECT id FROM codings WHERE document_id = ? AND start = ? AND end = ? AND code = ? "
        f"AND status IN ('suggested', 'retracted') AND coder IN "
        f"({', '.join('?' * len(MACHINE_CODERS))}) ORDER BY status = 'retracted', id LIMIT 1",
        (doc_id, sug["start"], sug["end"], sug["code"], *MACHINE_CODERS),
    ).fetchone()
    return int(row[0]) if row else None


def _insert(con: sqlite3.Connection, doc_id: int, rec: dict, suggestion_id: int | None) -> int:
    sug = None
    if suggestion_id is not None:
        sug = con.execute(
            "SELECT score, valence, codebook_id, code FROM codings WHERE id = ?", (suggestion_id,)
        ).fetchone()
    book = sug["codebook_id"] if sug else con.execute("SELECT max(id) FROM codebooks").fetchone()[0]
    same = sug is not None and sug["code"] == rec["code"]  # score belongs to that code only
    coding_id = insert_coding(
        con, doc_id, rec["start"], rec["end"], rec["code"], rec["status"], rec["coder"],
        score=sug["score"] if same else None,
        valence=sug["valence"] if sug is not None and rec["status"] != "manual" else None,
        codebook_id=book, suggestion_id=suggestion_id, memo=rec["memo"],
        created_at=rec["created_at"] or rec["decided_at"] or "", decided_at=rec["decided_at"],
    )  # fmt: skip
    return coding_id


def _merge_group(con, result: ImportResult, doc_id: int, sid: int, lines: list) -> None:
    """Lines of one coder on one suggestion of this project: all added, or none."""
    coder = lines[0][1]["coder"]
    existing = con.execute(
        "SELECT status, code, start, end, memo FROM codings WHERE suggestion_id = ? "
        "AND coder = ? AND status IN ('accepted', 'rejected')",
        (sid, coder),
    ).fetchall()
    here = {(r["status"], r["code"], r["start"], r["end"]): r["memo"] for r in existing}
    there = {(r["status"], r["code"], r["start"], r["end"]): r["memo"] for _, r in lines}
    if not here:
        for _, rec in lines:
            result.rows.append(_insert(con, doc_id, rec, sid))
            result.added += 1
            result.linked += 1
        return
    if set(here) == set(there) and all(here[k] == there[k] for k in here):
        result.unchanged += len(lines)
        return
    what = "with another memo" if set(here) == set(there) else "differently"
    for n, rec in lines:
        result.conflicts.append(
            (n, f"{coder} already decided this suggestion {what} ({rec['document']} "
                f"{rec['start']}-{rec['end']} {rec['code']})"),
        )  # fmt: skip


def _merge_row(con, result: ImportResult, doc_id: int, n: int, rec: dict) -> None:
    """One manual (or unlinked) row: added, unchanged, or a conflict."""
    rows = con.execute(
        "SELECT status, memo FROM codings WHERE document_id = ? AND start = ? AND end = ? "
        "AND code = ? AND coder = ? AND status IN ('accepted', 'rejected', 'manual')",
        (doc_id, rec["start"], rec["end"], rec["code"], rec["coder"]),
    ).fetchall()
    if not rows:
        result.rows.append(_insert(con, doc_id, rec, None))
        result.added += 1
        return
    if any(r["status"] == rec["status"] and r["memo"] == rec["memo"] for r in rows):
        result.unchanged += 1
        return
    where = f"{rec['document']} {rec['start']}-{rec['end']} {rec['code']}"
    result.conflicts.append(
        (n, f"{rec['coder']} has {where} here as {rows[0]['status']} with another memo"
            if any(r["status"] == rec["status"] for r in rows)
            else f"{rec['coder']} has {where} here as {rows[0]['status']}, not {rec['status']}"),
    )  # fmt: skip


def import_decisions(project: Project, path: Path) -> ImportResult:
    """Merge a decision file into *project* (one transaction); see the module docstring."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DecisionFileError(
            f"cannot read {path}: {exc}", hint="give a .jsonl file written by export-decisions"
        ) from exc
    result = ImportResult()
    with project.transaction() as con:
        docs = {r["name"]: r for r in con.execute("SELECT id, name, text FROM documents")}
        codes = {r[0] for r in con.execute("SELECT DISTINCT key FROM codes")}
        hashes: dict[str, str] = {}
        groups: dict[tuple, list[tuple[int, dict]]] = {}
        singles: list[tuple[int, dict]] = []
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                result.refused.append((n, f"not valid JSON ({exc.msg})"))
                continue
            reason = _check(record, docs, codes, hashes)
            if reason:
                result.refused.append((n, reason))
                continue
            doc_id = docs[record["document"]]["id"]
            sid = None
            if record["suggestion"] is not None and record["status"] != "manual":
                sid = _find_suggestion(con, doc_id, record["suggestion"])
            if sid is None:
                singles.append((n, record))
            else:
                groups.setdefault((doc_id, sid, record["coder"]), []).append((n, record))
        for (doc_id, sid, _), group in groups.items():
            _merge_group(con, result, doc_id, sid, group)
        for n, record in singles:
            _merge_row(con, result, docs[record["document"]]["id"], n, record)
        result.conflicts.sort()
        if result.rows:
            detail = {"file": str(path), "rows": result.rows, "summary": result.summary()}
            project.log(IMPORT_ACTION, detail, actor=default_actor())
    return result
