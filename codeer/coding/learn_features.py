"""Features of a sentence for the models ``codeer learn`` fits, and scoring with them.

A *span* (a sentence unit, a decided suggestion or a hand-made coding) is described for
one theme by five kinds of feature, each with a readable name that the ``learned``
explanation shows:

- ``pattern:<pattern>``: a codebook pattern of this theme matched in the span (from the
  evidence of the codebook's suggestions), value 1;
- ``question``: the theme came from the interviewer's question, value 1;
- ``no evidence``: the codebook found nothing of this theme here, value 1;
- ``role:<role>``: the speaker's role (respondent, interviewer, other), value 1;
- ``word:<lemma>`` and ``chars:<n-gram>``: the span's lemmas and its words' character
  3-5-grams (a word padded with spaces, as scikit-learn's ``char_wb``), each block
  counted and divided by the square root of its total, so a long sentence does not weigh
  more than a short one (see :class:`LinearModel`).

A model is plain JSON (feature names, weights, intercept): :class:`LinearModel` scores
with it without scikit-learn, so a stored model can never run code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

CHAR_SIZES = (3, 4, 5)
# Bump when features change meaning: a stored model of another version is refitted.
FEATURES_VERSION = 1


@dataclass(slots=True)
class Span:
    """A stretch of a document with what the features need to know about it."""

    document_id: int
    start: int
    end: int
    role: str = "respondent"
    words: list[str] = field(default_factory=list)  # lemmas
    lowers: list[str] = field(default_factory=list)  # lower-cased word forms
    # theme -> (pattern names, came from the question)
    evidence: dict[str, tuple[set[str], bool]] = field(default_factory=dict)


_NGRAMS: dict[str, tuple[str, ...]] = {}


def char_ngrams(lower: str) -> tuple[str, ...]:
    """The 3-5-character n-grams of one word padded with spaces (cached per word)."""
    found = _NGRAMS.get(lower)
    if found is None:
        padded = f" {lower} "
        grams = {padded[i : i + n] for n in CHAR_SIZES for i in range(len(padded) - n + 1)}
        found = _NGRAMS[lower] = tuple(sorted(grams))
    return found


def flag_features(span: Span, theme: str) -> list[str]:
    """The value-1 features of *span* for *theme*: patterns, question, role."""
    patterns, question = span.evidence.get(theme, (set(), False))
    names = [f"pattern:{p}" for p in sorted(patterns)]
    if question:
        names.append("question")
    if not patterns and not question:
        names.append("no evidence")
    names.append(f"role:{span.role}")
    return names


def text_features(span: Span) -> tuple[set[str], set[str]]:
    """(word features, chars features) of *span*."""
    words = {f"word:{w}" for w in span.words}
    chars = {f"chars:{g}" for lower in span.lowers for g in char_ngrams(lower)}
    return words, chars


class LinearModel:
    """A logistic regression stored as JSON: ``p = 1 / (1 + exp(-(b + w . x)))``.

    The word and chars blocks count occurrences (a word's n-grams once per occurrence of
    the word) and divide by the square root of the block's total of known occurrences,
    at fitting and at scoring alike. That makes a sentence's score a sum over its words,
    each word's part cached: scoring 30,000 sentences needs no per-n-gram work.
    """

    def __init__(self, data: dict[str, Any]):
        self.theme: str = data["theme"]
        self.names: list[str] = list(data["features"])
        self.weights: list[float] = [float(w) for w in data["weights"]]
        self.intercept = float(data["intercept"])
        self.index = {name: i for i, name in enumerate(self.names)}
        self._words: dict[str, int | None] = {}
        self._chars: dict[str, tuple[int, ...]] = {}
        self._char_parts: dict[str, tuple[float, int]] = {}  # word -> (w . ngrams, known)

    def _word(self, lemma: str) -> int | None:
        i = self._words.get(lemma, -1)
        if i == -1:
            i = self._words[lemma] = self.index.get(f"word:{lemma}")
        return i

    def _grams(self, lower: str) -> tuple[int, ...]:
        found = self._chars.get(lower)
        if found is None:
            grams = (self.index.get(f"chars:{g}") for g in char_ngrams(lower))
            found = self._chars[lower] = tuple(i for i in grams if i is not None)
        return found

    def vector(self, span: Span) -> dict[int, float]:
        """The span's features known to this model: feature index -> value."""
        result: dict[int, float] = {}
        for name in flag_features(span, self.theme):
            i = self.index.get(name)
            if i is not None:
                result[i] = 1.0
        words = [i for i in map(self._word, span.words) if i is not None]
        chars = [i for lower in span.lowers for i in self._grams(lower)]
        for block in (words, chars):
            value = 1.0 / math.sqrt(len(block)) if block else 0.0
            for i in block:
                result[i] = result.get(i, 0.0) + value
        return result

    def parts(self, span: Span) -> tuple[float, list[tuple[float, str]]]:
        """(z, contributions): the linear score and what each feature or word adds to it.

        A word's character n-grams are reported together as ``chars:<word>``.
        """
        weights, index = self.weights, self.index
        parts: list[tuple[float, str]] = []
        for name in flag_features(span, self.theme):
            i = index.get(name)
            if i is not None:
                parts.append((weights[i], name))
        known = [
            (weights[i], lemma) for lemma in span.words if (i := self._word(lemma)) is not None
        ]
        if known:
            scale = 1.0 / math.sqrt(len(known))
            summed: dict[str, float] = {}
            for w, lemma in known:
                summed[lemma] = summed.get(lemma, 0.0) + w * scale
            parts += [(w, f"word:{lemma}") for lemma, w in summed.items()]
        char_parts = self._char_parts
        total, per_word = 0, {}
        for lower in span.lowers:
            found = char_parts.get(lower)
            if found is None:
                grams = self._grams(lower)
                found = char_parts[lower] = (sum(weights[i] for i in grams), len(grams))
            total += found[1]
            per_word[lower] = per_word.get(lower, 0.0) + found[0]
        if total:
            scale = 1.0 / math.sqrt(total)
            parts += [(dot * scale, f"chars:{lower}") for lower, dot in per_word.items() if dot]
        return self.intercept + sum(p[0] for p in parts), parts

    def probability(self, span: Span) -> float:
        """The model's probability that the theme applies to *span*."""
        return sigmoid(self.parts(span)[0])

    def explain(self, span: Span, top: int = 3) -> tuple[float, dict[str, list]]:
        """(probability, the parts that pushed it up and down most)."""
        z, parts = self.parts(span)
        up = sorted((p for p in parts if p[0] > 0), key=lambda p: (-p[0], p[1]))[:top]
        down = sorted((p for p in parts if p[0] < 0), key=lambda p: (p[0], p[1]))[:top]
        return sigmoid(z), {
            "up": [[name, round(w, 3)] for w, name in up],
            "down": [[name, round(w, 3)] for w, name in down],
        }


