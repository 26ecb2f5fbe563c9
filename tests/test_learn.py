"""``codeer learn`` on small real projects: fitting, re-scoring, proposals, idempotence.

All people and places in these texts are fictional.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from codeer.coding.learn import learn_project
from codeer.store.codings import LEARN_CODER
from codeer.store.project import Project
from tests.factories import add_codebook, add_coding, add_document

WAIT = "De wachtlijst voor {} is lang en de wachttijd loopt op."
WEATHER = "Het regende {} de hele dag in het fictieve dorp."
FILLER = "We hebben {} koffie gedronken in de kantine."
PLACES = [
    "Ankeveld", "Bromdorp", "Cieswijk", "Dalhem", "Eekloo", "Fernhout", "Gieterveen",
    "Holtwijk", "Ilpenburg", "Jorwerd", "Kolham", "Lemsterhoek", "Marum", "Nijbeets",
]  # fmt: skip


def build(folder: Path) -> tuple[Project, dict[str, list[tuple[int, int, int]]]]:
    """A project with sentence units: waiting-list, weather and filler sentences.

    Returns the project and, per kind, the (document id, start, end) of its sentences.
    """
    project = Project.init(folder)
    add_codebook(project, [("werkdruk", None), ("wachtlijst", "werkdruk"), ("verbinden", None)])
    kinds: dict[str, list[tuple[int, int, int]]] = {"wait": [], "weather": [], "filler": []}
    for d in range(4):
        sentences = []
        for i, place in enumerate(PLACES):
            n = d * len(PLACES) + i
            sentences.append(("wait", WAIT.format(f"{place} nummer {n}")))
            sentences.append(("weather", WEATHER.format(f"in {place} {n} keer")))
            sentences.append(("filler", FILLER.format(f"met {place} {n} keer")))
        text, spans = "", []
        for kind, sentence in sentences:
            spans.append((kind, len(text), len(text) + len(sentence)))
            text += sentence + " "
        doc = add_document(project, f"fictief{d}.txt", text.rstrip())
        turn = project.con.execute("SELECT id FROM turns WHERE document_id = ?", (doc,)).fetchone()
        with project.transaction() as con:
            for kind, start, end in spans:
                con.execute(
                    "INSERT INTO units (document_id, turn_id, start, end) VALUES (?, ?, ?, ?)",
                    (doc, turn[0], start, end),
                )
                kinds[kind].append((doc, start, end))
    return project, kinds


def suggest(project: Project, key, code: str, pattern: str) -> int:
    doc, start, end = key
    evidence = [{"pattern": pattern, "words": "x", "start": start, "end": end, "via": "exact"}]
    return add_coding(project, doc, start, end, code, score=0.6, evidence=evidence)


def decide(project: Project, suggestion: int, status: str, coder: str = "ann") -> int:
    row = project.con.execute("SELECT * FROM codings WHERE id = ?", (suggestion,)).fetchone()
    return add_coding(
        project, row["document_id"], row["start"], row["end"], row["code"], status=status,
        coder=coder, suggestion_id=suggestion, evidence=[],
    )  # fmt: skip


@pytest.fixture
def learned(tmp_path: Path):
    """12 accepted and 12 rejected werkdruk suggestions, 12 hand-coded waiting lists."""
    project, kinds = build(tmp_path / "p")
    for key in kinds["wait"][:12]:
        decide(project, suggest(project, key, "wachtlijst", "lemma:wachtlijst"), "accepted")
    for key in kinds["weather"][:12]:
        decide(project, suggest(project, key, "werkdruk", "lemma:druk"), "rejected")
    for doc, start, end in kinds["wait"][12:24]:
        add_coding(project, doc, start, end, "wachtlijst", status="manual", coder="ann")
    open_ids = [suggest(project, k, "werkdruk", "lemma:druk") for k in kinds["weather"][12:15]]
    open_ids += [
        suggest(project, k, "wachtlijst", "lemma:wachtlijst") for k in kinds["wait"][24:27]
    ]
    yield project, kinds, open_ids
    project.close()


def snapshot(con: sqlite3.Connection, sql: str) -> list[tuple]:
    return [tuple(row) for row in con.execute(sql)]


def test_fits_rescoring_and_proposals(learned):
    project, kinds, open_ids = learned
    con = project.con
    decisions_before = snapshot(con, "SELECT * FROM codings WHERE coder = 'ann' ORDER BY id")
    scores_before = snapshot(con, "SELECT id, score, evidence FROM codings ORDER BY id")

    result = learn_project(project, min_decisions=10)

    themes = {t.theme: t for t in result.themes}
    assert themes["werkdruk"].status == "new" and themes["werkdruk"].version == 1
    assert (themes["werkdruk"].positives, themes["werkdruk"].negatives) == (24, 12)
    assert themes["verbinden"].status == "skipped" and "needs 10" in themes["verbinden"].reason
    # Decisions untouched, the codebook's score and evidence untouched.
    assert (
        snapshot(con, "SELECT * FROM codings WHERE coder = 'ann' ORDER BY id") == decisions_before
    )
    after = dict((r[0], r[1:]) for r in snapshot(con, "SELECT id, score, evidence FROM codings"))
    assert all(after[i] == (score, ev) for i, score, ev in scores_before)
    # Re-scored: the open waiting-list suggestions high, the weather ones low, with reasons.
    rows = {r["id"]: r for r in con.execute("SELECT * FROM codings WHERE learned IS NOT NULL")}
    weather, wait = open_ids[:3], open_ids[3:]
    assert all(rows[i]["learned_score"] < 0.5 for i in weather)
    assert all(rows[i]["learned_score"] > 0.5 for i in wait)
    why = json.loads(rows[wait[0]]["learned"])
    assert why["model"] == "werkdruk v1" and why["p"] == rows[wait[0]]["learned_score"]
    assert any(name.startswith(("word:wachtlijst", "pattern:")) for name, _w in why["up"])
    assert all(weight > 0 for _n, weight in why["up"]) and all(w < 0 for _n, w in why["down"])
    # Proposals: the uncoded waiting-list sentences, none of the others.
    proposals = con.execute(
        "SELECT * FROM codings WHERE coder = ? AND status = 'suggested' ORDER BY id", (LEARN_CODER,)
    ).fetchall()
    proposed = {(r["document_id"], r["start"], r["end"]) for r in proposals}
    assert proposed and proposed <= set(kinds["wait"][27:])
    first = proposals[0]
    assert first["code"] == "werkdruk" and first["score"] == first["learned_score"] >= 0.7
    (evidence,) = json.loads(first["evidence"])
    assert evidence["via"] == "learned" and evidence["pattern"] == "learned from 36 decisions"
    assert len(evidence["nearest"]) == 3
    doc_text = con.execute(
        "SELECT text FROM documents WHERE name = ?", (evidence["nearest"][0]["document"],)
    )
    near = evidence["nearest"][0]
    assert doc_text.fetchone()[0][near["start"] : near["end"]] == near["text"]
    assert "wachtlijst" in near["text"]


def test_second_run_changes_nothing(learned):
    project, _kinds, _ids = learned
    con = project.con
    learn_project(project, min_decisions=10)
    tables = "SELECT * FROM codings ORDER BY id", "SELECT * FROM models ORDER BY id"
    before = [snapshot(con, sql) for sql in tables]
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    again = learn_project(project, min_decisions=10)
    assert not again.changed
    assert {t.status for t in again.themes} == {"unchanged", "skipped"}
    assert [snapshot(con, sql) for sql in tables] == before
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == events


def test_model_is_json_and_new_decisions_make_a_new_version(learned):
    project, _kinds, open_ids = learned
    con = project.con
    learn_project(project, min_decisions=10)
    (row,) = con.execute("SELECT * FROM models").fetchall()
    model = json.loads(row["model"])  # plain JSON: no pickle anywhere
    assert set(model) >= {"features", "weights", "intercept", "theme"}
    assert len(model["features"]) == len(model["weights"])
    assert all(isinstance(w, float) for w in model["weights"])
    assert not row["model"].startswith("\x80")
    decide(project, open_ids[0], "rejected")
    result = learn_project(project, min_decisions=10)
    werk = next(t for t in result.themes if t.theme == "werkdruk")
    assert (werk.status, werk.version, werk.negatives) == ("new", 2, 13)
    assert con.execute("SELECT count(*) FROM models").fetchone()[0] == 2


def test_read_sentences_count_as_negatives(learned):
    project, kinds, _ids = learned
    with project.transaction() as con:
        for doc, start, end in kinds["filler"][:5]:
            con.execute(
                "INSERT INTO reads (document_id, start, end, coder, read_at)"
                " VALUES (?, ?, ?, 'ann', 'x')",
                (doc, start, end),
            )
    result = learn_project(project, min_decisions=10)
    werk = next(t for t in result.themes if t.theme == "werkdruk")
    assert werk.negatives == 17


def test_proposal_decided_stays_and_retracted_when_unwanted(learned):
    project, _kinds, _ids = learned
    con = project.con
    learn_project(project, min_decisions=10)
    ids = [r[0] for r in con.execute("SELECT id FROM codings WHERE coder = ?", (LEARN_CODER,))]
    decide(project, ids[0], "accepted")
    learn_project(project, min_decisions=10, propose_at=0.9999)
    statuses = dict(con.execute("SELECT id, status FROM codings WHERE coder = ?", (LEARN_CODER,)))
    assert statuses[ids[0]] == "suggested"  # decided: left alone
    assert all(statuses[i] == "retracted" for i in ids[1:])


def test_unknown_code_and_no_codebook(tmp_path: Path):
    from codeer.errors import CodebookError, CodeerError

    with Project.init(tmp_path / "empty") as project:
        with pytest.raises(CodeerError, match="no codebook"):
            learn_project(project)
        add_codebook(project, [("werkdruk", None)])
        with pytest.raises(CodebookError, match="unknown code"):
            learn_project(project, code="nergens")
