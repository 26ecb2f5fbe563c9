"""Issue 12, metadata tables: cells of any size and any quoting, no silent last-wins, no
traceback on a damaged workbook. All names and places are fictional."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from codeer.errors import MetadataError
from codeer.ingest.metadata import read_metadata


def attributes(project: Path) -> dict[str, dict[str, str]]:
    con = sqlite3.connect(project / "codeer.db")
    try:
        rows = con.execute(
            "SELECT d.name, a.key, a.value FROM attributes a JOIN documents d"
            " ON d.id = a.document_id ORDER BY d.name, a.key"
        ).fetchall()
    finally:
        con.close()
    result: dict[str, dict[str, str]] = {}
    for name, key, value in rows:
        result.setdefault(name, {})[key] = value
    return result


def one_error(result) -> str:
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "tr"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("R: Ik woon in Lindewaard.\n", encoding="utf-8")
    return folder


def write_csv(folder: Path, text: str, encoding: str = "utf-8") -> Path:
    path = folder / "metadata.csv"
    path.write_bytes(text.encode(encoding))
    return path


# --- CSV ---------------------------------------------------------------------------------


def test_a_cell_longer_than_the_csv_module_default(tmp_path):
    long = "lang " * 40_000  # 200,000 characters: over csv's 131,072 default
    path = write_csv(tmp_path, f'document,notitie\na.txt,"{long}"\n')
    rows = read_metadata(path)
    assert rows[0].attributes["notitie"] == long.strip()
    import csv

    assert csv.field_size_limit() == 131_072  # set back afterwards


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_quoting_is_honoured_with_every_separator(tmp_path, sep):
    text = (
        f"document{sep}wijk{sep}notitie\n"
        f'a.txt{sep}"Den ""Haag"" Oost"{sep}"een{sep} twee"\n'
        f'b.txt{sep}"Noord"{sep}"regel 1\nregel 2"\n'
    )
    rows = read_metadata(write_csv(tmp_path, text))
    assert rows[0].attributes == {"wijk": 'Den "Haag" Oost', "notitie": f"een{sep} twee"}
    assert rows[1].attributes == {"wijk": "Noord", "notitie": "regel 1\nregel 2"}
    assert rows[1].where == "metadata.csv:3"


def test_dutch_excel_csv_with_commas_inside_cells(tmp_path):
    # The header alone (one ';') does not decide: the rows do.
    text = "document;gemeente\na.txt;Lindewaard, Noord\nb.txt;Zandhoven, Oost\n"
    rows = read_metadata(write_csv(tmp_path, text, "cp1252"))
    assert rows[0].attributes == {"gemeente": "Lindewaard, Noord"}


def test_row_numbers_count_lines_after_a_multiline_cell(tmp_path):
    text = 'document,notitie\na.txt,"een\ntwee\ndrie"\nb.txt,x,y\n'
    with pytest.raises(MetadataError) as info:
        read_metadata(write_csv(tmp_path, text))
    assert info.value.where == "metadata.csv:5"


@pytest.mark.parametrize(
    "row,message,line",
    [
        ('a.txt,"Den Haag\nb.txt,x\n', "never closed", 2),
        ('a.txt,"Den" Haag\n', "after the closing quote", 2),
    ],
)
def test_broken_quoting_is_an_error_naming_the_line(tmp_path, row, message, line):
    with pytest.raises(MetadataError, match=message) as info:
        read_metadata(write_csv(tmp_path, "document,wijk\n" + row))
    assert info.value.where == f"metadata.csv:{line}"
    assert '""' in info.value.hint


def test_duplicate_column_names_are_an_error(tmp_path):
    with pytest.raises(MetadataError, match="columns 2 and 4 are both named 'Gemeente'"):
        read_metadata(write_csv(tmp_path, "document,gemeente,wijk,Gemeente\na.txt,x,y,z\n"))
    with pytest.raises(MetadataError, match="both named"):
        read_metadata(write_csv(tmp_path, "document,Document\na.txt,b.txt\n"))


def test_the_same_document_in_other_case_is_listed_twice(tmp_path):
    with pytest.raises(MetadataError, match="listed twice") as info:
        read_metadata(write_csv(tmp_path, "document,g\na.txt,x\nA.TXT,y\n"))
    assert info.value.where == "metadata.csv:3"


def test_name_and_stem_of_one_document_are_ambiguous(cli, tmp_path, folder):
    write_csv(folder, "document,gemeente\na.txt,Lindewaard\na,Zandhoven\nb,Noordveen\n")
    project = tmp_path / "p"
    assert cli("init", project).exit_code == 0
    result = cli("--project", project, "import", folder)
    line = one_error(result)
    assert "metadata.csv:3" in line and "metadata.csv:2" in line
    assert "neither row was applied" in line and "one row per document" in line
    # Neither value is chosen silently; the unambiguous row still applies.
    assert attributes(project) == {"b.txt": {"gemeente": "Noordveen"}}


def test_undecodable_metadata_is_one_error(cli, tmp_path, folder):
    (folder / "metadata.csv").write_bytes(b"document,x\n\x00\x01\x02" * 100)
    project = tmp_path / "p"
    assert cli("init", project).exit_code == 0
    line = one_error(cli("--project", project, "import", folder))
    assert "metadata.csv" in line


# --- XLSX --------------------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_formula_without_saved_value_is_an_error_naming_the_cell(tmp_path):
    path = _xlsx(tmp_path / "meta.xlsx", [["document", "leeftijd"], ["a.txt", "=20+25"]])
    with pytest.raises(MetadataError, match="cell B2") as info:
        read_metadata(path)
    assert "=20+25" in info.value.message
    assert "save it" in info.value.hint


def test_xlsx_values_still_read(tmp_path):
    path = _xlsx(
        tmp_path / "meta.xlsx", [["document", "leeftijd", "wijk"], ["a.txt", 45.0, "Oost"]]
    )
    assert read_metadata(path)[0].attributes == {"leeftijd": "45", "wijk": "Oost"}


def _rewrite(path: Path, member: str, content: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[member] = content
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(
    "content",
    [
        b"<worksheet><sheetData><row><c r='A1' t='inlineStr'><is><t>x</t></is></c>",
        b"<?xml version='1.0'?><worksheet xmlns='x'>&bad;</worksheet>",
        b"\x00\x01 not xml",
    ],
)
def test_xlsx_with_damaged_sheet_xml_is_one_error(cli, tmp_path, folder, content):
    path = _xlsx(folder / "metadata.xlsx", [["document", "wijk"], ["a.txt", "Oost"]])
    _rewrite(path, "xl/worksheets/sheet1.xml", content)
    project = tmp_path / "p"
    assert cli("init", project).exit_code == 0
    line = one_error(cli("--project", project, "import", folder))
    assert "not a readable Excel file" in line and "metadata.xlsx" in line


def test_xlsx_zip_bomb_is_refused(tmp_path):
    path = _xlsx(tmp_path / "meta.xlsx", [["document"], ["a.txt"]])
    _rewrite(path, "xl/sharedStrings.xml", b" " * (30 * 2**20))
    with pytest.raises(MetadataError, match="too large"):
        read_metadata(path)
