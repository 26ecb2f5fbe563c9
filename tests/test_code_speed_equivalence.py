"""The shortcuts that make ``codeer code`` fast give what the plain way gives.

Each test runs a shortcut next to the straightforward computation it replaces: the
valence window against a plain scan, the matcher's phrase and regex pre-checks against
matching without them, and the batched commits against a run that commits every
document. Texts are the fictional example interviews in transcripts/.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from codeer.coding.codebook import load_codebook, parse_codebook
from codeer.coding.evidence import Cues, valence_index
from codeer.coding.lexicon import CLAUSE_BREAKS, NEGATION_CUES, NEGATIVE_CUES, POSITIVE_CUES
from codeer.coding.matching import CodebookMatcher
from codeer.coding.nlp import SimplemmaLemmatizer, load_pipeline
from codeer.coding.suggest import code_project, pipeline_pieces
from codeer.coding.suggestion_store import DocumentBatch
from codeer.ingest.importer import import_paths
from codeer.store.project import Project

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("fallback")


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """(document id, turn texts as streamed, with offsets) of the example interviews."""
    project = Project.init(tmp_path_factory.mktemp("examples") / "p")
    import_paths(project, [REPO / "transcripts"])
    documents = [r["id"] for r in project.con.execute("SELECT id FROM documents ORDER BY id")]
    stream = [
        (piece.turn, piece.start, piece.text, piece.question)
        for piece in pipeline_pieces(project.con, documents, True)
    ]
    project.close()
    assert len(stream) > 100
    return stream


# ------------------------------------------------------------------------- valence


def plain_valence(lowers, lemmas, span, window, bounds, cues):
    """The valence scan written out plainly: (valence, index of the cue token)."""
    if not span:
        return "neutral", None
    for i in span:
        if lowers[i] in cues.negation | cues.negative:
            return "negative", i
    lo, hi = bounds
    near = []
    i = min(span) - 1
    while i >= max(lo, min(span) - window) and lowers[i] not in cues.breaks:
        near.append(i)
        i -= 1
    i = max(span) + 1
    while i < min(hi, max(span) + window + 1) and lowers[i] not in cues.breaks:
        near.append(i)
        i += 1
    for i in near:
        if {lowers[i], lemmas[i]} & cues.negation:
            return "negative", i
    for kind, words in (("negative", cues.negative), ("positive", cues.positive)):
        for i in near:
            if {lowers[i], lemmas[i]} & words:
                return kind, i
    return "neutral", None


def test_valence_window_matches_a_plain_scan(nlp):
    cues = Cues(nlp.vocab.strings)
    strings = nlp.vocab.strings
    pool = [strings.add(w) for w in ["wij", "de", "school", "vertrouwen", "samen", "lijn"]]
    pool += [strings.add(w) for w in sorted(NEGATION_CUES)[:4] + sorted(NEGATIVE_CUES)[:4]]
    pool += [strings.add(w) for w in sorted(POSITIVE_CUES)[:4] + sorted(CLAUSE_BREAKS)[:4]]
    rng = random.Random(5)
    for _ in range(5000):
        n = rng.randint(1, 30)
        lowers = [rng.choice(pool) for _ in range(n)]
        lemmas = [rng.choice(pool) if rng.random() < 0.3 else w for w in lowers]
        lo = rng.randint(0, n - 1)
        hi = rng.randint(lo + 1, n)
        first = rng.randint(lo, hi - 1)
        span = tuple(
            sorted({first, *(rng.randint(first, hi - 1) for _ in range(rng.randint(0, 2)))})
        )
        window = rng.randint(0, 6)
        args = (lowers, lemmas, span, window, (lo, hi), cues)
        assert valence_index(*args) == plain_valence(*args), args


# ------------------------------------------------------------------------- matching


class NoPhraseCheck(CodebookMatcher):
    """The matcher without the pre-check: every candidate phrase is matched in full."""

    def _phrase_words(self, strings):
        self._words = {pid: [] for pids in self.by_term.values() for pid in pids}
        return self._words


def evidence_of(matches):
    return [
        (start, end, {code: [(ev.pattern, ev.words, ev.start, ev.end, ev.via) for ev in evs]
                      for code, evs in found.items()})
        for start, end, found in matches.sentences
    ]  # fmt: skip


def test_phrase_and_regex_prechecks_change_nothing(nlp, examples):
    codebook = load_codebook(None)
    lemma = SimplemmaLemmatizer().lemma
    fast = CodebookMatcher(codebook, lemma, nlp.vocab)
    assert fast.any_regex is not None  # the shipped codebook has several regexes
    plain = NoPhraseCheck(codebook, lemma, nlp.vocab)
    plain.any_regex = None
    texts = [text for _turn, _start, text, _question in examples]
    matched = 0
    for doc, text in zip(nlp.pipe(texts), texts, strict=True):
        expected = evidence_of(plain.match_doc(doc, text))
        assert evidence_of(fast.match_doc(doc, text)) == expected
        matched += sum(bool(found) for _s, _e, found in expected)
    assert matched > 100


def test_regex_precheck_only_for_regexes_without_groups(nlp):
    book = """
    name: t
    codes:
      - key: a
        label: A
        patterns: {regex: ['\\bib''?ers?\\b', 'poh']}
      - key: b
        label: B
        patterns: {regex: ['(wijk)team']}
    """
    matcher = CodebookMatcher(parse_codebook(book), SimplemmaLemmatizer().lemma, nlp.vocab)
    assert matcher.any_regex is None
    without_b = parse_codebook(book.split("  - key: b")[0])
    matcher = CodebookMatcher(without_b, SimplemmaLemmatizer().lemma, nlp.vocab)
    assert matcher.any_regex is not None
    assert matcher.any_regex.flags & re.IGNORECASE
    text = "De IB'er belde de POH. Niets hier."
    assert [ev.words for ev in matcher._match_extra(nlp(text), text)] == ["IB'er", "POH"]


# ------------------------------------------------------------------ batched commits


def dump(project):
    con = project.con
    codings = con.execute(
        "SELECT document_id, start, end, code, status, score, valence, evidence FROM codings"
        " ORDER BY document_id, start, end, code"
    ).fetchall()
    units = con.execute(
        "SELECT document_id, turn_id, start, end FROM units ORDER BY 1, 3"
    ).fetchall()
    return [tuple(r) for r in codings], [tuple(r) for r in units]


def example_project(folder: Path) -> Project:
    project = Project.init(folder)
    import_paths(project, [REPO / "transcripts"])
    return project


def test_an_interrupted_run_keeps_whole_documents_and_a_rerun_completes(tmp_path, monkeypatch):
    reference = example_project(tmp_path / "ref")
    code_project(reference)
    expected = dump(reference)
    documents = reference.con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert documents >= 4

    def stop_after(limit):
        def progress(done, total):
            if done == limit:
                raise KeyboardInterrupt

        return progress

    # Default batch: everything of the interrupted run is rolled back together.
    project = example_project(tmp_path / "whole")
    with pytest.raises(KeyboardInterrupt):
        code_project(project, progress=stop_after(3))
    assert dump(project) == ([], [])
    code_project(project)
    assert dump(project) == expected

    # One document per batch: the documents before the interruption are kept, whole.
    monkeypatch.setattr(DocumentBatch, "ROWS", 1)
    project = example_project(tmp_path / "per_document")
    with pytest.raises(KeyboardInterrupt):
        code_project(project, progress=stop_after(3))
    codings, units = dump(project)
    kept = {row[0] for row in units}
    assert len(kept) == 3  # every document reported done was committed with its batch
    assert codings == [row for row in expected[0] if row[0] in kept]
    assert units == [row for row in expected[1] if row[0] in kept]
    code_project(project)
    assert dump(project) == expected
