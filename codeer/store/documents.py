"""Reading documents and turns back out of the store (for inspection and later steps)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codeer.errors import DocumentNotFound

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def resolve_document(con: sqlite3.Connection, name_or_stem: str) -> sqlite3.Row:
    """The document named *name_or_stem* (file name, or file name without extension)."""
    row = con.execute("SELECT * FROM documents WHERE name = ?", (name_or_stem,)).fetchone()
    if row:
        return row
    names = [r["name"] for r in con.execute("SELECT name FROM documents ORDER BY name")]
    matches = [n for n in names if Path(n).stem == name_or_stem] or [
        n for n in names if n.casefold() == name_or_stem.casefold()
    ]
    if len(matches) == 1:
        return con.execute("SELECT * FROM documents WHERE name = ?", (matches[0],)).fetchone()
    if len(matches) > 1:
        raise DocumentNotFound(
            f"{name_or_stem!r} matches several documents: {', '.join(matches)}",
            hint="give the full file name",
        )
    hint = "see `codeer documents` for the names"
    if not names:
        hint = "the project has no documents yet: run `codeer import PATH`"
    raise DocumentNotFound(f"no document named {name_or_stem!r}", hint=hint)


def count_words(text: str) -> int:
    """Words as a reader counts them (hyphenated and apostrophe words count once)."""
    return len(_WORD.findall(text))


@dataclass
class DocumentSummary:
    """One line of ``codeer documents``."""

    name: str
    format: str
    turns: int
    words: int
    speakers: list[str]
    attributes: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "format": self.format,
            "turns": self.turns,
            "words": self.words,
            "speakers": self.speakers,
            "attributes": self.attributes,
        }


def list_documents(con: sqlite3.Connection) -> list[DocumentSummary]:
    """All documents with turn, word and speaker counts, ordered by name."""
    from codeer.store.codings import document_attributes

    attributes = document_attributes(con)
    result = []
    for doc in con.execute("SELECT id, name, format, text FROM documents ORDER BY name"):
        turns = con.execute(
            "SELECT speaker, start, end FROM turns WHERE document_id = ? ORDER BY idx", (doc["id"],)
        ).fetchall()
        speakers: list[str] = []
        for turn in turns:
            if turn["speaker"] and turn["speaker"] not in speakers:
                speakers.append(turn["speaker"])
        words = sum(count_words(doc["text"][t["start"] : t["end"]]) for t in turns)
        result.append(
            DocumentSummary(
                doc["name"],
                doc["format"],
                len(turns),
                words,
                speakers,
                attributes.get(doc["id"], {}),
            )
        )
    return result


def document_turns(con: sqlite3.Connection, document_id: int) -> list[dict[str, Any]]:
    """The turns of one document as ``codeer show`` prints them."""
    text = con.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()[0]
    rows = con.execute(
        "SELECT idx, speaker, role, start, end, timestamp FROM turns WHERE document_id = ? "
        "ORDER BY idx",
        (document_id,),
    )
    return [
        {
            "index": row["idx"],
            "speaker": row["speaker"],
            "role": row["role"],
            "start": row["start"],
            "end": row["end"],
            "timestamp": row["timestamp"],
            "text": text[row["start"] : row["end"]],
        }
        for row in rows
    ]


def insert_turns(con: sqlite3.Connection, document_id: int, turns: Iterable[Any]) -> None:
    """Store a document's turns (objects with index, speaker, role, start, end, timestamp
    and head, such as :class:`codeer.ingest.model.Turn`); call inside a transaction."""
    con.executemany(
        "INSERT INTO turns (document_id, idx, speaker, role, start, end, timestamp, head)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (document_id, t.index, t.speaker, t.role, t.start, t.end, t.timestamp, t.head)
            for t in turns
        ],
    )
