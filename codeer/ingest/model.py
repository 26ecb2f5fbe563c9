"""Plain data passed between readers, the turn parser and the importer."""

from __future__ import annotations

from dataclasses import dataclass, field

INTERVIEWER = "interviewer"
RESPONDENT = "respondent"
OTHER = "other"  # text before the first label, a narrator, the chair of a debate
ROLES = (INTERVIEWER, RESPONDENT, OTHER)


@dataclass(frozen=True)
class RawTurn:
    """A speaker turn before roles are known.

    ``start``/``end`` are code-point offsets into the document text; the label and any
    timestamp in front of the turn are *not* part of the span.
    """

    speaker: str  # the label as written, e.g. "Mevrouw Jansen (wijkteam)"; "" when none
    start: int
    end: int
    timestamp: float | None = None  # seconds from the start of the recording
    head: int | None = None  # where the label or timestamp before the text begins

    @property
    def covers_from(self) -> int:
        """The first offset this turn accounts for: its label, else its text."""
        return self.start if self.head is None else min(self.head, self.start)


@dataclass(frozen=True)
class Turn:
    """A speaker turn with its role, as stored."""

    index: int
    speaker: str
    role: str  # INTERVIEWER, RESPONDENT or OTHER
    start: int
    end: int
    timestamp: float | None = None
    head: int | None = None  # where the label or timestamp before the text begins


@dataclass
class RawDocument:
    """What a reader makes of one file.

    ``text`` is the normalised text that will be stored. ``turns`` is filled by readers
    that know the structure themselves (subtitles); otherwise it is None and the turn
    parser segments ``text``.
    """

    text: str
    format: str
    attributes: dict[str, str] = field(default_factory=dict)
    turns: list[RawTurn] | None = None
