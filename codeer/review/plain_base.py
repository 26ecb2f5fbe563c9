"""What the three plain line modes share: writing, the prompt loop, code search, context.

The review (:mod:`codeer.review.plain`), the consensus queue
(:mod:`codeer.review.consensus_plain`) and the document view
(:mod:`codeer.review.document_plain`) each keep their own keys (``handle``) and what they
show; the reading and writing of lines is here, so all three flush every line, show a
transcript's escape sequences instead of obeying them, treat the end of input as quit,
and turn a refused step into one ``Not done: ...`` line.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from codeer.errors import CodeerError
from codeer.review.items import CodebookCodes, Item
from codeer.store.safe_output import terminal_text

if TYPE_CHECKING:
    from codeer.review.consensus import Dispute  # annotations only


def line_writer(out: TextIO) -> Callable[[str], None]:
    """A function that writes one line of text to *out* and flushes it."""

    def write(text: str) -> None:
        # Transcript text may hold escape sequences: shown as \x1b, never acted on.
        out.write(terminal_text(text) + "\n")
        out.flush()  # a pipe reader must see each confirmation as soon as it is stored

    return write


def command_loop(
    stdin: TextIO,
    out: TextIO,
    prompt: str,
    carry_out: Callable[[str], str | None],
    reply: Callable[[str, str], None],
) -> None:
    """Read a line after *prompt*, carry it out, and hand the line and its message to
    *reply*; until *carry_out* returns None (``q``) or the input ends.

    The end of input means quit, not an error: an empty line is written and the loop
    ends. A step the library refuses (a :class:`CodeerError`) is the message
    ``Not done: ...``, and the loop goes on.
    """
    write = line_writer(out)
    while True:
        out.write(prompt)
        out.flush()
        line = stdin.readline()
        if line == "":
            write("")
            return
        try:
            message = carry_out(line)
        except CodeerError as exc:
            message = f"Not done: {exc.one_line()}"
        if message is None:
            return
        reply(line, message)


def queue_loop(
    stdin: TextIO,
    out: TextIO,
    prompt: str,
    carry_out: Callable[[str], str | None],
    where: Callable[[], object],
    block: Callable[[], str],
    again: Callable[[str], bool],
) -> None:
    """:func:`command_loop` for a queue shown one item at a time.

    The current item's *block* is written first, and after a message whenever *where*
    the queue stands has changed, or *again* says the message changed what the block
    shows (a memo, an undo).
    """
    write = line_writer(out)
    shown = where()
    write(block())

    def reply(line: str, message: str) -> None:
        nonlocal shown
        write(message)
        if again(message) or where() != shown:
            shown = where()
            write(block())

    command_loop(stdin, out, prompt, carry_out, reply)


def pick_code(session: CodebookCodes, term: str, ask: str) -> tuple[str | None, str]:
    """Resolve a code search term: (key, '') when unambiguous, else (None, message).

    Unambiguous: an exact key, or a term only one code matches. Without a term the
    message is *ask* followed by every code key.
    """
    if not term:
        return None, f"{ask} Codes: {', '.join(c.key for c in session.codes())}"
    found = session.find_codes(term)
    if found and (found[0].key == term or len(found) == 1):
        return found[0].key, ""
    if not found:
        return None, f"No code matches {term!r}."
    return None, f"{term!r} matches: {', '.join(c.key for c in found[:20])}; be more precise."


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


def filler(width: int) -> Callable[[str], str]:
    """Wrap a line at *width*, the continuation lines indented."""
    return textwrap.TextWrapper(width=width, subsequent_indent="    ").fill


def context_lines(
    item: Item | Dispute, start: int, end: int, width: int, where: str = ""
) -> list[str]:
    """The document (with *where* and the attributes), the interviewer's question, and the
    whole turn with the fragment *start*..*end* in «guillemets»."""
    fill = filler(width)
    attrs = "; ".join(f"{k}={v}" for k, v in item.attributes.items())
    lines = [f"Document: {item.document}{where}" + (f" ({attrs})" if attrs else "")]
    if item.question is not None:
        lines.append(fill(f"Question ({item.question.speaker or 'I'}): {item.question.text}"))
    if item.turn is not None:
        turn = item.turn
        rel = [(max(start, turn.start) - turn.start, min(end, turn.end) - turn.start)]
        lines.append(fill(f"Turn ({turn.speaker or 'R'}): {mark(turn.text, rel, '«', '»')}"))
    return lines
