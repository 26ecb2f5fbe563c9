"""Turns of transcripts in the shapes of real material (issue 10), imported as a user would.

tests/realshapes/ holds fictional texts in the shapes that broke the parser on real
Dutch transcripts; gold.jsonl has every turn a careful reader sees. Each file is imported
through the CLI, alone and as a Word file, and every turn must match: speaker as written,
role and the exact text. The score is printed; this set was written to order, so it is
an upper bound for real material (tests/realshapes/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codeer.store.project import Project

HERE = Path(__file__).resolve().parent / "realshapes"
GOLD: dict[str, list[dict]] = {}
for line in (HERE / "gold.jsonl").read_text(encoding="utf-8").splitlines():
    item = json.loads(line)
    GOLD.setdefault(item["file"], []).append(item)
OPTIONS: dict[str, list[str]] = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))


def imported_turns(cli, tmp_path: Path, source: Path, options: list[str]) -> list[tuple]:
    folder = tmp_path / "p"
    assert cli("init", folder).exit_code == 0
    result = cli("--project", folder, "import", source, *options)
    assert result.exit_code == 0, result.stderr
    shown = cli("--project", folder, "show", source.stem, "--format", "jsonl")
    assert shown.exit_code == 0, shown.stderr
    turns = [json.loads(line) for line in shown.stdout.splitlines()]
    with Project.open(folder) as project:
        assert uncovered(project) == ""
    return [(t["speaker"], t["role"], t["text"]) for t in turns], result.stderr


def uncovered(project: Project) -> str:
    """Non-blank characters of any stored text outside every turn's [head, end)."""
    missing = []
    for doc in project.con.execute("SELECT id, text FROM documents"):
        text = doc["text"]
        inside = bytearray(len(text))
        for turn in project.con.execute(
            "SELECT COALESCE(MIN(head, start), start) AS a, end FROM turns WHERE document_id = ?",
            (doc["id"],),
        ):
            inside[turn["a"] : turn["end"]] = b"\x01" * (turn["end"] - turn["a"])
        missing += [c for c, flag in zip(text, inside, strict=True) if not flag and not c.isspace()]
    return "".join(missing)


def expected(name: str) -> list[tuple]:
    return [(g["speaker"], g["role"], g["text"]) for g in GOLD[name]]


@pytest.mark.parametrize("name", sorted(GOLD))
def test_every_turn_of_each_shape(cli, tmp_path, name):
    got, messages = imported_turns(cli, tmp_path, HERE / name, OPTIONS.get(name, []))
    want = expected(name)
    right = sum(1 for a, b in zip(got, want, strict=False) if a == b)
    print(f"{name}: {right}/{len(want)} turns right")
    assert got == want
    if want[0][0] == "":  # the import line says that a preamble became a turn
        assert "text before the first label kept" in messages


@pytest.mark.parametrize("name", sorted(n for n in GOLD if n.endswith(".txt")))
def test_the_same_shapes_as_word_files(cli, tmp_path, name):
    """A Word export of the same text: one paragraph per line, as transcribers type it."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in (HERE / name).read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line)
    path = tmp_path / (Path(name).stem + ".docx")
    document.save(path)
    got, _messages = imported_turns(cli, tmp_path, path, OPTIONS.get(name, []))
    assert [(s, r, " ".join(t.split())) for s, r, t in got] == [
        (s, r, " ".join(t.split())) for s, r, t in expected(name)
    ]
