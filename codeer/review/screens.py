"""Modal screens of the review app: the code picker, a one-line prompt, and help.

Imported only by the full-screen apps (:mod:`codeer.review.app_base` and the apps on it),
i.e. only when a full-screen view runs.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from codeer.review.items import CodeInfo, find_codes

MODAL_CSS = """
ModalScreen { align: center middle; }
ModalScreen > Vertical {
    width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: round $accent; background: $surface; padding: 0 1;
}
ModalScreen OptionList { height: auto; max-height: 14; }
ModalScreen .hint { color: $text-muted; }
"""


class CodePicker(ModalScreen[str | None]):
    """Pick a code: type to search key, label and path; Enter picks, Esc cancels."""

    BINDINGS: ClassVar = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, codes: list[CodeInfo], current: str | None = None):
        super().__init__()
        self.title_text = title
        self.codes = codes
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, markup=False)
            yield Input(placeholder="type to search codes", id="search")
            yield OptionList(id="codes")
            yield Static("Enter picks the highlighted code, ↑/↓ move, Esc cancels.", classes="hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#search", Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one("#codes", OptionList)
        options.clear_options()
        # Best match first (an exact key, then keys and labels starting with the query),
        # so typing a whole key, or its start, and Enter picks that code.
        found = find_codes(self.codes, query)
        options.add_options(
            [Option(Text(f"{c.path}  {c.label}"), id=c.key) for c in found if c.key != self.current]
        )
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_key(self, event: events.Key) -> None:
        # Arrow keys move through the list while typing continues in the search field.
        options = self.query_one("#codes", OptionList)
        if event.key in ("down", "up") and options.option_count:
            step = 1 if event.key == "down" else -1
            index = (options.highlighted or 0) + step
            options.highlighted = max(0, min(options.option_count - 1, index))
            event.stop()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#codes", OptionList)
        if options.highlighted is None:
            self.app.bell()
            return
        self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Prompt(ModalScreen[str | None]):
    """A one-line text prompt (memo, filter): Enter stores, Esc cancels."""

    BINDINGS: ClassVar = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, value: str = "", hint: str = ""):
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, markup=False)
            yield Input(value=self.value, id="text")
            yield Static(self.hint or "Enter stores, Esc cancels.", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """The key reference; any of Esc, q, ? or Enter closes it."""

    BINDINGS: ClassVar = [
        Binding("escape", "close", "close"),
        Binding("q", "close", "close"),
        Binding("question_mark", "close", "close"),
        Binding("enter", "close", "close"),
    ]

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.text, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
