"""Splitting a transcript text into speaker turns with exact character offsets.

The rules, as a careful reader applies them:

- A line that starts with a speaker label (see :mod:`codeer.ingest.labels`) starts a turn;
  the label and any timestamp are not part of the turn's span.
- A line holding only a label and a timestamp (``Naam 00:01:23``) starts a turn whose text
  follows on the next lines; a line holding only a timestamp gives the next turn its time.
- Lines without a label continue the current turn, across hard line breaks and blank
  lines alike ("an unlabelled paragraph continues the previous speaker").
- Several turns on one line (``R1: ja I: oké``) are split at labels the document uses.
- A lone capitalised word before a colon (``Kijk: ...``) counts as a speaker only when
  it is used as a label at least twice in the document.
- Text before the first label (a title, a date line) is a preamble, not a turn.
- A document without any label is one respondent's text: one turn per paragraph.

Every turn satisfies ``text[turn.start:turn.end] == turn text`` with no surrounding
whitespace; turns never overlap and are in document order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from codeer.ingest.labels import (
    _STAMP,
    LabelMatch,
    inline_label_re,
    is_timestamp_line,
    match_heading,
    match_label,
    match_label_full,
)
from codeer.ingest.model import RawTurn

__all__ = ["match_label", "parse_turns"]

_LEADING_STAMP = re.compile(rf"[ \t]*{_STAMP}[ \t]+(?=\S)")


@dataclass
class _Line:
    start: int  # offset of the line in the text
    text: str
    label: LabelMatch | None = None
    heading: LabelMatch | None = None
    stamp: float | None = None


def _lines(text: str) -> list[_Line]:
    result = []
    offset = 0
    for raw in text.split("\n"):
        line = _Line(offset, raw)
        line.label = match_label_full(raw)
        if line.label is None:
            line.heading = match_heading(raw)
            if line.heading is None:
                line.stamp = is_timestamp_line(raw)
        result.append(line)
        offset += len(raw) + 1
    return result


def _accept_weak_labels(lines: list[_Line], known: set[str]) -> None:
    """Drop doubtful labels: a lone capitalised word used once (``Voorbeeld: ...``).

    It stays a speaker when it is used twice, when the caller names it (--interviewer),
    or when the document labels its speakers by first names anyway (``Anna:`` twice).
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
        count >= 2 and not (line.label or line.heading).strong
        for line in lines
        if (line.label or line.heading)
        for count in [counts[(line.label or line.heading).speaker]]
    )
    for line in lines:
        found = line.label
        if not found or found.strong or found.speaker.casefold() in strong:
            continue
        if counts[found.speaker] < 2 and not names_used:
            line.label = None


class _Builder:
    """Collects turns while walking the lines."""

    def __init__(self, text: str):
        self.text = text
        self.turns: list[RawTurn] = []
        self.speaker: str | None = None
        self.timestamp: float | None = None
        self.start: int | None = None
        self.end: int | None = None

    def open(self, speaker: str, timestamp: float | None) -> None:
        self.close()
        self.speaker, self.timestamp = speaker, timestamp

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
            self.turns.append(RawTurn(self.speaker, self.start, self.end, self.timestamp))
        self.speaker = None
        self.start = self.end = None
        self.timestamp = None


def parse_turns(text: str, known_speakers: list[str] | None = None) -> list[RawTurn]:
    """Split *text* into speaker turns (roles are assigned later, see :mod:`roles`).

    *known_speakers* (e.g. from ``--interviewer``) are labels to trust even if used once.
    """
    lines = _lines(text)
    _accept_weak_labels(lines, set(known_speakers or []))
    if not any(line.label or line.heading for line in lines):
        return _paragraph_turns(text)

    builder = _Builder(text)
    pending_stamp: float | None = None
    for i, line in enumerate(lines):
        end = line.start + len(line.text)
        if line.label:
            builder.open(line.label.speaker, _first(line.label.timestamp, pending_stamp))
            builder.extend(line.start + line.label.content, end)
            pending_stamp = None
        elif line.heading:
            builder.open(line.heading.speaker, _first(line.heading.timestamp, pending_stamp))
            pending_stamp = None
        elif line.stamp is not None and _next_starts_turn(lines, i):
            pending_stamp = line.stamp
        elif builder.speaker is not None:
            builder.extend(line.start, end)
    builder.close()
    labels = {line.label.speaker for line in lines if line.label}
    return _split_inline(text, builder.turns, labels)


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)


def _next_starts_turn(lines: list[_Line], i: int) -> bool:
    for line in lines[i + 1 :]:
        if line.text.strip():
            return bool(line.label or line.heading)
    return False


def _split_inline(text: str, turns: list[RawTurn], labels: set[str]) -> list[RawTurn]:
    """Split turns holding another speaker's label mid-line (``R1: ja I: oké``)."""
    pattern = inline_label_re(labels)
    if pattern is None:
        return turns
    result: list[RawTurn] = []
    for turn in turns:
        speaker, start, stamp = turn.speaker, turn.start, turn.timestamp
        for found in pattern.finditer(text, turn.start, turn.end):
            piece = _trimmed(text, start, found.start())
            if piece:
                result.append(RawTurn(speaker, piece[0], piece[1], stamp))
            speaker, start, stamp = found.group("label"), found.end(), None
        piece = _trimmed(text, start, turn.end)
        if piece:
            result.append(RawTurn(speaker, piece[0], piece[1], stamp))
    return result


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
    for match in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text):
        start, end = match.start(), match.start() + len(match.group(0).rstrip())
        stamp = None
        lead = _LEADING_STAMP.match(text, start, end)
        if lead:
            stamp = is_timestamp_line(lead.group(0))
            start = lead.end()
        turns.append(RawTurn("", start, end, stamp))
    return turns
