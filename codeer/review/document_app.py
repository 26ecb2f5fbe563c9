"""The full-screen document view (Textual): read a transcript and code any sentence.

Layout, top to bottom: a status line (document, coder, sentence n/N, turn, read count),
the transcript, a detail pane (the codes and memo on the current sentence, and what the
learned model says about its open suggestions), a message line and the keys. The
transcript pane draws only a window of sentences around the cursor (about a third of the
pane above it), as one text: no widget per sentence, so a 10,000-sentence document opens
and moves as fast as a short one.

All steps go through :class:`~codeer.review.document_session.DocumentSession`, which
commits each one before the screen changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from codeer.review.app_base import SESSION_CSS, KeysBar, SessionApp
from codeer.review.document_session import DocumentSession
from codeer.store.safe_output import terminal_text

KEYS = [
    ("j", "next", "next"),
    ("k", "previous", "previous"),
    ("c", "code", "code"),
    ("w", "code_turn", "turn"),
    ("v", "mark", "span"),
    ("a", "accept", "accept"),
    ("x", "reject", "reject"),
    ("m", "memo", "memo"),
    ("u", "undo", "undo"),
    ("question_mark", "help", "help"),
    ("q", "quit", "quit"),
]
MORE_KEYS = [
    ("down", "next", "next"),
    ("up", "previous", "previous"),
    ("J", "next_turn", "next turn"),
    ("K", "previous_turn", "previous turn"),
    ("pagedown", "page(1)", "page down"),
    ("pageup", "page(-1)", "page up"),
    ("home", "first", "first"),
    ("end", "last", "last"),
    ("escape", "clear_mark", "clear span"),
]

HELP = """codeer read: keys

 j / ↓      next sentence (it then counts as read)
 k / ↑      previous sentence
 J / K      next / previous turn
 PgDn/PgUp  ten sentences on / back; Home / End: first / last
 c          code this sentence (search the codebook)
 v          start a span here; move, then c codes mark..cursor
            (v again or Esc clears the mark)
 w          code the whole turn
 a / x      accept / reject the open suggestion here
 m          memo on your coding here (else on the suggestion,
            else on the sentence)
 u          undo your last step; press again to undo more
 ?          this help
 q          quit (every step is already stored)

