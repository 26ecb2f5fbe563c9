"""The Dutch pipeline (fallback and model path) and the morphology-aware matcher.

The model path is exercised with a tiny pipeline built here (a tagger trained on three
made-up sentences plus a few word vectors), saved to disk and loaded through the same
loader codeer uses for nl_core_news_md. All sentences are fictional.
"""

from __future__ import annotations

import textwrap

import numpy
import pytest

from codeer.coding.codebook import parse_codebook
from codeer.coding.matching import CodebookMatcher
from codeer.coding.nlp import SimplemmaLemmatizer, load_pipeline, pipeline_info
from codeer.errors import CodeerError


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("fallback")


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A tiny trained pipeline on disk: tagger + vectors, no lemmatizer, no sentencizer."""
    import spacy
    from spacy.training import Example

    nlp = spacy.blank("nl")
    nlp.add_pipe("tagger")
    data = [
        ("Wij vertrouwen de school", ["PRON", "VERB", "DET", "NOUN"]),
        ("De ouders bellen ons", ["DET", "NOUN", "VERB", "PRON"]),
        ("Het team werkt samen", ["DET", "NOUN", "VERB", "ADV"]),
    ]
    examples = [Example.from_dict(nlp.make_doc(t), {"tags": tags}) for t, tags in data]
    nlp.initialize(lambda: examples)
    for _ in range(10):
        nlp.update(examples)
    for word in ("school", "ouders", "team"):
        nlp.vocab.set_vector(word, numpy.ones(4, dtype="float32"))
    nlp.meta["name"] = "tiny_test"
    folder = tmp_path_factory.mktemp("tiny_model")
    nlp.to_disk(folder)
    return folder


def test_fallback_pipeline_lemmatizes_and_splits_sentences(nlp):
    doc = nlp("We hebben korte lijntjes. We werken goed samen met de scholen!")
    assert [s.text for s in doc.sents] == [
        "We hebben korte lijntjes.",
        "We werken goed samen met de scholen!",
    ]
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["lijntjes"] == "lijntje"
    assert lemmas["scholen"] == "school"
    info = pipeline_info(nlp)
    assert info["kind"] == "fallback"
    assert info["components"] == ["sentencizer", "codeer_simplemma"]
    assert not info["has_vectors"]
    assert "word vectors" in info["lacks"] and "dependency parse" in info["lacks"]


def test_spoken_sentence_ends_are_not_taken_for_abbreviations(nlp):
    doc = nlp("Ouders kennen me. Ze zeggen het al. Dat vindt u.")
    assert [s.text for s in doc.sents] == ["Ouders kennen me.", "Ze zeggen het al.", "Dat vindt u."]


def test_separable_verbs_are_joined_in_lemmas():
    lemma = SimplemmaLemmatizer().lemma
    assert lemma("samengewerkt") == "samenwerken"
    assert "_" not in lemma("afgesproken")


def test_load_pipeline_is_cached(nlp):
    assert load_pipeline("fallback") is nlp


def test_model_path_loads_a_saved_pipeline_and_completes_it(model_dir):
    nlp = load_pipeline(str(model_dir))
    info = pipeline_info(nlp)
    assert info["kind"] == "model"
    assert info["has_vectors"]
    assert "tagger" in info["components"]
    # The loader adds what the matcher needs: sentences and lemmas.
    assert "sentencizer" in info["components"] and "codeer_simplemma" in info["components"]
    assert "word vectors" not in info["lacks"] and "part-of-speech tags" not in info["lacks"]
    assert "dependency parse" in info["lacks"]
    doc = nlp("De ouders vertrouwen het wijkteam. Wij bellen de school.")
    assert len(list(doc.sents)) == 2
    assert doc[1].lemma_ == "ouder" and doc[1].tag_


def test_env_variable_picks_the_model(model_dir, monkeypatch):
    monkeypatch.setenv("CODEER_SPACY_MODEL", str(model_dir))
    assert pipeline_info(load_pipeline())["kind"] == "model"
    monkeypatch.setenv("CODEER_SPACY_MODEL", "fallback")
    assert pipeline_info(load_pipeline())["kind"] == "fallback"


def test_unknown_model_is_a_codeer_error():
    with pytest.raises(CodeerError) as info:
        load_pipeline("nl_model_that_does_not_exist")
    assert "CODEER_SPACY_MODEL" in info.value.hint


BOOK = textwrap.dedent(
    """\
    codes:
      - key: vertrouwen
        label: Vertrouwen
        patterns: {lemmas: [vertrouwen]}
      - key: partner
        label: Partner
        patterns: {lemmas: [partner]}
      - key: afspraak
        label: Afspraak
        patterns: {lemmas: [afspraak], phrases: [afspraak nakomen]}
      - key: samenwerken
        label: Samenwerken
        patterns: {lemmas: [samenwerken]}
      - key: lijn
        label: Lijn
        patterns: {phrases: [korte lijn]}
      - key: wijk
        label: Wijk
        patterns: {lemmas: [wijk, rust]}
      - key: verantwoordelijkheid
        label: Verantwoordelijkheid
        patterns: {phrases: [verantwoordelijkheid nemen, kat uit de boom]}
      - key: school
        label: School
        patterns: {lemmas: [school]}
        exclude: {phrases: [school van denken]}
    """
)


@pytest.fixture(scope="module")
def matcher(nlp):
    return CodebookMatcher(parse_codebook(BOOK), SimplemmaLemmatizer().lemma, nlp.vocab)


def matches(nlp, matcher, text: str) -> dict[str, list]:
    doc = nlp(text)
    return matcher.match_sentence(doc, doc[:])


@pytest.mark.parametrize(
    ("text", "code", "words", "via"),
    [
        ("Er is een sterke vertrouwensband.", "vertrouwen", "vertrouwensband", "compound"),
        ("Alle ketenpartners waren er.", "partner", "ketenpartners", "compound"),
        ("De samenwerkingsafspraken zijn oud.", "afspraak", "samenwerkingsafspraken", "compound"),
        ("We werken heel goed samen.", "samenwerken", "werken … samen", "separable"),
        ("We hebben korte lijntjes met hen.", "lijn", "korte lijntjes", "phrase+diminutive"),
        ("De lijnen zijn gelukkig kort.", "lijn", "lijnen … kort", "phrase"),
        (
            "We komen onze afspraken altijd na.",
            "afspraak",
            "komen … afspraken … na",
            "phrase+separable",
        ),
        ("Zij nemen hun verantwoordelijkheid niet.", "verantwoordelijkheid", None, "phrase"),
        ("Ze keken de kat uit de boom.", "verantwoordelijkheid", "kat uit de boom", "phrase"),
    ],
)
def test_matcher_handles_dutch_morphology(nlp, matcher, text, code, words, via):
    found = matches(nlp, matcher, text)
    assert code in found, found
    best = max(found[code], key=lambda e: e.weight)
    if words:
        assert best.words == words
    if via:
        assert best.via == via
    doc = nlp(text)
    assert doc.text[best.start : best.end].startswith(best.words.split(" ")[0])


@pytest.mark.parametrize(
    "text",
    [
        "Dat is een afwijking van de regel.",  # 'wijk' is too short to match inside a word
        "Ik vertrouwde het bestuur.",  # no 'rust' inside other words
        "Ze zijn geen partners in crime.",  # control sentence for 'kat uit de boom' order
    ],
)
def test_short_lemmas_do_not_match_inside_other_words(nlp, matcher, text):
    found = matches(nlp, matcher, text)
    assert "wijk" not in found
    assert "verantwoordelijkheid" not in found


def test_fixed_expressions_keep_their_order(nlp, matcher):
    assert "verantwoordelijkheid" not in matches(nlp, matcher, "De boom uit de kat.")


def test_exclusion_patterns_remove_the_code_for_the_sentence(nlp, matcher):
    assert "school" in matches(nlp, matcher, "De school belt ons.")
    assert "school" not in matches(nlp, matcher, "Dat is een school van denken.")
