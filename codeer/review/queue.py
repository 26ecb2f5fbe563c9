"""The review queue: which suggestions a coder still has to decide, in which order.

The queue is loaded with one indexed query that returns only ids, code keys and a
decided flag per suggestion, so 20,000 suggestions load in milliseconds; everything a
reviewer sees (fragment, turn, question, attributes, code definition) is fetched for one
item at a time when it is shown (:meth:`ReviewQueue.item`).

*Undecided* always means: undecided **for this coder**, i.e. there is no ``accepted`` or
``rejected`` row by this coder whose ``suggestion_id`` points at the suggestion. Another
coder's decisions do not hide a suggestion.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from codeer.review.items import CodeInfo, Item, ItemLoader
from codeer.store.codings import expand_codes

ORDERS = ("document", "score", "uncertain")

# The decided flag per suggestion for one coder; uses the codings_suggestion index.
DECIDED_SQL = (
    "EXISTS (SELECT 1 FROM codings d WHERE d.suggestion_id = c.id AND d.coder = ? "
    "AND d.status IN ('accepted', 'rejected'))"
)


@dataclass(frozen=True)
class ReviewFilter:
    """Which suggestions to review; every field narrows the queue."""

    code: str | None = None  # includes sub-codes
    document: str | None = None  # name or stem
    where: dict[str, str] = field(default_factory=dict)  # document attributes
    min_score: float | None = None
    order: str = "document"
    text: str | None = None  # substring of the fragment (the `/` filter)

    def describe(self) -> str:
        """A short human description, e.g. ``code=verbinden, score>=0.5``."""
        parts = []
        if self.code:
            parts.append(f"code={self.code}")
        if self.document:
            parts.append(f"doc={self.document}")
        parts += [f"{k}={v}" for k, v in self.where.items()]
        if self.min_score is not None:
            parts.append(f"score>={self.min_score:g}")
        if self.text:
            parts.append(f'"{self.text}"')
        return ", ".join(parts) or "all suggestions"


def resolve_document_id(con: sqlite3.Connection, name: str) -> int:
    """The id of the document called *name* (its file name, or the name without suffix)."""
    from codeer.store.documents import resolve_document

    return int(resolve_document(con, name)["id"])


def select_suggestions(
    con: sqlite3.Connection, coder: str, flt: ReviewFilter, *, undecided_only: bool = False
) -> list[sqlite3.Row]:
    """Rows (id, code, decided) of the suggestions matching *flt*, in review order."""
    sql = [
        f"SELECT c.id, c.code, {DECIDED_SQL} AS decided FROM codings c",
        "JOIN documents doc ON doc.id = c.document_id WHERE c.status = 'suggested'",
    ]
    params: list[Any] = [coder]
    if flt.code:
        keys = sorted(expand_codes(con, [flt.code]))
        sql.append(f"AND c.code IN ({', '.join('?' * len(keys))})")
        params += keys
    if flt.document:
        sql.append("AND c.document_id = ?")
        params.append(resolve_document_id(con, flt.document))
    if flt.min_score is not None:
        sql.append("AND c.score >= ?")
        params.append(flt.min_score)
    for key, value in flt.where.items():
        sql.append(
            "AND EXISTS (SELECT 1 FROM attributes a WHERE a.document_id = c.document_id "
            "AND a.key = ? AND a.value = ?)"
        )
        params += [key, value]
    if flt.text:
        # SQLite's substr counts characters, like Python's offsets into the text.
        sql.append("AND instr(lower(substr(doc.text, c.start + 1, c.end - c.start)), lower(?)) > 0")
        params.append(flt.text)
    if undecided_only:
        sql.append(f"AND NOT {DECIDED_SQL}")
        params.append(coder)
    if flt.order == "uncertain":
        # The learned model's least certain first (`codeer learn`); unscored ones last.
        sql.append(
            "ORDER BY c.learned_score IS NULL, abs(c.learned_score - 0.5),"
            " doc.name, c.start, c.end, c.code, c.id"
        )
    elif flt.order == "score":
        sql.append("ORDER BY c.score IS NULL, c.score DESC, doc.name, c.start, c.end, c.code, c.id")
    else:
        sql.append("ORDER BY doc.name, c.start, c.end, c.code, c.id")
    return con.execute(" ".join(sql), params).fetchall()


class ReviewQueue:
    """The ordered suggestions of one filter, with this coder's decided flags."""

    def __init__(self, con: sqlite3.Connection, coder: str, flt: ReviewFilter | None = None):
        self.con = con
        self.coder = coder
        self.filter = flt or ReviewFilter()
        if self.filter.order not in ORDERS:
            raise ValueError(f"unknown order {self.filter.order!r}; use one of {ORDERS}")
        if self.filter.order == "uncertain":
            from codeer.coding.learn import has_model

            if not has_model(con):
                from codeer.errors import CodeerError

                raise CodeerError(
                    "--order uncertain needs a learned model, and there is none yet",
                    hint="decide some suggestions, then run `codeer learn`",
                )
        rows = select_suggestions(con, coder, self.filter)
        self.ids: list[int] = [row[0] for row in rows]
        self.codes: list[str] = [row[1] for row in rows]
        self.decided: list[bool] = [bool(row[2]) for row in rows]
        self._position = {sid: i for i, sid in enumerate(self.ids)}
        # Per-code totals are kept up to date on every mark(), never recounted.
        self.code_total: dict[str, int] = {}
        self.code_decided: dict[str, int] = {}
        for code, done in zip(self.codes, self.decided, strict=True):
            self.code_total[code] = self.code_total.get(code, 0) + 1
            self.code_decided[code] = self.code_decided.get(code, 0) + done
        self.decided_count = sum(self.decided)
        self.loader = ItemLoader(con)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def open_count(self) -> int:
        return len(self.ids) - self.decided_count

    def index_of(self, suggestion_id: int) -> int | None:
        """The position of a suggestion in this queue, or None if the filter excludes it."""
        return self._position.get(suggestion_id)

    def mark(self, suggestion_id: int, decided: bool) -> None:
        """Record that this coder decided (or, after an undo, no longer decided) an item."""
        i = self._position.get(suggestion_id)
        if i is None or self.decided[i] == decided:
            return
        self.decided[i] = decided
        delta = 1 if decided else -1
        self.decided_count += delta
        self.code_decided[self.codes[i]] += delta

    def next_undecided(self, after: int | None = None, *, wrap: bool = True) -> int | None:
        """The first undecided position after *after* (from the start when None).

        With *wrap*, the search continues from the start, so skipped items come back once
        everything after them is done; the item at *after* itself is the last candidate.
        """
        start = 0 if after is None else after + 1
        for i in range(start, len(self.ids)):
            if not self.decided[i]:
                return i
        if wrap and after is not None:
            for i in range(0, min(after + 1, len(self.ids))):
                if not self.decided[i]:
                    return i
        return None

    def item(self, index: int) -> Item:
        """Everything about the suggestion at *index* that the review screen shows."""
        return self.loader.load(self.ids[index])

    def code_info(self, key: str) -> CodeInfo | None:
        return self.loader.code_info(key)