Margin: ▶ cursor, ┃ marked span, • not read by you yet.
Press Esc to close."""

ROLE_STYLE = {"respondent": "bold green", "interviewer": "bold cyan", "other": "bold magenta"}
MARK_STYLE = {
    "suggested": "yellow",
    "accepted": "bold green",
    "manual": "bold green",
    "changed": "bold green",
    "rejected": "red strike",
}
PAGE = 10


def _lines(length: int, width: int) -> int:
    """Rows a text of *length* characters takes at *width* columns (an estimate)."""
    return max(1, -(-length // max(width, 10)))


class TranscriptPane(Widget):
    """The window of sentences around the cursor, drawn as one rich text."""

    def __init__(self, session: DocumentSession, **kwargs):
        super().__init__(**kwargs)
        self.session = session

    def render(self) -> Text:
        return window_text(self.session, self.size.width or 80, self.size.height or 20)


def _sentence_rows(session: DocumentSession, index: int, width: int) -> int:
    model = session.model
    s = model.sentences[index]
    marks = sum(len(m.label()) + 3 for m in model.marks_on(index))
    header = 1 if index == model.turns[s.turn].first else 0
    return header + _lines(s.end - s.start + 2 + marks, width)


def window_text(session: DocumentSession, width: int, height: int) -> Text:
    """The sentences that fit around the cursor: about a third of the rows above it."""
    text = Text()
    if session.empty:
        text.append("This document has no text to read.")
        return text
    model, cursor = session.model, session.cursor
    first, used = cursor, _sentence_rows(session, cursor, width)
    while first > 0:
        above = _sentence_rows(session, first - 1, width)
        if used + above > height // 3:
            break
        first, used = first - 1, used + above
    last, rows = first, 0
    while last < len(model) and rows < height:
        rows += _sentence_rows(session, last, width)
        last += 1
    for index in range(first, last):
        s = model.sentences[index]
        turn = model.turns[s.turn]
        if index == turn.first or index == first:
            cont = "" if index == turn.first else " (continued)"
            header = terminal_text(session.turn_header(turn.position))
            text.append(f"{header}{cont}", ROLE_STYLE.get(turn.role))
            text.append(f"  turn {turn.idx + 1}\n", "dim")
        here = index == cursor
        gutter = "▶ " if here else ("┃ " if session.marked(index) else "  ")
        text.append(gutter, "bold")
        text.append("  " if model.is_read(index) or here else "• ", "dim")
        style = "reverse" if here else ("underline" if session.marked(index) else "")
        # Escape sequences in a transcript are shown (as \x1b), never sent to the terminal.
        text.append(terminal_text(model.sentence_text(index)), style)
        for mark in model.marks_on(index):
            text.append(f"  [{mark.label()}]", MARK_STYLE.get(mark.state, ""))
        if index < last - 1:
            text.append("\n")
    return text


class DocumentApp(SessionApp[DocumentSession]):
    """Read one document and code any sentence, turn or span."""

    TITLE = "codeer read"
    KEYS_HELP = HELP
    CSS = (
        SESSION_CSS
        + """
    #transcript { height: 1fr; padding: 0 1; }
    #detail { height: auto; max-height: 6; border-top: solid $primary; padding: 0 1; }
    #keys { height: auto; max-height: 3; background: $panel; }
    """
    )
    BINDINGS: ClassVar = [
        *(Binding(key, action, label) for key, action, label in KEYS),
        *(Binding(key, action, label, show=False) for key, action, label in MORE_KEYS),
    ]

    def __init__(self, session: DocumentSession):
        super().__init__(session, "j/k move, c codes, ? shows every key.")

    def compose_body(self) -> Iterator[Widget]:
        yield TranscriptPane(self.session, id="transcript")
        yield Static(id="detail", markup=False)

    def keys_bar(self) -> Widget:
        return KeysBar(KEYS, min_width=20, id="keys")

    def status_line(self) -> str:
        return terminal_text(self.session.status_line())

    def draw(self) -> None:
        """Redraw the transcript window and the detail pane."""
        self.query_one("#transcript", TranscriptPane).refresh()
        self.show("#detail", self._detail())

    def _detail(self) -> Text:
        s = self.session
        text = Text()
        if s.empty:
            return text
        marks = s.model.marks_on(s.cursor)
        if marks:
            text.append("Codes: ", "bold")
            text.append("; ".join(m.label() for m in marks))
        else:
            text.append("No codes on this sentence (c codes it, w the whole turn).", "dim")
        for why in s.explanations():
            text.append(f"\n{why.heading('Model')} ", "bold")
            text.append(why.details())
        memo = s.memo()
        if memo:
            text.append("\nMemo: ", "bold")
            text.append(terminal_text(memo))
        return text

    # -- moving -----------------------------------------------------------------------

    def action_next(self) -> None:
        self._do(self.session.move, 1)

    def action_previous(self) -> None:
        self._do(self.session.move, -1)

    def action_next_turn(self) -> None:
        self._do(self.session.move_turn, 1)

    def action_previous_turn(self) -> None:
        self._do(self.session.move_turn, -1)

    def action_page(self, direction: int) -> None:
        self._do(self.session.move, PAGE * direction)

    def action_first(self) -> None:
        self._do(self.session.goto, 0)

    def action_last(self) -> None:
        self._do(self.session.goto, len(self.session.model) - 1)

    def action_mark(self) -> None:
        self._do(self.session.toggle_mark)

    def action_clear_mark(self) -> None:
        if self.session.anchor is not None:
            self._do(self.session.toggle_mark)

    # -- coding -----------------------------------------------------------------------

    def _pick(self, title: str, then: Callable[[str], str]) -> None:
        if not self.session.empty:
            self.pick_code(title, then)

    def action_code(self) -> None:
        what = "the marked span" if self.session.anchor is not None else "this sentence"
        self._pick(f"Code {what} with:", self.session.code)

    def action_code_turn(self) -> None:
        self._pick("Code the whole turn with:", self.session.code_turn)

    def action_accept(self) -> None:
        self._do(self.session.accept)

    def action_reject(self) -> None:
        self._do(self.session.reject)

    def action_memo(self) -> None:
        if not self.session.empty:
            what, _ = self.session.memo_target()
            self.ask_memo(f"Memo on {what}:")
