"""The full-screen review app (Textual): one suggestion at a time, one key per decision.

Layout, top to bottom, chosen so that at 80x24 the fragment is always fully visible:
a status line (coder, progress), the fragment with its evidence highlighted (the box title
names code, valence and score), the code's definition, inclusion and exclusion, the
context (document and attributes, the interviewer's question, the whole turn with the
fragment marked) which scrolls, a message line and the keys.

All decisions go through :class:`~codeer.review.session.ReviewSession`, which commits each
one before the screen moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from codeer.errors import CodeerError
from codeer.review.items import Item
from codeer.review.queue import parse_filter
from codeer.review.screens import MODAL_CSS, CodePicker, HelpScreen, Prompt
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
SHOWN_KEY = {"space": "space", "slash": "/", "question_mark": "?"}

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
FRAGMENT_STYLE = "bold underline"


def keys_lines(width: int) -> list[Text]:
    """The footer: every key and what it does, packed into lines of at most *width*.

    Packed by hand (not by Rich's word wrap) so that a key never ends up on another line
    than its label.
    """
    lines: list[Text] = [Text()]
    for key, _, label in KEYS:
        shown = SHOWN_KEY.get(key, key)
        entry_width = len(shown) + 1 + len(label) + 2
        if lines[-1].cell_len and lines[-1].cell_len + entry_width > max(width, 1):
            lines.append(Text())
        lines[-1].append(f" {shown}", style="bold")
        lines[-1].append(f" {label} ")
    return lines


class KeysBar(Widget):
    """The footer listing every key; one line when wide enough, more when not."""

    def render(self) -> Text:
        return Text("\n").join(keys_lines(self.size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(keys_lines(width))


def highlighted(text: str, spans: list[tuple[int, int]], style: str) -> Text:
    """*text* with *spans* (relative offsets) styled."""
    rich = Text(text)
    for start, end in spans:
        rich.stylize(style, start, end)
    return rich


class ReviewApp(App[None]):
    """Review the suggestions of one session in a terminal."""

    TITLE = "codeer review"
    ENABLE_COMMAND_PALETTE = False
    # Arrows scroll the context; Tab moves to the fragment (a long widened turn can
    # exceed 60% of a small screen) and the code pane.
    AUTO_FOCUS = "#context-box"
    CSS = (
        MODAL_CSS
        + """
    #status { height: 1; background: $primary; color: $text; padding: 0 1; }
    #fragment-box { height: auto; max-height: 60%; border: round $accent; padding: 0 1; }
    #code-box { height: auto; max-height: 35%; padding: 0 1; }
    #context-box { height: 1fr; min-height: 3; border-top: solid $primary; padding: 0 1; }
    #message { height: 1; color: $warning; padding: 0 1; }
    #keys { height: auto; background: $panel; }
    """
    )
    BINDINGS: ClassVar = [Binding(key, action, label) for key, action, label in KEYS]

    def __init__(self, session: ReviewSession):
        super().__init__()
        self.session = session
        self.message = f"Filter: {session.filter.describe()}. Press ? for help."

    def compose(self) -> ComposeResult:
        # markup=False: transcript text, coder names and messages may contain [brackets].
        yield Static(id="status", markup=False)
        with VerticalScroll(id="fragment-box"):
            yield Static(id="fragment", markup=False)
        with VerticalScroll(id="code-box"):
            yield Static(id="code", markup=False)
        with VerticalScroll(id="context-box"):
            yield Static(id="context", markup=False)
        yield Static(id="message", markup=False)
        yield KeysBar(id="keys")

    def on_mount(self) -> None:
        self.refresh_item()

    # -- drawing ----------------------------------------------------------------------

    def refresh_item(self) -> None:
        """Redraw everything for the current item (a handful of widget updates)."""
        s = self.session
        # One line even at 80 columns: the coder first, so it is always visible.
        status = f"coder {s.coder} · {s.progress().line(compact=True)}"
        self.query_one("#status", Static).update(status)
        self.query_one("#message", Static).update(self.message)
        item = s.current
        box = self.query_one("#fragment-box")
        if item is None:
            box.border_title = "done"
            self.query_one("#fragment", Static).update(
                f"{s.done_message()} Press u to undo, / to filter, q to quit."
            )
            self.query_one("#code", Static).update("")
            self.query_one("#context", Static).update("")
            return
        start, end = s.span() or (item.start, item.end)
        score = f" · {item.score:.2f}" if item.score is not None else ""
        wide = " · whole turn" if s.widened else ""
        box.border_title = f"{item.code} · {item.valence or 'no valence'}{score}{wide}"
        fragment = item.doc_text[start:end]
        self.query_one("#fragment", Static).update(
            highlighted(fragment, item.evidence_in(start, end), EVIDENCE_STYLE)
        )
        self.query_one("#code", Static).update(self._code_text(item))
        self.query_one("#context", Static).update(self._context_text(item, start, end))
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

    def _context_text(self, item: Item, start: int, end: int) -> Text:
        text = Text()
        attrs = ", ".join(f"{k}={v}" for k, v in item.attributes.items())
        text.append(item.document, style="bold")
        if attrs:
            text.append(f"  {attrs}")
        memo = self.session.memo()
        if memo:
            text.append("\nMemo: ", style="bold")
            text.append(memo)
        if item.question is not None:
            text.append(f"\n{item.question.speaker or 'I'}: ", style="bold")
            text.append(item.question.text, style="italic")
        if item.turn is not None:
            turn = item.turn
            text.append(f"\n{turn.speaker or 'R'}: ", style="bold")
            spans = [(max(start, turn.start) - turn.start, min(end, turn.end) - turn.start)]
            text.append_text(highlighted(turn.text, spans, FRAGMENT_STYLE))
        return text

    def _do(self, action: Callable[..., str], *args: str) -> None:
        """Run a session action, show its message (or the error), and redraw."""
        try:
            self.message = action(*args)
        except CodeerError as exc:
            self.message = f"Not done: {exc.one_line()}"
        self.refresh_item()

    # -- the keys ---------------------------------------------------------------------

    def action_accept(self) -> None:
        self._do(self.session.accept)

    def action_reject(self) -> None:
        self._do(self.session.reject)

    def action_skip(self) -> None:
        self._do(self.session.skip)

    def action_widen(self) -> None:
        self._do(self.session.toggle_widen)

    def action_undo(self) -> None:
        self._do(self.session.undo)

    def _pick(self, title: str, then: Callable[[str], str]) -> None:
        item = self.session.current
        if item is None:
            self._do(lambda: "Nothing left to decide.")
            return

        def picked(key: str | None) -> None:
            if key:
                self._do(then, key)

        self.push_screen(CodePicker(title, self.session.codes(), item.code), picked)

    def action_change(self) -> None:
        self._pick("Change the code to:", self.session.change_code)

    def action_add(self) -> None:
        self._pick("Add a code to this fragment:", self.session.add_code)

    def action_memo(self) -> None:
        if self.session.current is None:
            return

        def stored(text: str | None) -> None:
            if text is not None:
                self._do(self.session.add_memo, text)

        self.push_screen(Prompt("Memo on this fragment:", self.session.memo() or ""), stored)

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

    def action_help(self) -> None:
        self.push_screen(HelpScreen(HELP))
