"""Issue 12, the import side: damaged, huge and hostile files give one `Error:` line and
exit 1, never a traceback, a hang, a silent change or data from outside the folder.

All people and places in these files are fictional.
"""

from __future__ import annotations

import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from codeer.errors import ImportFileError, ProjectError
from codeer.ingest.importer import import_paths
from codeer.ingest.limits import Limits
from codeer.ingest.readers import read_file
from codeer.store.project import Project

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def make_docx(path: Path, body: str, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>'):
    """A minimal .docx whose body is *body* (w: elements)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_rels/.rels", RELS)
        archive.writestr(
            "word/document.xml",
            f'{prolog}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
        )
    return path


def docx_paragraphs(*texts: str) -> str:
    return "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)


def make_odt(path: Path, body: str, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>'):
    """A minimal .odt whose office:text holds *body*."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            f"{prolog}<office:document-content {ODT_NS}><office:body><office:text>{body}"
            "</office:text></office:body></office:document-content>",
        )
    return path


def integrity_ok(project: Path) -> bool:
    con = sqlite3.connect(project / "codeer.db")
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def documents(project: Path) -> list[str]:
    con = sqlite3.connect(project / "codeer.db")
    try:
        return [row[0] for row in con.execute("SELECT name FROM documents ORDER BY name")]
    finally:
        con.close()


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


def assert_one_error(result, *words: str) -> str:
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# --- damaged OpenDocument: never stored truncated ----------------------------------------


def test_odt_with_bare_ampersand_is_one_error_and_nothing_stored(cli, project, tmp_path):
    path = make_odt(
        tmp_path / "gesprek.odt",
        "<text:p>I: Goedemorgen.</text:p><text:p>R: Goedemorgen.</text:p>"
        "<text:p>I: Jansen & Zn, de bakker?</text:p><text:p>R: Ja.</text:p>",
    )
    result = cli("--project", project, "import", path)
    line = assert_one_error(result, "gesprek.odt", "content.xml", "line 1")
    assert "save it again" in line
    assert documents(project) == []
    assert integrity_ok(project)


def test_odt_text_is_still_read_in_full(tmp_path):
    path = make_odt(
        tmp_path / "a.odt",
        '<text:p>I: Hoe <text:s text:c="2"/>gaat het?</text:p>'
        "<text:p>R: Goed<text:note><text:note-body><text:p>voetnoot</text:p></text:note-body>"
        "</text:note> hoor.</text:p>",
    )
    assert read_file(path).text == "I: Hoe   gaat het?\n\nR: Goed hoor."


@pytest.mark.parametrize("count", ["2000000000", "²", "-5", "x"])
def test_odt_space_counts(tmp_path, count):
    path = make_odt(tmp_path / "a.odt", f'<text:p>R: a<text:s text:c="{count}"/>b</text:p>')
    if count.isascii() and count.isdigit():
        with pytest.raises(ImportFileError, match=r"too large.*text:s") as info:
            read_file(path)
        assert "--max-size" in info.value.hint
    else:
        assert read_file(path).text == "R: a b"


def test_odt_many_space_runs_stop_at_the_text_limit(tmp_path):
    runs = '<text:s text:c="400000"/>' * 10
    path = make_odt(tmp_path / "a.odt", f"<text:p>R: a{runs}b</text:p>")
    with pytest.raises(ImportFileError, match="too large"):
        read_file(path, Limits(2))
    assert len(read_file(path, Limits(5)).text) == len("R: a") + 4_000_000 + len("b")


# --- zip bombs and size limits -------------------------------------------------------------