def parse_filter(text: str, base: ReviewFilter) -> ReviewFilter:
    """The `/` filter: *base* narrowed by terms typed by the reviewer.

    Terms: ``code=KEY``, ``doc=NAME``, ``score>=X``, ``order=score|document|uncertain``, any other
    ``KEY=VALUE`` (a document attribute), and plain words (text in the fragment). An empty
    line goes back to *base*; ``code=`` with nothing after it drops the code filter.
    """
    import shlex

    try:
        terms = shlex.split(text)
    except ValueError:  # an unbalanced quote: take the words as they are
        terms = text.split()
    code, document, order = base.code, base.document, base.order
    where = dict(base.where)
    min_score = base.min_score
    words: list[str] = []
    for term in terms:
        lowered = term.lower()
        if lowered.startswith(("score>=", "min-score=", "min_score=")):
            value = term.split("=", 1)[1]
            try:
                min_score = float(value) if value else None
            except ValueError as exc:
                raise ValueError(f"score>= needs a number, not {value!r}") from exc
            continue
        key, sep, value = term.partition("=")
        if not sep:
            key, sep, value = term.partition(":")
        key = key.strip().lower() if sep else ""
        if key == "code":
            code = value or None
        elif key in ("doc", "document"):
            document = value or None
        elif key == "order":
            if value not in ORDERS:
                raise ValueError(f"order is one of {', '.join(ORDERS)}")
            order = value
        elif sep and key:
            if value:
                where[term.partition(sep)[0].strip()] = value
            else:
                where.pop(term.partition(sep)[0].strip(), None)
        else:
            words.append(term)
    return ReviewFilter(
        code=code,
        document=document,
        where=where,
        min_score=min_score,
        order=order,
        text=" ".join(words) or None,
    )
