"""Evidence: what matched where, the per-doc arrays the matcher works on, and valence.

Valence: "er is geen vertrouwen" is still about trust, but negatively, so the suggestion
stays and gets valence ``negative``. We look for cues within a few tokens either side of
the evidence, without crossing a clause boundary (punctuation, "maar", "want"), because in
"het was niet makkelijk, maar het vertrouwen groeit" the ``niet`` is about something else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, ClassVar

from codeer.lexicon import CLAUSE_BREAKS, NEGATION_CUES, NEGATIVE_CUES, POSITIVE_CUES


@dataclass
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
        self.index: dict[int, list[int]] | None = None

    def get(self, form: str, default=()):
        found = self.positions.get(form)
        if found is None and form in self.lazy:
            h = self._hashes.get(form)
            if h is None:
                h = self._hashes[form] = self.strings.add(form)
            if self.index is None:  # every word of the sentence, indexed once when needed
                self.index = defaultdict(list)
                for j in range(*self.bounds):
                    self.index[self.lowers[j]].append(j)
                    if self.lemmas[j] != self.lowers[j]:
                        self.index[self.lemmas[j]].append(j)
            found = [((j,), "exact") for j in self.index.get(h, ())]
            self.positions[form] = found
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
    ordered = sorted(evidence, key=lambda e: (-e.weight, -len(e.tokens), e.start))
    kept: list[Evidence] = []
    for ev in ordered:
        if not any(set(ev.tokens) <= set(k.tokens) for k in kept):
            kept.append(ev)
    return sorted(kept, key=lambda e: (e.start, e.end, e.pattern))


@dataclass(frozen=True)
class Valence:
    """The valence of one piece of evidence and the cue word behind it (if any)."""

    valence: str  # positive | negative | neutral
    cue: str | None = None


class Cues:
    """The cue words as spaCy string hashes, to compare with a doc's hash arrays."""

    def __init__(self, strings):
        self.negation = {strings.add(w) for w in NEGATION_CUES}
        self.negative = {strings.add(w) for w in NEGATIVE_CUES}
        self.positive = {strings.add(w) for w in POSITIVE_CUES}
        self.breaks = {strings.add(w) for w in CLAUSE_BREAKS}


def valence_near(doc, lowers, lemmas, span, window: int, bounds, cues: Cues) -> Valence:
    """Valence of evidence at doc token indices *span*, looking inside sentence *bounds*.

    *lowers* and *lemmas* are the doc's LOWER and LEMMA hash arrays (as lists).
    """
    if not span:
        return Valence("neutral")
    bad = cues.negation | cues.negative
    # The evidence word itself can carry it ("wantrouwen", "tekort").
    for i in span:
        if lowers[i] in bad:
            return Valence("negative", doc[i].text)
    negative = positive = None
    for i in _window(lowers, min(span), max(span), window, bounds, cues.breaks):
        lower, lemma = lowers[i], lemmas[i]
        if lower in cues.negation or lemma in cues.negation:
            return Valence("negative", doc[i].text)
        if negative is None and (lower in cues.negative or lemma in cues.negative):
            negative = i
        if positive is None and (lower in cues.positive or lemma in cues.positive):
            positive = i
    if negative is not None:
        return Valence("negative", doc[negative].text)
    if positive is not None:
        return Valence("positive", doc[positive].text)
    return Valence("neutral")


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


def combine(valences: list[Valence]) -> Valence:
    """One valence for a suggestion from its evidence: any negative wins, then positive."""
    for wanted in ("negative", "positive"):
        for item in valences:
            if item.valence == wanted:
                return item
    return Valence("neutral")