def _docx_bomb(path: Path, megabytes: int) -> Path:
    """A .docx of about 1 MB whose document.xml unpacks to *megabytes* MB."""
    paragraph = "<w:p><w:r><w:t>R: ja</w:t></w:r></w:p>"
    count = megabytes * 2**20 // len(paragraph)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(f'<w:document xmlns:w="{W}"><w:body>'.encode())
            block = (paragraph * 10_000).encode()
            for _ in range(count // 10_000):
                stream.write(block)
            stream.write(b"</w:body></w:document>")
    return path


def test_docx_zip_bomb_is_refused_before_unpacking(cli, project, tmp_path):
    path = _docx_bomb(tmp_path / "bom.docx", 300)
    assert path.stat().st_size < 2 * 2**20
    result = cli("--project", project, "import", path)
    line = assert_one_error(result, "bom.docx", "too large", "word/document.xml", "--max-size")
    assert "zip bomb" in line
    assert documents(project) == []


def test_lying_declared_size_never_unpacks_more(tmp_path):
    from codeer.ingest.office import Container, not_valid

    path = _docx_bomb(tmp_path / "bom.docx", 30)
    damaged = not_valid("Word", str(path), "save it again")
    container = Container(path.read_bytes(), Limits(1), str(path), damaged)
    # What a lying header says: 1000 bytes. Unpacking stops there and the file is damaged.
    container.archive.getinfo("word/document.xml").file_size = 1000
    with pytest.raises(ImportFileError, match="not a valid Word file"):
        container.read("word/document.xml")
    honest = Container(path.read_bytes(), Limits(1), str(path), damaged)
    with pytest.raises(ImportFileError, match="too large"):
        honest.read("word/document.xml")


def test_too_many_lines_is_refused_before_parsing(cli, project, tmp_path):
    path = tmp_path / "lang.txt"
    path.write_text("R: ja\n" * 6_000, encoding="utf-8")
    result = cli("--project", project, "import", "--max-size", "1", path)
    assert_one_error(result, "lang.txt", "6,001 lines", "limit is 5,000", "--max-size")
    assert documents(project) == []
    result = cli("--project", project, "import", "--max-size", "2", path)
    assert result.exit_code == 0, result.stderr
    assert documents(project) == ["lang.txt"]


def test_file_over_the_size_limit_is_refused_without_reading_it(cli, project, tmp_path):
    path = tmp_path / "groot.txt"
    with path.open("wb") as stream:
        stream.truncate(21 * 2**20)  # sparse: 21 MB of NUL bytes
    result = cli("--project", project, "import", path)
    assert_one_error(result, "groot.txt", "21.0 MB", "limit is 20 MB")


def test_docx_normal_file_still_reads_and_docx_bomb_respects_override(tmp_path):
    path = make_docx(tmp_path / "a.docx", docx_paragraphs("I: Hallo?", "R: Ja &amp; nee."))
    assert read_file(path).text == "I: Hallo?\n\nR: Ja & nee."


# --- XML attacks stay refused ----------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">'
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("prolog,entity", [(LAUGHS, "&i;"), (XXE, "&x;")])
@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_entities_are_refused(cli, project, tmp_path, prolog, entity, kind):
    if kind == "docx":
        path = make_docx(tmp_path / "x.docx", docx_paragraphs(f"R: {entity}"), prolog)
    else:
        path = make_odt(tmp_path / "x.odt", f"<text:p>R: {entity}</text:p>", prolog)
    result = cli("--project", project, "import", path)
    assert_one_error(result, "DOCTYPE", "refused")
    assert documents(project) == []


# --- symlinks and output folders --------------------------------------------------------------


def test_symlinks_inside_a_folder_are_skipped(cli, project, tmp_path):
    folder = tmp_path / "tr"
    folder.mkdir()
    (folder / "a.txt").write_text("R: Ik woon in Lindewaard.\n", encoding="utf-8")
    secret = tmp_path / "geheim.txt"
    secret.write_text("R: niet voor codeer\n", encoding="utf-8")
    (folder / "link.txt").symlink_to(secret)
    (folder / "map").symlink_to(tmp_path)  # a link to a folder holding this folder: a loop
    (folder / "lus").symlink_to(folder / "lus")  # a link to itself
    result = cli("--project", project, "import", folder)
    assert result.exit_code == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 3 and all("symbolic link" in line for line in skipped)
    assert documents(project) == ["a.txt"]
    # Named on the command line, a link is followed: the user named it.
    result = cli("--project", project, "import", folder / "link.txt")
    assert result.exit_code == 0, result.stderr
    assert documents(project) == ["a.txt", "link.txt"]


def test_metadata_file_that_is_a_symlink_is_refused(cli, project, tmp_path):
    folder = tmp_path / "tr"
    folder.mkdir()
    (folder / "a.txt").write_text("R: Ja.\n", encoding="utf-8")
    (tmp_path / "buiten.csv").write_text("document,geheim\na.txt,x\n", encoding="utf-8")
    (folder / "metadata.csv").symlink_to(tmp_path / "buiten.csv")
    result = cli("--project", project, "import", folder)
    assert_one_error(result, "symbolic link", "--meta")
    assert documents(project) == []


def test_special_files_never_hang(cli, project, tmp_path):
    folder = tmp_path / "tr"
    folder.mkdir()
    os.mkfifo(folder / "pijp.txt")
    (folder / "a.txt").write_text("R: Ja.\n", encoding="utf-8")
    result = cli("--project", project, "import", folder)
    assert result.exit_code == 0, result.stderr
    assert documents(project) == ["a.txt"]
    result = cli("--project", project, "import", folder / "pijp.txt")
    assert_one_error(result, "not a regular file")


def test_project_folders_inside_an_imported_folder_are_skipped(cli, tmp_path):
    folder = tmp_path / "tr"
    folder.mkdir()
    (folder / "a.txt").write_text("R: Ja.\n", encoding="utf-8")
    inner = folder / "project"
    assert cli("init", inner).exit_code == 0
    (inner / "report.md").write_text("# Report\n", encoding="utf-8")
    result = cli("--project", inner, "import", folder)
    assert result.exit_code == 0, result.stderr
    assert "codeer project folder" in result.stderr
    assert documents(inner) == ["a.txt"]
    # The project folder itself given: its own outputs are skipped, transcripts taken.
    (inner / "b.txt").write_text("R: Nee.\n", encoding="utf-8")
    result = cli("--project", inner, "import", inner)
    assert result.exit_code == 0, result.stderr
    assert "codeer's own output" in result.stderr
    assert documents(inner) == ["a.txt", "b.txt"]


def test_run_twice_does_not_import_its_own_outputs(cli, tmp_path):
    folder = tmp_path / "tr"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "I: Hoe gaat het met de wijkteams in Lindewaard?\n"
        "R: De samenwerking met de huisarts loopt goed.\n",
        encoding="utf-8",
    )
    for _ in range(2):
        result = cli("run", folder, "--out", folder / "out")
        assert result.exit_code == 0, result.stderr
    assert (folder / "out" / "report.md").exists()
    assert documents(folder / "out") == ["a.txt"]
    assert "skipped" in result.stderr and "codeer project folder" in result.stderr


