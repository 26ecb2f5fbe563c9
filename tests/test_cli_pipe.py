"""``codeer segments | head``: a closed pipe ends the command quietly, not with an error.

The transcript is fictional.
"""

from __future__ import annotations

import subprocess
import sys


def test_closed_pipe_is_quiet(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    lines = "\n".join(
        f"R: Wij bellen de school elke week, dat geeft vertrouwen {i}." for i in range(3000)
    )
    (folder / "a.txt").write_text("I: Hoe gaat het?\n" + lines + "\n", encoding="utf-8")
    project = tmp_path / "p"
    codeer = [sys.executable, "-m", "codeer", "--project", str(project)]
    subprocess.run([*codeer, "init", str(project)], check=True, capture_output=True)
    subprocess.run([*codeer, "import", str(folder)], check=True, capture_output=True)
    subprocess.run([*codeer, "code"], check=True, capture_output=True)
    writer = subprocess.Popen(
        [*codeer, "segments", "--format", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    first = writer.stdout.readline()
    writer.stdout.close()  # like `head -1`
    stderr = writer.stderr.read().decode()
    assert writer.wait() == 0
    assert first.startswith(b"id,document,")
    assert stderr == ""
