"""The numeric core of clustering: k-means, choosing k, labels, quotes and spread.

Kept apart from :mod:`codeer.synthesis.cluster` (data in, results out) so the method can be read
and tested on plain matrices. The choices are explained in docs/cluster.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections import Counter

    import numpy as np

    from codeer.synthesis.model import Fragment

MAX_AUTO_K = 12
#: k-means restarts: 10 up to 1,000 fragments, then 4 (each restart costs a full pass;
#: with many fragments the best of 4 is as stable). Fixed per size, so still deterministic.
N_INIT, N_INIT_LARGE, LARGE = 10, 4, 1000
#: Above this many fragments, k is chosen on a seeded sample of this size: the
#: silhouette is quadratic in the number of fragments.
SILHOUETTE_SAMPLE = 2000
QUOTES_PER_CLUSTER = 3
#: Words that are real and not stop words, but name nothing a sub-theme is about: number
#: words and pronoun-like quantifiers. Left out of labels (they still count as features).
_LABEL_SKIP_TEXT = """
    één twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig
    vijftig honderd duizend eerste tweede derde vierde vijfde helft per
    sommigen iedereen niemand niets alles anderen allebei beide elke ieder
"""
LABEL_SKIP = frozenset(_LABEL_SKIP_TEXT.split())


def kmeans(matrix: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    n_init = N_INIT if matrix.shape[0] <= LARGE else N_INIT_LARGE
    model = KMeans(n_clusters=k, n_init=n_init, random_state=seed, algorithm="lloyd")
    return model.fit_predict(matrix)


def auto_k_bounds(n: int) -> tuple[int, int, int]:
    """(smallest k, largest k, minimum cluster size) that ``--k auto`` considers for n."""
    k_max = max(2, min(MAX_AUTO_K, math.floor(math.sqrt(n / 2)) + 1, n - 1))
    min_size = max(2, math.ceil(0.02 * n))
    return 2, k_max, min_size


def choose_k(matrix: np.ndarray, seed: int) -> tuple[int, np.ndarray, dict[int, float]]:
    """Pick k by the mean cosine silhouette over k in auto_k_bounds (docs/cluster.md).

    Solutions with a cluster below the minimum size are skipped (k-means on short texts
    likes to split off one or two odd fragments); if every k does that, the best
    silhouette wins anyway. Ties go to the smaller k. Above SILHOUETTE_SAMPLE fragments
    the scan over k runs on a seeded sample of that size (the silhouette is quadratic
    and eleven k-means fits on everything dominated the run time); the chosen k is then
    fitted on all fragments. The bounds always come from the full number of fragments.
    """
    import numpy as np
    from sklearn.metrics import silhouette_score

    n = matrix.shape[0]
    k_min, k_max, min_size = auto_k_bounds(n)
    sample = matrix
    if n > SILHOUETTE_SAMPLE:
        rng = np.random.default_rng(seed)
        sample = matrix[np.sort(rng.choice(n, SILHOUETTE_SAMPLE, replace=False))]
        min_size = max(2, math.ceil(min_size * SILHOUETTE_SAMPLE / n))
    scores: dict[int, float] = {}
    fits: dict[int, np.ndarray] = {}
    valid: list[int] = []
    for k in range(k_min, k_max + 1):
        labels = kmeans(sample, k, seed)
        found = len(set(labels.tolist()))
        if found < 2:
            continue
        scores[k] = round(float(silhouette_score(sample, labels, metric="cosine")), 4)
        fits[k] = labels
        if found == k and np.bincount(labels).min() >= min_size:
            valid.append(k)
    pool = valid or list(scores)
    if not pool:
        return 1, np.zeros(n, dtype=int), scores
    best = max(pool, key=lambda k: (scores[k], -k))
    return best, (fits[best] if sample is matrix else kmeans(matrix, best, seed)), scores


def ranked_terms(lemmas: list[list[str]], labels: list[int], k: int) -> list[list[str]]:
    """Per cluster, every lemma it holds, most distinctive first (class-based TF-IDF).

    Term weight in class c: tf(t, c) * log(1 + A / f(t)), where tf is the share of c's
    lemma occurrences that are t (counting each lemma once per fragment, so the label says
    what many fragments share, not what one fragment repeats), f(t) the occurrences of t
    over all classes and A the mean occurrences per class. Ties: more fragments first,
    then alphabetical.
    """
    from collections import Counter

    counts = [Counter() for _ in range(k)]
    for words, label in zip(lemmas, labels, strict=True):
        counts[label - 1].update(set(words))
    totals = Counter()
    for counter in counts:
        totals.update(counter)
    average = sum(totals.values()) / k if k else 0.0
    result = []
    for counter in counts:
        size = sum(counter.values()) or 1
        weights = {t: (c / size) * math.log(1 + average / totals[t]) for t, c in counter.items()}
        result.append(sorted(weights, key=lambda t: (-weights[t], -counter[t], t)))
    return result


def _first_distinct(candidates: Iterable[str], top: int) -> list[str]:
    """The first *top* candidates none of whose words is part of (or contains) a word
    chosen before, so a compound and its part do not both fill the label."""
    chosen: list[str] = []
    for candidate in candidates:
        if any(p in c or c in p for c in chosen for p in candidate.split()):
            continue
        chosen.append(candidate)
        if len(chosen) == top:
            break
    return chosen


def label_words(
    lemmas: list[list[str]],
    tokens: list[list[tuple[str, str, int]]],
    labels: list[int],
    k: int,
    top: int = 3,
) -> list[list[str]]:
    """Per cluster, up to *top* words or two-word phrases as written in its fragments.

    The most distinctive lemmas (:func:`ranked_terms`) are shown in the form the
    cluster's own fragments use most ("grote", not the lemma "groot"). A lemma that no
    fragment of the cluster writes as a word (a compound part such as "lijk" from
    "persoonlijk") is skipped, and so is a form that is a stop word, in LABEL_SKIP,
    shorter than 3 letters, or part of (or containing) a word already chosen. A word
    gives way to a phrase of two adjacent content words ("korte lijntjes") when that
    phrase occurs in at least 2 fragments and in at least half of the fragments with
    the word.
    """
    from collections import Counter
    from itertools import pairwise

    from codeer.synthesis.cluster_features import stop_words

    stops = stop_words()

    def usable(word: str) -> bool:
        return len(word) >= 3 and word.isalpha() and word not in stops and word not in LABEL_SKIP

    result = []
    for number, ranked in enumerate(ranked_terms(lemmas, labels, k), start=1):
        members = [tokens[i] for i, c in enumerate(labels) if c == number]
        forms: dict[str, Counter] = {}
        with_word: Counter = Counter()  # lemma -> fragments that write it
        phrases: dict[str, Counter] = {}  # lemma -> phrases (once per fragment) holding it
        for words in members:
            for lemma, form, _ in words:
                forms.setdefault(lemma, Counter())[form] += 1
            with_word.update({lemma for lemma, _, _ in words})
            seen: set[tuple[str, str]] = set()
            for (l1, f1, i1), (l2, f2, i2) in pairwise(words):
                if i2 == i1 + 1 and l1 != l2 and (f1, f2) not in seen:
                    seen.add((f1, f2))
                    for lemma in (l1, l2):
                        phrases.setdefault(lemma, Counter())[f"{f1} {f2}"] += 1
        result.append(_first_distinct(_written(ranked, forms, phrases, with_word, usable), top))
    return result


def _written(
    ranked: list[str],
    forms: dict[str, Counter],
    phrases: dict[str, Counter],
    with_word: Counter,
    usable: Callable[[str], bool],
) -> Iterator[str]:
    """Per ranked lemma of one cluster, its most written usable form, or the phrase that
    holds it when :func:`label_words` prefers the phrase."""
    for lemma in ranked:
        if lemma not in forms:
            continue
        word = min(forms[lemma], key=lambda f: (-forms[lemma][f], f))
        if not usable(word):
            continue
        if lemma in phrases:
            phrase, n = min(phrases[lemma].items(), key=lambda p: (-p[1], p[0]))
            if n >= 2 and 2 * n >= with_word[lemma] and all(map(usable, phrase.split())):
                word = phrase
        yield word


def representatives(
    fragments: list[Fragment], members: list[int], similarity: list[float]
) -> list[Fragment]:
    """Up to three fragments nearest the centre, each from a different case."""
    ranked = sorted(members, key=lambda i: (-similarity[i], i))
    quotes: list[Fragment] = []
    seen: set[str] = set()
    for i in ranked:
        if fragments[i].case not in seen:
            quotes.append(fragments[i])
            seen.add(fragments[i].case)
        if len(quotes) == QUOTES_PER_CLUSTER:
            break
    return quotes


def case_spread(
    cases: list[str], case_attributes: dict[str, dict[str, str]]
) -> dict[str, dict[str, int]]:
    """Attribute -> value -> number of *cases* with that value (sorted)."""
    spread: dict[str, dict[str, int]] = {}
    for case in cases:
        for key, value in case_attributes.get(case, {}).items():
            slot = spread.setdefault(key, {})
            slot[value] = slot.get(value, 0) + 1
    return {key: dict(sorted(vals.items())) for key, vals in sorted(spread.items())}
