"""The one place that builds the Dutch spaCy pipeline.

``nl_core_news_md`` is used when it is installed (lemmas, POS, parse, NER, vectors).
Otherwise codeer falls back to ``spacy.blank("nl")`` with a rule-based sentencizer and a
lemmatizer backed by simplemma, which ships its Dutch data and needs no download. Both
paths give every token a lemma and every doc sentences, which is all the matcher needs;
``pipeline_info`` says what else a pipeline has or lacks.

Import this module only inside commands: it imports spaCy.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from codeer.errors import CodeerError

DEFAULT_MODEL = "nl_core_news_md"
ENV_MODEL = "CODEER_SPACY_MODEL"
LEMMATIZER = "codeer_simplemma"
FALLBACK_LACKS = [
    "part-of-speech tags",
    "dependency parse",
    "named entities",
    "word vectors",
    "statistical sentence boundaries (rule-based sentencizer instead)",
]


class SimplemmaLemmatizer:
    """Sets ``token.lemma_`` from simplemma's Dutch dictionary and rules.

    Lemmas are cached per lower-cased word form: transcripts repeat their vocabulary so
    much that the cache turns most lookups into one dict access. simplemma writes
    separable verbs as ``samen_werken``; we join them (``samenwerken``) so a codebook
    lemma matches both the joined and the (matcher-handled) split form.
    """

    def __init__(self, lang: str = "nl"):
        self.lang = lang
        self._cache: dict[str, str] = {}

    def lemma(self, lower: str) -> str:
        """The lemma of a lower-cased word form."""
        lemma = self._cache.get(lower)
        if lemma is None:
            import simplemma

            lemma = simplemma.lemmatize(lower, lang=self.lang).lower().replace("_", "")
            self._cache[lower] = lemma
        return lemma

    def __call__(self, doc: Doc) -> Doc:
        cache = self._cache
        for token in doc:
            lower = token.lower_
            lemma = cache.get(lower)
            if lemma is None:
                lemma = self.lemma(lower)
            token.lemma_ = lemma
        return doc

    # A saved pipeline stores its components; ours has no weights, only the language.
    def to_disk(self, path: Path, *, exclude: Any = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: Path, *, exclude: Any = ()) -> SimplemmaLemmatizer:
        return self


@Language.factory(LEMMATIZER, default_config={"lang": "nl"})
def make_simplemma_lemmatizer(nlp: Language, name: str, lang: str) -> SimplemmaLemmatizer:
    """spaCy factory for :class:`SimplemmaLemmatizer` (``nlp.add_pipe("codeer_simplemma")``)."""
    return SimplemmaLemmatizer(lang)


# Abbreviations in spaCy's Dutch tokenizer that in speech are nearly always a pronoun or
# adverb ending a sentence ("ze kennen me.", "dat doen we al.", "zegt u."); kept as one
# token they hide the full stop, and two sentences become one unit.
SPOKEN_NOT_ABBREVIATIONS = ("me.", "al.", "dat.", "u.")


def fallback_pipeline() -> Language:
    """``spacy.blank("nl")`` + sentencizer + simplemma lemmatizer."""
    nlp = spacy.blank("nl")
    drop = {w for a in SPOKEN_NOT_ABBREVIATIONS for w in (a, a.capitalize(), a.upper())}
    nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k not in drop}
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(LEMMATIZER)
    nlp.meta["name"] = "blank_nl_simplemma"
    nlp.meta["codeer_kind"] = "fallback"
    return nlp


def _choose(model: str | None) -> str | None:
    """The model to load: the argument, else $CODEER_SPACY_MODEL, else the default if installed."""
    if model:
        return model
    env = os.environ.get(ENV_MODEL, "").strip()
    if env:
        return env
    return DEFAULT_MODEL if spacy.util.is_package(DEFAULT_MODEL) else None


def load_pipeline(model: str | None = None) -> Language:
    """The Dutch pipeline (cached per choice).

    *model* may be a package name or the path of a saved pipeline directory; without it,
    ``$CODEER_SPACY_MODEL`` is used, then ``nl_core_news_md`` if installed, then the
    fallback. A pipeline without sentence boundaries gets a sentencizer and one without
    a lemmatizer gets the simplemma lemmatizer, so the matcher always has what it needs.
    """
    choice = _choose(model)
    key = str(Path(choice).resolve()) if choice and Path(choice).exists() else choice
    return _load(key)


@lru_cache(maxsize=8)
def _load(choice: str | None) -> Language:
    if choice is None or choice in ("fallback", "blank"):
        return fallback_pipeline()
    try:
        nlp = spacy.load(choice)
    except OSError as exc:
        raise CodeerError(
            f"cannot load spaCy pipeline {choice!r}: {exc}".splitlines()[0],
            hint=f"install the model, point {ENV_MODEL} at a saved pipeline, "
            "or unset it to use the built-in fallback",
        ) from None
    names = set(nlp.pipe_names)
    if not names & {"parser", "senter", "sentencizer"}:
        nlp.add_pipe("sentencizer", first=True)
    if not names & {"lemmatizer", "trainable_lemmatizer", "edit_tree_lemmatizer", LEMMATIZER}:
        nlp.add_pipe(LEMMATIZER)
    nlp.meta.setdefault("codeer_kind", "model")
    nlp.meta["codeer_source"] = choice
    return nlp


def pipeline_info(nlp: Language) -> dict[str, Any]:
    """What pipeline this is: name, kind ("model"|"fallback"), components, vectors, lacks."""
    kind = nlp.meta.get("codeer_kind", "model")
    names = set(nlp.pipe_names)
    has_vectors = bool(nlp.vocab.vectors.shape[0]) and bool(nlp.vocab.vectors.shape[1])
    if kind == "fallback":
        lacks = list(FALLBACK_LACKS)
    else:
        lacks = []
        if not names & {"tagger", "morphologizer"}:
            lacks.append("part-of-speech tags")
        if "parser" not in names:
            lacks.append("dependency parse")
        if "ner" not in names:
            lacks.append("named entities")
        if not has_vectors:
            lacks.append("word vectors")
    name = nlp.meta.get("name", "")
    lang = nlp.meta.get("lang", nlp.lang)
    full_name = name if name.startswith(f"{lang}_") or kind == "fallback" else f"{lang}_{name}"
    return {
        "name": full_name,
        "version": nlp.meta.get("version", ""),
        "kind": kind,
        "source": nlp.meta.get("codeer_source", "spacy.blank('nl')"),
        "components": list(nlp.pipe_names),
        "has_vectors": has_vectors,
        "lacks": lacks,
    }


def versions() -> dict[str, str]:
    """Versions of the libraries the pipeline depends on (for ``codeer doctor``)."""
    import importlib.metadata as md

    result = {}
    for package in ("spacy", "simplemma", DEFAULT_MODEL):
        try:
            result[package] = md.version(package)
        except md.PackageNotFoundError:
            result[package] = "not installed"
    return result
