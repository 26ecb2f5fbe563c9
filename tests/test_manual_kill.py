"""Manual coding processes killed with SIGKILL mid-way: no half step, nothing confirmed lost.

The interviews are fictional; names of people and places are made up.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codeer.store.project import Project
from tests.test_review_kill import Reviewer
from tests.test_review_support import build, rows

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def consistent(folder: Path, coder: str) -> list[tuple]:
    """Check the store after a kill; returns the coder's (start, end, code) rows in order."""
    with Project.open(folder) as project:
        assert project.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    coded = rows(folder, "SELECT id, start, end, code FROM codings WHERE coder = ? ORDER BY id",
                 (coder,))  # fmt: skip
    events = rows(folder, "SELECT detail FROM events WHERE actor = ? AND action IN "
                  "('manual.add', 'review.code') ORDER BY id", (coder,))  # fmt: skip
    # Every row has its event and every event its row: each step whole or not at all.
    assert [json.loads(e["detail"])["rows"] for e in events] == [[r["id"]] for r in coded]
    return [(r["start"], r["end"], r["code"]) for r in coded]


def test_sigkill_during_add_from_file_keeps_whole_lines(tmp_path: Path) -> None:
    folder, _ = build(tmp_path, documents=1)
    wanted = [(s, s + length, "werkdruk") for s in range(0, 150) for length in range(1, 40)]
    path = tmp_path / "codings.jsonl"
    path.write_text(
        "".join(
            json.dumps({"document": "interview-00", "start": s, "end": e, "code": c}) + "\n"
            for s, e, c in wanted
        ),
        encoding="utf-8",
    )
    args = [sys.executable, "-m", "codeer", "--project", str(folder), "add", "--from", str(path),
            "--coder", "anna"]  # fmt: skip
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            n = rows(folder, "SELECT count(*) FROM codings WHERE coder = 'anna'")[0][0]
            if n >= 200 or proc.poll() is not None:
                break
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=20)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    stored = consistent(folder, "anna")
    assert 200 <= len(stored) < len(wanted)
    assert stored == wanted[: len(stored)]  # whole lines, in file order, none half-written
    # Running the same file again finishes the job; the lines already stored are unchanged.
    again = subprocess.run(args, capture_output=True, text=True, timeout=300,
                           env={**os.environ})  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert f"Added {len(wanted) - len(stored)}, unchanged {len(stored)}, failed 0" in again.stderr
    assert consistent(folder, "anna") == wanted


class Reader(Reviewer):
    """`python -m codeer read --plain` in a child process, one line per command."""

    def __init__(self, folder: Path, coder: str):
        super().__init__(folder, coder, ("read", "interview-00"))


def test_sigkill_during_read_loses_no_confirmed_step(tmp_path: Path) -> None:
    folder, _ = build(tmp_path, documents=1)
    reader = Reader(folder, "anna")
    try:
        reader.key("j", "[2/4]")
        reader.key("c korte", "Coded this sentence as korte_lijnen.")
        reader.key("w vertrouwen", "Coded the whole turn as vertrouwen.")
        reader.key("m let op", "Memo stored")
        reader.proc.stdin.write("c werkdruk\n")  # killed without waiting: all or nothing
        reader.proc.stdin.flush()
    finally:
        reader.kill()
    stored = consistent(folder, "anna")
    assert stored[:2] == [(57, 107, "korte_lijnen"), (57, 208, "vertrouwen")]
    assert stored[2:] in ([], [(57, 107, "werkdruk")])
    assert rows(folder, "SELECT text FROM memos WHERE coder = 'anna'")[0]["text"] == "let op"
    assert len(rows(folder, "SELECT * FROM reads WHERE coder = 'anna'")) == 2
