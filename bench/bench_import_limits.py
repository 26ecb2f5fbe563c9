"""Benchmark: peak memory and time of `codeer import` on huge and hostile single files.

Target (issue 12): under 1 GB of memory for any single file under 50 MB, and an answer
(imported, or one `Error:` line) within 10 seconds. Each case runs `codeer import` in a
fresh process; its peak resident memory comes from the kernel (``wait4``), so the
figures include Python and codeer themselves. Files are made up; no real people.

Run: ``python bench/bench_import_limits.py [--keep]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
LINE = "R: we werken veel samen met de school en het wijkteam kent de intern begeleider goed.\n"


def text_file(path: Path, megabytes: float, line: str = LINE) -> Path:
    """A .txt of *megabytes* MB made of *line* repeated."""
    count = int(megabytes * 2**20) // len(line.encode())
    with path.open("w", encoding="utf-8") as stream:
        for _ in range(count // 1000):
            stream.write(line * 1000)
        stream.write(line * (count % 1000))
    return path


def docx_bomb(path: Path, megabytes: int) -> Path:
    """A small .docx whose document.xml unpacks to *megabytes* MB of short paragraphs."""
    paragraph = "<w:p><w:r><w:t>R: ja</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(f'<w:document xmlns:w="{W}"><w:body>'.encode())
            block = (paragraph * 10_000).encode()
            for _ in range(megabytes * 2**20 // len(block)):
                stream.write(block)
            stream.write(b"</w:body></w:document>")
    return path


def odt(path: Path, body: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            f"<office:document-content {ODT_NS}><office:body><office:text>{body}"
            "</office:text></office:body></office:document-content>",
        )
    return path


def measure(project: Path, path: Path, *extra: str) -> tuple[float, float, int, str]:
    """(peak MB, seconds, exit code, last stderr line) of one `codeer import` process."""
    subprocess.run(
        [sys.executable, "-m", "codeer", "init", str(project)], check=True, capture_output=True
    )
    command = [sys.executable, "-m", "codeer", "--project", str(project), "import", *extra]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen([*command, str(path)], stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    process.returncode = os.waitstatus_to_exitcode(status)
    said = next((line for line in lines if line.startswith("Error:")), lines[-1] if lines else "")
    return usage.ru_maxrss / 1024, seconds, process.returncode, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="codeer-limits-"))
    cases = [
        ("python -c pass (baseline)", None, ()),
        ("txt, 49 MB (over the default 20 MB)", text_file(folder / "groot.txt", 49), ()),
        ("txt, 19 MB, 225,000 lines", text_file(folder / "lang.txt", 19), ()),
        (
            "txt, 19 MB, 1 line of 19 million characters",
            text_file(folder / "regel.txt", 19, "ja " * 6_000_000 + "\n"),
            (),
        ),
        ("txt, 8 MB, 95,000 turns (imported)", text_file(folder / "turns.txt", 8), ()),
        ("docx zip bomb: 1 MB file, 300 MB of XML", docx_bomb(folder / "bom.docx", 300), ()),
        ("docx, 19 MB of XML (just under the limit)", docx_bomb(folder / "vol.docx", 19), ()),
        (
            "odt with text:c=2000000000",
            odt(folder / "spaties.odt", '<text:p>R: a<text:s text:c="2000000000"/>b</text:p>'),
            (),
        ),
        ("txt, 49 MB with --max-size 60", folder / "groot.txt", ("--max-size", "60")),
    ]
    print("| file | peak memory | time | exit | what codeer says |")
    print("|---|---:|---:|---:|---|")
    for number, (label, path, extra) in enumerate(cases):
        if path is None:
            started = time.perf_counter()
            process = subprocess.Popen([sys.executable, "-c", "import codeer.cli.main"])
            _, _, usage = os.wait4(process.pid, 0)
            peak, seconds, code, said = usage.ru_maxrss / 1024, time.perf_counter() - started, 0, ""
        else:
            peak, seconds, code, said = measure(folder / f"p{number}", path, *extra)
        said = said.replace(str(folder) + "/", "").replace("|", "/")
        if len(said) > 110:
            said = said[:107] + "..."
        print(f"| {label} | {peak:,.0f} MB | {seconds:.1f} s | {code} | {said} |")
    if not args.keep:
        import shutil

        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
