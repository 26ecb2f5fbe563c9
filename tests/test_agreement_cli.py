"""``codeer agreement`` and ``codeer disagreements`` on real temporary projects.

Expected figures are computed here from coder x unit vectors written out by hand from the
codings in tests/test_agreement_support.py, so the data building is checked, not only
the arithmetic (test_agreement_stats.py checks that against published examples).
"""

from __future__ import annotations

import json
from pathlib import Path

from codeer.synthesis.agreement import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from tests.factories import add_codebook, add_coding, add_document, new_project
from tests.test_agreement_support import build

# Units: interview-00 sentences 1-3, then interview-01 sentences 1-3.
VECTORS = {
    "korte_lijnen": ([0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0]),
    "verbinden": ([1, 0, 0, 0, 0, 0], [1, 0, 0, 1, 0, 0]),
    "vertrouwen": ([0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
    "werkdruk": ([0, 0, 1, 0, 0, 0], [0, 1, 0, 0, 0, 1]),
}


def fmt(value: float | None, digits: int) -> str:
    return "" if value is None else str(round(value, digits) + 0.0)


def csv_row(code: str, units: list) -> str:
    percent = percent_agreement(units)
    return ",".join(
        [
            code,
            "6",
            fmt(percent * 100, 2),
            fmt(cohen_kappa(units), 4),
            fmt(fleiss_kappa(units), 4),
            fmt(krippendorff_alpha(units), 4),
        ]
    )


def test_agreement_csv_per_code_and_overall(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    result = cli("--project", folder, "agreement", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "code,units,percent,cohen_kappa,fleiss_kappa,alpha,u_alpha"
    pooled = []
    for line, (code, (a, b)) in zip(lines[1:], sorted(VECTORS.items()), strict=False):
        units = list(zip(a, b, strict=True))
        pooled += units
        assert line.rsplit(",", 1)[0] == csv_row(code, units)
    assert lines[5].rsplit(",", 1)[0] == csv_row("(overall)", pooled)
    assert len(lines) == 6
    # verbinden: one sentence both coded, one only bram -> kappa 4/7
    assert lines[2].startswith("verbinden,6,83.33,0.5714,")


def test_agreement_level_top_merges_sub_codes(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    result = cli("--project", folder, "agreement", "--level", "top", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == "verbinden,6,100.0,1.0,1.0,1.0,1.0"


def test_agreement_json_has_the_confusion_table(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    result = cli("--project", folder, "agreement", "--format", "json")
    data = json.loads(result.stdout)
    assert data["coders"] == ["anna", "bram"]
    assert data["documents_seen_by_all"] == 2
    assert data["confusion"] == [
        {"anna": "(none)", "bram": "werkdruk", "units": 1},
        {"anna": "korte_lijnen", "bram": "verbinden", "units": 1},
        {"anna": "verbinden", "bram": "verbinden", "units": 1},
        {"anna": "vertrouwen", "bram": "werkdruk", "units": 1},
        {"anna": "werkdruk", "bram": "(none)", "units": 1},
    ]


def test_agreement_table_for_people(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    result = cli("--project", folder, "agreement", "--code", "verbinden")
    assert result.exit_code == 0, result.stderr
    assert "Cohen κ" in result.stdout and "korte_lijnen" in result.stdout
    assert "vertrouwen" not in result.stdout  # --code keeps verbinden and its sub-codes
    assert "Coders: anna, bram" in result.stderr


def test_a_coder_who_has_not_seen_a_document_is_missing_there(tmp_path: Path, cli):
    codings = {
        "anna": {(0, 0): ["verbinden"], (1, 0): ["verbinden"]},
        "bram": {(0, 0): ["verbinden"]},  # bram never opened interview-01
    }
    folder, _ = build(tmp_path / "p", codings)
    result = cli("--project", folder, "agreement", "--format", "csv")
    assert result.stdout.splitlines()[1].startswith("verbinden,3,100.0,1.0,1.0,1.0,")


def test_digitised_span_agreement_equals_krippendorff_1995(tmp_path: Path, cli):
    """Pair A of Krippendorff (1995, p. 57) as codings on a 24-character text: digitised,
    Cohen's kappa is .385 and alpha .329 (as in DKPro Statistics' Krippendorff1995Test)."""
    project = new_project(tmp_path / "p")
    book = add_codebook(project, [("x", None)])
    doc = add_document(project, "k1995.txt", "abcdefghijklmnopqrstuvwx")
    for coder, spans in (("bertha", [(2, 10), (14, 20)]), ("bill", [(4, 8), (15, 17)])):
        for start, end in spans:
            add_coding(project, doc, start, end, "x", status="manual", coder=coder,
                       score=None, codebook_id=book)  # fmt: skip
    project.close()
    result = cli("--project", tmp_path / "p", "agreement", "--unit", "span", "--format", "json")
    row = json.loads(result.stdout)["codes"][0]
    assert row["units"] == 24
    assert (round(row["cohen_kappa"], 3), round(row["alpha"], 3)) == (0.385, 0.329)


def test_fewer_than_two_coders_is_an_error_with_a_hint(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p", {"anna": {(0, 0): ["verbinden"]}})
    result = cli("--project", folder, "agreement")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: agreement needs at least two coders")
    assert "--coder NAME" in result.stderr


def test_unknown_coder_is_named(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    result = cli("--project", folder, "agreement", "--coders", "anna,zoe")
    assert result.exit_code == 1
    assert "no decisions by coder 'zoe'" in result.stderr and "anna, bram" in result.stderr


def test_disagreements_jsonl_exactly(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    result = cli("--project", folder, "disagreements", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    expected = [
        {"document": "interview-00.txt", "start": 98, "end": 135,
         "text": "Er is geen vertrouwen in de gemeente.",
         "codes": {"anna": ["vertrouwen"], "bram": ["werkdruk"]}},
        {"document": "interview-00.txt", "start": 136, "end": 156, "text": "De werkdruk is hoog.",
         "codes": {"anna": ["werkdruk"], "bram": []}},
        {"document": "interview-01.txt", "start": 58, "end": 97,
         "text": "We hebben korte lijntjes met de school.",
         "codes": {"anna": ["korte_lijnen"], "bram": ["verbinden"]}},
        {"document": "interview-01.txt", "start": 136, "end": 156, "text": "De werkdruk is hoog.",
         "codes": {"anna": [], "bram": ["werkdruk"]}},
    ]  # fmt: skip
    assert result.stdout == "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in expected)


def test_disagreements_of_one_code_as_a_table(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    result = cli("--project", folder, "disagreements", "--code", "werkdruk")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("De werkdruk is hoog.") == 2
    assert "korte lijntjes" not in result.stdout
    assert "3 disagreement(s) between anna, bram." in result.stderr
