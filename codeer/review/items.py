"""One review item with its context, loaded on demand (never the whole queue at once).

An :class:`Item` carries everything the review screen and the plain mode show: the
fragment and its evidence, the turn around it, the interviewer's question before it,
the document with its attributes, the code with its definition, inclusion and exclusion
criteria, and what the learned model says about it (:mod:`codeer.review.learned`).
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from codeer.review.learned import Example, Explanation, nearest_examples, parse_explanation

if TYPE_CHECKING:
    from codeer.store.project import Project


@dataclass(frozen=True)
class CodeInfo:
    """A code as the reviewer needs it (from the newest codebook that defines it)."""

    key: str
    label: str
    path: str
    definition: str = ""
    inclusion: list[str] = field(default_factory=list)
    exclusion: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def matches(self, query: str) -> bool:
        """Whether *query* occurs in the key, label or path (case-insensitive)."""
        q = query.casefold()
        return q in self.key.casefold() or q in self.label.casefold() or q in self.path.casefold()


@dataclass(frozen=True)
class Turn:
    """A speaker turn: its span in the document and its text."""

    idx: int
    speaker: str
    role: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: the words, the pattern, and their span (None if unknown)."""

    words: str
    pattern: str
    start: int | None = None
    end: int | None = None


@dataclass
class Item:
    """A suggestion to decide, with the context the reviewer sees."""

    id: int
    document_id: int
    document: str
    attributes: dict[str, str]
    start: int
    end: int
    text: str  # the fragment, text[start:end] of the document
    code: str
    code_info: CodeInfo | None
    score: float | None
    valence: str | None
    evidence: list[Evidence]
    turn: Turn | None
    question: Turn | None  # the previous interviewer turn
    doc_text: str = field(repr=False, default="")
    explanation: Explanation | None = None  # the learned model's score and why
    nearest: list[Example] = field(default_factory=list)  # a learned proposal's examples

    @property
    def turn_span(self) -> tuple[int, int]:
        """The span of the whole turn (the fragment's own span if there is no turn)."""
        if self.turn is None:
            return (self.start, self.end)
        return (min(self.turn.start, self.start), max(self.turn.end, self.end))

    def evidence_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """Evidence spans relative to ``doc_text[start:end]`` (for highlighting)."""
        spans = []
        for ev in self.evidence:
            if ev.start is not None and ev.end is not None and start <= ev.start < ev.end <= end:
                spans.append((ev.start - start, ev.end - start))
        return spans


