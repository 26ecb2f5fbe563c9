"""The metadata block a transcription service or a researcher puts above the talk.

::

    Transcript interview wijkteam
    Datum: 12 maart 2026
    Interviewer: Anna de Vries
    Respondent: Kees Bakker

    [00:00:05] Interviewer: Fijn dat je tijd hebt.

``Interviewer: Anna de Vries`` in such a block names a person; it is not a turn in which
the interviewer says "Anna de Vries". :func:`header_block` finds the block, and the turn
parser (:mod:`codeer.ingest.turns`) keeps it as text of the preamble (role ``other``).
"""

from __future__ import annotations

import re

# Keys that mark a metadata block (Dutch and English), compared case-insensitively.
# fmt: off
HEADER_KEYS = frozenset((
    "datum", "date", "duur", "duration", "tijd", "time", "tijdstip", "locatie", "plaats",
    "location", "opname", "bestand", "bestandsnaam", "file", "transcriptie", "transcribent",
    "transcriber", "project", "onderzoek", "gemeente", "deelnemers", "participants",
    "aanwezig", "taal", "language", "versie", "sprekers", "speakers", "opmerking",
    "opdracht",
))
# fmt: on
_KEY_LINE = re.compile(r"^[ \t]*([^:\n]{1,40}?)[ \t]*:[ \t]*\S")
_MAX_LINE = 80


def header_block(lines: list[str], labelled: list[bool]) -> range:
    """The indices of the metadata block at the top of *lines*, or an empty range.

    The block is the first paragraph (up to a blank line), or the second when the first
    is a title without labels ("# Fictief ...", "Transcript interview 4"), that has at
    least two lines of at most 80 characters, each ``Key: value`` (the first may be a
    title without a colon), at least one key a header word (:data:`HEADER_KEYS`), no key
    twice, no line that *labelled* marks as a speaker label ending like a sentence (that
    is talk), and more text after it.
    """
    end = 0
    for _paragraph in range(2):
        first = next((i for i in range(end, len(lines)) if lines[i].strip()), None)
        if first is None:
            return range(0)
        end = first
        while end < len(lines) and lines[end].strip():
            end += 1
        if _is_header(lines, labelled, first, end):
            return range(first, end)
        if any(labelled[first:end]):
            break  # talk has begun
    return range(0)


def _is_header(lines: list[str], labelled: list[bool], first: int, end: int) -> bool:
    block = lines[first:end]
    rest = any(lines[i].strip() for i in range(end, len(lines)))
    if len(block) < 2 or not rest or any(len(line) > _MAX_LINE for line in block):
        return False
    keys = [_KEY_LINE.match(line) for line in block]
    if any(k is None for k in keys[1:]):
        return False
    names = [k.group(1).strip().casefold() for k in keys if k]
    if not HEADER_KEYS.intersection(names) or len(set(names)) < len(names):
        return False
    return not any(
        labelled[first + i] and line.rstrip().endswith((".", "?", "!"))
        for i, line in enumerate(block)
    )
