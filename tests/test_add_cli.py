"""`codeer add` through the real CLI: one coding by offsets, or many from a JSONL file.

The interviews are fictional; names of people and places are made up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_review_support import build, rows


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return build(tmp_path, documents=2)[0]


def manual(folder: Path) -> list[tuple]:
    sql = (
        "SELECT d.name, c.start, c.end, c.code, c.coder, c.memo FROM codings c "
        "JOIN documents d ON d.id = c.document_id WHERE c.status = 'manual' ORDER BY c.id"
    )
    return [tuple(r) for r in rows(folder, sql)]


def test_add_one_coding_is_idempotent(folder: Path, cli) -> None:
    result = cli("-p", folder, "add", "interview-00", "3", "56", "werkdruk", "--coder", "anna",
                 "--memo", "vraag telt mee")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == "Added werkdruk on interview-00 3-56 as anna.\n"
    again = cli("-p", folder, "add", "interview-00", "3", "56", "werkdruk", "--coder", "anna")
    assert again.exit_code == 0
    assert again.stderr == "Unchanged: interview-00 3-56 already has werkdruk by anna.\n"
    assert manual(folder) == [("interview-00.txt", 3, 56, "werkdruk", "anna", "vraag telt mee")]
    # The same coding with a new memo: the coding stays one row, the memo is not dropped.
    memo = cli("-p", folder, "add", "interview-00", "3", "56", "werkdruk", "--coder", "anna",
               "--memo", "toch twijfel")  # fmt: skip
    assert memo.stderr == (
        "interview-00 3-56 already has werkdruk by anna; stored the new memo on it.\n"
    )
    assert manual(folder) == [("interview-00.txt", 3, 56, "werkdruk", "anna", "toch twijfel")]
    events = rows(folder, "SELECT actor, action, detail FROM events")
    assert [(e["actor"], e["action"]) for e in events] == [
        ("anna", "manual.add"),
        ("anna", "review.memo"),
    ]
    assert json.loads(events[0]["detail"])["span"] == [3, 56]
    memos = rows(folder, "SELECT coding_id, text FROM memos")
    assert [tuple(m)[1] for m in memos] == ["vraag telt mee", "toch twijfel"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["interview-00", "5", "5", "werkdruk"], "offsets 5-5 are outside the text"),
        (["interview-00", "0", "99999", "werkdruk"], "offsets 0-99999 are outside the text"),
        (["interview-00", "0", "5", "nope"], "unknown code 'nope'"),
        (["geen-document", "0", "5", "werkdruk"], "no document named 'geen-document'"),
    ],
)
def test_add_rejects_bad_input_with_one_error_line(folder: Path, cli, args, message) -> None:
    result = cli("-p", folder, "add", *args, "--coder", "anna")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and " - " in result.stderr
    assert manual(folder) == []


def test_add_usage_errors(folder: Path, cli) -> None:
    short = cli("-p", folder, "add", "interview-00", "3")
    assert short.exit_code == 2
    assert short.stderr == "Error: give DOC START END CODE (or --from FILE.jsonl)\n"
    both = cli("-p", folder, "add", "interview-00", "3", "5", "x", "--from", "f.jsonl")
    assert both.exit_code == 2
    assert both.stderr == "Error: give either DOC START END CODE or --from FILE, not both\n"
    machine = cli("-p", folder, "add", "interview-00", "3", "5", "werkdruk", "--coder", "codeer")
    assert machine.exit_code == 1
    assert machine.stderr.startswith("Error: 'codeer' is the name of a machine coder")
    assert manual(folder) == []


def test_add_from_jsonl_reports_bad_lines_and_stores_the_rest(folder: Path, cli, tmp_path):
    good = {"document": "interview-00", "start": 3, "end": 56, "code": "werkdruk"}
    lines = [
        json.dumps(good),
        json.dumps({**good, "document": "interview-01.txt", "coder": "bob", "memo": "let op"}),
        "",
        "{not json",
        json.dumps({**good, "start": "3"}),
        json.dumps({**good, "cdoe": "x"}),
        json.dumps({"document": "interview-00", "start": 3, "end": 56}),
        json.dumps({**good, "end": 10**6}),
        json.dumps(good),  # the same as line 1: unchanged
        "[1, 2]",
    ]
    path = tmp_path / "codings.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe\n")
    result = cli("-p", folder, "add", "--from", path, "--coder", "anna")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert [e.split(": ", 2)[1] for e in errors] == [f"{path}:{n}" for n in (4, 5, 6, 7, 8, 10, 11)]
    assert "not valid JSON" in errors[0]
    assert "start must be a whole number" in errors[1]
    assert "unknown field 'cdoe' - the fields are document, start, end, code" in errors[2]
    assert "missing field 'code'" in errors[3]
    assert "outside the text" in errors[4]
    assert "not a JSON object" in errors[5]
    assert "not UTF-8 text - save the file as UTF-8" in errors[6]
    assert result.stderr.splitlines()[-1] == f"Added 2, unchanged 1, failed 7 (from {path})."
    assert manual(folder) == [
        ("interview-00.txt", 3, 56, "werkdruk", "anna", None),
        ("interview-01.txt", 3, 56, "werkdruk", "bob", "let op"),
    ]
    # Every stored line is one step with one event; a re-run changes nothing.
    assert len(rows(folder, "SELECT id FROM events WHERE action = 'manual.add'")) == 2
    again = cli("-p", folder, "add", "--from", path, "--coder", "anna")
    assert again.stderr.splitlines()[-1] == f"Added 0, unchanged 3, failed 7 (from {path})."


def test_add_from_missing_file(folder: Path, cli, tmp_path: Path) -> None:
    result = cli("-p", folder, "add", "--from", tmp_path / "nope.jsonl")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "check the path" in result.stderr


def test_offsets_are_code_points(tmp_path: Path, cli) -> None:
    from tests.factories import add_codebook, add_document, new_project

    text = "R: Café ‘De Brug’ in Oosterwijk 🙂 is ons wijkpunt."
    with new_project(tmp_path / "p") as project:
        add_document(project, "u.txt", text, turns=[("R", "respondent", 3, len(text))])
        add_codebook(project, [("plek", None)])
    start = text.index("🙂") + 2
    result = cli("-p", tmp_path / "p", "add", "u", str(start), str(len(text)), "plek")
    assert result.exit_code == 0, result.stderr
    out = cli("-p", tmp_path / "p", "segments", "--status", "manual", "--format", "jsonl")
    assert json.loads(out.stdout)["text"] == "is ons wijkpunt."
