"""Issue 12: no formula, script or terminal escape from a transcript reaches a reader.

The interview below is fictional (no real person, team or municipality). Its respondent
writes spreadsheet formulas, HTML and terminal escape sequences; its municipality
attribute is a DDE formula. Exports neutralise them for their reader, the stored text
stays exactly as given, and the machine-readable jsonl keeps every character.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codeer.store.safe_output import entity_lt, markdown_text, spreadsheet_cell, terminal_text
from tests.factories import add_codebook, add_coding, add_document, new_project

QUESTION = "Hoe werkt de samenwerking met de school?\n"
SCRIPT = "Korte lijnen <script>alert(1)</script> en <img src=x onerror=alert(2)> echt.\n"
FORMULA = "=cmd|' /C calc'!A0 zei de buurman.\n"
ESCAPES = "Rood \x1b[31mROOD\x1b[0m titel \x1b]0;pwned\x07 c1 \x9b2J [/x] [bold]b[/bold].\n"
TEXT = QUESTION + SCRIPT + FORMULA + ESCAPES
DDE = "=cmd|' /C calc'!A0"


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    """A project with one fictional document full of hostile text, coded by a person."""
    folder = tmp_path / "project"
    project = new_project(folder)
    q, a = len(QUESTION), len(QUESTION) + len(SCRIPT)
    b = a + len(FORMULA)
    turns = [("I", "interviewer", 0, q), ("R", "respondent", q, len(TEXT))]
    doc = add_document(project, "fictief.txt", TEXT, {"gemeente": DDE, "-rol": "@sum"}, turns)
    add_codebook(project, [("verbinden", None), ("vertrouwen", None)])
    spans = [(q, a - 1, "verbinden"), (a, b - 1, "vertrouwen"), (b, len(TEXT) - 1, "verbinden")]
    for start, end, code in spans:
        add_coding(project, doc, start, end, code, status="manual", coder="anna", score=None)
    project.close()
    return folder


def test_the_neutralisers() -> None:
    assert [spreadsheet_cell(v) for v in ("=1+1", "+a", "-a", "@a", "\tx", "\rx")] == [
        "'=1+1", "'+a", "'-a", "'@a", "'\tx", "'\rx",
    ]  # fmt: skip
    assert [spreadsheet_cell(v) for v in ("-2", "+3,5", "a=b", "", 5, -1.5)] == [
        "-2", "+3,5", "a=b", "", 5, -1.5,
    ]  # fmt: skip
    assert terminal_text("a\x1b[31mb\x07\x9b\u202e\n\tc") == "a\\x1b[31mb\\x07\\x9b\\u202e\n\tc"
    assert markdown_text("<b>&") == "&lt;b&gt;&amp;"
    assert entity_lt("a \\<b> \\\\\\<i> \\\\<u>") == "a &lt;b> \\\\&lt;i> \\\\<u>"


def test_segments_csv_quotes_formulas_exactly_and_raw_keeps_them(evil: Path, cli) -> None:
    result = cli("-p", evil, "segments", "--format", "csv", "--code", "vertrouwen")
    assert result.exit_code == 0, result.stderr
    a = len(QUESTION) + len(SCRIPT)
    end = a + len(FORMULA) - 1
    assert result.stdout == (
        "id,document,start,end,speaker,role,code,code_path,status,score,valence,coder,text,"
        "evidence,memo,turn_index,learned_score,learned,'-rol,gemeente\n"
        f"2,fictief.txt,{a},{end},R,respondent,vertrouwen,vertrouwen,manual,,neutral,anna,"
        "'=cmd|' /C calc'!A0 zei de buurman.,,,1,,,'@sum,'=cmd|' /C calc'!A0\n"
    )
    raw = cli("-p", evil, "segments", "--format", "csv", "--code", "vertrouwen", "--raw")
    assert raw.stdout == result.stdout.replace("'=", "=").replace("'-", "-").replace("'@", "@")


def test_documents_and_matrix_csv_quote_formulas(evil: Path, cli) -> None:
    docs = cli("-p", evil, "documents", "--format", "csv")
    assert docs.stdout == (
        "name,format,turns,words,speakers,attributes\n"
        "fictief.txt,txt,2,40,I; R,'-rol=@sum; gemeente==cmd|' /C calc'!A0\n"
    )
    raw = cli("-p", evil, "documents", "--format", "csv", "--raw")
    assert raw.stdout.endswith(",-rol=@sum; gemeente==cmd|' /C calc'!A0\n")
    matrix = cli("-p", evil, "matrix", "--by", "gemeente", "--format", "csv")
    assert matrix.exit_code == 0, matrix.stderr
    assert matrix.stdout == (
        "code,'=cmd|' /C calc'!A0,Total\nverbinden,2,2\nvertrouwen,1,1\nTotal,3,3\n"
    )
    raw = cli("-p", evil, "matrix", "--by", "gemeente", "--format", "csv", "--raw")
    assert raw.stdout.startswith("code,=cmd|' /C calc'!A0,Total\n")
    framework = cli("-p", evil, "matrix", "--framework", "--by", "gemeente", "-f", "csv")
    assert "\n'=cmd|' /C calc'!A0," in framework.stdout


def test_xlsx_never_holds_a_formula(evil: Path, cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "m.xlsx"
    result = cli("-p", evil, "matrix", "--by", "gemeente", "--framework", "-o", out)
    assert result.exit_code == 0, result.stderr
    cells = [c for row in load_workbook(out).active.iter_rows() for c in row]
    assert DDE in [c.value for c in cells]  # the text exactly as written ...
    assert all(c.data_type != "f" for c in cells)  # ... and never as a formula


def test_markdown_and_html_reports_carry_no_html_from_transcripts(evil: Path, cli, tmp_path):
    for name in ("r.md", "r.html"):
        result = cli("-p", evil, "report", "-o", tmp_path / name)
        assert result.exit_code == 0, result.stderr
        text = (tmp_path / name).read_text("utf-8")
        assert "<script" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    summary = cli("-p", evil, "summary", "--status", "accepted")
    assert "<script" not in summary.stdout and "<img" not in summary.stdout
    framework = cli("-p", evil, "matrix", "--framework", "--by", "gemeente", "-f", "md")
    assert "<script" not in framework.stdout and "&lt;script&gt;" in framework.stdout


def test_run_outputs_carry_no_script_or_formula(tmp_path: Path, cli) -> None:
    from codeer.report.outputs import write_outputs
    from codeer.store.project import Project

    folder = tmp_path / "p"
    project = new_project(folder)
    q = len(QUESTION)
    doc = add_document(project, "fictief.txt", TEXT, {"gemeente": DDE}, [
        ("I", "interviewer", 0, q), ("R", "respondent", q, len(TEXT)),
    ])  # fmt: skip
    add_codebook(project, [("verbinden", None)])
    add_coding(project, doc, q, q + len(SCRIPT) - 1, "verbinden", status="manual", coder="a")
    project.close()
    with Project.open(folder) as project:
        written = write_outputs(project, tmp_path / "out")
    assert {".md", ".html", ".csv"} <= {path.suffix for path in written}
    quoted = 0
    for path in written:
        if path.suffix in (".md", ".html"):
            text = path.read_text("utf-8")
            assert "<script" not in text, path.name
            assert "&lt;script" in text, path.name  # the fragment is there, as text
        if path.suffix == ".csv":
            text = path.read_text("utf-8")
            assert f",{DDE}" not in text, path.name
            assert text.count(DDE) == text.count(f"'{DDE}"), path.name  # every one quoted
            quoted += text.count(f"'{DDE}")
    assert quoted  # the gemeente column heads the matrices


def test_terminal_output_shows_escapes_instead_of_running_them(evil: Path, cli) -> None:
    for args in (["show", "fictief"], ["segments"], ["matrix", "--framework", "--by", "gemeente"]):
        result = cli("-p", evil, *args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "\x1b" not in result.stdout and "\x9b" not in result.stdout, args
        assert "\x07" not in result.stdout, args
    shown = cli("-p", evil, "show", "fictief").stdout
    assert "\\x1b[31mROOD" in shown and "[/x]" in shown and "[bold]b[/bold]" in shown


def test_review_plain_neutralises_escapes(tmp_path: Path, cli) -> None:
    folder = tmp_path / "p"
    project = new_project(folder)
    q = len(QUESTION)
    doc = add_document(project, "fictief.txt", TEXT, None, [
        ("I", "interviewer", 0, q), ("R", "respondent", q, len(TEXT)),
    ])  # fmt: skip
    add_codebook(project, [("verbinden", None)])
    start = q + len(SCRIPT) + len(FORMULA)
    add_coding(project, doc, start, len(TEXT) - 1, "verbinden")
    project.close()
    result = cli("-p", folder, "review", "--plain", "--coder", "anna", input="q\n")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout


def test_stored_text_and_jsonl_keep_every_character(evil: Path, cli) -> None:
    result = cli("-p", evil, "segments", "--format", "jsonl")
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert ESCAPES.rstrip("\n") in texts and FORMULA.rstrip("\n") in texts
    shown = cli("-p", evil, "show", "fictief", "--format", "jsonl").stdout
    assert "".join(json.loads(line)["text"] for line in shown.splitlines()).count("\x1b") == 3


def test_run_summary_carries_no_html_from_evidence(tmp_path: Path, cli) -> None:
    """The evidence column of `codeer run`'s summary.md quotes transcript text."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "fictief.txt").write_text("I: " + QUESTION + "R: " + SCRIPT, encoding="utf-8")
    book = tmp_path / "cb.yaml"
    book.write_text(
        "codes:\n  - key: verbinden\n    label: Verbinden\n"
        "    patterns:\n      regex: ['<script>alert']\n",
        encoding="utf-8",
    )
    result = cli("run", folder, "--out", tmp_path / "out", "--codebook", book)
    assert result.exit_code == 0, result.stderr
    summary = (tmp_path / "out" / "summary.md").read_text("utf-8")
    assert "<script" not in summary
    assert "| verbinden | 1 | &lt;script&gt;alert (1) |" in summary