# --- a full disk is not the file's fault ----------------------------------------------------


def test_full_disk_stops_the_import_with_one_line_and_whole_documents(tmp_path):
    folder = tmp_path / "tr"
    folder.mkdir()
    (folder / "a.txt").write_text("R: Kort.\n", encoding="utf-8")
    (folder / "b.txt").write_text("R: " + "lang verhaal " * 200_000 + "\n", encoding="utf-8")
    (folder / "c.txt").write_text("R: Ook kort.\n", encoding="utf-8")
    with Project.init(tmp_path / "p") as project:
        pages = project.con.execute("PRAGMA page_count").fetchone()[0]
        # SQLite's own "database or disk is full", as on a real full disk.
        project.con.execute(f"PRAGMA max_page_count = {pages + 40}")
        seen = []
        with pytest.raises(ProjectError, match="disk is full") as info:
            import_paths(project, [folder], on_file=seen.append)
        assert "open and save" not in str(info.value)
        assert [o.name for o in seen] == ["a.txt"]
    assert documents(tmp_path / "p") == ["a.txt"]
    assert integrity_ok(tmp_path / "p")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_folder_is_a_failure(cli, project, tmp_path):
    folder = tmp_path / "tr"
    (folder / "dicht").mkdir(parents=True)
    (folder / "a.txt").write_text("R: Ja.\n", encoding="utf-8")
    (folder / "dicht").chmod(0)
    try:
        result = cli("--project", project, "import", folder)
    finally:
        (folder / "dicht").chmod(0o755)
    assert_one_error(result, "dicht", "cannot read this folder")
    assert documents(project) == ["a.txt"]
