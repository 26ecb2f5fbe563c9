"""Splitting a transcript text into speaker turns with exact character offsets.

The rules, as a careful reader applies them:

- A line that starts with a speaker label (see :mod:`codeer.ingest.labels`) starts a turn;
  the label and any timestamp are not part of the turn's span.
- A line holding only a label and a timestamp (``Naam 00:01:23``) starts a turn whose text
  follows on the next lines; a line holding only a timestamp gives the next turn its time.
- Lines without a label continue the current turn, across hard line breaks and blank
  lines alike ("an unlabelled paragraph continues the previous speaker").
- Several turns on one line (``R1: ja I: oké``) are split at labels the document uses.
- A *weak* label (one capitalised word, ``Oka:``, or a short description, ``Intern
  begeleider:``) counts as a speaker when it is used twice, when the caller names it, when
  the document labels its speakers by first names anyway, or, used once, when the
  document is labelled and the line starts a paragraph with a capital (``Huisarts: Wij
  ...``). ``Kijk: ...`` and ``Conclusie: ...`` are never labels.
- Labels the caller names (``--interviewer``, ``--speaker``) are taken exactly as written,
  whatever their form (``De voorzitter:``).
- Text before the first label (a title, a date line) is a turn of its own with no
  speaker (role ``other``): nothing a researcher gave us is outside a turn.
- A document without any label is one respondent's text: one turn per paragraph.

Every turn satisfies ``text[turn.start:turn.end] == turn text`` with no surrounding
whitespace; ``turn.head`` is where its label (or timestamp) begins; turns never overlap
and are in document order, and every non-blank character lies in some turn's
``[head, end)``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from codeer.ingest.header import header_block
from codeer.ingest.labels import (
    _STAMP,
    LabelMatch,
    inline_label_re,
    is_timestamp_line,
    label_like,
    match_bare,
    match_heading,
    match_known,
    match_label,
    match_label_full,
)
from codeer.ingest.model import RawTurn

__all__ = ["RejectedLabel", "match_label", "parse_turns", "rejected_labels"]

_LEADING_STAMP = re.compile(rf"[ \t]*{_STAMP}[ \t]+(?=\S)")


@dataclass
class _Line:
    start: int  # offset of the line in the text
    text: str
    label: LabelMatch | None = None
    heading: LabelMatch | None = None
    stamp: float | None = None
    blank_before: bool = True  # first line, or the line before is blank
    header: bool = False  # in the metadata block at the top (see _header_block)


@dataclass(frozen=True)
class RejectedLabel:
    """Something that looks like a speaker label but was read as text, and why."""

    line: int  # 1-based line number in the stored text
    label: str
    reason: str


def _lines(text: str, known: list[str]) -> list[_Line]:
    result = []
    offset = 0
    previous_blank = True
    for raw in text.split("\n"):
        line = _Line(offset, raw, blank_before=previous_blank)
        line.label = match_known(raw, known) or match_label_full(raw)
        if line.label is None:
            line.heading = match_heading(raw) or match_bare(raw)
            if line.heading is None:
                line.stamp = is_timestamp_line(raw)
        result.append(line)
        offset += len(raw) + 1
        previous_blank = not raw.strip()
    # A bare label line must start a paragraph and have its text in the next one (Word
    # exports put a blank line between all paragraphs).
    after: _Line | None = None
    for line in reversed(result):
        bare = line.heading is not None and line.heading.bare
        if bare and (not line.blank_before or after is None or after.label or after.heading):
            line.heading = None
        if line.text.strip():
            after = line
    return result


def _starts_upper(line: _Line) -> bool:
    """The turn text after the label starts with a capital, a digit or a quote (or is empty)."""
    rest = line.text[line.label.content :].lstrip("*_ \t") if line.label else ""
    return not rest or not rest[0].islower()


def _accept_weak_labels(lines: list[_Line], known: set[str]) -> list[RejectedLabel]:
    """Decide the doubtful labels; return the ones read as text, with the reason.

    A weak label stays a speaker when it is used twice, when the caller names it, or when
    the document labels its speakers by first names anyway (``Anna:`` twice). Used once,
    it stays when the document is labelled (other paragraphs start with labels) and it
    starts a paragraph, followed by a capital: ``Huisarts: Wij zien ...`` in an interview
    excerpt. ``Voorbeeld: zo doen we het.`` inside a turn stays text.
    """
    counts: Counter[str] = Counter()
    strong: set[str] = {name.casefold() for name in known}
    for line in lines:
        found = line.label or line.heading
        if found:
            counts[found.speaker] += 1
            if found.strong:
                strong.add(found.speaker.casefold())
    names_used = any(
        counts[found.speaker] >= 2 and not found.strong
        for line in lines
        if (found := line.label or line.heading)
    )
    weak = [
        (number, line)
        for number, line in enumerate(lines, 1)
        if line.label and line.label.speaker.casefold() not in strong
    ]
    weak_ids = {id(line) for _number, line in weak}
    paragraphs = sum(1 for line in lines if line.text.strip() and line.blank_before)
    openers = [line for _number, line in weak if line.blank_before]
    labelled = bool(strong) or (
        len({line.label.speaker for line in openers}) >= 2 and 2 * len(openers) >= paragraphs
    )
    for line in lines:
        found = line.heading
        lone = found is not None and counts[found.speaker] < 2
        if lone and found.bare and not found.strong and found.speaker.casefold() not in strong:
            line.heading = None  # a lone heading line, not a speaker
    taken = [line for line in lines if (line.label or line.heading) and id(line) not in weak_ids]
    # Transcripts with a turn on every line (no blank lines between turns) start a
    # paragraph on any line.
    tight = bool(taken) and 2 * sum(1 for line in taken if not line.blank_before) > len(taken)
    starts = [line for line in lines if line.text.strip() and (line.blank_before or tight)]
    openings = sum(1 for line in starts if line.label or line.heading)
    dense = bool(starts) and 10 * openings >= 7 * len(starts)
    rejected: list[RejectedLabel] = []
    for number, line in weak:
        found = line.label
        if counts[found.speaker] >= 2 or names_used:
            continue
        opens = line.blank_before or tight
        # In a document where most paragraphs open with a label, a lower-case word after
        # a one-off label ("Huisarts: nou, ...") does not make it a sentence.
        if labelled and opens and (_starts_upper(line) or dense):
            continue
        if not labelled:
            reason = "used once in a document without other speaker labels"
        elif not opens:
            reason = "inside a paragraph, not at its start"
        else:
            reason = "followed by a lower-case word, as in an ordinary sentence"
        rejected.append(RejectedLabel(number, found.speaker, reason))
        line.label = None
    return rejected


class _Builder:
    """Collects turns while walking the lines.

    The builder starts with an open turn without a speaker: text before the first label
    becomes that turn (a preamble), so no text is left outside a turn.
    """

    def __init__(self, text: str):
        self.text = text
        self.turns: list[RawTurn] = []
        self.speaker: str | None = ""
        self.timestamp: float | None = None
        self.head: int | None = None
        self.start: int | None = None
        self.end: int | None = None
        self.empty_at = 0

    def open(self, speaker: str, timestamp: float | None, head: int, content: int) -> None:
        """Start a turn whose label begins at *head* and whose text may begin at *content*."""
        self.close()
        self.speaker, self.timestamp, self.head = speaker, timestamp, head
        self.empty_at = content

    def extend(self, start: int, end: int) -> None:
        """Add text[start:end] (a line or part of one) to the open turn."""
        segment = self.text[start:end]
        stripped = segment.strip()
        if not stripped:
            return
        lead = len(segment) - len(segment.lstrip())
        trail = len(segment) - len(segment.rstrip())
        if self.start is None:
            self.start = start + lead
        self.end = end - trail

    def close(self) -> None:
        if self.speaker is not None and self.start is not None and self.end is not None:
            self.turns.append(
                RawTurn(self.speaker, self.start, self.end, self.timestamp, self.head)
            )
        elif self.speaker and self.head is not None:
            # A label with no words after it ("Interviewer:" then the next label): keep an
            # empty turn so the label itself still belongs to a turn.
            at = self.empty_at
            self.turns.append(RawTurn(self.speaker, at, at, self.timestamp, self.head))
        self.speaker = None
        self.start = self.end = self.head = None
        self.timestamp = None


def scan_labels(
    text: str, known_speakers: list[str] | None = None
) -> tuple[list[_Line], list[RejectedLabel]]:
    """The lines of *text* with their accepted labels, and the label-like text read as text."""
    known = list(known_speakers or [])
    lines = _lines(text, known)
    rejected = _accept_weak_labels(lines, set(known))
    rejected += _header_block(lines, set(known))
    for number, line in enumerate(lines, 1):
        if line.label or line.heading or line.header:
            continue
        like = label_like(line.text)
        if like is not None:
            rejected.append(
                RejectedLabel(number, like, "an ordinary word or clause before a colon")
            )
    rejected.sort(key=lambda r: r.line)
    return lines, rejected


def _header_block(lines: list[_Line], known: set[str]) -> list[RejectedLabel]:
    """Read the metadata block at the top (:func:`header_block`) as text of the preamble:
    ``Interviewer: Anna de Vries`` there names a person, it is not a turn. Labels the
    caller named stay labels."""
    rejected = []
    named = {name.casefold() for name in known}
    block = header_block([line.text for line in lines], [bool(line.label) for line in lines])
    for number in block:
        line = lines[number]
        found = line.label or line.heading
        if found is not None and found.speaker.casefold() in named:
            continue
        line.header = True
        line.label = line.heading = None
        key = found.speaker if found is not None else label_like(line.text)
        if key:
            rejected.append(RejectedLabel(number + 1, key, "in the header block at the top"))
    return rejected


def rejected_labels(text: str, known_speakers: list[str] | None = None) -> list[RejectedLabel]:
    """Label-like strings at line starts that were read as text (for ``codeer speakers``)."""
    return scan_labels(text, known_speakers)[1]


def parse_turns(text: str, known_speakers: list[str] | None = None) -> list[RawTurn]:
    """Split *text* into speaker turns (roles are assigned later, see :mod:`roles`).

    *known_speakers* (``--interviewer``, ``--speaker``) are labels taken exactly as written,
    even when used once or not shaped like a name.
    """
    lines, _rejected = scan_labels(text, known_speakers)
    if not any(line.label or line.heading for line in lines):
        return _paragraph_turns(text)

    builder = _Builder(text)
    pending: tuple[float, int] | None = None  # a timestamp line: its time and offset
    for i, line in enumerate(lines):
        end = line.start + len(line.text)
        found = line.label or line.heading
        if found:
            head = line.start + len(line.text) - len(line.text.lstrip())
            stamp = found.timestamp
            if pending is not None:
                stamp = _first(stamp, pending[0])
                head = pending[1]
            content = line.start + found.content if line.label else end
            builder.open(found.speaker, stamp, head, min(content, end))
            if line.label:
                builder.extend(line.start + line.label.content, end)
            pending = None
        elif line.stamp is not None and _next_starts_turn(lines, i):
            pending = (line.stamp, line.start + len(line.text) - len(line.text.lstrip()))
        elif builder.speaker is not None:
            builder.extend(line.start, end)
    builder.close()
    labels = {line.label.speaker for line in lines if line.label}
    header_end = max((line.start + len(line.text) for line in lines if line.header), default=0)
    return _split_inline(text, builder.turns, labels, header_end)


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)


def _next_starts_turn(lines: list[_Line], i: int) -> bool:
    for line in lines[i + 1 :]:
        if line.text.strip():
            return bool(line.label or line.heading)
    return False


def _split_inline(
    text: str, turns: list[RawTurn], labels: set[str], header_end: int = 0
) -> list[RawTurn]:
    """Split turns holding another speaker's label mid-line (``R1: ja I: oké``); never
    inside the header block, which ends at *header_end*."""
    pattern = inline_label_re(labels)
    if pattern is None:
        return turns
    result: list[RawTurn] = []
    for turn in turns:
        if turn.start == turn.end:
            result.append(turn)  # a label with no text: nothing to split
            continue
        speaker, start, stamp, head = turn.speaker, turn.start, turn.timestamp, turn.head
        for found in pattern.finditer(text, max(turn.start, header_end), turn.end):
            result.extend(_piece(text, speaker, start, found.start(), stamp, head))
            speaker, start, stamp, head = found.group("label"), found.end(), None, found.start()
        result.extend(_piece(text, speaker, start, turn.end, stamp, head))
    return result


def _piece(
    text: str, speaker: str, start: int, end: int, stamp: float | None, head: int | None
) -> list[RawTurn]:
    """The turn for text[start:end]; an empty one if a label stands there with no text."""
    piece = _trimmed(text, start, end)
    if piece:
        return [RawTurn(speaker, piece[0], piece[1], stamp, head)]
    if head is not None:
        at = min(start, end)
        return [RawTurn(speaker, at, at, stamp, head)]
    return []


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    segment = text[start:end]
    if not segment.strip():
        return None
    return start + len(segment) - len(segment.lstrip()), end - (
        len(segment) - len(segment.rstrip())
    )


def _paragraph_turns(text: str) -> list[RawTurn]:
    """No labels at all: one respondent turn per paragraph (blank-line separated)."""
    turns = []
    for match in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*+", text):
        start, end = match.start(), match.start() + len(match.group(0).rstrip())
        stamp = None
        head = start
        lead = _LEADING_STAMP.match(text, start, end)
        if lead:
            stamp = is_timestamp_line(lead.group(0))
            start = lead.end()
        turns.append(RawTurn("", start, end, stamp, head))
    return turns
