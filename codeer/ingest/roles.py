"""Deciding for each turn whether the interviewer or a respondent speaks.

In order of precedence:

0. ``--speaker LABEL=ROLE`` (repeatable, also a ``speakers`` column in the metadata file,
   and ``codeer speakers set``): that label, exactly as written (ignoring case), has that
   role (interviewer, respondent or other). When such a label names the interviewer
   and speaks in the document, everyone else there responds.
1. ``--interviewer NAME`` (repeatable): speakers whose label equals NAME, ignoring case
   and a trailing ``(...)`` or number, are interviewers; everyone else is a respondent.
   In a document where no such label speaks, the rules below apply as if none was named.
2. Labels that name the interviewer role: I, I1, Int, IV, Interviewer, Interviewster,
   Vraag, V, Q, Onderzoeker, Moderator, Gespreksleider, Verslaggever, Redactie, or any label with
   such a word in parentheses (``Anna (onderzoeker)``); without those, the chair of a
   debate or meeting (``De voorzitter``).
3. Otherwise, with two or more speakers, the speaker who mostly asks: the highest share
   of turns ending in a question mark, at least half of their turns, and clearly more
   than anyone else (``Spreker 1``, ``S``, a first name).
4. Everyone else is a respondent. Unlabelled text is a respondent's in a document
   without any labels, and ``other`` (a title, a note, a narrator) in a labelled one.
"""

from __future__ import annotations

import re
from collections import defaultdict

from codeer.ingest.model import INTERVIEWER, OTHER, RESPONDENT, RawTurn, Turn

INTERVIEWER_WORDS = {
    "i", "int", "iv", "interviewer", "interviewster", "interviewers", "vraag", "v", "q",
    "onderzoeker", "onderzoekster", "researcher", "moderator", "gespreksleider", "vraagsteller",
    "verslaggever", "verslaggeefster", "journalist", "presentator", "presentatrice",
    "gespreksleidster", "redactie", "redacteur", "redactrice",
}  # fmt: skip
# The chair of a debate or meeting leads it as an interviewer leads an interview: the
# interviewer when no label names that role itself.
CHAIR_WORDS = {"voorzitter", "dagvoorzitter", "ondervoorzitter"}


def _bare(label: str) -> str:
    """Label without trailing parenthetical and number, lower case."""
    label = re.sub(r"\s*\([^()]*\)\s*$", "", label)
    return re.sub(r"[\s\d.]+$", "", label).strip().lower()


def is_interviewer_label(label: str, words: set[str] = INTERVIEWER_WORDS) -> bool:
    """True when the label itself names the interviewer role (or one of *words*)."""
    bare = re.sub(r"^(?:de|het)\s+", "", _bare(label))  # "De voorzitter"
    if bare in words or bare.split(" ")[0] in words - {"i", "v", "q"}:
        return True
    paren = re.search(r"\(([^()]*)\)\s*$", label)
    return bool(paren and _bare(paren.group(1)) in words)


def _question_share(text: str, turns: list[RawTurn]) -> dict[str, float]:
    asked: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for turn in turns:
        if not turn.speaker:
            continue
        total[turn.speaker] += 1
        body = text[turn.start : turn.end].rstrip()
        if body.endswith("?") or body.endswith("?)"):
            asked[turn.speaker] += 1
    return {speaker: asked[speaker] / total[speaker] for speaker in total}


def interviewer_speakers(
    text: str, turns: list[RawTurn], interviewers: list[str] | None = None
) -> set[str]:
    """The set of speaker labels that are interviewers in this document."""
    speakers = {turn.speaker for turn in turns if turn.speaker}
    if interviewers:
        wanted = {_bare(name) for name in interviewers} | {n.strip().lower() for n in interviewers}
        found = {s for s in speakers if s.lower() in wanted or _bare(s) in wanted}
        if found:
            return found
        # None of the named labels speaks here (one --interviewer for a whole folder of
        # shapes): this document's interviewer is found as if none was named.
    named = {s for s in speakers if is_interviewer_label(s)}
    if not named:
        named = {s for s in speakers if is_interviewer_label(s, CHAIR_WORDS)}
    if named:
        return named
    if len(speakers) < 2:
        return set()
    shares = _question_share(text, turns)
    ranked = sorted(shares.items(), key=lambda item: item[1], reverse=True)
    best, best_share = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_share >= 0.5 and best_share - runner_up >= 0.25:
        return {best}
    return set()


def assign_roles(
    text: str,
    turns: list[RawTurn],
    interviewers: list[str] | None = None,
    speakers: dict[str, str] | None = None,
) -> list[Turn]:
    """Number the turns and give each its role.

    *speakers* maps labels (as written, any case) to a role and wins over everything else.
    """
    fixed = {label.strip().casefold(): role for label, role in (speakers or {}).items()}
    rest = [turn for turn in turns if turn.speaker.casefold() not in fixed]
    named_here = any(fixed.get(turn.speaker.casefold()) == INTERVIEWER for turn in turns)
    if named_here and not interviewers:
        asking: set[str] = set()  # the interviewer is named: everyone else responds
    else:
        asking = interviewer_speakers(text, rest, interviewers)
    labelled = any(turn.speaker for turn in turns)

    def role_of(turn: RawTurn) -> str:
        if turn.speaker.casefold() in fixed:
            return fixed[turn.speaker.casefold()]
        if not turn.speaker:
            return OTHER if labelled else RESPONDENT
        return INTERVIEWER if turn.speaker in asking else RESPONDENT

    return [
        Turn(
            index=i,
            speaker=turn.speaker,
            role=role_of(turn),
            start=turn.start,
            end=turn.end,
            timestamp=turn.timestamp,
            head=turn.head,
        )
        for i, turn in enumerate(turns)
    ]
