"""Decision files: export from one copy of a project, import into another, never overwrite.

Two copies of the same project (fictional interviews from tests/test_review_support.py)
are made by copying the project folder, as coders on separate laptops would.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from codeer.review.decisions import decide
from codeer.review.manual import add_manual
from codeer.store.project import Project
from tests.test_review_support import build, rows


def copies(tmp_path: Path) -> tuple[Path, Path, list[int]]:
    base, ids = build(tmp_path / "base", documents=2)
    a, b = tmp_path / "anna-copy", tmp_path / "lead-copy"
    shutil.copytree(base, a)
    shutil.copytree(base, b)
    return a, b, ids


def anna_works(folder: Path, ids: list[int]) -> None:
    with Project.open(folder) as project:
        decide(project, ids[0], "anna", "accept", memo="duidelijk voorbeeld")
        decide(project, ids[1], "anna", "change", code="werkdruk")
        doc = rows(folder, "SELECT document_id FROM codings WHERE id = ?", (ids[3],))[0][0]
        add_manual(project, doc, 57, 80, "vertrouwen", "anna")


def expected_lines(folder: Path) -> list[dict]:
    """The export as it must be, built straight from the stored rows."""
    text = rows(folder, "SELECT text FROM documents LIMIT 1")[0][0]
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    result = []
    for r in rows(
        folder,
        "SELECT c.*, d.name, s.start s0, s.end s1, s.code sc FROM codings c "
        "JOIN documents d ON d.id = c.document_id LEFT JOIN codings s ON s.id = c.suggestion_id "
        "WHERE c.coder = 'anna' ORDER BY d.name, c.start, c.end, c.code, c.coder, c.id",
    ):
        suggestion = {"start": r["s0"], "end": r["s1"], "code": r["sc"]} if r["sc"] else None
        result.append(
            {"document": r["name"], "sha256": sha, "start": r["start"], "end": r["end"],
             "code": r["code"], "status": r["status"], "coder": "anna", "memo": r["memo"],
             "created_at": r["created_at"], "decided_at": r["decided_at"],
             "suggestion": suggestion}
        )  # fmt: skip
    return result


def anna_rows(folder: Path) -> list[tuple]:
    return [
        tuple(r)
        for r in rows(
            folder,
            "SELECT c.document_id, c.start, c.end, c.code, c.status, c.memo, s.start, s.code, "
            "c.decided_at FROM codings c LEFT JOIN codings s ON s.id = c.suggestion_id "
            "WHERE c.coder = 'anna' ORDER BY c.document_id, c.start, c.code, c.status",
        )
    ]


def test_export_exactly_and_import_twice(tmp_path: Path, cli):
    a, b, ids = copies(tmp_path)
    anna_works(a, ids)
    out = tmp_path / "anna.jsonl"
    result = cli("--project", a, "export-decisions", out)
    assert result.exit_code == 0, result.stderr
    assert "Exported 4 decision(s) and manual coding(s) of anna" in result.stderr
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert lines == expected_lines(a)
    assert out.read_text("utf-8") == "".join(
        json.dumps(e, ensure_ascii=False) + "\n" for e in expected_lines(a)
    )

    first = cli("--project", b, "import-decisions", out)
    assert first.exit_code == 0, first.stderr
    assert "4 row(s) added (3 linked to a suggestion), 0 unchanged, 0 conflict(s)" in first.stderr
    assert anna_rows(b) == anna_rows(a)
    events = rows(b, "SELECT action FROM events WHERE action = 'decisions.import'")
    assert len(events) == 1

    second = cli("--project", b, "import-decisions", out)
    assert second.exit_code == 0, second.stderr
    assert "0 row(s) added (0 linked to a suggestion), 4 unchanged, 0 conflict(s)" in second.stderr
    assert anna_rows(b) == anna_rows(a)


def test_conflicts_are_listed_not_applied(tmp_path: Path, cli):
    a, b, ids = copies(tmp_path)
    anna_works(a, ids)
    with Project.open(b) as project:  # in the other copy anna rejected the same suggestion
        decide(project, ids[0], "anna", "reject")
    out = tmp_path / "anna.jsonl"
    cli("--project", a, "export-decisions", out, "--coder", "anna")
    result = cli("--project", b, "import-decisions", out)
    assert result.exit_code == 1
    line = next(n for n, e in enumerate(expected_lines(a), 1) if e["status"] == "accepted"
                and e["code"] == "verbinden")  # fmt: skip
    assert f"Conflict: {out}:{line}: anna already decided this suggestion differently" in (
        result.stderr
    )
    assert "3 row(s) added" in result.stderr and "1 conflict(s)" in result.stderr
    statuses = rows(b, "SELECT status FROM codings WHERE coder = 'anna' AND suggestion_id = ?",
                    (ids[0],))  # fmt: skip
    assert [s[0] for s in statuses] == ["rejected"]  # never overwritten


def test_refused_lines_name_the_line_and_the_rest_goes_on(tmp_path: Path, cli):
    a, b, ids = copies(tmp_path)
    anna_works(a, ids)
    good = [json.dumps(e) for e in expected_lines(a)]
    other_text = dict(json.loads(good[0]), sha256="0" * 64)
    missing = dict(json.loads(good[0]), document="elders.txt")
    out = tmp_path / "mixed.jsonl"
    out.write_text(
        "\n".join([good[0], "{not json", json.dumps(other_text), json.dumps(missing), *good[1:]])
        + "\n",
        encoding="utf-8",
    )
    result = cli("--project", b, "import-decisions", out)
    assert result.exit_code == 1
    assert f"Error: {out}:2: not valid JSON" in result.stderr
    assert f"Error: {out}:3: the text of 'interview-00.txt' differs" in result.stderr
    assert f"Error: {out}:4: document 'elders.txt' is not in this project" in result.stderr
    assert "4 row(s) added" in result.stderr and "3 line(s) refused" in result.stderr
    assert anna_rows(b) == anna_rows(a)


def test_a_decision_without_its_suggestion_here_is_added_unlinked(tmp_path: Path, cli):
    a, b, ids = copies(tmp_path)
    anna_works(a, ids)
    with Project.open(b) as project, project.transaction() as con:
        con.execute("DELETE FROM codings WHERE id = ?", (ids[0],))
    out = tmp_path / "anna.jsonl"
    cli("--project", a, "export-decisions", out)
    result = cli("--project", b, "import-decisions", out)
    assert result.exit_code == 0, result.stderr
    assert "4 row(s) added (2 linked to a suggestion)" in result.stderr
    unlinked = rows(b, "SELECT code, status, suggestion_id FROM codings WHERE coder = 'anna' "
                    "AND memo = 'duidelijk voorbeeld'")  # fmt: skip
    assert [tuple(r) for r in unlinked] == [("verbinden", "accepted", None)]
    again = cli("--project", b, "import-decisions", out)
    assert "0 row(s) added" in again.stderr and "4 unchanged" in again.stderr


def test_export_to_stdout_and_an_unreadable_file(tmp_path: Path, cli):
    a, _, ids = copies(tmp_path)
    anna_works(a, ids)
    result = cli("--project", a, "export-decisions", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "".join(
        json.dumps(e, ensure_ascii=False) + "\n" for e in expected_lines(a)
    )
    assert len(result.stdout.splitlines()) == 4
    missing = cli("--project", a, "import-decisions", tmp_path / "nope.jsonl")
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: cannot read")
