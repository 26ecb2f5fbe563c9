"""Finding codebook patterns in sentences, with Dutch morphology in mind.

Every token is analysed once per distinct (word form, lemma) pair and the result cached,
so the per-sentence work is a few dict lookups. A lemma pattern matches a token when:

- the token's lemma or form equals it (inflections come from the lemmatizer);
- a diminutive of it (``lijntjes`` -> ``lijntje`` -> ``lijn``);
- it is a part of a compound: the first part (``vertrouwensband``: ``vertrouwen`` + the
  linking ``s`` + ``band``) or the last part, lemmatized (``samenwerkingsafspraken`` ->
  ``afspraak``), when the pattern is at least ``compound_min_length`` long and the rest
  of the word at least 3 letters, so that short words (``rust``, ``wijk``) never match
  inside unrelated ones;
- a separable verb split in the sentence (``samenwerken`` in "we werken goed samen"):
  the verb's stem plus its particle within a few tokens.

Phrases (``korte lijn``, ``afspraak nakomen``) match when all their words match within
the phrase length + ``phrase_gap`` tokens, in any order (Dutch word order moves verbs);
a phrase with a function word (``kat uit de boom``) is a fixed expression, matched in
its written order. For speed the matcher reads spaCy's hash arrays, not Token objects.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from codeer.codebook import Codebook, Pattern
from codeer.evidence import NOTHING, DocMatches, Evidence, LazyPositions, strongest
from codeer.lexicon import (
    FUNCTION_WORDS,
    ORDERED_STEP,
    PARTICLES,
    SEPARABLE_WINDOW,
    rank,
    undiminish,
)


@dataclass
class _Compiled:
    code: str
    pattern: Pattern
    terms: list[tuple[str, ...]]  # per word: accepted lemma forms
    exclude: bool
    ordered: bool = False


class CodebookMatcher:
    """Matches a codebook's patterns in spaCy sentences."""

    def __init__(self, codebook: Codebook, lemmatize, vocab=None):
        """*lemmatize* maps a lower-cased word to its lemma (used for pattern words)."""
        self.codebook = codebook
        self.lemmatize = lemmatize
        self.min_len = int(codebook.settings["compound_min_length"])
        self.gap = int(codebook.settings["phrase_gap"])
        self.threshold = float(codebook.settings["threshold"])
        self.compiled: list[_Compiled] = []
        self.regexes: list[tuple[int, re.Pattern[str]]] = []
        self.token_patterns: dict[str, int] = {}
        self.by_term: dict[str, set[int]] = defaultdict(set)  # anchor term -> phrase ids
        self.lemma_pids: dict[str, list[int]] = defaultdict(list)  # term -> lemma pattern ids
        self.exact: set[str] = set()
        self.compound: set[str] = set()
        self.separable: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._types: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self._hashes: dict[tuple[int, int], Any] = {}  # (lower, lemma) hashes -> hits
        self.lazy: set[str] = set()  # function words of phrases, found on demand
        self.matcher = None
        for code in codebook.codes.values():
            for pattern in code.patterns:
                self._add(code.key, pattern, exclude=False)
            for pattern in code.exclude:
                self._add(code.key, pattern, exclude=True)
        if self.token_patterns:
            from spacy.matcher import Matcher

            self.matcher = Matcher(vocab, validate=True)
            for name, pid in self.token_patterns.items():
                self.matcher.add(name, [self.compiled[pid].pattern.value])

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
            self.regexes.append((pid, re.compile(pattern.value, re.IGNORECASE)))
        elif pattern.kind == "tokens":
            self.token_patterns[f"p{pid}"] = pid
        ordered = len(terms) > 1 and any(set(t) & FUNCTION_WORDS for t in terms)
        self.compiled.append(_Compiled(code, pattern, terms, exclude, ordered))

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

    def match_doc(self, doc, text: str | None = None) -> DocMatches:
        """Evidence per code for every sentence of *doc*; offsets into ``doc.text``.

        Works on the doc's hash arrays rather than Token objects: transcripts are long and
        most tokens match nothing, so the common path is one dict lookup per token. A
        code with a matching exclusion pattern in a sentence gets no evidence there.
        """
        from spacy.attrs import IDX, IS_SPACE, LEMMA, LENGTH, LOWER, SENT_START

        if text is None:
            text = doc.text
        if len(doc):
            arr = doc.to_array([LOWER, LEMMA, IS_SPACE, SENT_START, IDX, LENGTH])
            lowers, lemmas, spaces, starts, idxs, lengths = (arr[:, k].tolist() for k in range(6))
        else:
            lowers, lemmas, spaces, starts, idxs, lengths = [], [], [], [], [], []
        # Sentence boundaries from the array: doc.sents would build every Token object.
        bounds = [i for i, flag in enumerate(starts) if flag == 1 or i == 0] + [len(doc)]
        hits = self._token_hits(doc, lowers, lemmas)
        extra = []
        if self.regexes or self.matcher is not None:
            extra = self._match_extra(doc, text)
        result = DocMatches(lowers, lemmas, spaces, idxs, lengths, text)
        k = 0
        n_extra = len(extra)
        for start, end in itertools.pairwise(bounds):
            if (k >= len(hits) or hits[k][0] >= end) and not n_extra:
                result.sentences.append((start, end, {}))  # the common case: nothing at all
                continue
            positions: dict[str, list[tuple[tuple[int, ...], str]]] = defaultdict(list)
            while k < len(hits) and hits[k][0] < end:
                i, (terms, separable) = hits[k]
                k += 1
                for term, via in terms:
                    positions[term].append(((i,), via))
                for term, particle in separable:
                    lo, hi = max(start, i - SEPARABLE_WINDOW), min(end, i + SEPARABLE_WINDOW + 1)
                    for j in range(lo, hi):
                        if j != i and lowers[j] == particle:
                            positions[term].append(((min(i, j), max(i, j)), "separable"))
                            break
            found = [ev for ev in extra if start <= ev.tokens[0] < end]
            raw: list[tuple[_Compiled, tuple[int, ...], str]] = []
            candidates: set[int] = set()
            for term, found_at in positions.items():
                for pid in self.lemma_pids.get(term, ()):  # a lemma: every occurrence counts
                    comp = self.compiled[pid]
                    raw.extend((comp, idx, via) for idx, via in found_at)
                candidates.update(self.by_term.get(term, ()))
            if candidates:
                lazy = LazyPositions(positions, self.lazy, doc.vocab.strings, lowers, lemmas)
                lazy.bounds = (start, end)
                for pid in sorted(candidates):
                    raw.extend(self._match_terms(pid, lazy, doc))
            if raw or found:
                result.sentences.append((start, end, self._by_code(raw, found, result)))
            else:
                result.sentences.append((start, end, {}))
        return result

    def _by_code(self, raw, found: list[Evidence], dm: DocMatches) -> dict[str, list[Evidence]]:
        """Evidence per code, built only for codes whose matches can reach the threshold.

        Building Evidence (token texts, offsets) for every weak single-word hit would cost
        more than the matching itself; a code's best possible score is known from the
        pattern weights alone.
        """
        excluded = {ev.code for ev in found if ev.excluded}
        excluded.update(comp.code for comp, _, _ in raw if comp.exclude)
        weights: dict[str, dict[str, float]] = defaultdict(dict)
        for comp, _, _ in raw:
            weights[comp.code][comp.pattern.label] = comp.pattern.weight
        for ev in found:
            weights[ev.code][ev.pattern] = ev.weight
        by_code: dict[str, list[Evidence]] = {}
        for code, best in weights.items():
            if code in excluded:
                continue
            factor = self.codebook.codes[code].weight
            upper = 1.0 - math.prod(1.0 - min(1.0, w * factor) for w in best.values())
            if upper + 1e-9 < self.threshold:
                continue
            evidence = [ev for ev in found if ev.code == code]
            evidence += [self._evidence(c, idx, via, dm) for c, idx, via in raw if c.code == code]
            by_code[code] = strongest(evidence)
        return by_code

    def match_sentence(self, doc, sent) -> dict[str, list[Evidence]]:
        """Evidence per code for the sentence of *doc* that starts where *sent* starts."""
        return next((f for s, _e, f in self.match_doc(doc).sentences if s == sent.start), {})

    def _token_hits(self, doc, lowers: list[int], lemmas: list[int]) -> list[tuple[int, Any]]:
        """(token index, (term hits, separable candidates)) for tokens that match anything."""
        strings = doc.vocab.strings
        cache = self._hashes
        result = []
        for i, key in enumerate(zip(lowers, lemmas, strict=True)):
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
            if entry is not NOTHING:
                result.append((i, entry))
        return result

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

    def _match_ordered(self, comp: _Compiled, options, doc) -> list[Evidence]:
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
        self, comp: _Compiled, idx: tuple[int, ...], via: str, dm: DocMatches
    ) -> Evidence:
        # Words as written: contiguous tokens as one slice of the text, gaps as "…".
        runs = [[idx[0], idx[0]]]
        for i in idx[1:]:
            if i == runs[-1][1] + 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
        starts, lengths, text = dm.idxs, dm.lengths, dm.text
        words = " … ".join(text[starts[a] : starts[b] + lengths[b]] for a, b in runs)
        return Evidence(
            code=comp.code,
            pattern=comp.pattern.label,
            words=words,
            start=starts[idx[0]],
            end=starts[idx[-1]] + lengths[idx[-1]],
            via=via,
            weight=comp.pattern.weight,
            tokens=idx,
            excluded=comp.exclude,
        )

    def _match_extra(self, doc, text: str) -> list[Evidence]:
        """Regex and spaCy token-pattern evidence in the whole doc (the rare patterns).

        *text* is ``doc.text``, passed in when known: spaCy builds it token by token.
        """
        found: list[Evidence] = []
        for pid, regex in self.regexes:
            comp = self.compiled[pid]
            for m in regex.finditer(text):
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
