"""Features for clustering coded fragments: content-word lemmas (TF-IDF) and word vectors.

The feature matrix has one row per fragment and is built from up to two blocks, each
L2-normalised so that neither dominates by scale:

1. TF-IDF over the lemmas of content words (Dutch stop words and interview fillers
   removed, sublinear tf, ``min_df`` tuned to the number of fragments). Dutch writes
   compounds as one word (``privacyregels``, ``toestemmingsformulier``), so a lemma that
   splits into two known words also contributes its parts; otherwise "privacy" and
   "privacyregels" would share nothing.
2. The mean word vector of the content words, only when the active spaCy pipeline has
   vectors (``nl_core_news_md``); the blank fallback pipeline has none.

Large matrices are reduced with TruncatedSVD (latent semantic analysis), which also lets
fragments that use related words end up close. Everything is deterministic for a seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import spacy

# Spoken-language fillers and words that every interview answer contains; spaCy's Dutch
# stop word list is written for written text and misses them.
_FILLER_TEXT = """
    eh ehm uh uhm hm hmm mm nou ja jaja nee gewoon dus zeg maar heel echt even wel toch
    ook zo hè he hoor joh oké ok okay precies inderdaad eigenlijk natuurlijk soort beetje
    best ding dingen iets zeggen denken vinden weten gaan komen doen krijgen staan zitten
    liggen hebben zijn worden kunnen moeten willen mogen zullen laten heel erg vooral
    ergens allemaal elkaar keer manier kijken soms vaak altijd nooit zeker misschien
    namelijk sowieso eens hartstikke super wat waar nu dan daar hier zich we wij ons onze
    jullie u mens mensen iemand alleen nog al meer beter goed lekker leuk tja
    zodat mee niks paar meteen
