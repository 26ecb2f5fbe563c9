"""The full-screen review app (Textual): one suggestion at a time, one key per decision.

Layout, top to bottom, chosen so that at 80x24 the fragment is always fully visible:
a status line (coder, progress), the fragment with its evidence highlighted (the box title
names code, valence and score), the code's definition, inclusion and exclusion, the
context (document and attributes, what the learned model says when `codeer learn` has
scored the suggestion, the interviewer's question, the whole turn with the fragment
marked, a learned proposal's nearest accepted fragments) which scrolls, a message line
and the keys.

All decisions go through :class:`~codeer.review.session.ReviewSession`, which commits each
one before the screen moves on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from codeer.review.app_base import (
    QUEUE_CSS,
    KeysBar,
    QueueApp,
    context_text,
    highlighted,
    pack_keys,
)
from codeer.review.items import Item
from codeer.review.queue import parse_filter
from codeer.review.screens import Prompt
from codeer.review.session import ReviewSession

KEYS = [
    ("a", "accept", "accept"),
    ("x", "reject", "reject"),
    ("space", "skip", "skip"),
    ("c", "change", "change code"),
    ("n", "add", "add code"),
    ("w", "widen", "widen"),
    ("m", "memo", "memo"),
    ("u", "undo", "undo"),
    ("slash", "filter", "filter"),
    ("question_mark", "help", "help"),
    ("q", "quit", "quit"),
]

HELP = """codeer review: keys

 a      accept the suggested code for this fragment
 x      reject the suggestion
 space  skip; skipped items come back after the others
 c      change the code (reject this one, accept another)
 n      add another code; the suggestion stays open
 w      widen the fragment to the whole turn, and back
 m      write a memo on this fragment
 u      undo your last step; press again to undo more
 /      filter: code=KEY doc=NAME score>=X ATTR=VALUE words
        (an empty filter resets)
 ?      this help
 q      quit (every decision is already stored)
 Tab    move between fragment, code and context; arrows scroll

Press Esc to close."""

EVIDENCE_STYLE = "bold reverse"


def keys_lines(width: int) -> list[Text]:
    """The footer of the review: every key and what it does, in lines of at most *width*."""
    return pack_keys(KEYS, width)


class ReviewApp(QueueApp[ReviewSession]):
    """Review the suggestions of one session in a terminal."""

    TITLE = "codeer review"
    KEYS_HELP = HELP
    # The arrows scroll the context (QueueApp.AUTO_FOCUS); Tab reaches the fragment, which a
    # long widened turn can make taller than 60% of a small screen, and the code pane.
    CSS = (
        QUEUE_CSS
        + """
    #fragment-box { height: auto; max-height: 60%; border: round $accent; padding: 0 1; }
    #code-box { height: auto; max-height: 35%; padding: 0 1; }
    #keys { height: auto; background: $panel; }
    """
    )
    BINDINGS: ClassVar = [Binding(key, action, label) for key, action, label in KEYS]

    def __init__(self, session: ReviewSession):
        super().__init__(session, f"Filter: {session.filter.describe()}. Press ? for help.")

    def compose_middle(self) -> Iterator[Widget]:
        with VerticalScroll(id="code-box"):
            yield Static(id="code", markup=False)

    def keys_bar(self) -> Widget:
        return KeysBar(KEYS, id="keys")

    # -- drawing ----------------------------------------------------------------------

    def status_line(self) -> str:
        # One line even at 80 columns: the coder first, so it is always visible.
        return f"coder {self.session.coder} · {self.session.progress().line(compact=True)}"

    def draw(self) -> None:
        """Draw the current item: fragment with evidence, code, context."""
        s = self.session
        item = s.current
        if item is None:
            self.show_done(
                f"{s.done_message()} Press u to undo, / to filter, q to quit.", "#code", "#context"
            )
            return
        start, end = s.span() or (item.start, item.end)
        score = f" · {item.score:.2f}" if item.score is not None else ""
        wide = " · whole turn" if s.widened else ""
        box = self.query_one("#fragment-box")
        box.border_title = f"{item.code} · {item.valence or 'no valence'}{score}{wide}"
        fragment = item.doc_text[start:end]
        self.show("#fragment", highlighted(fragment, item.evidence_in(start, end), EVIDENCE_STYLE))
        self.show("#code", self._code_text(item))
        self.show(
            "#context",
            context_text(item, start, end, s.memo(), item.explanation, item.nearest),
        )
        for pane in ("#fragment-box", "#code-box", "#context-box"):
            self.query_one(pane).scroll_home(animate=False)

    def _code_text(self, item: Item) -> Text:
        info = item.code_info
        text = Text()
        if info is None:
            text.append(item.code, style="bold")
            return text
        text.append(f"{info.label} ({info.path})", style="bold")
        if info.definition:
            text.append(f": {info.definition}")
        for name, values in (("Include", info.inclusion), ("Exclude", info.exclusion)):
            if values:
                text.append(f"\n{name}: ", style="bold")
                text.append("; ".join(values))
        return text

    # -- the keys ---------------------------------------------------------------------

    def action_accept(self) -> None:
        self._do(self.session.accept)

    def action_reject(self) -> None:
        self._do(self.session.reject)

    def action_widen(self) -> None:
        self._do(self.session.toggle_widen)

    def _pick(self, title: str, then: Callable[[str], str]) -> None:
        item = self.session.current
        if item is None:
            self._do(lambda: "Nothing left to decide.")
            return
        self.pick_code(title, then, item.code)

    def action_change(self) -> None:
        self._pick("Change the code to:", self.session.change_code)

    def action_add(self) -> None:
        self._pick("Add a code to this fragment:", self.session.add_code)

    def action_memo(self) -> None:
        if self.session.current is not None:
            self.ask_memo("Memo on this fragment:")

    def action_filter(self) -> None:
        def apply(terms: str | None) -> None:
            if terms is None:
                return
            try:
                flt = parse_filter(terms, self.session.base_filter)
            except ValueError as exc:
                message = f"Filter not changed: {exc}"
                self._do(lambda: message)
                return
            self._do(self.session.set_filter, flt)

        hint = "code=KEY doc=NAME score>=X ATTR=VALUE or words; empty resets. Esc cancels."
        self.push_screen(Prompt("Filter:", "", hint), apply)
