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

import textwrap
from typing import TextIO

from codeer.review.items import Item
from codeer.review.queue import parse_filter
from codeer.review.session import ReviewSession
from codeer.store.safe_output import terminal_text

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


def mark(text: str, spans: list[tuple[int, int]], left: str, right: str) -> str:
    """*text* with each (start, end) span wrapped in *left* ... *right* (non-overlapping)."""
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:  # overlapping evidence: the first one wins
            continue
        out += [text[pos:start], left, text[start:end], right]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def render_item(session: ReviewSession, item: Item, width: int = 100) -> str:
    """The plain-text block for one item: context first, then fragment, code and status."""
    start, end = session.span() or (item.start, item.end)
    fill = textwrap.TextWrapper(width=width, subsequent_indent="    ").fill
    lines = [f"--- {session.progress().line()} · coder {session.coder} ---"]
    attrs = "; ".join(f"{k}={v}" for k, v in item.attributes.items())
    lines.append(f"Document: {item.document}" + (f" ({attrs})" if attrs else ""))
    if item.question is not None:
        lines.append(fill(f"Question ({item.question.speaker or 'I'}): {item.question.text}"))
    if item.turn is not None:
        turn = item.turn
        rel = [(max(start, turn.start) - turn.start, min(end, turn.end) - turn.start)]
        lines.append(fill(f"Turn ({turn.speaker or 'R'}): {mark(turn.text, rel, '«', '»')}"))
    fragment = item.doc_text[start:end]
    lines.append(fill(f"Fragment: {mark(fragment, item.evidence_in(start, end), '[', ']')}"))
    if item.evidence:
        lines.append(
            fill("Evidence: " + "; ".join(f"{e.words} ({e.pattern})" for e in item.evidence))
        )
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


def _pick(session: ReviewSession, term: str) -> tuple[str | None, str]:
    """Resolve a code search term: (key, '') when unambiguous, else (None, message)."""
    if not term:
        listing = ", ".join(c.key for c in session.codes())
        return None, f"Give a code: c KEY. Codes: {listing}"
    found = session.find_codes(term)
    if found and (found[0].key == term or len(found) == 1):
        return found[0].key, ""
    if not found:
        return None, f"No code matches {term!r}."
    return None, f"{term!r} matches: {', '.join(c.key for c in found[:20])}; be more precise."


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
        code, message = _pick(session, arg)
        if code is None:
            return message
        return session.change_code(code) if key == "c" else session.add_code(code)
    return f"Unknown key {key!r}; type ? for help."


def run_plain(session: ReviewSession, stdin: TextIO, out: TextIO, width: int = 100) -> int:
    """Review line by line until ``q`` or end of input; returns the number of items decided."""
    from codeer.errors import CodeerError

    # What is on screen: (index, widened). The item is written again only when it changes.
    shown: tuple[int | None, bool] | None = None
    start = session.queue.decided_count

    def write(text: str) -> None:
        # Transcript text may hold escape sequences: shown as \x1b, never acted on.
        out.write(terminal_text(text) + "\n")
        out.flush()  # a pipe reader must see each confirmation as soon as it is stored

    write(f"Reviewing as {session.coder}: {session.filter.describe()}. Type ? for help.")
    while True:
        state = (session.index, session.widened)
        if state != shown:
            item = session.current
            if item is None:
                write(session.done_message())
            else:
                write(render_item(session, item, width))
            shown = state
        out.write(PROMPT)
        out.flush()
        line = stdin.readline()
        if line == "":  # end of input means quit, not an error
            write("")
            break
        try:
            message = handle(session, line)
        except CodeerError as exc:
            message = f"Not done: {exc.one_line()}"
        if message is None:
            break
        write(message)
        if message.startswith(("Memo stored", "Undid", "Added", "Filter")):
            shown = None  # show the item again with its memo / restored state
    decided = session.queue.decided_count
    write(f"Stopped: {decided} of {len(session.queue)} decided by {session.coder}.")
    return decided - start
