"""The full-screen consensus queue (Textual): one disputed unit at a time, one key each.

Top to bottom: a status line (who decides, progress), the fragment, each coder's codes
(numbered, so ``1`` takes the first coder's codes), the context (document, question,
turn with the fragment underlined), a message line and the keys. Every decision goes
through :class:`~codeer.review.consensus_session.ConsensusSession`, which commits it
before the screen moves on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from codeer.review.app_base import QUEUE_CSS, QueueApp, context_text
from codeer.review.consensus_session import ConsensusSession

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


class ConsensusApp(QueueApp[ConsensusSession]):
    """Decide the consensus of the disputed units of one session."""

    TITLE = "codeer consensus"
    KEYS_HELP = HELP
    CSS = (
        QUEUE_CSS
        + """
    #fragment-box { height: auto; max-height: 40%; border: round $accent; padding: 0 1; }
    #coders { height: auto; padding: 0 1; }
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
        super().__init__(session, "Press ? for help.")

    def compose_middle(self) -> Iterator[Widget]:
        yield Static(id="coders", markup=False)

    def keys_bar(self) -> Widget:
        return Static(KEYS_LINE, id="keys", markup=False)

    def status_line(self) -> str:
        return f"consensus by {self.session.decider} · {self.session.progress()}"

    def draw(self) -> None:
        """Draw the current unit: fragment, each coder's codes, context."""
        s = self.session
        item = s.current
        if item is None:
            self.show_done(f"{s.done_message()} Press u to undo, q to quit.", "#coders", "#context")
            return
        self.query_one("#fragment-box").border_title = f"{item.document} {item.start}-{item.end}"
        self.show("#fragment", item.text)
        self.show("#coders", "\n".join(s.coder_lines()))
        self.show("#context", context_text(item, item.start, item.end))

    def action_coder(self, number: int) -> None:
        self._do(self.session.take_coder, number)

    def action_both(self) -> None:
        self._do(self.session.both)

    def action_agreed(self) -> None:
        self._do(self.session.agreed)

    def action_none(self) -> None:
        self._do(self.session.no_code)

    def action_pick(self) -> None:
        if self.session.current is not None:
            self.pick_code("The consensus code:", lambda key: self.session.choose([key]))
