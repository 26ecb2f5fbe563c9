"""The numeric core and the features, on small inputs with an obvious answer."""

from __future__ import annotations

import numpy as np
import spacy

from codeer.synthesis.cluster import cluster_project
from codeer.synthesis.cluster_features import build_features, name_words
from codeer.synthesis.cluster_method import choose_k, label_words
from tests.factories import add_codebook, add_coding, add_document, new_project
from tests.test_cluster_fixtures import PRIVACY, blank_pipeline


def _blobs(k: int, per: int, seed: int = 0) -> tuple[np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    centres = np.eye(8)[:k] * 5
    rows, truth = [], []
    for c in range(k):
        rows.append(centres[c] + rng.normal(scale=0.3, size=(per, 8)))
        truth += [c] * per
    matrix = np.vstack(rows)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True), truth


def test_choose_k_finds_clear_groups_and_is_deterministic():
    matrix, _ = _blobs(4, 15)
    k, labels, scores = choose_k(matrix, seed=3)
    assert k == 4 and len(set(labels.tolist())) == 4
    assert set(scores) == set(range(2, 7))  # 60 fragments: k in [2, floor(sqrt(30)) + 1]
    again = choose_k(matrix, seed=3)
    assert again[0] == k and (again[1] == labels).all()


def test_label_words_prefer_shared_and_specific_words():
    lemmas = [
        ["toestemming", "ouder", "gegeven"],
        ["toestemming", "formulier", "ouder"],
        ["gezin", "ouder", "luisteren"],
        ["gezin", "thuis", "ouder"],
    ]
    # Written as the lemma, never two adjacent words (token indices 0, 2, 4): no phrases.
    tokens = [[(w, w, 2 * i) for i, w in enumerate(words)] for words in lemmas]
    top = label_words(lemmas, tokens, [1, 1, 2, 2], 2, top=2)
    assert top[0][0] == "toestemming" and top[1][0] == "gezin"
    assert "ouder" not in top[0] + top[1]  # in every class: not distinctive


def test_name_words_and_ignored_names_do_not_drive_features():
    assert name_words(["Bergen op Zoom", "R", "Anna K."]) == {"bergen", "zoom", "anna"}
    texts = [f"In Dorpshaven doen we het zo. {t}" for t in PRIVACY[:6]]
    kept = build_features(texts, blank_pipeline())
    ignored = build_features(texts, blank_pipeline(), ignore=frozenset({"dorpshaven"}))
    assert any("dorpshaven" in words for words in kept.lemmas)
    assert not any("dorpshaven" in words for words in ignored.lemmas)


def test_municipality_names_stay_out_of_labels(tmp_path):
    project = new_project(tmp_path / "names")
    add_codebook(project, [("vertrouwen", None)])
    for i, text in enumerate(PRIVACY):
        place = ("Dorpshaven", "Moerdam")[i % 2]
        body = f"R: Hier in {place} geldt dit. {text}"
        doc = add_document(project, f"d{i}.txt", body, {"gemeente": place})
        add_coding(project, doc, 3, len(body), "vertrouwen", status="accepted", coder="anna")
    (result,) = cluster_project(project, k=2, nlp=blank_pipeline(), store=False)
    words = {w for c in result.clusters for w in c.lemmas}
    assert not words & {"dorpshaven", "moerdam"}
    project.close()


def test_word_vectors_are_used_when_the_pipeline_has_them():
    nlp = spacy.blank("nl")
    rng = np.random.default_rng(0)
    for word in ("toestemming", "gegevens", "ouders", "gezin", "school", "delen"):
        nlp.vocab.set_vector(word, rng.normal(size=16).astype("float32"))
    texts = [
        "Toestemming van ouders voor het delen van gegevens.",
        "Gegevens delen met school vraagt toestemming.",
        "Het gezin en de ouders thuis.",
        "Ouders en gezin voelen zich gehoord.",
    ]
    features = build_features(texts, nlp)
    assert features.info["vectors"] is True
    norms = np.linalg.norm(features.matrix, axis=1)
    assert np.allclose(norms, 1.0)
    plain = build_features(texts, blank_pipeline())
    assert plain.info["vectors"] is False
    assert features.matrix.shape[1] == plain.matrix.shape[1] + 16  # vector block appended
