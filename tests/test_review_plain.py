"""`codeer review` in plain line mode, bulk decisions and `codeer status`, through the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from codeer.cli.main import app
from tests.test_review_support import build, decisions, rows

runner = CliRunner()


def cli(folder: Path, *args: str, input: str | None = None, env: dict | None = None):
    return runner.invoke(app, ["--project", str(folder), *args], input=input, env=env)


def test_plain_mode_every_key(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)
    keys = "\n".join(
        [
            "a",  # accept ids[0]
            "x",  # reject ids[1]
            "c werk",  # ids[2] is werkdruk already: refused, nothing stored
            "c korte",  # change ids[2] to korte_lijnen
            "n vertrouwen",  # add a code to ids[3]; it stays open
            "w",  # widen ids[3]
            "m navragen",  # memo on ids[3]
            "a",  # accept ids[3] on the whole turn, with the memo
            " ",  # skip ids[4]
            "?",
            "zz",
            "u",  # undo the accept of ids[3]
            "q",
        ]
    )
    result = cli(folder, "review", "--plain", "--coder", "anna", input=keys + "\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Reviewing as anna" in out
    assert "Fragment: We hebben korte [lijntjes] met de intern begeleider." in out
    assert "Question (I): Hoe werken jullie samen" in out
    assert "Include: vertrouwen in partners" in out and "Exclude: zelfvertrouwen" in out
    assert "Valence: negative" in out
    assert "Accepted verbinden." in out and "Rejected vertrouwen." in out
    assert "Not done: the suggestion already has code 'werkdruk'" in out
    assert "Changed werkdruk to korte_lijnen." in out
    assert "Added vertrouwen" in out and "Memo stored." in out and "Skipped." in out
    assert "Unknown key 'zz'" in out and "u         undo" in out
    assert "Undid accept of verbinden." in out
    assert decisions(folder, "anna") == [
        (ids[0], "verbinden", "accepted", 57, 107),
        (ids[1], "vertrouwen", "rejected", 108, 163),
        (ids[2], "werkdruk", "rejected", 164, 208),
        (ids[2], "korte_lijnen", "accepted", 164, 208),
        (None, "vertrouwen", "manual", 57, 107),
    ]
    memo = rows(folder, "SELECT coding_id, text FROM memos")
    assert [tuple(m) for m in memo] == [(ids[3], "navragen")]


def test_plain_mode_ends_at_eof_and_resumes(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)
    first = cli(folder, "review", "--plain", input="a\n\na\n", env={"CODEER_CODER": "bert"})
    assert first.exit_code == 0
    assert "Stopped: 2 of 6 decided by bert." in first.stdout
    second = cli(folder, "review", "--plain", input="", env={"CODEER_CODER": "bert"})
    # Resumes at the first undecided item: the skipped one.
    assert "--- 2 of 6 decided · vertrouwen 0 of 2 · item 2 · coder bert ---" in second.stdout
    assert [d[0] for d in decisions(folder, "bert")] == [ids[0], ids[2]]


def test_not_a_terminal_falls_back_to_plain(tmp_path: Path) -> None:
    folder, _ = build(tmp_path)
    result = cli(folder, "review", "--coder", "anna", input="a\n")
    assert result.exit_code == 0
    assert "plain line mode" in result.stderr
    assert len(decisions(folder, "anna")) == 1


def test_plain_code_search_lists_ambiguous_matches(tmp_path: Path) -> None:
    folder, _ = build(tmp_path)
    result = cli(folder, "review", "--plain", "--coder", "anna", input="c e\nc nope\nc\n")
    assert "'e' matches: " in result.stdout
    assert "No code matches 'nope'." in result.stdout
    assert "Codes: verbinden, korte_lijnen, vertrouwen, werkdruk" in result.stdout
    assert decisions(folder, "anna") == []


def test_review_filters_from_the_command_line(tmp_path: Path) -> None:
    folder, ids = build(tmp_path, documents=4)
    result = cli(
        folder, "review", "--plain", "--coder", "a", "--where", "ses=hoog", "--code", "werkdruk",
        "--document", "interview-03", input="a\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert decisions(folder, "a") == [(ids[11], "werkdruk", "accepted", 164, 208)]
    by_score = cli(folder, "review", "--plain", "--coder", "b", "--order", "score",
                   "--min-score", "0.55", input="")  # fmt: skip
    assert "score 0.90" in by_score.stdout.split("---")[2]
    assert "0 of 8 decided" in by_score.stdout


def test_review_errors(tmp_path: Path) -> None:
    folder, _ = build(tmp_path)
    unknown_doc = cli(folder, "review", "--plain", "--document", "nergens", input="")
    assert unknown_doc.exit_code == 1 and "Error: no document named 'nergens'" in unknown_doc.stderr
    unknown_code = cli(folder, "review", "--plain", "--code", "onbekend", input="")
    assert unknown_code.exit_code == 1 and "unknown code 'onbekend'" in unknown_code.stderr
    machine = cli(folder, "review", "--plain", "--coder", "codeer", input="")
    assert machine.exit_code == 1 and "machine coder" in machine.stderr
    assert cli(folder, "review", "--accept").exit_code == 2
    assert cli(folder, "review", "--accept", "--reject", "--code", "werkdruk").exit_code == 2
    assert cli(folder, "review", "--dry-run").exit_code == 2


def test_bulk_accept_reject_and_dry_run(tmp_path: Path) -> None:
    folder, _ = build(tmp_path, documents=4)
    cli(folder, "review", "--plain", "--coder", "anna", "--code", "vertrouwen", input="x\n")
    dry = cli(folder, "review", "--accept", "--code", "vertrouwen", "--coder", "anna", "--dry-run")
    assert dry.exit_code == 0
    assert "Would have accepted 3 open suggestion(s)" in dry.stderr
    assert len(decisions(folder, "anna")) == 1
    bulk = cli(folder, "review", "--accept", "--code", "vertrouwen", "--coder", "anna",
               "--min-score", "0.3")  # fmt: skip
    assert bulk.exit_code == 0 and "Bulk accepted 2 open suggestion(s)" in bulk.stderr
    assert [d[2] for d in decisions(folder, "anna")] == ["rejected", "accepted", "accepted"]
    event = rows(folder, "SELECT actor, detail FROM events WHERE action = 'review.bulk'")[0]
    detail = json.loads(event["detail"])
    assert event["actor"] == "anna" and detail["decision"] == "accept" and detail["count"] == 2
    reject = cli(folder, "review", "--reject", "--code", "vertrouwen", "--coder", "bert")
    assert "Bulk rejected 4" in reject.stderr  # bert's decisions are his own


def test_status_counts_in_three_formats(tmp_path: Path) -> None:
    folder, _ = build(tmp_path)
    cli(folder, "review", "--plain", "--coder", "anna", input="a\nx\nc korte\nn werkdruk\n")
    cli(folder, "review", "--plain", "--coder", "bert", input="a\n")
    data = json.loads(cli(folder, "status", "--format", "json").stdout)
    table = {(r["code"], r["coder"]): r for r in data}
    assert table[("verbinden", "codeer")] == {
        "code": "verbinden", "coder": "codeer", "suggested": 2, "accepted": 0,
        "rejected": 0, "manual": 0, "open": 1,
    }  # fmt: skip
    assert table[("verbinden", "anna")]["accepted"] == 1
    assert table[("verbinden", "anna")]["open"] == 1
    assert table[("verbinden", "bert")]["open"] == 1
    assert table[("vertrouwen", "bert")]["open"] == 2  # anna's rejection is not bert's
    assert table[("vertrouwen", "codeer")]["open"] == 1
    assert table[("werkdruk", "anna")]["rejected"] == 1
    assert table[("werkdruk", "anna")]["manual"] == 1
    assert table[("korte_lijnen", "anna")]["accepted"] == 1
    reader = list(csv.DictReader(io.StringIO(cli(folder, "status", "--format", "csv").stdout)))
    assert len(reader) == len(data) and reader[0]["code"] == "verbinden"
    text = cli(folder, "status").stdout
    assert "open" in text and "anna" in text and "korte_lijnen" in text
    only = json.loads(cli(folder, "status", "--coder", "bert", "--format", "json").stdout)
    assert {r["coder"] for r in only} == {"bert"}


def test_plain_filter_key(tmp_path: Path) -> None:
    folder, ids = build(tmp_path, documents=4)
    keys = "/ gemeente=Veenhoven code=werkdruk\na\n/ order=sideways\n/\na\n"
    result = cli(folder, "review", "--plain", "--coder", "anna", input=keys)
    assert "Filter: code=werkdruk, gemeente=Veenhoven (2 open of 2)" in result.stdout
    assert "Filter not changed: order is one of document, score" in result.stdout
    assert "Filter: all suggestions (11 open of 12)" in result.stdout
    assert [d[0] for d in decisions(folder, "anna")] == [ids[5], ids[0]]
