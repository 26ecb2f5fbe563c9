"""Mapping the character positions other tools write onto codeer's normalised text.

The REFI-QDA standard counts positions in Unicode code points of the plain-text source.
Not every tool does: tools built on UTF-16 strings (.NET, Qt, Java, JavaScript) count a
character outside the Basic Multilingual Plane (most emoji) as two, and a Windows text
file's CRLF line end is one character in ATLAS.ti and MAXQDA but two in NVivo (what
QualCoder's importer assumes for each). codeer stores the text normalised (no BOM,
``\\n`` line ends, NFC), so a position goes two steps: the tool's unit -> an index into
the source file's text as read -> an index into the normalised text.

Which convention a file uses is decided per source from the evidence in it: the text a
selection's ``name`` quotes, positions that would split a surrogate pair or a CRLF, and
selections that start and end on word boundaries; the ``origin`` tool breaks ties.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

# (name, UTF-16 code units?, CRLF counted as one?) in the standard's order of preference.
CONVENTIONS: dict[str, tuple[bool, bool]] = {
    "codepoints": (False, False),
    "codepoints-crlf1": (False, True),
    "utf16": (True, False),
    "utf16-crlf1": (True, True),
}
DESCRIPTIONS = {
    "codepoints": "Unicode code points (the standard)",
    "codepoints-crlf1": "code points, CRLF counted as one",
    "utf16": "UTF-16 code units",
    "utf16-crlf1": "UTF-16 code units, CRLF counted as one",
}
# Tools known (from QualCoder's importer and exporter) to count a CRLF as one character.
_CRLF_AS_ONE_TOOLS = ("ATLAS", "MAXQDA")
_SPACES = re.compile(r"\s+")
_INVALID = -100  # a position that cannot be right under a convention (outside the text)
_SPLIT = -10  # a position inside a surrogate pair or between CR and LF


def normalise_with_map(raw: str) -> tuple[str, list[int]]:
    """codeer's normalised form of *raw* and, for every index 0..len(raw), its new index.

    Does what :func:`codeer.ingest.normalise.normalise` does (leading BOMs off, CRLF and
    CR to LF, NFC) while remembering where each character went.
    """
    lf: list[str] = []
    first: list[int] = []  # raw index -> index in lf
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\ufeff" and not lf:
            first.append(0)  # a leading BOM is dropped
        elif ch == "\r" and raw[i + 1 : i + 2] == "\n":
            first += [len(lf), len(lf)]
            lf.append("\n")
            i += 1
        else:
            first.append(len(lf))
            lf.append("\n" if ch == "\r" else ch)
        i += 1
    first.append(len(lf))
    text = "".join(lf)
    if unicodedata.is_normalized("NFC", text):
        return text, first
    # NFC only merges a base character with the combining marks after it, so normalising
    # each such group alone gives the same text and tells where every group starts.
    second: list[int] = []
    parts: list[str] = []
    length = 0
    start = 0
    for j in range(1, len(text) + 1):
        if j == len(text) or unicodedata.combining(text[j]) == 0:
            piece = unicodedata.normalize("NFC", text[start:j])
            second += [length] * (j - start)
            parts.append(piece)
            length += len(piece)
            start = j
    second.append(length)
    result = "".join(parts)
    whole = unicodedata.normalize("NFC", text)
    if result != whole:  # e.g. Hangul jamo composing across groups: clamp instead
        second = [min(k, len(whole)) for k in second]
        result = whole
    return result, [second[k] for k in first]


def unit_starts(raw: str, convention: str) -> list[int]:
    """The position, in *convention*'s units, of every index 0..len(raw) of *raw*."""
    utf16, crlf_one = CONVENTIONS[convention]
    starts = [0]
    total = 0
    for i, ch in enumerate(raw):
        if crlf_one and ch == "\r" and raw[i + 1 : i + 2] == "\n":
            width = 0
        elif utf16 and ord(ch) > 0xFFFF:
            width = 2
        else:
            width = 1
        total += width
        starts.append(total)
    return starts


def relevant_conventions(raw: str) -> list[str]:
    """Conventions that differ for this text (one when it has no CRLF and no emoji)."""
    has_crlf = "\r\n" in raw
    has_astral = any(ord(ch) > 0xFFFF for ch in raw)
    return [
        name
        for name, (utf16, crlf_one) in CONVENTIONS.items()
        if (has_astral or not utf16) and (has_crlf or not crlf_one)
    ]


@dataclass(frozen=True)
class Selection:
    """A selection as a tool wrote it: positions in its units and its ``name``."""

    start: int
    end: int
    name: str = ""


def _to_index(starts: list[int], position: int) -> tuple[int, bool]:
    """Raw index for *position*, and whether it falls exactly on a character boundary."""
    index = bisect.bisect_left(starts, position)
    if index >= len(starts):
        return len(starts) - 1, False
    return index, starts[index] == position


def _score(raw: str, starts: list[int], selection: Selection) -> int:
    if selection.start < 0 or selection.end < selection.start or selection.end > starts[-1]:
        return _INVALID
    begin, exact_begin = _to_index(starts, selection.start)
    end, exact_end = _to_index(starts, selection.end)
    score = 0 if exact_begin and exact_end else _SPLIT
    if raw[begin - 1 : begin + 1] == "\r\n" or raw[end - 1 : end + 1] == "\r\n":
        score += _SPLIT
    quoted = _SPACES.sub(" ", selection.name).strip().rstrip(".…").strip()
    if quoted:
        text = _SPACES.sub(" ", raw[begin:end]).strip()
        if text.startswith(quoted) or (len(text) >= 3 and quoted.startswith(text)):
            score += 5
    if begin == 0 or not (raw[begin - 1].isalnum() and raw[begin : begin + 1].isalnum()):
        score += 1
    if end == len(raw) or not (raw[end - 1 : end].isalnum() and raw[end].isalnum()):
        score += 1
    return score


def detect_convention(raw: str, selections: list[Selection], origin: str = "") -> str:
    """The convention under which *selections* fit *raw* best (see the module docstring)."""
    candidates = relevant_conventions(raw)
    if len(candidates) == 1 or not selections:
        return _preferred(candidates, origin)[0]
    scores = {}
    for name in candidates:
        starts = unit_starts(raw, name)
        scores[name] = sum(_score(raw, starts, s) for s in selections)
    best = max(scores.values())
    return next(name for name in _preferred(candidates, origin) if scores[name] == best)


def _preferred(candidates: list[str], origin: str) -> list[str]:
    """Candidates in tie-break order: the origin tool's known habit first, then the standard."""
    if any(tool in origin.upper() for tool in _CRLF_AS_ONE_TOOLS):
        return sorted(candidates, key=lambda name: not CONVENTIONS[name][1])
    return candidates


class PositionMap:
    """Maps a tool's positions in one source onto codeer's normalised text."""

    def __init__(self, raw: str, convention: str):
        self.raw = raw
        self.convention = convention
        self.text, self._index = normalise_with_map(raw)
        self._starts = unit_starts(raw, convention)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """(start, end) in the normalised text, or None when outside the text."""
        if start < 0 or end < start or end > self._starts[-1]:
            return None
        begin, _ = _to_index(self._starts, start)
        stop, _ = _to_index(self._starts, end)
        return self._index[begin], self._index[stop]
