"""Evidence: what matched where, the per-doc arrays the matcher works on, and valence.

Valence: "er is geen vertrouwen" is still about trust, but negatively, so the suggestion
stays and gets valence ``negative``. We look for cues within a few tokens either side of
the evidence, without crossing a clause boundary (punctuation, "maar", "want"), because in
"het was niet makkelijk, maar het vertrouwen groeit" the ``niet`` is about something else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from codeer.coding.lexicon import CLAUSE_BREAKS, NEGATION_CUES, NEGATIVE_CUES, POSITIVE_CUES


@dataclass(slots=True)
class Evidence:
    """One pattern match: which code, which pattern, which words where."""

    code: str
    pattern: str  # e.g. "lemma:vertrouwen", "phrase:korte lijn"
    words: str  # the matched words as written ("werken … samen" when split)
    start: int  # character offsets into the text given to the matcher
    end: int
    via: str  # exact | inflection | diminutive | compound | separable | phrase | regex | tokens
    weight: float
    tokens: tuple[int, ...] = field(default=(), repr=False)  # doc token indices
    excluded: bool = field(default=False, repr=False)  # from an exclusion pattern

    def to_dict(self, offset: int = 0) -> dict[str, Any]:
        """The stored evidence record; *offset* shifts positions into the document text."""
        return {
            "pattern": self.pattern,
            "words": self.words,
            "start": self.start + offset,
            "end": self.end + offset,
            "via": self.via,
            "weight": round(self.weight, 3),
        }


NOTHING: tuple = ((), ())  # the cached analysis of a token that matches nothing


class LazyPositions:
    """Term positions of one sentence; function words are searched only when asked for."""

    _hashes: ClassVar[dict[str, int]] = {}  # word -> spaCy hash, shared by all

    def __init__(self, positions, lazy: set[str], strings, lowers, lemmas):
        self.positions = positions
        self.lazy = lazy
        self.strings = strings
        self.lowers = lowers
        self.lemmas = lemmas
        self.bounds = (0, 0)
        self.present: set[int] | None = None  # the sentence's LOWER and LEMMA hashes

    def get(self, form: str, default=()):
        found = self.positions.get(form)
        if found is None and form in self.lazy:
            h = self._hashes.get(form)
            if h is None:
                h = self._hashes[form] = self.strings.add(form)
            start, end = self.bounds
            if self.present is None:  # every word of the sentence, collected once when needed
                self.present = set(self.lowers[start:end])
                self.present.update(self.lemmas[start:end])
            if h not in self.present:
                return default
            lowers, lemmas = self.lowers, self.lemmas
            found = [((j,), "exact") for j in range(start, end) if h in (lowers[j], lemmas[j])]
            self.positions[form] = found  # never empty: the keys are the words found
        return found if found is not None else default


@dataclass
class DocMatches:
    """A doc's token hash arrays and, per sentence, (start token, end token, evidence)."""

    lowers: list[int]
    lemmas: list[int]
    spaces: list[int]
    idxs: list[int]  # character offset of each token
    lengths: list[int]  # its length in characters
    text: str
    sentences: list[tuple[int, int, dict[str, list[Evidence]]]] = field(default_factory=list)


def strongest(evidence: list[Evidence]) -> list[Evidence]:
    """Drop evidence whose words are covered by stronger evidence for the same code.

    "korte lijntjes" matches the phrase ``korte lijn`` and the lemma ``lijn``; counting
    both would score one mention twice. Kept: the strongest match per group of words.
    """
    if len(evidence) == 1:
        return evidence
    kept: list[Evidence] = []
    covered: list[set[int]] = []
    for ev in sorted(evidence, key=_strength):
        tokens = set(ev.tokens)
        if not any(tokens <= words for words in covered):
            kept.append(ev)
            covered.append(tokens)
    return sorted(kept, key=_place)


def _strength(ev: Evidence) -> tuple:
    return -ev.weight, -len(ev.tokens), ev.start


def _place(ev: Evidence) -> tuple:
    return ev.start, ev.end, ev.pattern


class Cues:
    """The cue words as spaCy string hashes, to compare with a doc's hash arrays."""

    def __init__(self, strings):
        self.negation = {strings.add(w) for w in NEGATION_CUES}
        self.negative = {strings.add(w) for w in NEGATIVE_CUES}
        self.positive = {strings.add(w) for w in POSITIVE_CUES}
        self.breaks = {strings.add(w) for w in CLAUSE_BREAKS}
        self.bad = self.negation | self.negative  # an evidence word itself can be negative
        self.any = self.bad | self.positive


def valence_index(lowers, lemmas, span, window: int, bounds, cues: Cues) -> tuple[str, int | None]:
    """The valence of the evidence at token indices *span*: (valence, index of the cue).

    *lowers* and *lemmas* are the doc's LOWER and LEMMA hash arrays (as lists). A
    negation wins over a negative cue, which wins over a positive one. The index is None
    for ``neutral``; the caller reads the cue's text from its arrays.
    """
    if not span:
        return "neutral", None
    # The evidence word itself can carry it ("wantrouwen", "tekort").
    bad = cues.bad
    for i in span:
        if lowers[i] in bad:
            return "negative", i
    lo, hi = bounds
    first, last = min(span), max(span)
    breaks, some = cues.breaks, cues.any
    if lo <= first and last < hi:
        # Most evidence has no cue word anywhere near it: one look at the widest window.
        a, b = max(lo, first - window), min(hi, last + window + 1)
        if some.isdisjoint(lowers[a:b]) and some.isdisjoint(lemmas[a:b]):
            return "neutral", None
    # The cue words in the window (left of the evidence nearest first, then right).
    found = [
        i
        for i in _window(lowers, first, last, window, bounds, breaks)
        if lowers[i] in some or lemmas[i] in some
    ]
    if not found:
        return "neutral", None
    negation, negative_cues, positive_cues = cues.negation, cues.negative, cues.positive
    negative = positive = None
    for i in found:
        lower, lemma = lowers[i], lemmas[i]
        if lower in negation or lemma in negation:
            return "negative", i
        if negative is None and (lower in negative_cues or lemma in negative_cues):
            negative = i
        if positive is None and (lower in positive_cues or lemma in positive_cues):
            positive = i
    if negative is not None:
        return "negative", negative
    if positive is not None:
        return "positive", positive
    return "neutral", None


def _window(lowers, first: int, last: int, window: int, bounds, breaks) -> list[int]:
    """Token indices within *window* of [first, last] inside *bounds*, not past a clause break."""
    lo, hi = bounds
    result = []
    for step, stop in ((-1, max(lo - 1, first - window - 1)), (1, min(hi, last + window + 1))):
        i = first - 1 if step < 0 else last + 1
        while i != stop:
            if lowers[i] in breaks:
                break
            result.append(i)
            i += step
    return result
