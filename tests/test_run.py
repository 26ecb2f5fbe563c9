"""``codeer run`` on the bundled (fictional) transcripts: the README's main job."""

from __future__ import annotations

import csv
import json
import re

import pytest

from codeer.store.project import Project
from tests.conftest import REPO

TRANSCRIPTS = REPO / "transcripts"


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    from typer.testing import CliRunner

    from codeer.cli.main import app

    out = tmp_path_factory.mktemp("run") / "out"
    result = CliRunner().invoke(app, ["run", str(TRANSCRIPTS), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out, result


def test_run_imports_codes_and_writes_outputs(run_out, cli):
    out, result = run_out
    names = ("segments.csv", "summary.md", "report.html", "report.md", "matrices.xlsx")
    for name in (*names, "subthemes.md"):
        assert (out / name).is_file(), name
        assert str(out / name) in result.stderr  # listed among the files written
    with Project.open(out) as project:
        documents = project.con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        attributes = project.con.execute(
            "SELECT COUNT(DISTINCT document_id) FROM attributes WHERE key = 'gemeente'"
        ).fetchone()[0]
    assert documents == attributes == 10  # metadata.csv next to the transcripts was used
    with (out / "segments.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    listed = cli("--project", out, "segments", "--format", "jsonl").stdout.splitlines()
    assert len(rows) == len(listed) > 50
    first = json.loads(listed[0])
    assert {k: rows[0][k] for k in ("document", "code", "text")} == {
        k: str(first[k]) for k in ("document", "code", "text")
    }
    assert all(row["evidence"] for row in rows)
    assert "gemeente" in (out / "summary.md").read_text("utf-8")


def test_run_writes_the_subthemes_of_the_report(run_out):
    out, _ = run_out
    text = (out / "subthemes.md").read_text("utf-8")
    assert text.startswith("# Subthema's per thema")
    # Nothing is reviewed in a fresh run: the suggestions, said so as in the report.
    assert "nog geen beoordeelde coderingen" in text and "--status all" in text
    themes = re.findall(r"^## Thema: (.+)$", text, flags=re.M)
    assert len(themes) >= 2 and "Komt voor in" in text and "clusterrun #" in text
    report = (out / "report.md").read_text("utf-8")
    assert report.count("#### Subthema's") == report.count("\n### Thema: ")
    for theme in themes:
        assert f"### Thema: {theme}" in report
    with Project.open(out) as project:
        runs = project.con.execute("SELECT DISTINCT status FROM cluster_runs").fetchall()
    assert [r[0] for r in runs] == ["all"]


def test_run_again_changes_nothing(run_out, cli):
    out, _ = run_out
    with Project.open(out) as project:
        before = project.con.execute("SELECT COUNT(*), MAX(id) FROM codings").fetchone()
    again = cli("run", TRANSCRIPTS, "--out", out)
    assert again.exit_code == 0, again.stderr
    assert "0 new, 0 retracted" in again.stderr
    with Project.open(out) as project:
        assert project.con.execute("SELECT COUNT(*), MAX(id) FROM codings").fetchone() == before


def test_run_with_malformed_codebook_codes_nothing(cli, tmp_path):
    book = tmp_path / "kapot.yaml"
    book.write_text("codes:\n  - key: vertrouwen\n    label: [niet, goed\n", "utf-8")
    out = tmp_path / "out"
    result = cli("run", TRANSCRIPTS, "--out", out, "--codebook", book)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "kapot.yaml" in result.stderr
    assert not (out / "codeer.db").exists()


def test_the_readme_shows_what_run_prints(run_out):
    """The Quick start's example output is the real output, apart from the folder name."""
    out, result = run_out
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ pip install . && codeer run transcripts --out out\n...\n", 1)[1]
    shown = shown.split("```", 1)[0]
    printed = result.stderr[result.stderr.index("Importing ") :]
    assert printed.replace(str(TRANSCRIPTS), "transcripts").replace(str(out), "out") == shown
