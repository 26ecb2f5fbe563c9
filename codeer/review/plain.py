"""Plain line mode: review through stdin/stdout, for pipes, basic terminals and screen readers.

One line per decision, with the same keys as the full-screen app::

    a            accept            x        reject        (empty) or space   skip
    c KEY        change the code   n KEY    add a code    w                  widen/narrow
    m TEXT       memo              u        undo          / TERMS            filter
    ?            help              q        quit          (end of input)     quit

``c`` and ``n`` take a key or a search term; a term matching several codes lists them.
Every decision is committed before its confirmation is written, and the output is flushed
after every line, so a reader (or a killed process) never sees a decision that is not
stored.
"""

from __future__ import annotations

from typing import TextIO

from codeer.review.items import Item
from codeer.review.plain_base import (
    context_lines,
    filler,
    line_writer,
    mark,
    pick_code,
    queue_loop,
)
from codeer.review.queue import parse_filter
from codeer.review.session import ReviewSession

HELP = """Keys (type one per line, then Enter):
  a         accept the suggested code
  x         reject it
  (empty)   skip; skipped items come back after the others
  c KEY     change the code (KEY may be part of a key or label)
  n KEY     add another code to this fragment (the suggestion stays open)
  w         widen the fragment to the whole turn, or back
  m TEXT    store a memo on this fragment
  u         undo your last step (repeat for more)
  / TERMS   filter: code=KEY doc=NAME score>=X ATTR=VALUE words; '/' alone resets
  ?         this help
  q         quit (everything is already stored)"""

PROMPT = "a x (skip) c KEY n KEY w m TEXT u / ? q > "


def render_item(session: ReviewSession, item: Item, width: int = 100) -> str:
    """The plain-text block for one item: context first, then fragment, code and status."""
    start, end = session.span() or (item.start, item.end)
    fill = filler(width)
    lines = [f"--- {session.progress().line()} · coder {session.coder} ---"]
    lines += context_lines(item, start, end, width)
    fragment = item.doc_text[start:end]
    lines.append(fill(f"Fragment: {mark(fragment, item.evidence_in(start, end), '[', ']')}"))
    if item.evidence:
        lines.append(
            fill("Evidence: " + "; ".join(f"{e.words} ({e.pattern})" for e in item.evidence))
        )
    if item.explanation is not None:
        lines.append(fill(item.explanation.line("Model")))
    for example in item.nearest:
        lines.append(fill(f"Nearest accepted: {example.line()}"))
    info = item.code_info
    label = f"{info.path} - {info.label}" if info else item.code
    lines.append(
        fill(f"Code: {label}" + (f": {info.definition}" if info and info.definition else ""))
    )
    if info:
        for name, values in (("Include", info.inclusion), ("Exclude", info.exclusion)):
            if values:
                lines.append(fill(f"  {name}: " + "; ".join(values)))
    score = f" · score {item.score:.2f}" if item.score is not None else ""
    widened = " · widened to the whole turn" if session.widened else ""
    lines.append(f"Valence: {item.valence or 'n/a'}{score}{widened}")
    memo = session.memo()
    if memo:
        lines.append(fill(f"Memo: {memo}"))
    return "\n".join(lines)


def handle(session: ReviewSession, line: str) -> str | None:
    """Apply one input line; returns the message, or None to quit."""
    command = line.rstrip("\r\n")
    key, _, arg = command.strip().partition(" ")
    arg = arg.strip()
    if command.strip() == "":
        return session.skip()
    if key == "q":
        return None
    if key == "?":
        return HELP
    if key.startswith("/"):
        terms = (key[1:] + " " + arg).strip()
        try:
            return session.set_filter(parse_filter(terms, session.base_filter))
        except ValueError as exc:
            return f"Filter not changed: {exc}"
    if key == "u":
        return session.undo()
    if key == "w":
        return session.toggle_widen()
    if key == "m":
        return session.add_memo(arg) if arg else "Type the memo after m, e.g. m doubtful."
    if session.done and key in ("a", "x", "c", "n"):
        return "Nothing left to decide (u undoes, / filters, q quits)."
    if key == "a":
        return session.accept()
    if key == "x":
        return session.reject()
    if key in ("c", "n"):
        code, message = pick_code(session, arg, "Give a code: c KEY.")
        if code is None:
            return message
        return session.change_code(code) if key == "c" else session.add_code(code)
    return f"Unknown key {key!r}; type ? for help."


def run_plain(session: ReviewSession, stdin: TextIO, out: TextIO, width: int = 100) -> int:
    """Review line by line until ``q`` or end of input; returns the number of items decided."""
    write = line_writer(out)
    start = session.queue.decided_count

    def block() -> str:
        item = session.current
        return session.done_message() if item is None else render_item(session, item, width)

    write(f"Reviewing as {session.coder}: {session.filter.describe()}. Type ? for help.")
    queue_loop(
        stdin,
        out,
        PROMPT,
        lambda line: handle(session, line),
        # The item is written again when it changes, or is widened or narrowed...
        where=lambda: (session.index, session.widened),
        block=block,
        # ... or shows a new memo or a restored state.
        again=lambda message: message.startswith(("Memo stored", "Undid", "Added", "Filter")),
    )
    decided = session.queue.decided_count
    write(f"Stopped: {decided} of {len(session.queue)} decided by {session.coder}.")
    return decided - start
