"""Plain line mode for the consensus queue: stdin/stdout, one key per line.

::

    1..9       take that coder's codes     b   both: every code some coder gave
    o          only the codes all agreed   c KEY[,KEY]   exactly these codes
    0          no code applies             (empty)  skip
    u          undo                        ?   help      q / end of input   quit

Every decision is committed before its confirmation is written, and output is flushed
after every line.
"""

from __future__ import annotations

from typing import TextIO

from codeer.review.consensus import Dispute
from codeer.review.consensus_session import ConsensusSession
from codeer.review.plain_base import context_lines, filler, line_writer, queue_loop

HELP = """Keys (type one per line, then Enter):
  1..9         take the codes of that coder
  b            both: every code some coder gave
  o            only the codes every coder gave
  c KEY[,KEY]  exactly these codes (a key or part of a key or label)
  0            no code applies here
  (empty)      skip; skipped units come back after the others
  u            undo your last consensus decision (repeat for more)
  ?            this help
  q            quit (everything is already stored)"""

PROMPT = "1-9 b o c KEY 0 (skip) u ? q > "


def render_dispute(session: ConsensusSession, item: Dispute, width: int = 100) -> str:
    """The plain-text block for one disputed unit: context, fragment, each coder's codes."""
    fill = filler(width)
    lines = [f"--- {session.progress()} · consensus by {session.decider} ---"]
    lines += context_lines(item, item.start, item.end, width, f" ({item.start}-{item.end})")
    lines.append(fill(f"Fragment: {item.text}"))
    lines += session.coder_lines()
    return "\n".join(lines)


def handle(session: ConsensusSession, line: str) -> str | None:
    """Carry out one typed line; None means quit."""
    text = line.strip()
    key, _, rest = text.partition(" ")
    if key == "q":
        return None
    if key == "":
        return session.skip()
    if key == "?":
        return HELP
    if key.isdigit() and len(key) == 1:
        return session.no_code() if key == "0" else session.take_coder(int(key))
    if key == "b":
        return session.both()
    if key == "o":
        return session.agreed()
    if key == "c":
        return session.set_codes(rest)
    if key == "u":
        return session.undo()
    return f"Unknown key {key!r}; type ? for help."


def run_plain(session: ConsensusSession, stdin: TextIO, out: TextIO, width: int = 100) -> int:
    """Decide line by line until ``q`` or end of input; returns the number decided."""
    write = line_writer(out)
    start = sum(session.decided)

    def block() -> str:
        item = session.current
        return session.done_message() if item is None else render_dispute(session, item, width)

    write(
        f"Consensus as {session.decider} on {len(session.disputes)} disagreement(s) between "
        f"{', '.join(session.coders)}. Type ? for help."
    )
    queue_loop(
        stdin,
        out,
        PROMPT,
        lambda line: handle(session, line),
        where=lambda: session.index,
        block=block,
        again=lambda message: message.startswith("Undid"),
    )
    decided = sum(session.decided)
    write(f"Stopped: {decided} of {len(session.disputes)} disagreements decided.")
    return decided - start
