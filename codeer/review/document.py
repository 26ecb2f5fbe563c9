"""The document model of `codeer read`: sentences with the codes on them, and what was read.

One coder reads one document. The model holds its turns and sentences
(:mod:`codeer.review.document_text`), the *marks* on each sentence, and the set of
sentences this coder has read. Everything is loaded in a handful of queries (document,
turns, units, codings, memos, memo events, reads) so a 10,000-sentence document opens in
well under a second; moving only looks up in-memory lists.

A mark is what the view shows inline on a sentence:

- a machine suggestion (``codeer``, status ``suggested``) with **this coder's** decision
  on it: ``suggested`` (open), ``accepted``, ``rejected`` or ``changed`` (to another code);
- one of this coder's own codings that decides no suggestion: ``manual`` (or an accepted
  row whose suggestion is gone).

Other coders' codings are deliberately not shown: each coder codes independently, which
inter-coder agreement needs.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from dataclasses import dataclass, field

from codeer.review.document_text import DocTurn, DocumentSentences, Sentence, load_sentences
from codeer.review.learned import Explanation, parse_explanation
from codeer.store.codings import MACHINE_CODERS
from codeer.store.project import Project, now


@dataclass(slots=True)
class Mark:
    """A code on a sentence, as this coder sees it."""

    key: int  # the suggestion's id, or the coder's own coding id
    code: str
    state: str  # suggested | accepted | rejected | changed | manual
    start: int
    end: int
    suggestion: bool
    score: float | None = None
    new_code: str | None = None  # the code it was changed to
    memo: str | None = None  # the coder's newest memo on it
    rows: list[int] = field(default_factory=list)  # the coder's own row ids
    learned: str | None = None  # a suggestion's `learned` JSON (read when shown)
    learned_score: float | None = None

    @property
    def open(self) -> bool:
        """A suggestion this coder has not decided yet."""
        return self.suggestion and self.state == "suggested"

    def explanation(self) -> Explanation | None:
        """What the learned model says about this suggestion (None: not scored)."""
        return parse_explanation(self.learned, self.learned_score)

    def label(self) -> str:
        """``verbinden: suggested 0.82``, ``verbinden: changed to korte_lijnen``, ..."""
        text = f"{self.code}: {self.state}"
        if self.state == "suggested" and self.score is not None:
            text += f" {self.score:.2f}"
        if self.new_code:
            text += f" to {self.new_code}"
        if self.memo:
            text += " +memo"
        return text


class DocumentModel:
    """One document's sentences and this coder's marks and reads."""

    def __init__(self, project: Project, document_id: int, coder: str):
        self.project = project
        self.coder = coder
        self.doc: DocumentSentences = load_sentences(project.con, document_id)
        self._starts = [s.start for s in self.doc.sentences]
        self.marks: dict[int, list[Mark]] = {}
        self.sentence_memos: dict[tuple[int, int], str] = {}
        self.reload_marks()
        self.read: set[tuple[int, int]] = {
            (row[0], row[1])
            for row in project.con.execute(
                "SELECT start, end FROM reads WHERE document_id = ? AND coder = ?",
                (document_id, coder),
            )
        }
        spans = {(s.start, s.end) for s in self.doc.sentences}
        self._read_count = len(spans & self.read)

    # -- what there is -----------------------------------------------------------------

    @property
    def document_id(self) -> int:
        return self.doc.document_id

    @property
    def name(self) -> str:
        return self.doc.name

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def sentences(self) -> list[Sentence]:
        return self.doc.sentences

    @property
    def turns(self) -> list[DocTurn]:
        return self.doc.turns

    def __len__(self) -> int:
        return len(self.doc.sentences)

    def sentence_text(self, index: int) -> str:
        s = self.doc.sentences[index]
        return self.doc.text[s.start : s.end]

    def turn_of(self, index: int) -> DocTurn:
        return self.doc.turns[self.doc.sentences[index].turn]

    def marks_on(self, index: int) -> list[Mark]:
        """The marks on sentence *index* (suggestions first, then by position and code)."""
        return self.marks.get(index, [])

    def index_at(self, offset: int) -> int | None:
        """The sentence containing *offset*, or the next one after it."""
        if not self._starts:
            return None
        pos = bisect.bisect_right(self._starts, offset) - 1
        if pos >= 0 and self.doc.sentences[pos].end > offset:
            return pos
        return min(pos + 1, len(self._starts) - 1)

    def covered(self, start: int, end: int) -> range:
        """The indexes of the sentences that overlap ``[start, end)``."""
        lo = bisect.bisect_right(self._starts, start) - 1
        if lo < 0 or self.doc.sentences[lo].end <= start:
            lo += 1
        hi = bisect.bisect_left(self._starts, end)
        return range(max(lo, 0), max(hi, lo, 0))

    # -- marks ------------------------------------------------------------------------

    def reload_marks(self) -> None:
        """Load the suggestions, this coder's codings and memos (after every step)."""
        con = self.project.con
        rows = con.execute(
            "SELECT id, start, end, code, status, coder, score, suggestion_id, learned,"
            " learned_score FROM codings "
            "WHERE document_id = ? AND (coder = ? OR (coder IN (?, ?) AND status = 'suggested')) "
            "ORDER BY start, id",
            (self.document_id, self.coder, *MACHINE_CODERS),
        ).fetchall()
        memos, self.sentence_memos = self._memos(con)
        suggestions: dict[int, Mark] = {}
        own: list[Mark] = []
        decisions: list[sqlite3.Row] = []

        def own_mark(row: sqlite3.Row) -> Mark:
            return Mark(
                row["id"], row["code"], row["status"], row["start"], row["end"], False,
                memo=memos.get(row["id"]), rows=[row["id"]],
            )  # fmt: skip

        for row in rows:
            if row["coder"] in MACHINE_CODERS:  # the codebook's and the learned model's
                suggestions[row["id"]] = Mark(
                    row["id"], row["code"], "suggested", row["start"], row["end"], True,
                    row["score"], memo=memos.get(row["id"]), learned=row["learned"],
                    learned_score=row["learned_score"],
                )  # fmt: skip
            elif row["suggestion_id"] is not None:
                decisions.append(row)
            elif row["status"] in ("manual", "accepted"):
                own.append(own_mark(row))
        for row in decisions:
            mark = suggestions.get(row["suggestion_id"])
            if mark is None:  # its suggestion is gone: show the coder's row on its own
                if row["status"] == "accepted":
                    own.append(own_mark(row))
                continue
            mark.rows.append(row["id"])
            if row["status"] == "accepted" and row["code"] != mark.code:
                mark.state, mark.new_code = "changed", row["code"]
            elif mark.state != "changed":
                mark.state = row["status"]
        self.marks = {}
        for mark in [*suggestions.values(), *own]:
            for index in self.covered(mark.start, mark.end):
                self.marks.setdefault(index, []).append(mark)

    def _memos(self, con: sqlite3.Connection) -> tuple[dict[int, str], dict[tuple[int, int], str]]:
        """This coder's newest memo per coding, and per sentence for memos on no coding."""
        on_coding: dict[int, str] = {}
        loose: dict[int, str] = {}
        for row in con.execute(
            "SELECT id, coding_id, text FROM memos WHERE document_id = ? AND coder = ? ORDER BY id",
            (self.document_id, self.coder),
        ):
            if row["coding_id"] is None:
                loose[row["id"]] = row["text"]
            else:
                on_coding[row["coding_id"]] = row["text"]
        on_span: dict[tuple[int, int], str] = {}
        if loose:  # the span of a memo on a sentence is kept in its event
            for row in con.execute(
                "SELECT detail FROM events WHERE actor = ? AND action = 'review.memo' "
                "AND json_extract(detail, '$.document_id') = ? ORDER BY id",
                (self.coder, self.document_id),
            ):
                detail = json.loads(row["detail"])
                span = detail.get("span")
                for memo_id in detail.get("memos", []):
                    if memo_id in loose and span:
                        on_span[(span[0], span[1])] = loose[memo_id]
        return on_coding, on_span

    # -- reading ----------------------------------------------------------------------

    def is_read(self, index: int) -> bool:
        s = self.doc.sentences[index]
        return (s.start, s.end) in self.read

    def mark_read(self, index: int) -> bool:
        """Record that this coder has read sentence *index*; True if it is new.

        Its own small transaction (no event: the ``reads`` row holds coder and time, and
        a read is not a coding step to undo). A sentence already read costs nothing.
        """
        s = self.doc.sentences[index]
        span = (s.start, s.end)
        if span in self.read:
            return False
        with self.project.transaction() as con:
            con.execute(
                "INSERT OR IGNORE INTO reads (document_id, start, end, coder, read_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (self.document_id, s.start, s.end, self.coder, now()),
            )
        self.read.add(span)
        self._read_count += 1
        return True

    def read_count(self) -> tuple[int, int]:
        """(sentences read by this coder, all sentences) in this document."""
        return self._read_count, len(self.doc.sentences)

    def first_unread(self) -> int:
        """The first sentence this coder has not read (0 when all are read)."""
        for s in self.doc.sentences:
            if (s.start, s.end) not in self.read:
                return s.index
        return 0
