"""Finding codebook patterns in sentences, with Dutch morphology in mind.

Which terms a word matches (inflections, diminutives, compounds, separable verbs) is
:mod:`codeer.coding.pattern_index`'s job; this module runs that over a spaCy doc. Phrases
(``korte lijn``, ``afspraak nakomen``) match when all their words match within
the phrase length + ``phrase_gap`` tokens, in any order (Dutch word order moves verbs);
a phrase with a function word (``kat uit de boom``) is a fixed expression, matched in
its written order. For speed the matcher reads spaCy's hash arrays, not Token objects.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from codeer.coding.codebook import Codebook
from codeer.coding.evidence import NOTHING, DocMatches, Evidence, LazyPositions, strongest
from codeer.coding.lexicon import (
    ORDERED_STEP,
    SEPARABLE_WINDOW,
)
from codeer.coding.pattern_index import CompiledPattern, PatternIndex
from codeer.coding.safe_regex import MATCH_TIMEOUT, RegexTimeout, finditer, search
from codeer.errors import CodebookError


class CodebookMatcher(PatternIndex):
    """Matches a codebook's patterns in spaCy sentences."""

    def __init__(self, codebook: Codebook, lemmatize, vocab=None):
        """*lemmatize* maps a lower-cased word to its lemma (used for pattern words)."""
        super().__init__(codebook, lemmatize)
        self._hashes: dict[tuple[int, int], Any] = {}  # (lower, lemma) hashes -> hits
        self.matcher = None
        from spacy.attrs import IDX, IS_SPACE, LEMMA, LENGTH, LOWER, SENT_START

        self._attrs = [LOWER, LEMMA, IS_SPACE, SENT_START, IDX, LENGTH]
        # Per phrase, per word: its forms, and the hashes of those looked up lazily (the
        # hashes are filled in by the first doc, from its vocabulary).
        self._words: dict[int, list[tuple[frozenset[str], frozenset[int]]]] | None = None
        if self.token_patterns:
            from spacy.matcher import Matcher

            self.matcher = Matcher(vocab, validate=True)
            for name, pid in self.token_patterns.items():
                self.matcher.add(name, [self.compiled[pid].pattern.value])

    def match_doc(self, doc, text: str | None = None) -> DocMatches:
        """Evidence per code for every sentence of *doc*; offsets into ``doc.text``.

        Works on the doc's hash arrays rather than Token objects: transcripts are long and
        most tokens match nothing, so the common path is one dict lookup per token. A
        code with a matching exclusion pattern in a sentence gets no evidence there.
        """
        if text is None:
            text = doc.text
        n = len(doc)
        if n:
            arr = doc.to_array(self._attrs)
            lowers, lemmas, spaces, starts, idxs, lengths = arr.T.tolist()
        else:
            lowers, lemmas, spaces, starts, idxs, lengths = [], [], [], [], [], []
        # Sentence boundaries from the array: doc.sents would build every Token object.
        bounds = [i for i, flag in enumerate(starts) if flag == 1]
        if n and (not bounds or bounds[0]):
            bounds.insert(0, 0)
        bounds.append(n)
        hits = self._token_hits(doc, lowers, lemmas)
        extra = []
        if self.regexes or self.matcher is not None:
            extra = self._match_extra(doc, text)
        result = DocMatches(lowers, lemmas, spaces, idxs, lengths, text)
        sentences = result.sentences
        plans, lazy_forms, words = self._plans, self.lazy, self._words
        k = 0
        n_hits = len(hits)
        for start, end in itertools.pairwise(bounds):
            if (k >= n_hits or hits[k][0] >= end) and not extra:
                sentences.append((start, end, {}))  # the common case: nothing at all
                continue
            positions: dict[str, list[tuple[tuple[int, ...], str]]] = {}
            while k < n_hits:
                i, (terms, separable) = hits[k]
                if i >= end:
                    break
                k += 1
                for term, via in terms:
                    positions.setdefault(term, []).append(((i,), via))
                for term, particle in separable:
                    lo, hi = max(start, i - SEPARABLE_WINDOW), min(end, i + SEPARABLE_WINDOW + 1)
                    for j in range(lo, hi):
                        if j != i and lowers[j] == particle:
                            hit = ((min(i, j), max(i, j)), "separable")
                            positions.setdefault(term, []).append(hit)
                            break
            found = [ev for ev in extra if start <= ev.tokens[0] < end] if extra else extra
            raw: list[tuple[CompiledPattern, tuple[int, ...], str]] = []
            candidates: set[int] = set()
            for term, found_at in positions.items():
                plan = plans.get(term)
                if plan is None:  # a word of phrases only, not their anchor
                    continue
                comps, phrases = plan
                for comp in comps:  # a lemma: every occurrence counts
                    raw.extend([(comp, idx, via) for idx, via in found_at])
                if phrases:
                    candidates.update(phrases)
            if candidates:
                # Most candidate phrases lack a word: look before building the match. A
                # word is there when one of its forms matched or is found lazily.
                if words is None:
                    words = self._phrase_words(doc.vocab.strings)
                lazy = present = None
                for pid in sorted(candidates):
                    for forms, hashes in words[pid]:
                        if not forms.isdisjoint(positions):
                            continue
                        if hashes:
                            if present is None:
                                present = set(lowers[start:end])
                                present.update(lemmas[start:end])
                            if not hashes.isdisjoint(present):
                                continue
                        break
                    else:
                        if lazy is None:
                            lazy = LazyPositions(
                                positions, lazy_forms, doc.vocab.strings, lowers, lemmas
                            )
                            lazy.bounds = (start, end)
                            lazy.present = present
                        raw.extend(self._match_terms(pid, lazy, doc))
            if raw or found:
                sentences.append((start, end, self._by_code(raw, found, result)))
            else:
                sentences.append((start, end, {}))
        return result

    def _phrase_words(self, strings) -> dict[int, list[tuple[frozenset[str], frozenset[int]]]]:
        """Per phrase id, per word: (its forms, hashes of the forms looked up lazily)."""
        hashes = LazyPositions._hashes
        for form in self.lazy:
            if form not in hashes:
                hashes[form] = strings.add(form)
        self._words = {
            pid: [
                (frozenset(forms), frozenset(hashes[f] for f in forms if f in self.lazy))
                for forms in self.compiled[pid].terms
            ]
            for pids in self.by_term.values()
            for pid in pids
        }
        return self._words

    def _by_code(self, raw, found: list[Evidence], dm: DocMatches) -> dict[str, list[Evidence]]:
        """Evidence per code, built only for codes whose matches can reach the threshold.

        Building Evidence (token texts, offsets) for every weak single-word hit would cost
        more than the matching itself; a code's best possible score is known from the
        pattern weights alone.
        """
        excluded = {ev.code for ev in found if ev.excluded}
        groups: dict[str, list[tuple[CompiledPattern, tuple[int, ...], str]]] = {}
        misses: dict[str, dict[str, float]] = {}  # per code, per pattern: 1 - its weight
        for item in raw:
            comp = item[0]
            if comp.exclude:
                excluded.add(comp.code)
            groups.setdefault(comp.code, []).append(item)
            misses.setdefault(comp.code, {})[comp.label] = comp.miss
        codes = self.codebook.codes
        for ev in found:
            factor = codes[ev.code].weight
            misses.setdefault(ev.code, {})[ev.pattern] = 1.0 - min(1.0, ev.weight * factor)
        by_code: dict[str, list[Evidence]] = {}
        for code, miss in misses.items():
            if code in excluded:
                continue
            upper = 1.0 - math.prod(miss.values())
            if upper + 1e-9 < self.threshold:
                continue
            evidence = [ev for ev in found if ev.code == code] if found else []
            for comp, idx, via in groups.get(code, ()):
                evidence.append(self._evidence(comp, idx, via, dm))
            by_code[code] = strongest(evidence)
        return by_code

    def match_sentence(self, doc, sent) -> dict[str, list[Evidence]]:
        """Evidence per code for the sentence of *doc* that starts where *sent* starts."""
        return next((f for s, _e, f in self.match_doc(doc).sentences if s == sent.start), {})

    def _token_hits(self, doc, lowers: list[int], lemmas: list[int]) -> list[tuple[int, Any]]:
        """(token index, (term hits, separable candidates)) for tokens that match anything."""
        cache = self._hashes
        entries = list(map(cache.get, zip(lowers, lemmas, strict=True)))
        if None in entries:  # a word form not seen before: analyse it once
            strings = doc.vocab.strings
            for i, entry in enumerate(entries):
                if entry is not None:
                    continue
                key = (lowers[i], lemmas[i])
                entry = cache.get(key)
                if entry is None:
                    lower = strings[key[0]]
                    lemma = (strings[key[1]] if key[1] else "").lower() or lower
                    separable = tuple(
                        (term, strings.add(particle))
                        for term, particle in self.separable.get(lemma, ())
                    )
                    terms = self.analyse(lower, lemma)
                    entry = cache[key] = (terms, separable) if terms or separable else NOTHING
                entries[i] = entry
        return [(i, entry) for i, entry in enumerate(entries) if entry is not NOTHING]

    def _match_terms(self, pid: int, positions, doc) -> list[Evidence]:
        comp = self.compiled[pid]
        options = []
        for forms in comp.terms:
            hits = [hit for form in forms for hit in positions.get(form, ())]
            if not hits:
                return []
            options.append(hits)
        if len(options) == 1:  # a lemma: every occurrence is evidence
            return [(comp, idx, via) for idx, via in options[0]]
        if comp.ordered:
            return self._match_ordered(comp, options, doc)
        limit = len(options) + self.gap
        for first_idx, first_via in options[0]:
            chosen = [first_idx]
            vias = {first_via}
            for hits in options[1:]:
                best = None
                used = {t for c in chosen for t in c}
                for idx, via in hits:
                    if used.intersection(idx):
                        continue
                    span = [*idx, *used]
                    width = max(span) - min(span) + 1
                    if width <= limit and (best is None or width < best[0]):
                        best = (width, idx, via)
                if best is None:
                    break
                chosen.append(best[1])
                vias.add(best[2])
            else:
                flat = tuple(sorted({t for c in chosen for t in c}))
                extra = sorted(vias - {"exact", "inflection"})
                return [(comp, flat, "+".join(["phrase", *extra]))]
        return []

    def _match_ordered(self, comp: CompiledPattern, options, doc) -> list[Evidence]:
        """A fixed expression: its words in order, each at most ORDERED_STEP after the last."""
        for first_idx, first_via in sorted(options[0]):
            chosen, vias, last = [first_idx], {first_via}, max(first_idx)
            for hits in options[1:]:
                nxt = min(
                    (h for h in hits if last < min(h[0]) <= last + ORDERED_STEP),
                    default=None,
                )
                if nxt is None:
                    break
                chosen.append(nxt[0])
                vias.add(nxt[1])
                last = max(nxt[0])
            else:
                flat = tuple(sorted({t for c in chosen for t in c}))
                extra = sorted(vias - {"exact", "inflection"})
                return [(comp, flat, "+".join(["phrase", *extra]))]
        return []

    def _evidence(
        self, comp: CompiledPattern, idx: tuple[int, ...], via: str, dm: DocMatches
    ) -> Evidence:
        starts, lengths, text = dm.idxs, dm.lengths, dm.text
        first, last = idx[0], idx[-1]
        end = starts[last] + lengths[last]
        # Words as written: contiguous tokens as one slice of the text, gaps as "…".
        runs = [[first, first]]
        for i in idx[1:]:
            if i == runs[-1][1] + 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
        words = " … ".join(text[starts[a] : starts[b] + lengths[b]] for a, b in runs)
        return Evidence(
            comp.code, comp.label, words, starts[first], end, via, comp.weight, idx, comp.exclude
        )

    def _finditer(self, comp: CompiledPattern, regex, text: str):
        """The regex's matches in *text*; one that runs out of time is a codebook error."""
        try:
            yield from finditer(regex, text)
        except RegexTimeout:
            code = self.codebook.codes[comp.code]
            raise CodebookError(
                f"code {comp.code}: the regex {comp.pattern.value!r} took more than "
                f"{MATCH_TIMEOUT:g} s on one text; it backtracks catastrophically",
                where=f"{self.codebook.source}:{code.line}",
                hint="simplify it (no nested repeats such as (a+)+); "
                "`codeer codebook check` finds such patterns",
            ) from None

    def _match_extra(self, doc, text: str) -> list[Evidence]:
        """Regex and spaCy token-pattern evidence in the whole doc (the rare patterns).

        *text* is ``doc.text``, passed in when known: spaCy builds it token by token.
        """
        found: list[Evidence] = []
        regexes = self.regexes
        try:
            if self.any_regex is not None and search(self.any_regex, text) is None:
                regexes = []
        except RegexTimeout:
            regexes = self.regexes  # each one on its own then, to name the slow one
        for pid, regex in regexes:
            comp = self.compiled[pid]
            for m in self._finditer(comp, regex, text):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if m.end() == m.start() or span is None or not len(span):
                    continue
                idx = tuple(range(span.start, span.end))
                found.append(
                    Evidence(
                        comp.code, comp.pattern.label, m.group(0), m.start(), m.end(), "regex",
                        comp.pattern.weight, idx, comp.exclude,
                    )
                )  # fmt: skip
        if self.matcher is not None:
            for match_id, start, end in self.matcher(doc):
                comp = self.compiled[self.token_patterns[doc.vocab.strings[match_id]]]
                span = doc[start:end]
                found.append(
                    Evidence(
                        comp.code, comp.pattern.label, span.text, span.start_char, span.end_char,
                        "tokens", comp.pattern.weight, tuple(range(start, end)), comp.exclude,
                    )
                )  # fmt: skip
        return found
