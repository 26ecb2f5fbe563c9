"""The codebook's patterns, compiled, and which pattern terms a Dutch word matches.

A lemma pattern matches a token when:

- the token's lemma or form equals it (inflections come from the lemmatizer);
- a diminutive of it (``lijntjes`` -> ``lijntje`` -> ``lijn``);
- it is a part of a compound: the first part (``vertrouwensband``: ``vertrouwen`` + the
  linking ``s`` + ``band``) or the last part, lemmatized (``samenwerkingsafspraken`` ->
  ``afspraak``), when the pattern is at least ``compound_min_length`` long and the rest
  of the word at least 3 letters, so that short words (``rust``, ``wijk``) never match
  inside unrelated ones;
- a separable verb split in the sentence (``samenwerken`` in "we werken goed samen"):
  the verb's stem plus its particle within a few tokens.

Every distinct (word form, lemma) pair is analysed once and the result cached, so the
per-sentence work in :mod:`codeer.coding.matching` is a few dict lookups.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass

import regex

from codeer.coding.codebook import Codebook, Pattern
from codeer.coding.lexicon import FUNCTION_WORDS, PARTICLES, rank, undiminish
from codeer.coding.safe_regex import compile_pattern


@dataclass
class CompiledPattern:
    """One codebook pattern, ready to match (exclude: an exclusion pattern)."""

    code: str
    pattern: Pattern
    terms: list[tuple[str, ...]]  # per word: accepted lemma forms
    exclude: bool
    ordered: bool = False
    label: str = ""  # pattern.label and pattern.weight, read once
    weight: float = 0.0
    miss: float = 1.0  # 1 - min(1, weight * code weight): this pattern's share in a score


class PatternIndex:
    """A codebook's patterns, indexed by the terms a sentence's words can match."""

    def __init__(self, codebook: Codebook, lemmatize):
        """*lemmatize* maps a lower-cased word to its lemma (used for pattern words)."""
        self.codebook = codebook
        self.lemmatize = lemmatize
        self.min_len = int(codebook.settings["compound_min_length"])
        self.gap = int(codebook.settings["phrase_gap"])
        self.threshold = float(codebook.settings["threshold"])
        self.compiled: list[CompiledPattern] = []
        self.regexes: list[tuple[int, regex.Pattern[str]]] = []
        self.token_patterns: dict[str, int] = {}
        self.by_term: dict[str, set[int]] = defaultdict(set)  # anchor term -> phrase ids
        self.lemma_pids: dict[str, list[int]] = defaultdict(list)  # term -> lemma pattern ids
        self.exact: set[str] = set()
        self.compound: set[str] = set()
        self.separable: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._types: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self.lazy: set[str] = set()  # function words of phrases, found on demand
        for code in codebook.codes.values():
            for pattern in code.patterns:
                self._add(code.key, pattern, exclude=False)
            for pattern in code.exclude:
                self._add(code.key, pattern, exclude=True)
        # A quick look whether any regex matches a text at all (most texts have none): one
        # alternation of them all, when that means the same (no groups, no global flags).
        self.any_regex: regex.Pattern[str] | None = None
        if len(self.regexes) > 1 and not any(one.groups for _pid, one in self.regexes):
            with contextlib.suppress(regex.error):
                self.any_regex = compile_pattern(
                    "|".join(f"(?:{one.pattern})" for _pid, one in self.regexes)
                )
        # Per term: the lemma patterns it is (in order) and the phrases it anchors.
        self._plans: dict[str, tuple[tuple[CompiledPattern, ...], frozenset[int]]] = {
            term: (
                tuple(self.compiled[pid] for pid in self.lemma_pids.get(term, ())),
                frozenset(self.by_term.get(term, ())),
            )
            for term in {*self.lemma_pids, *self.by_term}
        }

    def _add(self, code: str, pattern: Pattern, exclude: bool) -> None:
        pid = len(self.compiled)
        terms: list[frozenset[str]] = []
        if pattern.kind in ("lemmas", "phrases"):
            words = pattern.value.split()
            # A lemma pattern is taken as written (the author wrote a lemma: normalising
            # "gegevens" would give "gegeven", a participle); phrase words are often
            # written inflected ("korte lijn"), so they also match their lemma.
            forms_of = [
                (w,) if len(words) == 1 else tuple(sorted({w, self.lemmatize(w)})) for w in words
            ]
            # A phrase becomes a candidate through one anchor word: its rarest-looking
            # word (content before light before function words, then the longest), so
            # that "de" or "is" in a sentence does not wake up every phrase.
            anchor = min(range(len(words)), key=lambda k: (rank(forms_of[k]), -len(words[k])))
            for k, forms in enumerate(forms_of):
                terms.append(forms)
                if k != anchor and rank(forms):
                    # Function and light words are looked up in the sentence only when
                    # the phrase is a candidate: matching them on every token costs more
                    # than everything else.
                    self.lazy.update(forms)
                    continue
                for form in forms:
                    if len(words) == 1:
                        self.lemma_pids[form].append(pid)
                    elif k == anchor:
                        self.by_term[form].add(pid)
                    self.exact.add(form)
                    if pattern.compound and len(form) >= self.min_len:
                        self.compound.add(form)
                    self._add_separable(form)
        elif pattern.kind == "regex":
            # The regex package with a time limit (codeer.coding.safe_regex), never re.
            self.regexes.append((pid, compile_pattern(pattern.value)))
        elif pattern.kind == "tokens":
            self.token_patterns[f"p{pid}"] = pid
        ordered = len(terms) > 1 and any(set(t) & FUNCTION_WORDS for t in terms)
        miss = 1.0 - min(1.0, pattern.weight * self.codebook.codes[code].weight)
        compiled = CompiledPattern(
            code, pattern, terms, exclude, ordered, pattern.label, pattern.weight, miss
        )
        self.compiled.append(compiled)

    def _add_separable(self, term: str) -> None:
        for particle in PARTICLES:
            stem = term[len(particle) :]
            if term.startswith(particle) and len(stem) >= 4 and stem.endswith("en"):
                self.separable[stem].append((term, particle))

    def analyse(self, lower: str, lemma: str) -> tuple[tuple[str, str], ...]:
        """The (term, via) pairs a token with this form and lemma matches (cached)."""
        key = (lower, lemma)
        hits = self._types.get(key)
        if hits is None:
            hits = self._types[key] = tuple(self._analyse(lower, lemma).items())
        return hits

    def _analyse(self, lower: str, lemma: str) -> dict[str, str]:
        found: dict[str, str] = {}
        if lemma in self.exact:
            found[lemma] = "exact" if lemma == lower else "inflection"
        if lower in self.exact:
            found.setdefault(lower, "exact")
        for form in (lemma, lower):
            for stem in undiminish(form):
                if stem in self.exact:
                    found.setdefault(stem, "diminutive")
        if "-" in lower:  # jeugd-ggz-aanbieder, poh-jeugd: every part counts as a word
            for part in lower.split("-"):
                if part in self.exact:
                    found.setdefault(part, "compound")
                elif part and self.lemmatize(part) in self.exact:
                    found.setdefault(self.lemmatize(part), "compound")
        if not self.compound:
            return found
        for form in dict.fromkeys((lemma, lower)):  # ordered: same result in every process
            if len(form) < self.min_len + 3:
                continue
            # First part of a compound: vertrouwen|s|band, school|maatschappelijk.
            for i in range(self.min_len, len(form) - 2):
                if form[:i] in self.compound:
                    found.setdefault(form[:i], "compound")
            # Last part: keten|partner, samenwerkings|afspraken (lemmatized: afspraak).
            for i in range(3, len(form) - self.min_len + 1):
                tail = form[i:]
                if tail in self.compound:
                    found.setdefault(tail, "compound")
                elif form == lower and len(tail) >= self.min_len:
                    tail_lemma = self.lemmatize(tail)
                    if tail_lemma in self.compound:
                        found.setdefault(tail_lemma, "compound")
                    # The whole compound inflected: samenwerkingsafspraken -> ...afspraak.
                    if tail_lemma != tail and form[:i] + tail_lemma in self.exact:
                        found.setdefault(form[:i] + tail_lemma, "inflection")
        return found
