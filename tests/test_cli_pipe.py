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


def test_data_on_a_terminal_shows_escape_sequences_but_files_keep_them(tmp_path):
    """csv and jsonl to a terminal: a transcript's ESC [31m is shown as \\x1b, not obeyed."""
    import os
    import pty

    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text("I: Vraag?\nR: Rood \x1b[31mgekleurd\x1b[0m hier.\n", "utf-8")
    project = tmp_path / "p"
    codeer = [sys.executable, "-m", "codeer", "--project", str(project)]
    subprocess.run([*codeer, "init", str(project)], check=True, capture_output=True)
    subprocess.run([*codeer, "import", str(folder)], check=True, capture_output=True)
    subprocess.run([*codeer, "code"], check=True, capture_output=True)
    added = subprocess.run([*codeer, "add", "a", "13", "40", "context"], capture_output=True)
    assert added.returncode == 0, added.stderr
    for fmt in ("csv", "jsonl"):
        main, child = pty.openpty()
        done = subprocess.run(
            [*codeer, "show", "a", "--format", "jsonl"] if fmt == "jsonl" else
            [*codeer, "segments", "--format", "csv"],
            stdout=child, stderr=subprocess.PIPE, check=True,
        )  # fmt: skip
        os.close(child)
        shown = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        os.close(main)
        visible = b"\\x1b[31m" if fmt == "csv" else b"\\u001b[31m"  # JSON escapes it itself
        assert b"\x1b[31m" not in shown and visible in shown, (fmt, shown, done.stderr)
    # Into a file (or a pipe) the stored text goes out exactly (jsonl escapes it as JSON).
    to_file = subprocess.run([*codeer, "show", "a", "--format", "jsonl"], capture_output=True)
    assert "\\u001b[31m" in to_file.stdout.decode()
