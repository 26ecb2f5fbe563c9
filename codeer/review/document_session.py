"""A reading session: the cursor on one sentence, a span mark, and what every key does.

The Textual document view and the plain line mode are thin views over this class, so
both give the same keys the same effect on the same store. Nothing here prints; every
action returns a short message for the view to show, and every coding step is one
transaction (see :mod:`codeer.review.manual` and :mod:`codeer.review.decisions`).
"""

from __future__ import annotations

from codeer.review import decisions
from codeer.review.document import DocumentModel, Mark
from codeer.review.items import CodebookCodes
from codeer.review.learned import Explanation
from codeer.review.manual import CODE_ACTION, add_manual, add_note
from codeer.store.documents import resolve_document
from codeer.store.project import Project


class DocumentSession(CodebookCodes):
    """One coder reading one document, sentence by sentence."""

    def __init__(self, project: Project, document: str, coder: str):
        self.project = project
        self.coder = decisions.check_coder(coder)
        row = resolve_document(project.con, document)
        self.model = DocumentModel(project, row["id"], self.coder)
        self.anchor: int | None = None  # where `v` started a span
        self.cursor = 0
        if len(self.model):
            self.goto(self.model.first_unread())

    # -- moving -----------------------------------------------------------------------

    @property
    def empty(self) -> bool:
        return not len(self.model)

    def goto(self, index: int) -> str:
        """Put the cursor on sentence *index* (clamped) and record it as read."""
        if self.empty:
            return "This document has no text to read."
        self.cursor = max(0, min(len(self.model) - 1, index))
        self.model.mark_read(self.cursor)
        return ""

    def move(self, delta: int) -> str:
        """Move *delta* sentences (negative: back)."""
        before = self.cursor
        self.goto(self.cursor + delta)
        if self.cursor == before and delta:
            return "At the end of the document." if delta > 0 else "At the start of the document."
        return ""

    def move_turn(self, delta: int) -> str:
        """Move to the first sentence of the next (or previous) turn that has sentences."""
        if self.empty:
            return self.goto(0)
        turns = self.model.turns
        pos = self.model.sentences[self.cursor].turn + delta
        while 0 <= pos < len(turns) and not turns[pos].count:
            pos += delta
        if not 0 <= pos < len(turns):
            return "No more turns."
        return self.goto(turns[pos].first)

    def span(self) -> tuple[int, int]:
        """The fragment `c` would code now: the marked span, or the current sentence."""
        sentences = self.model.sentences
        first, last = sorted((self.cursor, self.cursor if self.anchor is None else self.anchor))
        return sentences[first].start, sentences[last].end

    def marked(self, index: int) -> bool:
        """Whether sentence *index* is inside the span started with `v`."""
        if self.anchor is None:
            return False
        return min(self.anchor, self.cursor) <= index <= max(self.anchor, self.cursor)

    def toggle_mark(self) -> str:
        if self.empty:
            return "Nothing to mark."
        if self.anchor is not None:
            self.anchor = None
            return "Span mark cleared."
        self.anchor = self.cursor
        return "Span started here: move, then c codes from here to the cursor (v again clears)."

    # -- coding -----------------------------------------------------------------------

    def _code(self, start: int, end: int, key: str, what: str) -> str:
        result = add_manual(
            self.project, self.model.document_id, start, end, key, self.coder, action=CODE_ACTION
        )
        self.model.reload_marks()
        if not result.added:
            return f"{what} already has {key} (by {self.coder}); nothing stored."
        return f"Coded {what} as {key}."

    def code(self, key: str) -> str:
        """Code the current sentence, or the span from the `v` mark to the cursor."""
        if self.empty:
            return "Nothing to code."
        start, end = self.span()
        count = len(self.model.covered(start, end))
        what = "this sentence" if count == 1 else f"{count} sentences"
        message = self._code(start, end, key, what)
        self.anchor = None
        return message

    def code_turn(self, key: str) -> str:
        """Code the whole turn the cursor is in."""
        if self.empty:
            return "Nothing to code."
        turn = self.model.turn_of(self.cursor)
        return self._code(turn.start, turn.end, key, "the whole turn")

    def _open_suggestion(self) -> Mark | None:
        return next((m for m in self.model.marks_on(self.cursor) if m.open), None)

    def _decide(self, decision: str) -> str:
        if self.empty:
            return "Nothing to decide."
        mark = self._open_suggestion()
        if mark is None:
            return "No open suggestion on this sentence (c codes it by hand)."
        try:
            decisions.decide(self.project, mark.key, self.coder, decision, memo=mark.memo)
        except (decisions.AlreadyDecided, decisions.NotOpen) as exc:
            self.model.reload_marks()
            return f"{exc.message}; shown again as it is now."
        self.model.reload_marks()
        return f"{'Accepted' if decision == 'accept' else 'Rejected'} {mark.code}."

    def accept(self) -> str:
        """Accept the first open suggestion on the current sentence."""
        return self._decide("accept")

    def reject(self) -> str:
        """Reject the first open suggestion on the current sentence."""
        return self._decide("reject")

    def explanations(self) -> list[Explanation]:
        """What the learned model says about the open suggestions on this sentence, once
        each (two codes of one theme on one sentence have the same score)."""
        found: list[Explanation] = []
        for mark in [] if self.empty else self.model.marks_on(self.cursor):
            why = mark.explanation() if mark.open else None
            if why is not None and why not in found:
                found.append(why)
        return found

    def memo_target(self) -> tuple[str, Mark | None]:
        """What `m` writes on: the coder's newest own coding, else a suggestion, else the
        sentence itself; as (description, mark)."""
        marks = self.model.marks_on(self.cursor)
        own = [m for m in marks if not m.suggestion]
        if own:
            mark = max(own, key=lambda m: m.key)
            return f"your coding {mark.code}", mark
        if marks:
            return f"the suggestion {marks[0].code}", marks[0]
        return "this sentence", None

    def memo(self) -> str | None:
        """The memo currently on the memo target (to edit), or None."""
        if self.empty:
            return None
        _, mark = self.memo_target()
        if mark is not None:
            return mark.memo
        s = self.model.sentences[self.cursor]
        return self.model.sentence_memos.get((s.start, s.end))

    def add_memo(self, text: str) -> str:
        """Store a memo on the coding under the cursor (or on the sentence)."""
        text = text.strip()
        if self.empty or not text:
            return "No memo stored."
        what, mark = self.memo_target()
        doc_id = self.model.document_id
        if mark is None:
            s = self.model.sentences[self.cursor]
            add_note(self.project, doc_id, self.coder, text, span=(s.start, s.end))
        elif mark.suggestion:
            decisions.add_memo(self.project, mark.key, self.coder, text)
        else:
            add_note(self.project, doc_id, self.coder, text, coding_id=mark.key)
        self.model.reload_marks()
        return f"Memo stored on {what}."

    def undo(self) -> str:
        """Undo this coder's newest step (here or in `codeer review`) and go to it."""
        step = decisions.undo_last(self.project, self.coder)
        if step is None:
            return "Nothing to undo."
        self.model.reload_marks()
        what = step.action.removeprefix("review.")
        if step.action == CODE_ACTION:
            what = "coding"
        detail = f" of {step.code}" if step.code else ""
        if step.document_id is not None and step.document_id != self.model.document_id:
            return f"Undid {what}{detail} (in another document)."
        index = self.model.index_at(step.span[0]) if step.span else None
        if index is not None:
            self.goto(index)  # back to the sentence the undone step was on
        return f"Undid {what}{detail}."

    # -- what to show -----------------------------------------------------------------

    def status_line(self) -> str:
        """``interview-01.txt · coder anna · sentence 12/340 · turn 5 R · read 40/340``."""
        if self.empty:
            return f"{self.model.name} · coder {self.coder} · no text"
        turn = self.model.turn_of(self.cursor)
        read, total = self.model.read_count()
        span = " · span marked" if self.anchor is not None else ""
        return (
            f"{self.model.name} · coder {self.coder} · sentence {self.cursor + 1}/{total}"
            f" · turn {turn.idx + 1} {turn.speaker or turn.role} · read {read}/{total}{span}"
        )

    def turn_header(self, position: int) -> str:
        """``R (respondent)``: the speaker as written and the role."""
        turn = self.model.turns[position]
        return f"{turn.speaker or '(no label)'} ({turn.role})"
