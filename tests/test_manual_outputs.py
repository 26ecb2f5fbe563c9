"""Manual codings count like accepted ones everywhere, and survive `codeer code` re-runs.

A real project: two fictional interviews coded with the shipped codebook; one sentence
the codebook finds nothing in ("Het regent vandaag.") is coded by hand with `codeer add`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import add_document, new_project
from tests.test_cli_coding import DOCS
from tests.test_review_support import rows

CODE = "werkdruk_wachtlijsten"


@pytest.fixture
def folder(tmp_path: Path, cli) -> Path:
    """Coded by the machine; one manual coding by anna on a sentence without suggestion."""
    folder = tmp_path / "project"
    with new_project(folder) as project:
        for name, (text, attributes) in DOCS.items():
            add_document(project, name, text, attributes, [("R", "respondent", 3, len(text))])
    assert cli("-p", folder, "code").exit_code == 0
    result = cli("-p", folder, "add", "noord", "91", "110", CODE, "--coder", "anna",
                 "--memo", "geen thema, toch gecodeerd")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return folder


def manual_row(folder: Path):
    return rows(folder, "SELECT id, created_at FROM codings WHERE status = 'manual'")[0]


def test_segments_csv_exact(folder: Path, cli) -> None:
    result = cli("-p", folder, "segments", "--status", "manual", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    row_id = manual_row(folder)["id"]
    assert result.stdout == (
        "id,document,start,end,speaker,role,code,code_path,status,score,valence,coder,text,"
        "evidence,memo,turn_index,learned_score,learned,gemeente,ses\n"
        f"{row_id},noord.txt,91,110,R,respondent,{CODE},context/{CODE},manual,,,anna,"
        'Het regent vandaag.,,"geen thema, toch gecodeerd",0,,,Noorderveen,laag\n'
    )


def test_segments_jsonl_exact(folder: Path, cli) -> None:
    result = cli("-p", folder, "segments", "--status", "accepted", "--format", "jsonl")
    row = manual_row(folder)
    expected = {
        "id": row["id"],
        "document": "noord.txt",
        "start": 91,
        "end": 110,
        "speaker": "R",
        "role": "respondent",
        "text": "Het regent vandaag.",
        "code": CODE,
        "code_path": ["context", CODE],
        "status": "manual",
        "score": None,
        "valence": None,
        "coder": "anna",
        "evidence": [],
        "memo": "geen thema, toch gecodeerd",
        "turn_index": 0,
        "turn": DOCS["noord.txt"][0][3:],
        "attributes": {"gemeente": "Noorderveen", "ses": "laag"},
        "suggestion_id": None,
        "created_at": row["created_at"],
        "decided_at": row["created_at"],
        "learned_score": None,
        "learned": None,
    }
    assert result.stdout == json.dumps(expected, ensure_ascii=False) + "\n"
    table = cli("-p", folder, "segments", "--status", "manual")
    assert f"noord.txt\t91-110\t{CODE}\tmanual\t\t\tanna\tHet regent vandaag.\t" in table.stdout


def test_status_matrix_and_report_count_it_like_an_accepted_coding(folder, cli, tmp_path):
    # For comparison: anna accepts the machine's suggestion on a sentence of zuid.txt.
    regie = "regie_en_betrokken_blijven"
    accepted = cli("-p", folder, "review", "--accept", "--code", regie, "--coder", "anna")
    assert accepted.exit_code == 0, accepted.stderr
    status = cli("-p", folder, "status", "--format", "csv", "--coder", "anna")
    assert f"{regie},anna,1,1,0,0,0\n" in status.stdout
    assert f"{CODE},anna,0,0,0,1,0\n" in status.stdout
    matrix = cli("-p", folder, "matrix", "--by", "gemeente", "--format", "csv")
    assert f"{regie},0,1,1\n" in matrix.stdout
    assert f"{CODE},1,0,1\n" in matrix.stdout
    assert matrix.stdout.endswith("Total,1,1,2\n")
    report = tmp_path / "report.md"
    result = cli("-p", folder, "report", "-o", report)
    assert result.exit_code == 0, result.stderr
    text = report.read_text(encoding="utf-8")
    assert "Het regent vandaag." in text and "(noord.txt:91-110)" in text


def test_code_rerun_keeps_manual_codings(folder: Path, cli, tmp_path: Path) -> None:
    before = [tuple(r) for r in rows(folder, "SELECT * FROM codings WHERE coder = 'anna'")]
    again = cli("-p", folder, "code")
    assert again.exit_code == 0, again.stderr
    # A different codebook: every machine suggestion is retracted, anna's row stays as it is.
    book = tmp_path / "klein.yaml"
    book.write_text(
        "name: klein\nversion: '1'\ncodes:\n  - key: regen\n    label: Regen\n"
        "    patterns:\n      lemmas: [regenen]\n",
        encoding="utf-8",
    )
    other = cli("-p", folder, "code", "--codebook", book)
    assert other.exit_code == 0, other.stderr
    after = [tuple(r) for r in rows(folder, "SELECT * FROM codings WHERE coder = 'anna'")]
    assert after == before
    segments = cli("-p", folder, "segments", "--status", "manual", "--format", "jsonl")
    assert json.loads(segments.stdout)["text"] == "Het regent vandaag."
    # The code is no longer in the newest codebook: a new manual coding with it is refused.
    refused = cli("-p", folder, "add", "noord", "3", "53", CODE, "--coder", "anna")
    assert refused.exit_code == 1 and "not in the newest codebook" in refused.stderr


def test_status_documents_counts_respondent_sentences_read(folder: Path, cli) -> None:
    read = cli("-p", folder, "read", "noord", "--coder", "anna", "--plain", input="j\nq\n")
    assert read.exit_code == 0, read.stderr
    out = cli("-p", folder, "status", "--documents", "--format", "csv")
    assert out.stdout == ("document,sentences,read,percent\nnoord.txt,3,2,67\nzuid.txt,2,0,0\n")
    bob = cli("-p", folder, "status", "--documents", "--coder", "bob", "--format", "json")
    assert [r["read"] for r in json.loads(bob.stdout)] == [0, 0]
    table = cli("-p", folder, "status", "--documents")
    assert table.stdout.splitlines()[1].split() == ["noord.txt", "3", "2", "67%"]