"""
FILLERS = frozenset(_FILLER_TEXT.split())

#: Bounds for compound splitting: parts shorter than this are too often accidental.
MIN_PART = 4
#: Fragments from which on the feature matrix is reduced with TruncatedSVD (LSA).
SVD_MIN_FRAGMENTS = 12
SVD_COMPONENTS = 100


@dataclass
class Features:
    """The clustering input for one set of fragments."""

    matrix: np.ndarray  # dense, rows L2-normalised (cosine = dot product)
    lemmas: list[list[str]]  # content lemmas per fragment (with compound parts)
    #: per fragment, (lemma, written form, token index) of its content words
    tokens: list[list[tuple[str, str, int]]] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)  # what was used, for the stored run


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's Dutch stop words plus spoken fillers (lower case)."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    return frozenset(w.lower() for w in STOP_WORDS) | FILLERS


def min_df_for(n: int) -> int:
    """Minimum document frequency for *n* fragments.

    A lemma in only one fragment cannot make two fragments similar; it only lengthens the
    vector. From 20 fragments on it is dropped; in very large sets rare lemmas (below
    0.2% of the fragments) are dropped too, which keeps the vocabulary and run time small.
    """
    if n < 20:
        return 1
    return max(2, math.ceil(0.002 * n))


def _lemma(token: Any) -> str:
    """The lemma of a spaCy token, lower case; simplemma when the pipeline set none."""
    lemma = token.lemma_
    if not lemma:
        lemma = _simplemma(token.lower_)
    return lemma.lower()


@lru_cache(maxsize=65536)
def _simplemma(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang="nl")


@lru_cache(maxsize=65536)
def _is_known(word: str) -> bool:
    import simplemma

    return simplemma.is_known(word, lang="nl")


def is_content(token: Any, lemma: str, ignore: frozenset[str] = frozenset()) -> bool:
    """Whether a token carries meaning worth clustering on (*ignore*: names, lower case)."""
    if not token.is_alpha or len(lemma) < 3:
        return False
    stops = stop_words()
    if token.lower_ in stops or lemma in stops or token.lower_ in ignore:
        return False
    # With a tagger (the model path) keep only the open word classes.
    return not token.pos_ or token.pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "ADV", "X"}


def content_lemmas(
    texts: list[str],
    nlp: spacy.Language,
    ignore: frozenset[str] = frozenset(),
    tokens: list[list[tuple[str, str, int]]] | None = None,
) -> tuple[list[list[str]], list[Any]]:
    """Content lemmas per text, and the mean content-word vector (or None) per text.

    *tokens*, if given, gets per text ``(lemma, written form, token index)`` of each
    content word (for labels made of the words as written). Words in *ignore* (lower
    case) are skipped.
    """
    import numpy as np

    has_vectors = nlp.vocab.vectors.shape[0] > 0
    # Only what the lemmas need: the parser and NER are the slow parts of a full model.
    disable = [name for name in ("parser", "ner") if name in nlp.pipe_names]
    lemmas: list[list[str]] = []
    vectors: list[Any] = []
    with nlp.select_pipes(disable=disable):
        for doc in nlp.pipe(texts, batch_size=256):
            words: list[str] = []
            written: list[tuple[str, str, int]] = []
            vecs = []
            for token in doc:
                lemma = _lemma(token)
                if is_content(token, lemma, ignore):
                    words.append(lemma)
                    written.append((lemma, token.lower_, token.i))
                    if has_vectors and token.has_vector:
                        vecs.append(token.vector)
            lemmas.append(words)
            if tokens is not None:
                tokens.append(written)
            vectors.append(np.mean(vecs, axis=0) if vecs else None)
    return lemmas, vectors


def split_compound(lemma: str, vocabulary: frozenset[str]) -> list[str]:
    """The two parts of a Dutch compound lemma, or [] when it is not one.

    Conservative on purpose, because a wrong split adds noise (``luist`` + ``eren``): the
    tail must be a content lemma of this corpus (at least MIN_PART letters) or a word in
    simplemma's Dutch dictionary of at least 6 letters; the head likewise, with 5 letters
    for dictionary words, after dropping a linking ``s`` or ``e(n)``
    (toestemming-s-formulier). The longest head wins (``jeugdhulp`` + ``verlener``).
    """
    if len(lemma) < 2 * MIN_PART:
        return []
    stops = stop_words()

    def known(word: str, dictionary_min: int) -> bool:
        if len(word) < MIN_PART or word in stops:
            return False
        return word in vocabulary or (len(word) >= dictionary_min and _is_known(word))

    for i in range(len(lemma) - MIN_PART, MIN_PART - 1, -1):
        head, tail = lemma[:i], lemma[i:]
        tail_lemma = _simplemma(tail)
        if not (known(tail_lemma, 6) or known(tail, 6)):
            continue
        heads = [head]
        if head.endswith("s"):
            heads.append(head[:-1])
        if head.endswith(("e", "en")):
            heads.append(head.rstrip("n")[:-1])
        # Prefer the form this corpus uses, so the part meets the standalone word.
        if tail_lemma in vocabulary or not (tail in vocabulary or _is_known(tail)):
            tail_word = tail_lemma
        else:
            tail_word = tail
        for candidate in heads:
            if known(candidate, 5):
                return [_simplemma(candidate), tail_word]
    return []


def add_compound_parts(lemmas: list[list[str]]) -> list[list[str]]:
    """Each fragment's lemmas followed by the parts of its compound lemmas."""
    vocabulary = frozenset(w for words in lemmas for w in words)
    parts_of: dict[str, list[str]] = {}
    result = []
    for words in lemmas:
        extra: list[str] = []
        for word in words:
            if word not in parts_of:
                parts_of[word] = split_compound(word, vocabulary)
            extra.extend(parts_of[word])
        result.append(words + extra)
    return result


#: Words in names that are ordinary content words elsewhere ("Gemeente Utrecht",
#: "Wijkteam Noord"): they are never ignored.
GENERIC_NAME_WORDS = frozenset(
    ("gemeente", "wijk", "wijkteam", "buurtteam", "team", "regio", "stad", "dorp", "buurt")
)


