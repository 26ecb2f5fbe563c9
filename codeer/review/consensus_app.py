"""The full-screen consensus queue (Textual): one disputed unit at a time, one key each.

Top to bottom: a status line (who decides, progress), the fragment, each coder's codes
(numbered, so ``1`` takes the first coder's codes), the context (document, question,
turn with the fragment underlined), a message line and the keys. Every decision goes
through :class:`~codeer.review.consensus_session.ConsensusSession`, which commits it
before the screen moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from codeer.errors import CodeerError
from codeer.review.app import FRAGMENT_STYLE, highlighted
from codeer.review.consensus_session import ConsensusSession
from codeer.review.screens import MODAL_CSS, CodePicker, HelpScreen

HELP = """codeer disagreements --review: keys

 1..9   take the codes of that coder
 b      both: every code some coder gave
 o      only the codes every coder gave
 c      pick one code from the codebook as the consensus
 0      no code applies here
 space  skip; skipped units come back after the others
 u      undo your last consensus decision; press again for more
 ?      this help
 q      quit (every decision is already stored)

Press Esc to close."""

KEYS_LINE = " 1-9 coder  b both  o agreed  c code  0 none  space skip  u undo  ? help  q quit"


class ConsensusApp(App[None]):
    """Decide the consensus of the disputed units of one session."""

    TITLE = "codeer consensus"
    ENABLE_COMMAND_PALETTE = False
    AUTO_FOCUS = "#context-box"
    CSS = (
        MODAL_CSS
        + """
    #status { height: 1; background: $primary; color: $text; padding: 0 1; }
    #fragment-box { height: auto; max-height: 40%; border: round $accent; padding: 0 1; }
    #coders { height: auto; padding: 0 1; }
    #context-box { height: 1fr; min-height: 3; border-top: solid $primary; padding: 0 1; }
    #message { height: 1; color: $warning; padding: 0 1; }
    #keys { height: auto; background: $panel; }
    """
    )
    BINDINGS: ClassVar = [
        *(Binding(str(n), f"coder({n})", show=False) for n in range(1, 10)),
        Binding("b", "both", "both"),
        Binding("o", "agreed", "agreed"),
        Binding("c", "pick", "code"),
        Binding("0", "none", "none"),
        Binding("space", "skip", "skip"),
        Binding("u", "undo", "undo"),
        Binding("question_mark", "help", "help"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, session: ConsensusSession):
        super().__init__()
        self.session = session
        self.message = "Press ? for help."

    def compose(self) -> ComposeResult:
        yield Static(id="status", markup=False)
        with VerticalScroll(id="fragment-box"):
            yield Static(id="fragment", markup=False)
        yield Static(id="coders", markup=False)
        with VerticalScroll(id="context-box"):
            yield Static(id="context", markup=False)
        yield Static(id="message", markup=False)
        yield Static(KEYS_LINE, id="keys", markup=False)

    def on_mount(self) -> None:
        self.refresh_item()

    def refresh_item(self) -> None:
        """Redraw everything for the current unit."""
        s = self.session
        self.query_one("#status", Static).update(f"consensus by {s.decider} · {s.progress()}")
        self.query_one("#message", Static).update(self.message)
        item = s.current
        box = self.query_one("#fragment-box")
        if item is None:
            box.border_title = "done"
            self.query_one("#fragment", Static).update(
                f"{s.done_message()} Press u to undo, q to quit."
            )
            self.query_one("#coders", Static).update("")
            self.query_one("#context", Static).update("")
            return
        box.border_title = f"{item.document} {item.start}-{item.end}"
        self.query_one("#fragment", Static).update(item.text)
        self.query_one("#coders", Static).update("\n".join(s.coder_lines()))
        context = Text()
        attrs = ", ".join(f"{k}={v}" for k, v in item.attributes.items())
        context.append(item.document, style="bold")
        if attrs:
            context.append(f"  {attrs}")
        if item.question is not None:
            context.append(f"\n{item.question.speaker or 'I'}: ", style="bold")
            context.append(item.question.text, style="italic")
        if item.turn is not None:
            turn = item.turn
            context.append(f"\n{turn.speaker or 'R'}: ", style="bold")
            spans = [
                (max(item.start, turn.start) - turn.start, min(item.end, turn.end) - turn.start)
            ]
            context.append_text(highlighted(turn.text, spans, FRAGMENT_STYLE))
        self.query_one("#context", Static).update(context)

    def _do(self, action: Callable[..., str], *args: object) -> None:
        try:
            self.message = action(*args)
        except CodeerError as exc:
            self.message = f"Not done: {exc.one_line()}"
        self.refresh_item()

    def action_coder(self, number: int) -> None:
        self._do(self.session.take_coder, number)

    def action_both(self) -> None:
        self._do(self.session.both)

    def action_agreed(self) -> None:
        self._do(self.session.agreed)

    def action_none(self) -> None:
        self._do(self.session.no_code)

    def action_skip(self) -> None:
        self._do(self.session.skip)

    def action_undo(self) -> None:
        self._do(self.session.undo)

    def action_pick(self) -> None:
        if self.session.current is None:
            return

        def picked(key: str | None) -> None:
            if key:
                self._do(self.session.choose, [key])

        self.push_screen(CodePicker("The consensus code:", self.session.codes()), picked)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(HELP))
