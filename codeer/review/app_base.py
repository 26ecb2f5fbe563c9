"""What the three full-screen views share: the status and message lines, the footer of
keys, running a session action, the code picker, the memo prompt and the help screen.

:class:`SessionApp` is the base of the document view (:mod:`codeer.review.document_app`);
:class:`QueueApp` adds what the two one-item-at-a-time views share, the review
(:mod:`codeer.review.app`) and the consensus queue (:mod:`codeer.review.consensus_app`):
the fragment and context boxes, skip, and the "all done" screen. Each view keeps its own
keys, layout and drawing; every step goes through its session, which commits it before
the screen changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from codeer.errors import CodeerError
from codeer.review.items import Item
from codeer.review.learned import Example, Explanation
from codeer.review.screens import MODAL_CSS, CodePicker, HelpScreen, Prompt
from codeer.store.safe_output import terminal_text

if TYPE_CHECKING:
    from codeer.review.consensus import Dispute  # annotations only

FRAGMENT_STYLE = "bold underline"
SHOWN_KEY = {"space": "space", "slash": "/", "question_mark": "?"}

# The lines every view has; each view adds the CSS of its own panes.
SESSION_CSS = (
    MODAL_CSS
    + """
    #status { height: 1; background: $primary; color: $text; padding: 0 1; }
    #message { height: 1; color: $warning; padding: 0 1; }
    """
)
QUEUE_CSS = (
    SESSION_CSS
    + """
    #context-box { height: 1fr; min-height: 3; border-top: solid $primary; padding: 0 1; }
    """
)

S = TypeVar("S")


def highlighted(text: str, spans: list[tuple[int, int]], style: str) -> Text:
    """*text* with *spans* (relative offsets) styled."""
    rich = Text(text)
    for start, end in spans:
        rich.stylize(style, start, end)
    return rich


def pack_keys(keys: list[tuple[str, str, str]], width: int) -> list[Text]:
    """The footer: each (key, action, label) of *keys*, packed into lines of *width*.

    Packed by hand (not by Rich's word wrap) so that a key never ends up on another line
    than its label.
    """
    lines: list[Text] = [Text()]
    for key, _, label in keys:
        shown = SHOWN_KEY.get(key, key)
        entry_width = len(shown) + 1 + len(label) + 2
        if lines[-1].cell_len and lines[-1].cell_len + entry_width > max(width, 1):
            lines.append(Text())
        lines[-1].append(f" {shown}", style="bold")
        lines[-1].append(f" {label} ")
    return lines


class KeysBar(Widget):
    """The footer listing the main keys; one line when wide enough, more when not."""

    def __init__(self, keys: list[tuple[str, str, str]], min_width: int = 1, **kwargs: Any):
        super().__init__(**kwargs)
        self.keys = keys
        self.min_width = min_width  # packed as if at least this wide (before layout: 0)

    def render(self) -> Text:
        return Text("\n").join(pack_keys(self.keys, max(self.size.width, self.min_width)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(pack_keys(self.keys, max(width, self.min_width)))


def context_text(
    item: Item | Dispute,
    start: int,
    end: int,
    memo: str | None = None,
    learned: Explanation | None = None,
    nearest: Sequence[Example] = (),
) -> Text:
    """The context pane: document and attributes, what the *learned* model says, the memo,
    the interviewer's question, the whole turn with the fragment *start*..*end*
    underlined, and the accepted examples *nearest* to a learned proposal."""
    text = Text()
    attrs = ", ".join(f"{k}={v}" for k, v in item.attributes.items())
    text.append(item.document, style="bold")
    if attrs:
        text.append(f"  {attrs}")
    if learned is not None:
        # Near the top: the turn below can be long, and this line changes with every item.
        text.append(f"\n{learned.heading('Model')} ", style="bold")
        text.append(learned.details())
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
    if nearest:
        text.append("\nNearest accepted fragments:", style="bold")
        for example in nearest:
            # Shown, never obeyed: an escape sequence in a transcript (as in `codeer read`).
            text.append(f"\n  {terminal_text(example.line())}")
    return text


class SessionApp(App[None], Generic[S]):
    """A full-screen view over one session: status line, the view's panes, message, keys.

    A view sets ``KEYS_HELP`` (the help screen) and defines :meth:`compose_body`,
    :meth:`keys_bar`, :meth:`status_line` and :meth:`draw`; its key actions call
    :meth:`_do` with a session method.
    """

    ENABLE_COMMAND_PALETTE = False
    KEYS_HELP: ClassVar[str] = ""

    def __init__(self, session: S, message: str):
        super().__init__()
        self.session = session
        self.message = message  # the answer to the last key, shown until the next one

    def compose(self) -> ComposeResult:
        # markup=False: transcript text, coder names and messages may contain [brackets].
        yield Static(id="status", markup=False)
        yield from self.compose_body()
        yield Static(id="message", markup=False)
        yield self.keys_bar()

    def compose_body(self) -> Iterator[Widget]:
        """The view's own panes, between the status line and the message line."""
        raise NotImplementedError

    def keys_bar(self) -> Widget:
        """The footer of keys (id ``keys``)."""
        raise NotImplementedError

    def status_line(self) -> str | Text:
        """The text of the status line."""
        raise NotImplementedError

    def draw(self) -> None:
        """Update the view's own panes for the session as it is now."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.redraw()

    def show(self, pane: str, content: str | Text) -> None:
        """Put *content* in the Static with selector *pane*."""
        self.query_one(pane, Static).update(content)

    def redraw(self) -> None:
        """Redraw the status, the message and the view's panes (a handful of updates)."""
        self.show("#status", self.status_line())
        self.show("#message", self.message)
        self.draw()

    def _do(self, action: Callable[..., str], *args: Any) -> None:
        """Run a session action, show its message (or the error), and redraw."""
        try:
            self.message = action(*args)
        except CodeerError as exc:
            self.message = f"Not done: {exc.one_line()}"
        self.redraw()

    def pick_code(self, title: str, then: Callable[[str], str], current: str | None = None) -> None:
        """Open the code picker (without *current*); the picked key goes to *then*."""

        def picked(key: str | None) -> None:
            if key:
                self._do(then, key)

        self.push_screen(CodePicker(title, self.session.codes(), current), picked)

    def ask_memo(self, title: str) -> None:
        """Ask for a memo (the session's current one to edit) and store it."""

        def stored(text: str | None) -> None:
            if text is not None:
                self._do(self.session.add_memo, text)

        self.push_screen(Prompt(title, self.session.memo() or ""), stored)

    def action_undo(self) -> None:
        self._do(self.session.undo)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.KEYS_HELP))


class QueueApp(SessionApp[S]):
    """A view that shows one item of a queue at a time in ``#fragment-box``, with the
    context below it in ``#context-box`` (where the arrows scroll).

    Such a view defines :meth:`compose_middle` (what stands between the two) instead of
    :meth:`compose_body`, and calls :meth:`show_done` when the queue is done.
    """

    # Arrows scroll the context; Tab moves to the fragment and the other panes.
    AUTO_FOCUS = "#context-box"

    def compose_body(self) -> Iterator[Widget]:
        with VerticalScroll(id="fragment-box"):
            yield Static(id="fragment", markup=False)
        yield from self.compose_middle()
        with VerticalScroll(id="context-box"):
            yield Static(id="context", markup=False)

    def compose_middle(self) -> Iterator[Widget]:
        """What the view shows between the fragment and the context."""
        raise NotImplementedError

    def show_done(self, text: str, *emptied: str) -> None:
        """Nothing left in the queue: say *text* in the fragment box, empty *emptied*."""
        self.query_one("#fragment-box").border_title = "done"
        self.show("#fragment", text)
        for pane in emptied:
            self.show(pane, "")

    def action_skip(self) -> None:
        self._do(self.session.skip)