def name_words(names: list[str]) -> frozenset[str]:
    """The words (lower case, 3+ letters) of names such as "Bergen op Zoom" or "Anna K."."""
    import re

    words = {w for name in names for w in re.findall(r"[^\W\d_]{3,}", name.lower())}
    return frozenset(words - GENERIC_NAME_WORDS)


def _identity(tokens: list[str]) -> list[str]:
    # Module level (not a lambda) so a fitted vectorizer stays picklable.
    return tokens


def _join(tokens: list[str]) -> str:
    return " ".join(tokens)


def build_features(
    texts: list[str],
    nlp: spacy.Language | None = None,
    seed: int = 0,
    ignore: frozenset[str] = frozenset(),
) -> Features:
    """Feature matrix for *texts* (see the module docstring for the recipe).

    *ignore* holds words (lower case) that must not count, such as the names of the
    municipalities and the speakers: otherwise fragments would group by who said them
    or where, not by what they are about.
    """
    import numpy as np
    from scipy import sparse
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    if nlp is None:
        from codeer.coding.nlp import load_pipeline

        nlp = load_pipeline()
    n = len(texts)
    tokens: list[list[tuple[str, str, int]]] = []
    raw, vectors = content_lemmas(texts, nlp, ignore, tokens)
    lemmas = add_compound_parts(raw)

    min_df = min_df_for(n)
    blocks = []
    vocabulary_size = 0
    # Block 1, lemmas; block 2, character 4-5-grams of the same lemmas, which lets
    # inflections and compounds the lemmatizer misses still meet (wachtlijst / wachttijd,
    # preventie / preventief). min_df falls back to 1 if nothing survives.
    for analyzer, options in (
        (_identity, {}),
        ("char_wb", {"ngram_range": (4, 5), "preprocessor": _join}),
    ):
        for df in dict.fromkeys((min_df, 1)):
            vectorizer = TfidfVectorizer(
                analyzer=analyzer, min_df=df, sublinear_tf=True, norm="l2", **options
            )
            try:
                block = vectorizer.fit_transform(lemmas)
            except ValueError:  # empty vocabulary
                continue
            if analyzer is _identity:
                vocabulary_size = block.shape[1]
            blocks.append(block)
            break

    used_vectors = any(v is not None for v in vectors)
    if used_vectors:
        dim = next(v for v in vectors if v is not None).shape[0]
        dense = np.vstack([v if v is not None else np.zeros(dim) for v in vectors])
        blocks.append(sparse.csr_matrix(normalize(dense)))
    if not blocks:  # no content words at all: every fragment is the same point
        matrix = np.zeros((n, 1))
        return Features(matrix, lemmas, tokens, {"tfidf_terms": 0, "vectors": False})

    stacked = sparse.hstack(blocks).tocsr() if len(blocks) > 1 else blocks[0]
    # Few latent dimensions for small sets: with 30 short fragments, 5 dimensions recover
    # known sub-themes far better than the raw sparse space (docs/cluster.md).
    svd_components = min(SVD_COMPONENTS, max(5, n // 10))
    if n >= SVD_MIN_FRAGMENTS and stacked.shape[1] > svd_components + 1:
        svd = TruncatedSVD(n_components=svd_components, random_state=seed)
        matrix = svd.fit_transform(stacked)
    else:
        svd_components = None
        matrix = stacked.toarray()
    matrix = normalize(matrix)  # unit rows: Euclidean k-means then works on cosine geometry
    info = {
        "tfidf_terms": vocabulary_size,
        "min_df": min_df,
        "sublinear_tf": True,
        "compound_parts": True,
        "char_ngrams": [4, 5],
        "ignored_names": len(ignore),
        "vectors": used_vectors,
        "svd": svd_components,
    }
    return Features(matrix, lemmas, tokens, info)
