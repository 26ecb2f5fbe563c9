"""Memos in the outputs (issue 13): segments, the framework matrix and the report.

The interview is the fictional one of tests/test_review_support.py. anna writes a memo
on a suggestion and accepts it with a second memo; bram codes a fragment by hand with a
memo (that looks like a formula) and adds a second memo to it, and writes a memo on a
suggestion he does not decide.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codeer.report import write_report
from codeer.review.decisions import add_memo, decide
from codeer.review.manual import add_manual, add_note
from codeer.store.project import Project
from codeer.synthesis.matrix_framework import framework_matrix
from tests.test_report import parse
from tests.test_review_support import build, rows

TURN = (
    "We hebben korte lijntjes met de intern begeleider. Er is geen vertrouwen in de "
    "backoffice van de gemeente. De werkdruk is hoog en de wachtlijst groeit."
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder, ids = build(tmp_path / "p", documents=1)
    doc = rows(folder, "SELECT id FROM documents")[0][0]
    with Project.open(folder) as project:
        add_memo(project, ids[0], "anna", "eerste gedachte")
        decide(project, ids[0], "anna", "accept", memo="korte lijnen met school")
        added = add_manual(project, doc, 57, 80, "vertrouwen", "bram", memo="=SUM(A1) geen formule")
        add_note(project, doc, "bram", "tweede memo", coding_id=added.coding_id)
        add_memo(project, ids[2], "bram", "klopt dit?")
    return folder


def times(folder: Path, coding_id: int) -> tuple[str, str]:
    return tuple(rows(folder, "SELECT created_at, decided_at FROM codings WHERE id = ?",
                      (coding_id,))[0])  # fmt: skip


def test_segments_csv_carries_every_memo_of_the_coding(folder: Path, cli):
    result = cli("--project", folder, "segments", "--status", "accepted", "--coder", "bram",
                 "-f", "csv")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "id,document,start,end,speaker,role,code,code_path,status,score,valence,coder,text,"
        "evidence,memo,turn_index,learned_score,learned,gemeente,ses\n"
        "5,interview-00.txt,57,80,R,respondent,vertrouwen,vertrouwen,manual,,,bram,"
        "We hebben korte lijntje,,'=SUM(A1) geen formule | tweede memo,1,,,Dijkstad,laag\n"
    )
    # A memo by a coder on a suggestion nobody decided: on the suggestion, with its author.
    suggested = cli("--project", folder, "segments", "--status", "suggested", "-f", "csv")
    assert suggested.stdout.splitlines()[1:] == [
        "2,interview-00.txt,108,163,R,respondent,vertrouwen,vertrouwen,suggested,0.8,negative,"
        "codeer,Er is geen vertrouwen in de backoffice van de gemeente.,"
        "vertrouwen [lemma:vertrouwen],,1,,,Dijkstad,laag",
        "3,interview-00.txt,164,208,R,respondent,werkdruk,werkdruk,suggested,0.7,neutral,"
        "codeer,De werkdruk is hoog en de wachtlijst groeit.,werkdruk [lemma:werkdruk],"
        "bram: klopt dit?,1,,,Dijkstad,laag",
    ]


def test_segments_jsonl_memo_is_every_memo_joined(folder: Path, cli):
    result = cli("--project", folder, "segments", "--status", "accepted", "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    common = {"speaker": "R", "role": "respondent", "turn_index": 1, "turn": TURN,
              "attributes": {"gemeente": "Dijkstad", "ses": "laag"}}  # fmt: skip
    created, decided = times(folder, 5)
    bram = {"id": 5, "document": "interview-00.txt", "start": 57, "end": 80,
            "speaker": "R", "role": "respondent", "text": "We hebben korte lijntje",
            "code": "vertrouwen", "code_path": ["vertrouwen"], "status": "manual",
            "score": None, "valence": None, "coder": "bram", "evidence": [],
            "memo": "=SUM(A1) geen formule | tweede memo", "turn_index": 1, "turn": TURN,
            "attributes": common["attributes"], "suggestion_id": None,
            "created_at": created, "decided_at": decided, "learned_score": None,
            "learned": None}  # fmt: skip
    created, decided = times(folder, 4)
    anna = {"id": 4, "document": "interview-00.txt", "start": 57, "end": 107,
            "speaker": "R", "role": "respondent",
            "text": "We hebben korte lijntjes met de intern begeleider.", "code": "verbinden",
            "code_path": ["verbinden"], "status": "accepted", "score": 0.9,
            "valence": "positive", "coder": "anna", "evidence": [],
            "memo": "eerste gedachte | korte lijnen met school", "turn_index": 1,
            "turn": TURN, "attributes": common["attributes"], "suggestion_id": 1,
            "created_at": created, "decided_at": decided, "learned_score": None,
            "learned": None}  # fmt: skip
    expected = [bram, anna]  # by document, start, end
    assert result.stdout == "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in expected)


def test_framework_matrix_shows_the_memos_after_the_quote(folder: Path, cli):
    with Project.open(folder) as project:
        frame = framework_matrix(project, by=("gemeente",), level="top")
        (quote,) = frame.data.loc["Dijkstad", "verbinden"]
        assert quote.memos == ["anna: eerste gedachte", "anna: korte lijnen met school"]
        assert quote.display().endswith(
            "(interview-00.txt:57-107) [memo anna: eerste gedachte | anna: korte lijnen met school]"
        )
        (bram,) = framework_matrix(project, by=("gemeente",), coder="bram").data["vertrouwen"]
        assert bram[0].memos == ["bram: =SUM(A1) geen formule", "bram: tweede memo"]
    result = cli("--project", folder, "matrix", "--framework", "--level", "top", "-f", "json")
    cells = json.loads(result.stdout)["cells"]
    assert "anna: korte lijnen met school" in json.dumps(cells, ensure_ascii=False)


def test_report_has_a_memo_section(folder: Path, tmp_path: Path):
    with Project.open(folder) as project:
        (path,), _ = write_report(project, tmp_path / "r.html")
        (bram_path,), _ = write_report(project, tmp_path / "bram.html", coder="bram")
        (md, *_), _ = write_report(project, tmp_path / "r.md")
    text = "".join(parse(path).text)
    section = text[text.index("Memo's\n") :]
    assert "5 memo's, per document op volgorde van de tekst" in section
    for memo in ("eerste gedachte", "korte lijnen met school", "=SUM(A1) geen formule",
                 "tweede memo", "klopt dit?"):  # fmt: skip
        assert memo in section
    assert "DocumentPlaatsCodeCodeurFragmentMemo" in section
    assert "interview-00.txt57-80vertrouwenbramWe hebben korte lijntje" in section
    bram = "".join(parse(bram_path).text)
    bram = bram[bram.index("Memo's\n") :]
    assert "van codeur bram" in bram and "eerste gedachte" not in bram
    markdown = md.read_text(encoding="utf-8")
    assert "## Memo's" in markdown and "| Document | Plaats | Code | Codeur |" in markdown
