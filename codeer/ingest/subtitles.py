"""Subtitle files (.vtt WebVTT, .srt SubRip) -> a document with its own speaker turns.

Cues are read with their start times; the speaker of a cue is its ``<v Naam>`` voice, else
a ``Naam:`` label at the start of a cue line, else the previous cue's speaker.
Consecutive cues of one speaker become one turn, stored as::

    [00:01:02] Naam: first cue text second cue text

    [00:01:09] Other: ...

so that each :class:`RawTurn` span is exactly the turn's joined cue text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from codeer.errors import ImportFileError
from codeer.ingest.limits import DEFAULT_LIMITS, Limits, check_text
from codeer.ingest.model import RawDocument, RawTurn
from codeer.ingest.normalise import decode, normalise

_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t\n]+([^>]*))?>")
# Only things that look like tags go ("<i>", "</v>", "<c.x>", "<00:00:01.000>"), so a
# stray "3 < 5 > 4" in a SubRip file keeps its text.
_TAG = re.compile(r"<(?:/?[A-Za-z][^<>\n]*|\d[\d:.]*)>")
# SubRip files from Aegisub and others carry ASS override tags like {\an8} or {\i1}.
_ASS_TAG = re.compile(r"\{\\[^}\n]*\}")
_WHITESPACE = re.compile(r"\s+")
_EXAMPLE = {
    "srt": "00:01:02,500 --> 00:01:05,000",
    "vtt": "00:01:02.500 --> 00:01:05.000",
}


@dataclass(frozen=True)
class Cue:
    """One subtitle cue: start/end in seconds, its raw text (tags intact), its line."""

    start: float
    end: float
    text: str
    line: int


def read_subtitles(
    data: bytes, fmt: str, where: str, limits: Limits = DEFAULT_LIMITS
) -> RawDocument:
    """Read a .vtt or .srt file (*fmt* ``"vtt"`` or ``"srt"``) into a document with turns.

    Raises:
        ImportFileError: undecodable or empty file, a missing ``WEBVTT`` header, a cue
            time that cannot be read (with its line number), no cue text at all, or
            more characters or lines than *limits* allow.
    """
    text = normalise(decode(data, where))
    check_text(text, limits, where)  # cues and turns cost memory per line
    cues = parse_vtt(text, where) if fmt == "vtt" else parse_srt(text, where)
    return cues_to_document(cues, fmt, where)


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Groups of non-blank lines with the 1-based line number of each group's first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def parse_time(value: str) -> float | None:
    """``'00:01:02,500'``/``'01:02.5'`` -> seconds; None when it is not a cue time."""
    match = _TIME.fullmatch(value.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(minutes) >= 60 or int(seconds) >= 60:
        return None
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total + (int(fraction) / 10 ** len(fraction) if fraction else 0.0)


def _timing(line: str, number: int, fmt: str, where: str) -> tuple[float, float]:
    """Start and end of a ``start --> end [settings]`` line; an error names the line."""
    left, arrow, right = line.partition("-->")
    start = parse_time(left)
    rest = right.split(maxsplit=1)
    end = parse_time(rest[0]) if arrow and rest else None
    if start is None or end is None:
        shown = line.strip()
        if len(shown) > 60:
            shown = shown[:57] + "..."
        raise ImportFileError(
            f"line {number}: cannot read the cue time '{shown}'",
            where=where,
            hint=f"a cue time looks like '{_EXAMPLE[fmt]}'",
        )
    return start, end


def parse_srt(text: str, where: str) -> list[Cue]:
    """Cues of a normalised SubRip text: number line (optional), time line, text lines."""
    cues = []
    for first, lines in _blocks(text):
        head = lines[0].strip()
        if "-->" in head:
            timing_at = 0  # the cue number is missing; tolerated
        elif head.isdigit() and len(lines) > 1:
            timing_at = 1
        elif head.isdigit():
            raise ImportFileError(
                f"line {first}: cue {head} has no time line",
                where=where,
                hint=f"after the cue number comes a line like '{_EXAMPLE['srt']}'",
            )
        else:
            raise ImportFileError(
                f"line {first}: expected a cue number or a cue time, found '{head[:60]}'",
                where=where,
                hint="is there an empty line inside a subtitle? remove it",
            )
        line_no = first + timing_at
        start, end = _timing(lines[timing_at], line_no, "srt", where)
        cues.append(Cue(start, end, "\n".join(lines[timing_at + 1 :]), line_no + 1))
    return cues


def parse_vtt(text: str, where: str) -> list[Cue]:
    """Cues of a normalised WebVTT text; NOTE, STYLE and REGION blocks are skipped."""
    blocks = _blocks(text)
    header = blocks[0][1][0] if blocks else ""
    if not re.match(r"WEBVTT(?:[ \t]|$)", header) or blocks[0][0] != 1:
        raise ImportFileError(
            "line 1: a WebVTT file must start with the line 'WEBVTT'",
            where=where,
            hint="is it a SubRip file? rename it to .srt",
        )
    # Some tools omit the blank line after the header: the header ends at the first time.
    head_first, head_lines = blocks[0]
    for i, line in enumerate(head_lines[1:], start=1):
        if "-->" in line:
            at = i - 1 if i > 1 else i  # keep a cue identifier with its cue
            blocks[0:1] = [(head_first, head_lines[:at]), (head_first + at, head_lines[at:])]
            break
    cues = []
    for first, lines in blocks[1:]:
        if re.match(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)", lines[0]):
            continue
        if "-->" in lines[0]:
            timing_at = 0
        elif len(lines) > 1 and "-->" in lines[1]:
            timing_at = 1  # a cue identifier comes first
        else:
            raise ImportFileError(
                f"line {first}: expected a cue time, found '{lines[0].strip()[:60]}'",
                where=where,
                hint=f"a cue starts with a line like '{_EXAMPLE['vtt']}'; is there an empty "
                "line inside a cue? remove it",
            )
        line_no = first + timing_at
        start, end = _timing(lines[timing_at], line_no, "vtt", where)
        cues.append(Cue(start, end, "\n".join(lines[timing_at + 1 :]), line_no + 1))
    return cues


def _clean(text: str) -> list[str]:
    """Cue text without tags and entities, one stripped NFC string per non-empty line."""
    text = _ASS_TAG.sub("", _TAG.sub("", text))
    # Entities after tags: an escaped "&lt;i&gt;" is text, not a tag to strip.
    text = html.unescape(text)
    lines = (unicodedata.normalize("NFC", line.strip()) for line in text.split("\n"))
    return [line for line in lines if line]


def cue_pieces(cue: Cue) -> list[tuple[str | None, str]]:
    """(speaker or None, text) pieces of one cue, in order.

    A cue holds several pieces when it has several ``<v>`` voices or several labelled
    lines (``Jan: ja`` / ``Piet: nee``). None means: no speaker named here.
    """
    from codeer.ingest.turns import match_label

    voices = list(_VOICE.finditer(cue.text))
    segments: list[tuple[str | None, str]] = []
    if cue.text[: voices[0].start() if voices else len(cue.text)].strip():
        segments.append((None, cue.text[: voices[0].start()] if voices else cue.text))
    for i, voice in enumerate(voices):
        stop = voices[i + 1].start() if i + 1 < len(voices) else len(cue.text)
        name = _WHITESPACE.sub(" ", html.unescape(voice.group(1) or "")).strip()
        name = unicodedata.normalize("NFC", name)
        segments.append((name or None, cue.text[voice.end() : stop]))

    pieces: list[tuple[str | None, list[str]]] = []
    for speaker, raw in segments:
        if speaker is not None:
            pieces.append((speaker, _clean(raw)))
            continue
        for line in _clean(raw):
            label = match_label(line)
            if label is not None:
                pieces.append((label[0], [line[label[1] :].strip()]))
            elif pieces:
                pieces[-1][1].append(line)
            else:
                pieces.append((None, [line]))
    return [
        (speaker, _WHITESPACE.sub(" ", " ".join(p for p in parts if p)).strip())
        for speaker, parts in pieces
    ]


def _stamp(seconds: float) -> str:
    whole = int(seconds)
    return f"[{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}]"


def cues_to_document(cues: list[Cue], fmt: str, where: str) -> RawDocument:
    """Merge cues into speaker turns and build the stored text with exact turn spans.

    Raises:
        ImportFileError: no cue has any text.
    """
    # (speaker or None, start time, texts) per turn; None is resolved afterwards.
    turns: list[tuple[str | None, float, list[str]]] = []
    speaker: str | None = None
    for cue in cues:
        for named, content in cue_pieces(cue):
            if named is not None:
                speaker = named  # a speaker named without text still holds the floor
            if not content:
                continue
            if turns and turns[-1][0] == speaker:
                turns[-1][2].append(content)
            else:
                turns.append((speaker, cue.start, [content]))
    if not turns:
        raise ImportFileError(
            "the subtitle file contains no cue text",
            where=where,
            hint="check that the cues have text under their time lines",
        )
    parts: list[str] = []
    raw_turns: list[RawTurn] = []
    offset = 0
    for name, start_time, texts in turns:
        # A file without any speaker: every turn gets speaker "" (one respondent).
        label = name or ""
        head = _stamp(start_time) + " " + (f"{label}: " if label else "")
        gap = "\n\n" if parts else ""
        content = " ".join(texts)
        begin = offset + len(gap) + len(head)
        parts.append(gap + head + content)
        raw_turns.append(
            RawTurn(label, begin, begin + len(content), float(start_time), offset + len(gap))
        )
        offset = begin + len(content)
    # As in plain text, cues before the first named speaker (a title, a note on the
    # recording) stay a turn of their own without a speaker (role 'other').
    text = "".join(parts)
    # Every piece is already NFC and free of \r and BOMs, with ASCII between them, so
    # this changes nothing and the spans stay exact; it is the one normalisation step.
    text = normalise(text)
    return RawDocument(text=text, format=fmt, turns=raw_turns)