def _as_list(value: Any) -> list[str]:
    """Codebook fields may hold one string or a list of strings."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _words(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value or "")


def evidence_records(raw: str | None) -> list:
    """The stored evidence JSON as a list (empty when it is not one)."""
    try:
        entries = json.loads(raw or "[]")
    except json.JSONDecodeError:
        return []
    return entries if isinstance(entries, list) else []


def parse_evidence(entries: list, text: str, start: int, end: int) -> list[Evidence]:
    """Evidence from the stored records (:func:`evidence_records`); spans are found in the
    fragment when not stored.

    Suggestions usually store ``start``/``end`` offsets; older or hand-made ones may only
    name the words, so we look for them (case-insensitively) inside the fragment.
    """
    fragment = text[start:end].casefold()
    result = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        words = _words(entry.get("words"))
        pattern = str(entry.get("pattern", ""))
        s, e = entry.get("start"), entry.get("end")
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            s = e = None
            pos = fragment.find(words.casefold()) if words else -1
            if pos >= 0:
                s, e = start + pos, start + pos + len(words)
        result.append(Evidence(words, pattern, s, e))
    return result


class ItemLoader:
    """Loads items one at a time, caching documents and codes that recur."""

    def __init__(self, con: sqlite3.Connection, cache_size: int = 8):
        self.con = con
        self._docs: OrderedDict[int, tuple[str, str, dict[str, str]]] = OrderedDict()
        self._cache_size = cache_size
        self._codes: dict[str, CodeInfo | None] = {}

    def document(self, doc_id: int) -> tuple[str, str, dict[str, str]]:
        """(name, text, attributes) of a document, from a small LRU cache."""
        if doc_id in self._docs:
            self._docs.move_to_end(doc_id)
            return self._docs[doc_id]
        row = self.con.execute(
            "SELECT name, text FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        attrs = {
            r["key"]: r["value"]
            for r in self.con.execute(
                "SELECT key, value FROM attributes WHERE document_id = ? ORDER BY key", (doc_id,)
            )
        }
        self._docs[doc_id] = (row["name"], row["text"], attrs)
        if len(self._docs) > self._cache_size:
            self._docs.popitem(last=False)
        return self._docs[doc_id]

    def code_info(self, key: str) -> CodeInfo | None:
        """The code from the newest codebook that defines *key* (None if none does)."""
        if key not in self._codes:
            row = self.con.execute(
                "SELECT * FROM codes WHERE key = ? ORDER BY codebook_id DESC LIMIT 1", (key,)
            ).fetchone()
            self._codes[key] = code_from_row(row) if row else None
        return self._codes[key]

    def _turn(self, doc_id: int, text: str, sql: str, params: tuple) -> Turn | None:
        row = self.con.execute(
            f"SELECT idx, speaker, role, start, end FROM turns WHERE document_id = ? {sql}",
            (doc_id, *params),
        ).fetchone()
        if row is None:
            return None
        return Turn(
            row["idx"], row["speaker"], row["role"], row["start"], row["end"],
            text[row["start"] : row["end"]],
        )  # fmt: skip

    def turn_and_question(
        self, doc_id: int, text: str, start: int
    ) -> tuple[Turn | None, Turn | None]:
        """The turn a fragment starting at *start* is in, and the interviewer's question
        before that turn (what the context pane shows)."""
        turn = self._turn(doc_id, text, "AND start <= ? ORDER BY start DESC LIMIT 1", (start,))
        if turn is None:
            return None, None
        question = self._turn(
            doc_id,
            text,
            "AND role = 'interviewer' AND idx < ? ORDER BY idx DESC LIMIT 1",
            (turn.idx,),
        )
        return turn, question

    def load(self, suggestion_id: int) -> Item:
        """The full item for one suggestion id."""
        row = self.con.execute("SELECT * FROM codings WHERE id = ?", (suggestion_id,)).fetchone()
        name, text, attrs = self.document(row["document_id"])
        start, end = row["start"], row["end"]
        turn, question = self.turn_and_question(row["document_id"], text, start)
        records = evidence_records(row["evidence"])  # read once: evidence and examples
        return Item(
            id=row["id"],
            document_id=row["document_id"],
            document=name,
            attributes=attrs,
            start=start,
            end=end,
            text=text[start:end],
            code=row["code"],
            code_info=self.code_info(row["code"]),
            score=row["score"],
            valence=row["valence"],
            evidence=parse_evidence(records, text, start, end),
            turn=turn,
            question=question,
            doc_text=text,
            # From the same row: showing what the model says costs no query of its own.
            explanation=parse_explanation(row["learned"], row["learned_score"]),
            nearest=nearest_examples(records),
        )


def code_from_row(row: sqlite3.Row) -> CodeInfo:
    """A :class:`CodeInfo` from a ``codes`` row (inclusion etc. live in its JSON data)."""
    try:
        data = json.loads(row["data"] or "{}")
    except json.JSONDecodeError:
        data = {}
    data = data if isinstance(data, dict) else {}
    return CodeInfo(
        key=row["key"],
        label=row["label"],
        path=row["path"],
        definition=row["definition"] or str(data.get("definition", "")),
        inclusion=_as_list(data.get("inclusion")),
        exclusion=_as_list(data.get("exclusion")),
        examples=_as_list(data.get("examples")),
    )


def codebook_codes(con: sqlite3.Connection) -> list[CodeInfo]:
    """The codes of the newest codebook, in tree order (for the code picker)."""
    rows = con.execute(
        "SELECT * FROM codes WHERE codebook_id = (SELECT max(id) FROM codebooks) ORDER BY path"
    ).fetchall()
    return [code_from_row(row) for row in rows]


def find_codes(codes: list[CodeInfo], query: str) -> list[CodeInfo]:
    """The *codes* whose key, label or path contain *query* (case-insensitive), best first.

    First the code whose key is *query* exactly, then keys that start with it, then labels
    that start with it, then the other matches; within each group the order of *codes*
    (codebook order). So a whole key typed and Enter picks that key, and ``werk`` picks
    ``werkdruk_wachtlijsten`` before ``samenwerking_huisarts``. An empty query: all codes.
    """
    query = query.strip()
    if not query:
        return codes
    q = query.casefold()

    def rank(code: CodeInfo) -> int:
        if code.key == query:
            return 0
        if code.key.casefold().startswith(q):
            return 1
        return 2 if code.label.casefold().startswith(q) else 3

    return sorted((c for c in codes if c.matches(query)), key=rank)  # stable: codebook order


class CodebookCodes:
    """``codes()`` and ``find_codes()`` for a session: the newest codebook, loaded once."""

    project: Project
    _codes: list[CodeInfo] | None = None

    def codes(self) -> list[CodeInfo]:
        """The codes of the newest codebook, in tree order (what a coder may pick)."""
        if self._codes is None:
            self._codes = codebook_codes(self.project.con)
        return self._codes

    def find_codes(self, query: str) -> list[CodeInfo]:
        """The codes matching *query*, best first (see :func:`find_codes`)."""
        return find_codes(self.codes(), query)
