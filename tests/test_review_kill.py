"""A real review process, fed decisions through stdin, killed with SIGKILL: nothing is lost."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from codeer.store.project import Project
from tests.test_review_support import build, decisions, rows

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class Reviewer:
    """`python -m codeer review --plain` (or *command*) in a child process, one line a key."""

    def __init__(self, folder: Path, coder: str, command: tuple[str, ...] = ("review",)):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "codeer", "--project", str(folder), *command, "--plain",
             "--coder", coder],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)

    def key(self, line: str, confirmation: str) -> None:
        """Send one line and wait until *confirmation* is written (so it is committed)."""
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        while True:
            text = self.lines.get(timeout=20)
            if confirmation in text:
                return

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=20)


def test_sigkill_loses_no_confirmed_decision(tmp_path: Path) -> None:
    folder, ids = build(tmp_path, documents=3)
    reviewer = Reviewer(folder, "anna")
    try:
        reviewer.key("a", "Accepted verbinden.")
        reviewer.key("x", "Rejected vertrouwen.")
        reviewer.key("m twijfelgeval", "Memo stored.")
        reviewer.key("c korte", "Changed werkdruk to korte_lijnen.")
        reviewer.key("w", "widened")
        reviewer.key("a", "Accepted verbinden.")
        # One more keypress, killed without waiting: stored completely or not at all.
        reviewer.proc.stdin.write("x\n")
        reviewer.proc.stdin.flush()
    finally:
        reviewer.kill()
    assert reviewer.proc.returncode == -signal.SIGKILL

    confirmed = [
        (ids[0], "verbinden", "accepted", 57, 107),
        (ids[1], "vertrouwen", "rejected", 108, 163),
        (ids[2], "werkdruk", "rejected", 164, 208),
        (ids[2], "korte_lijnen", "accepted", 164, 208),
        (ids[3], "verbinden", "accepted", 57, 208),
    ]
    stored = decisions(folder, "anna")
    assert stored[:5] == confirmed
    assert stored[5:] in ([], [(ids[4], "vertrouwen", "rejected", 108, 163)])
    assert (
        rows(folder, "SELECT memo FROM codings WHERE coder = 'anna'")[2]["memo"] == "twijfelgeval"
    )
    # Every stored row has its event, and every event its rows (one transaction each).
    events = rows(folder, "SELECT detail FROM events WHERE action LIKE 'review.%'")
    logged = sorted(r for e in events for r in json.loads(e["detail"]).get("rows", []))
    assert logged == [r["id"] for r in rows(folder, "SELECT id FROM codings WHERE coder = 'anna'")]
    # The project opens fine afterwards, and review resumes after the last decision.
    with Project.open(folder) as project:
        assert project.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    done = len({row[0] for row in stored if row[2] in ("accepted", "rejected")})
    resumed = Reviewer(folder, "anna")
    try:
        resumed.key("q", f"--- {done} of 9 decided")
    finally:
        resumed.kill()
