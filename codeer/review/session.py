"""A review session: the current item, the widened flag, and every key's meaning.

The Textual app and the plain line mode are thin views over this class, so both give the
same keys the same effect on the same store. Nothing here prints; each action returns a
short message for the view to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from codeer.review import decisions
from codeer.review.items import CodebookCodes, Item
from codeer.review.queue import ReviewFilter, ReviewQueue
from codeer.store.project import Project


@dataclass(frozen=True)
class Progress:
    """Where the coder is: decided n of N overall and for the current item's code."""

    decided: int
    total: int
    position: int | None  # 1-based position of the current item in the queue
    code: str | None
    code_decided: int
    code_total: int

    def line(self, compact: bool = False) -> str:
        """``12 of 100 decided · verbinden 3 of 20 · item 13`` (compact: ``12/100``)."""
        of = "/" if compact else " of "
        text = f"{self.decided}{of}{self.total} decided"
        if self.code:
            text += f" · {self.code} {self.code_decided}{of}{self.code_total}"
        if self.position:
            text += f" · item {self.position}"
        return text


class ReviewSession(CodebookCodes):
    """One coder reviewing one filtered queue of suggestions."""

    def __init__(
        self,
        project: Project,
        coder: str,
        flt: ReviewFilter | None = None,
        learn_every: int | None = None,
    ):
        self.project = project
        self.learn_every = learn_every  # re-learn after this many decisions (None: never)
        self._since_learn = 0
        self.coder = decisions.check_coder(coder)
        self.base_filter = flt or ReviewFilter()
        self.widened = False
        self._item: Item | None = None
        self.set_filter(self.base_filter)

    # -- navigation -------------------------------------------------------------------

    def set_filter(self, flt: ReviewFilter) -> str:
        """Reload the queue for *flt* and go to its first undecided item."""
        queue = ReviewQueue(self.project.con, self.coder, flt)  # may raise: keep the old one
        self.filter, self.queue = flt, queue
        self._go(self.queue.next_undecided())
        return f"Filter: {flt.describe()} ({self.queue.open_count} open of {len(self.queue)})"

    def _go(self, index: int | None) -> None:
        self.index = index
        self.widened = False
        self._item = None

    @property
    def current(self) -> Item | None:
        """The item on screen, or None when everything in the queue is decided."""
        if self.index is None:
            return None
        if self._item is None:
            self._item = self.queue.item(self.index)
        return self._item

    @property
    def done(self) -> bool:
        return self.index is None

    def done_message(self) -> str:
        """What to say when there is no current item."""
        if not len(self.queue):
            return f"No suggestions to review ({self.filter.describe()})."
        return f"All {len(self.queue)} suggestions here are decided by {self.coder}."

    def progress(self) -> Progress:
        q = self.queue
        code = q.codes[self.index] if self.index is not None else None
        return Progress(
            decided=q.decided_count,
            total=len(q),
            position=self.index + 1 if self.index is not None else None,
            code=code,
            code_decided=q.code_decided.get(code, 0) if code else 0,
            code_total=q.code_total.get(code, 0) if code else 0,
        )

    def span(self) -> tuple[int, int] | None:
        """The fragment as it would be stored now: the suggestion's span or its turn."""
        item = self.current
        if item is None:
            return None
        return item.turn_span if self.widened else (item.start, item.end)

    def memo(self) -> str | None:
        """This coder's latest memo on the current suggestion."""
        item = self.current
        return decisions.latest_memo(self.project.con, item.id, self.coder) if item else None

    # -- the keys ---------------------------------------------------------------------

    def _decide(self, decision: str, code: str | None = None) -> str:
        item = self.current
        if item is None:
            return "Nothing left to decide."
        try:
            decisions.decide(
                self.project,
                item.id,
                self.coder,
                decision,
                code=code,
                span=self.span(),
                memo=self.memo(),
            )
        except (decisions.AlreadyDecided, decisions.NotOpen) as exc:
            # Decided in another window of the same coder, or retracted by a new run of
            # `codeer code`: nothing to decide here any more, so move on for good.
            self.queue.mark(item.id, True)
            self._go(self.queue.next_undecided(self.index))
            return f"{exc.message}; moved on."
        if decision == "add":
            return f"Added {code} to this fragment (suggestion still open)."
        self.queue.mark(item.id, True)
        self._go(self.queue.next_undecided(self.index))
        if decision == "accept":
            message = f"Accepted {item.code}."
        elif decision == "reject":
            message = f"Rejected {item.code}."
        else:
            message = f"Changed {item.code} to {code}."
        self._since_learn += 1
        if self.learn_every and self._since_learn >= self.learn_every:
            message += " " + self.relearn()
        return message

    def relearn(self) -> str:
        """Run ``codeer learn`` on the decisions so far and reload the queue."""
        from codeer.coding.learn import learn_project

        self._since_learn = 0
        result = learn_project(self.project)
        self.set_filter(self.filter)
        models = [f"{t.theme} v{t.version}" for t in result.themes if t.version]
        if not models:
            return "Learned: no theme has enough decisions yet."
        proposed = sum(t.proposed for t in result.themes)
        return f"Learned again ({', '.join(models)}; {proposed} new proposal(s))."

    def accept(self) -> str:
        return self._decide("accept")

    def reject(self) -> str:
        return self._decide("reject")

    def change_code(self, key: str) -> str:
        return self._decide("change", key)

    def add_code(self, key: str) -> str:
        return self._decide("add", key)

    def skip(self) -> str:
        """Move on without deciding; skipped items come back after the rest."""
        if self.index is None:
            return "Nothing left to decide."
        before = self.index
        self._go(self.queue.next_undecided(before))
        if self.index == before:
            return "Skipped; this is the only open item."
        if self.index is not None and self.index < before:
            return "Skipped; back to the items skipped earlier."
        return "Skipped."

    def toggle_widen(self) -> str:
        if self.current is None:
            return "Nothing to widen."
        self.widened = not self.widened
        return "Fragment widened to the whole turn." if self.widened else "Fragment narrowed."

    def add_memo(self, text: str) -> str:
        item = self.current
        text = text.strip()
        if item is None or not text:
            return "No memo stored."
        decisions.add_memo(self.project, item.id, self.coder, text)
        return "Memo stored."

    def undo(self) -> str:
        """Undo this coder's newest step and show the item it concerned."""
        step = decisions.undo_last(self.project, self.coder)
        if step is None:
            return "Nothing to undo."
        what = step.action.removeprefix("review.")
        if step.suggestion_id is None:
            return f"Undid {what}."
        index = self.queue.index_of(step.suggestion_id)
        if step.action in ("review.accept", "review.reject", "review.change"):
            self.queue.mark(step.suggestion_id, False)
        if index is None:
            return f"Undid {what} (on an item outside this filter)."
        self._go(index)
        item = self.current
        if item is not None and step.span and step.action != "review.reject":
            self.widened = tuple(step.span) != (item.start, item.end)
        return f"Undid {what} of {step.code}."
