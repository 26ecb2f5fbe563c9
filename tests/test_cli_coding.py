"""The coding commands through the real CLI: codebook, code, segments, evaluate, doctor.

The interviews are fictional; names of people and places are made up.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.factories import add_document, new_project

DOCS = {
    "noord.txt": (
        "R: We hebben korte lijntjes met de intern begeleider. Er is geen vertrouwen bij de ouders."
        " Het regent vandaag.",
        {"gemeente": "Noorderveen", "ses": "laag"},
    ),
    "zuid.txt": (
        "R: Wij houden de casusregie. We werken goed samen met het jongerenwerk.",
        {"gemeente": "Zuiderhaven", "ses": "hoog"},
    ),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A project with two fictional one-turn interviews."""
    folder = tmp_path / "project"
    with new_project(folder) as project:
        for name, (text, attributes) in DOCS.items():
            add_document(project, name, text, attributes, [("R", "respondent", 3, len(text))])
    return folder


@pytest.fixture
def coded(folder, cli) -> Path:
    result = cli("--project", folder, "code")
    assert result.exit_code == 0, result.stderr
    return folder


def test_code_reports_counts_and_is_idempotent(folder, cli):
    first = cli("--project", folder, "code")
    assert first.exit_code == 0, first.stderr
    assert "Coded 2 documents, 5 sentence units" in first.stderr
    assert first.stdout == ""  # messages go to stderr, stdout stays data
    again = cli("--project", folder, "code")
    assert "0 added, 0 retracted" in again.stderr


def test_code_with_a_malformed_codebook_fails_with_line_and_codes_nothing(folder, cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - key: a\n    label: A\n    weight: 3\n", encoding="utf-8")
    result = cli("--project", folder, "code", "--codebook", bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}:4: codes[0] (a).weight")
    segments = cli("--project", folder, "segments", "--format", "jsonl", "--status", "any")
    assert segments.stdout == ""


def test_segments_jsonl_carries_the_contract_fields(coded, cli):
    result = cli("--project", coded, "segments", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    for record in records:
        for key in ("document", "start", "end", "speaker", "text", "code", "code_path", "status"):
            assert key in record
        assert record["evidence"], record
        assert record["attributes"]["gemeente"] in ("Noorderveen", "Zuiderhaven")
        text = DOCS[record["document"]][0]
        assert text[record["start"] : record["end"]] == record["text"]
        assert record["turn"] == text[3:]
    codes = {(r["document"], r["code"]) for r in records}
    assert ("noord.txt", "korte_lijnen") in codes
    assert ("zuid.txt", "regie_en_betrokken_blijven") in codes
    negative = [r for r in records if r["code_path"][0] == "vertrouwen"]
    assert negative and negative[0]["valence"] == "negative"


def test_segments_filters_by_code_attribute_document_and_status(coded, cli):
    def count(*args: str) -> int:
        result = cli("--project", coded, "segments", "--format", "jsonl", *args)
        assert result.exit_code == 0, result.stderr
        return len(result.stdout.splitlines())

    everything = count()
    assert count("--code", "verbinden") < everything
    assert count("--code", "verbinden") >= 2  # sub-codes count for their theme
    assert count("--where", "ses=hoog") + count("--where", "ses=laag") == everything
    assert count("--document", "noord") == count("--document", "noord.txt") > 0
    assert count("--status", "accepted") == 0
    assert count("--status", "suggested") == everything


def test_segments_csv_and_table(coded, cli):
    result = cli("--project", coded, "segments", "--format", "csv", "--document", "zuid")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert table and {"document", "code", "code_path", "evidence", "gemeente"} <= set(table[0])
    assert table[0]["gemeente"] == "Zuiderhaven"
    plain = cli("--project", coded, "segments")
    assert plain.exit_code == 0 and "korte_lijnen" in plain.stdout


def test_segments_usage_errors(coded, cli):
    assert cli("--project", coded, "segments", "--status", "maybe").exit_code == 2
    unknown = cli("--project", coded, "segments", "--code", "nonsense")
    assert unknown.exit_code == 1 and "unknown code" in unknown.stderr
    missing = cli("--project", coded, "segments", "--document", "west")
    assert missing.exit_code == 1 and "west" in missing.stderr


def test_evaluate_with_offsets_and_quotes(coded, cli, tmp_path):
    noord = DOCS["noord.txt"][0]
    sentence = "We hebben korte lijntjes met de intern begeleider."
    start = noord.index(sentence)
    gold = tmp_path / "gold.jsonl"
    lines = [
        {
            "document": "noord.txt",
            "start": start,
            "end": start + len(sentence),
            "code": "verbinden",
        },
        {"document": "noord", "quote": "Het regent vandaag.", "code": "vertrouwen"},
        {
            "document": "zuid.txt",
            "quote": "Wij houden de casusregie.",
            "code": "verantwoordelijkheid",
        },
    ]
    gold.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = cli("--project", coded, "evaluate", "--gold", gold, "--by", "theme", "-f", "json")
    assert result.exit_code == 0, result.stderr
    (report,) = json.loads(result.stdout)
    scores = {s["label"]: s for s in report["scores"]}
    assert scores["verbinden"]["recall"] == 1.0
    assert scores["verantwoordelijkheid"]["recall"] == 1.0
    assert scores["vertrouwen"]["recall"] == 0.0  # the weather sentence: a miss
    assert scores["vertrouwen"]["precision"] == 0.0  # 'geen vertrouwen' is not in this gold
    assert [m["text"] for m in report["misses"]] == ["Het regent vandaag."]
    table = cli("--project", coded, "evaluate", "--gold", gold)
    assert "By code:" in table.stdout and "By theme:" in table.stdout
    assert "Misses (1" in table.stdout and "False hits" in table.stdout


def test_evaluate_names_the_line_of_a_quote_that_is_not_found(coded, cli, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"document": "noord.txt", "quote": "Het regent vandaag.", "code": "verbinden"}\n'
        '{"document": "noord.txt", "quote": "Dit staat er niet.", "code": "verbinden"}\n',
        encoding="utf-8",
    )
    result = cli("--project", coded, "evaluate", "--gold", gold)
    assert result.exit_code == 1
    assert f"{gold}:2" in result.stderr and "quote not found" in result.stderr


def test_codebook_check_and_show(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "codes:\n  - key: a\n    label: A\n  - key: a\n    label: B\n    parent: x\n",
        encoding="utf-8",
    )
    result = cli("codebook", "check", bad)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{bad}:4: codes[1] (a).key: duplicate key 'a' (first defined on line 2)",
        f"{bad}:6: codes[1] (a).parent: unknown parent 'x': no code has that key",
    ]
    good = cli("codebook", "check", "codebooks/wijkteams.yaml")
    assert good.exit_code == 0 and "OK" in good.stderr

    shown = cli("codebook", "show", "--format", "json")
    codes = json.loads(shown.stdout)
    assert [c["key"] for c in codes if c["parent"] is None][:3] == [
        "verbinden",
        "vertrouwen",
        "verantwoordelijkheid",
    ]
    assert all(set(c) == {"key", "label", "parent", "path"} for c in codes)
    table = cli("codebook", "show")
    assert "  korte_lijnen" in table.stdout


def test_doctor_reports_the_fallback_and_what_it_lacks(cli):
    result = cli("doctor")
    assert result.exit_code == 0, result.stderr
    assert "fallback" in result.stdout and "Lacks:" in result.stdout
    assert "spacy:" in result.stdout and "simplemma:" in result.stdout
    report = json.loads(cli("doctor", "--format", "json").stdout)
    assert report["pipeline"]["kind"] in ("fallback", "model")
