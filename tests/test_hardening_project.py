"""Issue 12: a damaged, foreign, read-only or full project gives one `Error:` line.

Read-only and full disks are real: a small tmpfs is mounted (we run as root, here and in
CI); where mounting is not allowed the test is skipped and says why. The interview text
is fictional.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from codeer.store.opening import APPLICATION_ID
from codeer.store.project import DB_NAME, Project
from tests.factories import add_codebook, add_coding, add_document, new_project

TEXT = "I: Hoe gaat het met de school?\nR: We hebben korte lijntjes, het vertrouwen is goed.\n"


def one_error_line(result) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    return errors[0]


def fictional_project(folder: Path) -> Path:
    project = new_project(folder)
    q = TEXT.index("R:")
    doc = add_document(project, "fictief.txt", TEXT, {"gemeente": "Zandhoven"}, [
        ("I", "interviewer", 0, q), ("R", "respondent", q, len(TEXT)),
    ])  # fmt: skip
    add_codebook(project, [("verbinden", None)])
    add_coding(project, doc, q + 3, len(TEXT) - 1, "verbinden")
    project.close()
    return folder


def integrity(path: Path, read_only: bool = False) -> str:
    uri = path.resolve().as_uri() + ("?mode=ro&immutable=1" if read_only else "")
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as con:
        return con.execute("PRAGMA integrity_check").fetchone()[0]


def test_init_marks_the_database_as_codeer_s(tmp_path: Path) -> None:
    folder = fictional_project(tmp_path / "p")
    with contextlib.closing(sqlite3.connect(folder / DB_NAME)) as con:
        assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_an_older_project_without_the_marker_is_recognised_and_marked(tmp_path, cli) -> None:
    folder = fictional_project(tmp_path / "p")
    with contextlib.closing(sqlite3.connect(folder / DB_NAME)) as con:
        con.execute("PRAGMA application_id = 0")
    result = cli("-p", folder, "documents", "--format", "csv")
    assert result.exit_code == 0 and "fictief.txt" in result.stdout
    with contextlib.closing(sqlite3.connect(folder / DB_NAME)) as con:
        assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.parametrize("command", [["documents"], ["init"], ["segments"], ["code"]])
def test_another_program_s_database_is_refused_untouched(tmp_path, cli, command) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    with contextlib.closing(sqlite3.connect(folder / DB_NAME)) as con:
        con.execute("CREATE TABLE recipes (name TEXT)")
        con.execute("INSERT INTO recipes VALUES ('stamppot')")
        con.commit()
    before = (folder / DB_NAME).read_bytes()
    args = ["init", folder] if command == ["init"] else ["-p", folder, *command]
    line = one_error_line(cli(*args))
    assert "is not a codeer database" in line and "recipes" in line
    assert (folder / DB_NAME).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME]


def test_a_database_with_another_application_id_is_refused(tmp_path, cli) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    with contextlib.closing(sqlite3.connect(folder / DB_NAME)) as con:
        con.execute("PRAGMA application_id = 1234")
    assert "another program" in one_error_line(cli("-p", folder, "documents"))


def test_a_schema_version_without_tables_is_damaged(tmp_path, cli) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    with contextlib.closing(sqlite3.connect(folder / DB_NAME)) as con:
        con.execute("PRAGMA user_version = 3")
    line = one_error_line(cli("-p", folder, "documents"))
    assert "damaged" in line and "documents" in line and "backup" in line


def test_a_file_that_is_no_database_is_one_error(tmp_path, cli) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"this is not SQLite at all\n" * 100)
    assert "not a database" in one_error_line(cli("-p", folder, "documents"))


def damage_codings_page(db: Path) -> None:
    with contextlib.closing(sqlite3.connect(db)) as con:
        size = con.execute("PRAGMA page_size").fetchone()[0]
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'codings'")
        page = root.fetchone()[0]
    with open(db, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xff" * 64)


@pytest.mark.parametrize(
    "command", [["review", "--plain"], ["documents"], ["segments"], ["matrix"], ["code"]]
)
def test_a_damaged_page_is_one_clear_error(tmp_path, cli, command) -> None:
    folder = fictional_project(tmp_path / "p")
    damage_codings_page(folder / DB_NAME)
    line = one_error_line(cli("-p", folder, *command, input="q\n"))
    assert "damaged" in line and "sqlite3 codeer.db .recover" in line


@contextlib.contextmanager
def tmpfs(where: Path, size: str):
    """A small tmpfs at *where*, or skip the test when this machine does not allow it."""
    where.mkdir(parents=True, exist_ok=True)
    mount = shutil.which("mount")
    if mount is None:
        pytest.skip("no mount command: cannot make a small file system")
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_read_only_project_can_be_read_but_not_written(tmp_path, cli) -> None:
    source = fictional_project(tmp_path / "p")
    with tmpfs(tmp_path / "ro", "4m") as mount:
        shutil.copytree(source, mount / "p")
        remount = subprocess.run(["mount", "-o", "remount,ro", str(mount)], capture_output=True)
        if remount.returncode != 0:
            pytest.skip("cannot remount the tmpfs read-only")
        folder = mount / "p"
        listed = cli("-p", folder, "documents", "--format", "csv")
        assert listed.exit_code == 0, listed.stderr
        assert "fictief.txt" in listed.stdout
        assert cli("-p", folder, "segments", "--format", "jsonl").stdout.count("\n") == 1
        out = tmp_path / "m.csv"
        assert cli("-p", folder, "matrix", "--status", "all", "-o", out).exit_code == 0
        assert "read-only" in one_error_line(cli("-p", folder, "code"))
        plain = cli("-p", folder, "review", "--plain", "--coder", "anna", input="a\nq\n")
        assert "Traceback" not in plain.stderr and "read-only" in plain.stdout
        assert integrity(folder / DB_NAME, read_only=True) == "ok"


def fill_disk(folder: Path) -> None:
    """Fill the file system of *folder* up to the last few bytes."""
    with contextlib.suppress(OSError), open(folder / "filler", "wb") as handle:
        while True:
            handle.write(b"\0" * 4096)
            handle.flush()


@pytest.mark.parametrize("command", [["code"], ["report", "-o", "REPORT"]])
def test_a_full_disk_is_one_error_and_the_project_stays_whole(tmp_path, cli, command) -> None:
    with tmpfs(tmp_path / "small", "2m") as mount:
        folder = fictional_project(mount / "p")
        with Project.open(folder) as project:  # a bigger document, so code has much to store
            long = "R: " + "Het vertrouwen in de school en de wijk groeit. " * 2000
            add_document(project, "lang.txt", long)
        before = sqlite3.connect(folder / DB_NAME).execute("SELECT count(*) FROM codings")
        count = before.fetchone()[0]
        fill_disk(mount)
        args = [str(mount / "r.html") if a == "REPORT" else a for a in command]
        line = one_error_line(cli("-p", folder, *args))
        assert "disk is full" in line
        (mount / "filler").unlink()
        assert integrity(folder / DB_NAME) == "ok"
        with contextlib.closing(sqlite3.connect(folder / DB_NAME)) as con:
            assert con.execute("SELECT count(*) FROM codings").fetchone()[0] == count
        assert not (mount / "r.html").exists()  # no half-written report
        assert not [p for p in mount.iterdir() if p.name.endswith(".tmp")]
