"""``codeer import``, ``documents`` and ``show`` through the CLI on real projects.

All people and places in this test data are fictional.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from codeer.store.project import Project

INTERVIEW = (
    "I: Hoe werken jullie met de school?\nR: We hebben korte lijntjes met de intern begeleider.\n"
)


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def turns(cli, project, doc):
    result = cli("--project", project, "show", doc, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_import_show_and_documents(cli, project, tmp_path):
    src = tmp_path / "in"
    write(src, "a.txt", "---\ngemeente: Lindewaard\nses: laag\n---\n" + INTERVIEW)
    result = cli("--project", project, "import", src)
    assert result.exit_code == 0, result.stderr
    assert "imported  a.txt (2 turns, 2 speakers)" in result.stderr
    rows = turns(cli, project, "a")  # the stem works too
    assert [(r["index"], r["speaker"], r["role"]) for r in rows] == [
        (0, "I", "interviewer"),
        (1, "R", "respondent"),
    ]
    with Project.open(project) as p:
        text = p.con.execute("SELECT text FROM documents").fetchone()[0]
    assert text == INTERVIEW  # front matter removed, nothing else changed
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    listed = json.loads(cli("--project", project, "documents", "--format", "jsonl").stdout)
    assert listed == {
        "name": "a.txt",
        "format": "txt",
        "turns": 2,
        "words": 14,
        "speakers": ["I", "R"],
        "attributes": {"gemeente": "Lindewaard", "ses": "laag"},
    }
    csv_out = cli("--project", project, "documents", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "name,format,turns,words,speakers,attributes"
    assert csv_out[1] == "a.txt,txt,2,14,I; R,gemeente=Lindewaard; ses=laag"


def test_bad_files_are_reported_and_good_ones_land(cli, project, tmp_path):
    src = tmp_path / "in"
    write(src, "goed.txt", INTERVIEW)
    write(src, "leeg.txt", "")
    (src / "kapot.docx").write_bytes(b"PK\x03\x04 dit is geen echt Word-bestand")
    (src / "binair.txt").write_bytes(bytes(range(256)) * 4)
    result = cli("--project", project, "import", src)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 3
    for name in ("leeg.txt", "kapot.docx", "binair.txt"):
        assert sum(name in line for line in errors) == 1
    assert "Traceback" not in result.stderr
    with Project.open(project) as p:
        assert [r[0] for r in p.con.execute("SELECT name FROM documents")] == ["goed.txt"]


def test_reimport_is_a_noop_and_changes_need_replace(cli, project, tmp_path):
    src = tmp_path / "in"
    write(src, "a.txt", INTERVIEW)
    assert cli("--project", project, "import", src).exit_code == 0
    with Project.open(project) as p:
        before = p.con.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    again = cli("--project", project, "import", src)
    assert again.exit_code == 0 and "unchanged a.txt" in again.stderr
    with Project.open(project) as p:
        assert p.con.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before

    write(src, "a.txt", INTERVIEW + "I: En de huisarts?\nR: Die zien we weinig.\n")
    refused = cli("--project", project, "import", src)
    assert refused.exit_code == 1 and "--replace" in refused.stderr
    assert len(turns(cli, project, "a.txt")) == 2
    replaced = cli("--project", project, "import", src, "--replace")
    assert replaced.exit_code == 0 and "replaced  a.txt" in replaced.stderr
    assert len(turns(cli, project, "a.txt")) == 4


def test_replace_reanchors_codings_and_logs_lost_ones(cli, project, tmp_path):
    src = tmp_path / "in"
    write(src, "a.txt", INTERVIEW)
    cli("--project", project, "import", src)
    with Project.open(project) as p:
        text = p.con.execute("SELECT text FROM documents").fetchone()[0]
        start = text.index("korte lijntjes")
        for fragment in ("korte lijntjes", "school"):
            at = text.index(fragment)
            p.con.execute(
                "INSERT INTO codings (document_id, start, end, code, status, coder, created_at)"
                " VALUES (1, ?, ?, 'verbinden', 'manual', 'anna', 'now')",
                (at, at + len(fragment)),
            )
    new = "Preambule.\n\n" + INTERVIEW.replace("de school", "het onderwijs")
    write(src, "a.txt", new)
    assert cli("--project", project, "import", src, "--replace").exit_code == 0
    with Project.open(project) as p:
        text = p.con.execute("SELECT text FROM documents").fetchone()[0]
        rows = p.con.execute("SELECT start, end FROM codings").fetchall()
        assert [text[r[0] : r[1]] for r in rows] == ["korte lijntjes"]
        assert rows[0][0] != start
        event = p.con.execute("SELECT detail FROM events WHERE action = 'replace'").fetchone()[0]
        lost = json.loads(event)["codings_lost"]
        assert [item["text"] for item in lost] == ["school"]


def test_metadata_csv_with_semicolons_and_unknown_row(cli, project, tmp_path):
    src = tmp_path / "in"
    write(src, "a.txt", INTERVIEW)
    write(src, "b.txt", INTERVIEW)
    meta = write(
        tmp_path,
        "meta.csv",
        "document;gemeente;ses\na.txt;Lindewaard;laag\nb;Westermaar;hoog\nc.txt;X;midden\n",
    )
    result = cli("--project", project, "import", src, "--meta", meta)
    assert result.exit_code == 1
    assert "meta.csv:4" in result.stderr and "c.txt" in result.stderr
    docs = [
        json.loads(line)
        for line in cli("--project", project, "documents", "-f", "jsonl").stdout.splitlines()
    ]
    assert {d["name"]: d["attributes"] for d in docs} == {
        "a.txt": {"gemeente": "Lindewaard", "ses": "laag"},
        "b.txt": {"gemeente": "Westermaar", "ses": "hoog"},
    }


def test_metadata_xlsx_and_found_next_to_transcripts(cli, project, tmp_path):
    from openpyxl import Workbook

    src = tmp_path / "in"
    write(src, "a.txt", INTERVIEW)
    book = Workbook()
    book.active.append(["document", "gemeente", "inwoners"])
    book.active.append(["a", "Oosterzande", 41000])
    book.save(src / "metadata.xlsx")
    result = cli("--project", project, "import", src)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(cli("--project", project, "documents", "-f", "jsonl").stdout)
    assert doc["attributes"] == {"gemeente": "Oosterzande", "inwoners": "41000"}


def test_malformed_metadata_imports_nothing(cli, project, tmp_path):
    src = tmp_path / "in"
    write(src, "a.txt", INTERVIEW)
    meta = write(tmp_path, "meta.csv", "bestand,gemeente\na.txt,Lindewaard\n")
    result = cli("--project", project, "import", src, "--meta", meta)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert "document" in result.stderr
    with Project.open(project) as p:
        assert p.con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0


def test_encodings(cli, project, tmp_path):
    src = tmp_path / "in"
    text = "I: Hoe gaat het met de coördinator?\nR: Eén ding: het vertrouwen groeit.\n"
    for name, encoding in [
        ("u8.txt", "utf-8"),
        ("bom.txt", "utf-8-sig"),
        ("u16.txt", "utf-16"),
        ("win.txt", "cp1252"),
    ]:
        write(src, name, text.replace("\n", "\r\n"), encoding)
    assert cli("--project", project, "import", src).exit_code == 0
    with Project.open(project) as p:
        texts = {r[0] for r in p.con.execute("SELECT text FROM documents")}
    assert texts == {text}


def test_project_option_env_and_missing_project(cli, tmp_path):
    missing = cli("--project", tmp_path / "nope", "documents")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: ") and "codeer init" in missing.stderr
    folder = tmp_path / "p"
    assert cli("init", folder).exit_code == 0
    assert cli("documents", env={"CODEER_PROJECT": str(folder)}).exit_code == 0


def test_sigkill_during_import_leaves_whole_documents(tmp_path):
    src = tmp_path / "in"
    body = "".join(f"I: Vraag {i}?\nR: {'Antwoord met wat woorden. ' * 40}\n" for i in range(200))
    for i in range(300):
        write(src, f"doc{i:03}.txt", f"{body}\nR: Einde van document {i}.\n")
    project = tmp_path / "p"
    env = {**os.environ, "CODEER_PROJECT": str(project)}
    subprocess.run(
        [sys.executable, "-m", "codeer", "init"], env=env, check=True, capture_output=True
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "codeer", "import", str(src)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # Wait until some documents have landed, then kill without warning.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if line.startswith(b"imported  doc005"):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Project.open(project) as p:
        docs = p.con.execute("SELECT id, text FROM documents").fetchall()
        assert 5 <= len(docs) < 300
        for doc_id, text in docs:
            count = p.con.execute(
                "SELECT COUNT(*) FROM turns WHERE document_id = ?", (doc_id,)
            ).fetchone()[0]
            assert count == 401  # every document whole: all its turns, the last one included
            assert text.rstrip().endswith(".")
        assert p.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
