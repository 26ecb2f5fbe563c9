"""``codeer matrix`` through the CLI: formats, files, the review note and usage errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from tests.test_matrix_data import build_small


@pytest.fixture
def folder(tmp_path):
    build_small(tmp_path / "small").close()
    return tmp_path / "small"


def test_csv_layout_is_code_cases_total(cli, folder):
    result = cli("--project", folder, "matrix", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["code", "Aadorp", "Beekdorp", "Cedam", "Total"]
    assert rows[1] == ["vertrouwen", "2", "1", "0", "3"]
    assert rows[-1] == ["Total", "4", "2", "0", "6"]  # B1 by two coders counts once
    assert result.stderr == ""  # data on stdout, nothing to warn about


def test_table_json_and_md(cli, folder):
    table = cli("--project", folder, "matrix", "--level", "top", "--value", "share")
    assert table.exit_code == 0, table.stderr
    assert "60.0" in table.stdout and "Total" in table.stdout
    data = json.loads(cli("--project", folder, "matrix", "-f", "json", "--by", "ses").stdout)
    assert [c["key"] for c in data["columns"]] == ["laag", "hoog"]
    assert data["total"] == 6 and data["rows"][0] == {"key": "vertrouwen", "label": "Vertrouwen"}
    md = cli("--project", folder, "matrix", "-f", "md", "--framework", "--quotes", "2").stdout
    assert md.startswith("| case | vertrouwen |") and "collega’s en ideeën" in md


def test_xlsx_file_from_extension(cli, folder, tmp_path):
    out = tmp_path / "m.xlsx"
    result = cli("--project", folder, "matrix", "--framework", "-o", out)
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["framework by gemeente"]
    sheet = book.active
    assert sheet.freeze_panes == "B2"
    assert sheet["A1"].value == "case" and sheet["B1"].value == "vertrouwen"
    assert sheet["B2"].alignment.wrap_text
    assert "a.txt:" in sheet["B2"].value
    assert sheet.column_dimensions["B"].width >= 40


def test_plot_writes_png_and_cooccurrence(cli, folder, tmp_path):
    png = tmp_path / "heat.png"
    result = cli("--project", folder, "matrix", "--cooccurrence", "--plot", png, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.stdout.splitlines()[0] == "code,vertrouwen,privacy,verbinden,lijntjes,werkdruk"


def test_nothing_reviewed_says_how_to_include_suggestions(cli, tmp_path):
    build_small(tmp_path / "raw", reviewed=False).close()
    result = cli("--project", tmp_path / "raw", "matrix", "-f", "csv")
    assert result.exit_code == 0
    assert "Nothing has been reviewed yet" in result.stderr and "--status all" in result.stderr
    assert result.stdout.splitlines()[-1] == "Total,0,0,0,0"
    every = cli("--project", tmp_path / "raw", "matrix", "-f", "csv", "--status", "all")
    assert every.stderr == "" and every.stdout.splitlines()[-1] == "Total,4,2,0,6"


def test_usage_and_input_errors(cli, folder, tmp_path):
    assert cli("--project", folder, "matrix", "--value", "median").exit_code == 2
    assert cli("--project", folder, "matrix", "--by", "a,b,c").exit_code == 2
    wrong = cli("--project", folder, "matrix", "--by", "wijk")
    assert wrong.exit_code == 1 and wrong.stderr.startswith("Error: no document has")
    binary = cli("--project", folder, "matrix", "-f", "xlsx")
    assert binary.exit_code == 1 and "-o FILE.xlsx" in binary.stderr
    odd = cli("--project", folder, "matrix", "-o", tmp_path / "m.docx")
    assert odd.exit_code == 1 and "cannot tell the format" in odd.stderr


def test_parquet_needs_pyarrow_or_writes(cli, folder, tmp_path):
    out = tmp_path / "m.parquet"
    result = cli("--project", folder, "matrix", "-o", out)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert result.exit_code == 1 and "pyarrow" in result.stderr
    else:
        import pandas as pd

        assert result.exit_code == 0, result.stderr
        assert pd.read_parquet(out)["Total"].iloc[-1] == 6


def test_nonzero_and_framework_cannot_be_plotted(cli, folder, tmp_path):
    result = cli("--project", folder, "matrix", "--nonzero", "-f", "csv")
    assert [r.split(",")[0] for r in result.stdout.splitlines()] == [
        "code",
        "vertrouwen",
        "privacy",
        "lijntjes",
        "Total",
    ]
    plotted = cli("--project", folder, "matrix", "--framework", "--plot", tmp_path / "f.png")
    assert plotted.exit_code == 1 and "cannot be plotted" in plotted.stderr
    nothing = cli("--project", folder, "matrix", "--where", "ses=onbekend")
    assert "No documents match --where ses=onbekend" in nothing.stderr
