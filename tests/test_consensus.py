"""The consensus queue: plain mode through stdin, the Textual app through Pilot, undo.

The store is read through a separate connection after each step, so only what is
committed counts.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

from codeer.review.consensus_app import ConsensusApp
from codeer.review.consensus_session import ConsensusSession
from codeer.store.project import Project
from tests.test_agreement_support import build


def consensus_rows(folder: Path) -> list[tuple]:
    con = sqlite3.connect(folder / "codeer.db")
    rows = con.execute(
        "SELECT d.name, c.start, c.end, c.code, c.status, c.memo FROM codings c "
        "JOIN documents d ON d.id = c.document_id WHERE c.coder = 'consensus' ORDER BY c.id"
    ).fetchall()
    con.close()
    return rows


def events(folder: Path) -> list[tuple]:
    con = sqlite3.connect(folder / "codeer.db")
    rows = con.execute(
        "SELECT actor, action, detail FROM events WHERE action LIKE 'consensus.%' ORDER BY id"
    ).fetchall()
    con.close()
    return [(a, b, json.loads(c)) for a, b, c in rows]


def test_plain_review_through_stdin(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    # unit 1: take anna's; unit 2: no code; unit 3: both; unit 4: skip, then set a code
    keys = "1\n0\nb\n\nc werkdruk\nq\n"
    result = cli("--project", folder, "disagreements", "--review", "--coder", "carla",
                 input=keys)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Not a terminal" in result.stderr
    out = result.stdout
    assert "Consensus as carla on 4 disagreement(s) between anna, bram." in out
    assert "1 anna: vertrouwen\n2 bram: werkdruk" in out
    assert "Consensus: vertrouwen." in out and "Consensus: no code." in out
    assert "Stopped: 4 of 4 disagreements decided." in out
    rows = consensus_rows(folder)
    assert [r[:5] for r in rows] == [
        ("interview-00.txt", 98, 135, "vertrouwen", "manual"),
        ("interview-01.txt", 58, 97, "korte_lijnen", "manual"),
        ("interview-01.txt", 58, 97, "verbinden", "manual"),
        ("interview-01.txt", 136, 156, "werkdruk", "manual"),
    ]
    assert rows[0][5].startswith("consensus decided by carla at ")
    assert rows[0][5].endswith("(anna: vertrouwen, bram: werkdruk)")
    logged = events(folder)
    assert [(a, b) for a, b, _ in logged] == [("carla", "consensus.decide")] * 4
    assert logged[1][2]["codes"] == [] and logged[1][2]["span"] == [136, 156]


def test_starting_again_resumes_and_undo_reopens(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    cli("--project", folder, "disagreements", "--review", "--coder", "carla", input="1\nq\n")
    result = cli("--project", folder, "disagreements", "--review", "--coder", "carla",
                 input="u\n2\nq\n")  # fmt: skip
    out = result.stdout
    assert "--- 1 of 4 decided · item 2 · consensus by carla ---" in out
    assert "Undid the consensus vertrouwen." in out
    assert "Consensus: werkdruk." in out
    assert [r[3] for r in consensus_rows(folder)] == ["werkdruk"]
    actions = [b for _, b, _ in events(folder)]
    assert actions == ["consensus.decide", "consensus.undo", "consensus.decide"]


def test_unknown_code_is_not_stored(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    result = cli("--project", folder, "disagreements", "--review", "--plain", "--coder", "carla",
                 input="c zorgplicht\nq\n")  # fmt: skip
    assert "Not done: no code matches 'zorgplicht'" in result.stdout
    assert consensus_rows(folder) == []


def test_agreement_leaves_the_consensus_coder_out(tmp_path: Path, cli):
    folder, _ = build(tmp_path / "p")
    cli("--project", folder, "disagreements", "--review", "--coder", "carla", input="1\nq\n")
    result = cli("--project", folder, "agreement", "--format", "json")
    assert json.loads(result.stdout)["coders"] == ["anna", "bram"]
    both = cli("--project", folder, "agreement", "--coders", "anna,consensus", "--format", "json")
    assert both.exit_code == 0, both.stderr
    # Named explicitly, the consensus is compared like any coder (here: agreeing with anna).
    data = json.loads(both.stdout)
    assert data["coders"] == ["anna", "consensus"]
    assert data["overall"]["units"] > 0


def run(body) -> None:
    asyncio.run(body())


def test_textual_app_keys(tmp_path: Path):
    folder, _ = build(tmp_path / "p")

    async def body() -> None:
        project = Project.open(folder)
        app = ConsensusApp(ConsensusSession(project, "carla", ["anna", "bram"]))
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.session.progress() == "0 of 4 decided · item 1"
            await pilot.press("2")
            assert consensus_rows(folder)[0][3] == "werkdruk"
            await pilot.press("space", "o")  # skip unit 2; unit 3: nothing agreed
            assert app.message == "Consensus: no code."
            await pilot.press("u")
            assert app.session.index == 2 and "Undid" in app.message
            await pilot.press("c")
            from textual.widgets import Input

            app.screen.query_one(Input).value = "verbinden"
            await pilot.press("enter")
            assert [r[3] for r in consensus_rows(folder)] == ["werkdruk", "verbinden"]
            await pilot.press("b", "0")  # unit 4 both; back to the skipped unit 2: none
            assert app.session.done
            await pilot.press("q")
        project.close()

    run(body)
    actions = [b for _, b, _ in events(folder)]
    assert actions.count("consensus.decide") == 5 and actions.count("consensus.undo") == 1
