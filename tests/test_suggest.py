"""Coding a project: units, explained suggestions, valence, idempotence, codebook changes.

The interview text below is fictional; any resemblance to real people or places is chance.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from codeer.coding.suggest import code_project
from codeer.errors import CodebookError
from tests.factories import add_coding, add_document, new_project

QUESTION = "Hoe gaat de samenwerking met de school?"
ANSWER = (
    "We hebben korte lijntjes met de intern begeleider. "
    "Maar met de huisarts is er geen vertrouwen. "
    "Het weer was mooi vorige week. "
    "Wij houden de casusregie, ook als er specialistische hulp bij komt."
)
TEXT = f"I: {QUESTION}\nR: {ANSWER}\n"


def build(folder: Path):
    """A project with one fictional interview: an interviewer and a respondent turn."""
    project = new_project(folder)
    q_start = TEXT.index(QUESTION)
    a_start = TEXT.index(ANSWER)
    turns = [
        ("I", "interviewer", q_start, q_start + len(QUESTION)),
        ("R", "respondent", a_start, a_start + len(ANSWER)),
    ]
    doc_id = add_document(project, "fictief.txt", TEXT, {"gemeente": "Fictiedam"}, turns)
    return project, doc_id


@pytest.fixture
def coded(tmp_path):
    project, doc_id = build(tmp_path / "p")
    result = code_project(project)
    yield project, doc_id, result
    project.close()


def rows(project, **where):
    sql = "SELECT * FROM codings"
    if where:
        sql += " WHERE " + " AND ".join(f"{k} = ?" for k in where)
    return project.con.execute(sql + " ORDER BY start, code", tuple(where.values())).fetchall()


def test_units_are_sentences_of_respondent_turns_only(coded):
    project, _, result = coded
    units = project.con.execute("SELECT start, end FROM units ORDER BY start").fetchall()
    texts = [TEXT[u["start"] : u["end"]] for u in units]
    assert texts == [
        "We hebben korte lijntjes met de intern begeleider.",
        "Maar met de huisarts is er geen vertrouwen.",
        "Het weer was mooi vorige week.",
        "Wij houden de casusregie, ook als er specialistische hulp bij komt.",
    ]
    assert result.units == 4 and result.documents == 1
    # The interviewer's question mentions 'samenwerking' but is context, never coded.
    assert all(r["start"] >= TEXT.index(ANSWER) for r in rows(project))


def test_suggestions_have_scores_exact_offsets_and_evidence(coded):
    project, _, result = coded
    suggestions = rows(project, status="suggested")
    assert result.added == len(suggestions) == result.suggestions > 0
    for row in suggestions:
        assert 0 <= row["score"] <= 1
        assert row["coder"] == "codeer"
        evidence = json.loads(row["evidence"])
        assert evidence, row["code"]
        for item in evidence:
            assert TEXT[item["start"] : item["end"]].split()[0] in item["words"]
            assert row["start"] <= item["start"] < item["end"] <= row["end"]
            assert item["pattern"].split(":")[0] in ("lemma", "phrase", "regex", "tokens")
    codes = {TEXT[r["start"] : r["end"]][:10]: set() for r in suggestions}
    for r in suggestions:
        codes[TEXT[r["start"] : r["end"]][:10]].add(r["code"])
    assert "korte_lijnen" in codes["We hebben "]
    assert "samenwerking_school" in codes["We hebben "]
    assert "vertrouwen" in codes["Maar met d"]
    assert "regie_en_betrokken_blijven" in codes["Wij houden"]
    assert "Het weer w" not in codes  # no theme for a sentence about the weather


def test_negated_mention_is_still_suggested_with_negative_valence(coded):
    project, _, _ = coded
    start = TEXT.index("Maar met de huisarts")
    trust = [r for r in rows(project, code="vertrouwen") if r["start"] == start]
    assert len(trust) == 1
    assert trust[0]["valence"] == "negative"
    evidence = json.loads(trust[0]["evidence"])
    assert evidence[0]["cue"] == "geen"


def test_rerun_is_idempotent(coded):
    project, _, first = coded
    before = [tuple(r) for r in rows(project)]
    again = code_project(project)
    assert (again.added, again.retracted, again.updated) == (0, 0, 0)
    assert again.unchanged == first.added
    assert [tuple(r) for r in rows(project)] == before


def small_codebook(tmp_path: Path, keys: list[tuple[str, str]], name: str) -> Path:
    """A codebook with one top-level code per (key, lemma)."""
    lines = ["codes:"]
    for key, lemma in keys:
        lines += [
            f"  - key: {key}",
            f"    label: {key.title()}",
            f"    patterns: {{lemmas: [{lemma}]}}",
        ]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_changed_codebook_adds_and_retracts_without_touching_decisions(tmp_path):
    project, doc_id = build(tmp_path / "p")
    with project:
        first = small_codebook(tmp_path, [("lijnen", "lijn"), ("trust", "vertrouwen")], "a.yaml")
        code_project(project, first)
        lijn, trust = rows(project, status="suggested")
        # A coder accepts the 'lijnen' suggestion; another adds a manual coding.
        add_coding(
            project,
            doc_id,
            lijn["start"],
            lijn["end"],
            "lijnen",
            status="accepted",
            coder="anna",
            suggestion_id=lijn["id"],
        )
        add_coding(project, doc_id, 0, 5, "eigen", status="manual", coder="bob", evidence=[])

        second = small_codebook(tmp_path, [("regie", "regie")], "b.yaml")
        result = code_project(project, second)
        assert result.added == 1 and result.retracted == 1 and result.unchanged == 0
        assert project.con.execute("SELECT count(*) FROM codebooks").fetchone()[0] == 2
        by_id = {r["id"]: r for r in rows(project)}
        assert by_id[lijn["id"]]["status"] == "suggested"  # decided on: left alone
        assert by_id[trust["id"]]["status"] == "retracted"  # undecided: retracted, kept
        assert [r["code"] for r in rows(project, coder="anna")] == ["lijnen"]
        assert [r["code"] for r in rows(project, coder="bob")] == ["eigen"]
        assert [r["code"] for r in rows(project, status="suggested")] == ["lijnen", "regie"]

        # Back to the first codebook: the retracted suggestion comes back, no duplicates.
        result = code_project(project, first)
        assert result.added == 1 and result.retracted == 1
        assert len(rows(project, code="trust")) == 1
        assert rows(project, code="trust")[0]["status"] == "suggested"


def test_malformed_codebook_codes_nothing(tmp_path):
    project, _ = build(tmp_path / "p")
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - key: a\n    label: A\n    parent: ghost\n", encoding="utf-8")
    with project, pytest.raises(CodebookError) as info:
        code_project(project, bad)
    assert info.value.where == f"{bad}:4"
    with new_project(tmp_path / "p") as again:
        for table in ("codebooks", "units", "codings"):
            assert again.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_progress_and_documents_without_respondent_turns(tmp_path):
    project, _ = build(tmp_path / "p")
    add_document(project, "leeg.txt", "I: Alleen een vraag?", turns=[("I", "interviewer", 3, 20)])
    calls = []
    with project:
        result = code_project(project, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
    assert result.documents == 2


def test_own_codebook_with_regex_token_and_exclusion_patterns(tmp_path):
    book = tmp_path / "eigen.yaml"
    book.write_text(
        textwrap.dedent(
            """\
            codes:
              - key: ib
                label: IB
                patterns:
                  regex: ['intern\\s+begeleider']
                  tokens: [[{LOWER: specialistische}, {LOWER: hulp}]]
              - key: weer
                label: Weer
                patterns: {lemmas: [weer]}
                exclude: {phrases: [vorige week]}
            """
        ),
        encoding="utf-8",
    )
    project, _ = build(tmp_path / "p")
    with project:
        code_project(project, book)
        found = rows(project, status="suggested")
    assert [r["code"] for r in found] == ["ib", "ib"]
    patterns = [json.loads(r["evidence"])[0]["pattern"] for r in found]
    assert patterns[0].startswith("regex:") and patterns[1].startswith("tokens:")


def test_a_document_that_loses_its_respondent_turn_is_cleared(tmp_path):
    """What ``codeer speakers set`` relies on: a re-run visits every document, also one
    with no respondent turn left, counting each document once."""
    from codeer.coding.recode import recode_after_roles

    project, doc_id = build(tmp_path / "p")
    add_document(
        project, "ander.txt", "R: " + ANSWER, turns=[("R", "respondent", 3, 3 + len(ANSWER))]
    )
    assert recode_after_roles(project) is None  # never coded: nothing to bring up to date
    first = code_project(project)
    before = len(rows(project, document_id=doc_id, status="suggested"))
    assert before and first.documents == 2
    with project.transaction() as con:
        con.execute("UPDATE turns SET role = 'interviewer' WHERE document_id = ?", (doc_id,))
    again = recode_after_roles(project)
    assert (again.documents, again.units) == (2, first.units // 2)
    assert again.retracted == before
    units = project.con.execute("SELECT count(*) FROM units WHERE document_id = ?", (doc_id,))
    assert units.fetchone()[0] == 0
    assert rows(project, document_id=doc_id, status="suggested") == []
    project.close()
