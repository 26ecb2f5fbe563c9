"""Plain line mode of the document view: `codeer read --plain`, through stdin and stdout.

For pipes, scripts, basic terminals and screen readers. The same keys as the full-screen
view, one command per line::

    j [N] / (empty)  next sentence    k [N]   previous      J / K   next / previous turn
    g N              sentence N       c KEY   code          w KEY   code the whole turn
    v                span mark        a / x   accept / reject the open suggestion
    m TEXT           memo             u       undo          p       show again
    ?                help             q       quit          (end of input) quit

Every step is committed before its confirmation is written, and the output is flushed
after every line, so a reader (or a killed process) never sees a step that is not stored.
"""

from __future__ import annotations

import textwrap
from typing import TextIO

from codeer.review.document_session import DocumentSession
from codeer.review.plain_base import command_loop, line_writer, pick_code

HELP = """Commands (one per line, then Enter):
  j [N]     next sentence (N sentences); an empty line also reads on
  k [N]     previous sentence
  J, K      first sentence of the next / previous turn
  g N       go to sentence N
  c KEY     code this sentence (or the span from the v mark) with KEY
            (KEY may be part of a key or label; c alone lists the codes)
  w KEY     code the whole turn with KEY
  v         start a span here (move, then c KEY codes it); v again clears it
  a, x      accept / reject the open suggestion on this sentence
  m TEXT    memo on your coding here (else the suggestion, else the sentence)
  u         undo your last step (repeat for more)
  p         show this sentence again
  ?         this help
  q         quit (everything is already stored)"""

PROMPT = "j k J K g N c KEY w KEY v a x m TEXT u p ? q > "


def render_sentence(session: DocumentSession, width: int = 100) -> str:
    """The block for the current sentence: where, who, the text, its codes and memo."""
    if session.empty:
        return session.status_line()
    model, index = session.model, session.cursor
    fill = textwrap.TextWrapper(width=width, initial_indent="  ", subsequent_indent="  ").fill
    turn = model.turn_of(index)
    read, total = model.read_count()
    span = " · in marked span" if session.anchor is not None else ""
    lines = [
        f"[{index + 1}/{total}] {session.turn_header(turn.position)}, turn {turn.idx + 1}"
        f" · read {read}/{total}{span}",
        fill(model.sentence_text(index)),
    ]
    marks = model.marks_on(index)
    if marks:
        lines.append(fill("Codes: " + "; ".join(m.label() for m in marks)))
    for why in session.explanations():
        lines.append(fill(why.line("Model")))
    memo = session.memo()
    if memo:
        lines.append(fill(f"Memo: {memo}"))
    return "\n".join(lines)


def _count(arg: str, default: int = 1) -> int | None:
    if not arg:
        return default
    return int(arg) if arg.isdigit() else None


def handle(session: DocumentSession, line: str) -> str | None:
    """Apply one input line; returns the message ('' for none), or None to quit."""
    key, _, arg = line.strip().partition(" ")
    arg = arg.strip()
    if key == "":
        return session.move(1)
    if key == "q":
        return None
    if key == "?":
        return HELP
    if key in ("j", "k", "g"):
        n = _count(arg, 1)
        if n is None:
            return f"{key} takes a number, e.g. {key} 5."
        if key == "g":
            if not 1 <= n <= len(session.model):
                return f"No sentence {n}: this document has 1 to {len(session.model)}."
            return session.goto(n - 1)
        return session.move(n if key == "j" else -n)
    if key in ("J", "K"):
        return session.move_turn(1 if key == "J" else -1)
    if key in ("c", "w"):
        code, message = pick_code(session, arg, "Give a code after the key.")
        if code is None:
            return message
        return session.code(code) if key == "c" else session.code_turn(code)
    actions = {
        "v": session.toggle_mark,
        "a": session.accept,
        "x": session.reject,
        "u": session.undo,
        "p": lambda: "",
    }
    if key in actions:
        return actions[key]()
    if key == "m":
        return session.add_memo(arg) if arg else "Type the memo after m, e.g. m doubtful."
    return f"Unknown command {key!r}; type ? for help."


def run_plain(session: DocumentSession, stdin: TextIO, out: TextIO, width: int = 100) -> None:
    """Read line by line until ``q`` or end of input."""
    write = line_writer(out)
    shown = (session.cursor, session.anchor)  # the sentence (and mark) last written

    def reply(line: str, message: str) -> None:
        nonlocal shown
        if message:
            write(message)
        changed = (session.cursor, session.anchor) != shown
        if changed or line.strip().partition(" ")[0] in ("c", "w", "a", "x", "m", "u", "p"):
            write(render_sentence(session, width))
        shown = (session.cursor, session.anchor)

    write(f"Reading {session.model.name} as {session.coder}. Type ? for help.")
    write(render_sentence(session, width))
    command_loop(stdin, out, PROMPT, lambda line: handle(session, line), reply)
    read, total = session.model.read_count()
    write(f"Stopped: {read} of {total} sentences of {session.model.name} read by {session.coder}.")