def sigmoid(z: float) -> float:
    """The logistic function, safe for large |z|."""
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def text_vector(model: LinearModel, span: Span) -> dict[int, float]:
    """Only the word and chars part of a span's vector (for nearest examples)."""
    return {
        i: v
        for i, v in model.vector(span).items()
        if model.names[i].startswith(("word:", "chars:"))
    }


def fit_model(
    theme: str,
    spans: list[Span],
    labels: list[int],
    weights: list[float],
    c: float = 1.0,
    min_chars: int = 2,
) -> dict[str, Any]:
    """Fit a logistic regression for *theme* on labelled, weighted spans; returns the JSON model.

    Vocabulary: every flag, word and chars feature of the training spans (chars features
    only when at least *min_chars* spans have them, which keeps the model small), except
    one that every span has. Features
    are sorted by name and the solver is liblinear with a fixed seed, so the same
    examples give the same model. Weights are rounded to 6 decimals before use, and
    scoring always goes through the stored JSON (:class:`LinearModel`).
    """
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for span in spans:
        words, chars = text_features(span)
        for name in (*flag_features(span, theme), *words, *chars):
            counts[name] = counts.get(name, 0) + 1
    # A feature every example has (role:respondent, mostly) says nothing; left out, it
    # cannot take the intercept's place in the explanations.
    names = sorted(
        n
        for n, k in counts.items()
        if k < len(spans) and (not n.startswith("chars:") or k >= min_chars)
    )
    vocabulary = LinearModel({"theme": theme, "features": names, "weights": [], "intercept": 0})
    rows, cols, values = [], [], []
    for r, span in enumerate(spans):
        for i, v in sorted(vocabulary.vector(span).items()):
            rows.append(r)
            cols.append(i)
            values.append(v)
    x = csr_matrix((values, (rows, cols)), shape=(len(spans), len(names)), dtype=np.float64)
    y, w = np.asarray(labels), np.asarray(weights, dtype=np.float64)
    # A large intercept_scaling keeps liblinear from shrinking the intercept, which would
    # otherwise be taken over by a feature every sentence has (role:respondent).
    classifier = LogisticRegression(
        C=c, solver="liblinear", intercept_scaling=10.0, random_state=0, max_iter=1000
    )
    classifier.fit(x, y, sample_weight=w)
    # Every feature is kept, also one whose weight rounds to 0: the blocks are scaled over
    # the features the model knows, so dropping one would change the others' values.
    return {
        "format": 1,
        "features_version": FEATURES_VERSION,
        "theme": theme,
        "kind": f"logistic regression (scikit-learn liblinear, C={c:g}, balanced decisions)",
        "features": names,
        "weights": [round(float(w), 6) for w in classifier.coef_[0]],
        "intercept": round(float(classifier.intercept_[0]), 6),
    }
