"""``codeer memos``: every memo once, with its fragment; CSV safe for spreadsheets.

The interviews are the fictional ones of tests/test_review_support.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from codeer.review.decisions import add_memo, decide
from codeer.review.manual import add_manual, add_note
from codeer.store.project import Project
from tests.test_review_support import build, rows


def setup(tmp_path: Path) -> tuple[Path, list[int], int]:
    folder, ids = build(tmp_path / "p", documents=1)
    doc = rows(folder, "SELECT id FROM documents")[0][0]
    with Project.open(folder) as project:
        add_memo(project, ids[0], "anna", "korte lijnen met school")
        decide(project, ids[0], "anna", "accept", memo="korte lijnen met school")
        add_manual(project, doc, 57, 80, "vertrouwen", "bram", memo="=SUM(A1) geen formule")
        add_note(project, doc, "anna", "vraag aan team", span=(0, 10))
    return folder, ids, doc


def test_memos_jsonl_lists_each_memo_once(tmp_path: Path, cli):
    folder, ids, _ = setup(tmp_path)
    text = rows(folder, "SELECT text FROM documents")[0][0]
    start, end = rows(folder, "SELECT start, end FROM codings WHERE id = ?", (ids[0],))[0]
    times = [r[0] for r in rows(folder, "SELECT created_at FROM memos ORDER BY id")]
    result = cli("--project", folder, "memos", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    expected = [
        {"document": "interview-00.txt", "start": 0, "end": 10, "code": None, "coder": "anna",
         "time": times[2], "fragment": text[0:10], "memo": "vraag aan team"},
        {"document": "interview-00.txt", "start": start, "end": end, "code": "verbinden",
         "coder": "anna", "time": times[0], "fragment": text[start:end],
         "memo": "korte lijnen met school"},
        {"document": "interview-00.txt", "start": 57, "end": 80, "code": "vertrouwen",
         "coder": "bram", "time": times[1], "fragment": text[57:80],
         "memo": "=SUM(A1) geen formule"},
    ]  # fmt: skip
    assert result.stdout == "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in expected)
    assert "3 memo(s)." in result.stderr


def test_memos_csv_quotes_formulas_and_filters_by_coder(tmp_path: Path, cli):
    folder, _, _ = setup(tmp_path)
    text = rows(folder, "SELECT text FROM documents")[0][0]
    time = rows(folder, "SELECT created_at FROM memos WHERE coder = 'bram'")[0][0]
    result = cli("--project", folder, "memos", "--format", "csv", "--coder", "bram")
    assert result.stdout == (
        "document,start,end,code,coder,time,fragment,memo\n"
        f"interview-00.txt,57,80,vertrouwen,bram,{time},{text[57:80]},'=SUM(A1) geen formule\n"
    )


def test_memos_markdown_and_column_only_memos(tmp_path: Path, cli):
    folder, _, doc = setup(tmp_path)
    with Project.open(folder) as project, project.transaction() as con:
        # as import-decisions stores a memo: only in the coding's memo column
        con.execute(
            "INSERT INTO codings (document_id, start, end, code, status, coder, evidence, memo,"
            " created_at, decided_at) VALUES (?, 3, 20, 'werkdruk', 'manual', 'carla', '[]',"
            " '<b>let op</b>', '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00')",
            (doc,),
        )
    result = cli("--project", folder, "memos")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Memos\n\n## interview-00.txt\n")
    assert "- **carla** · 2024-01-01T00:00:00+00:00 · 3-20 · werkdruk" in out
    assert "&lt;b&gt;let op&lt;/b&gt;" in out and "<b>" not in out
    assert out.count("korte lijnen met school") == 1


def test_no_memos(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p", documents=1)
    result = cli("--project", folder, "memos")
    assert result.stdout == "# Memos\n\nNo memos yet.\n"
