"""Walking an imported folder: which files are transcripts, and what is left alone.

Inside a folder codeer never follows a symbolic link (to a file or a folder): a link can
point anywhere (``/etc/shadow``, a network share, a loop back to its own folder), and a
researcher imports what is *in* the folder. A link named on the command line is
followed, since the user named it. Each link skipped gets one line.

A folder holding a ``codeer.db`` is a codeer project: its files are codeer's outputs
(``report.md``, ``summary.md``, ``subthemes.md``), not interviews. Below the folder
given, such a folder is skipped whole (``codeer run tr --out tr/out`` run twice); when
the given folder is itself a project, only those output files are skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

from codeer.ingest.metadata import METADATA_NAMES

PROJECT_MARKER = "codeer.db"
UNREADABLE = "cannot read this folder"  # starts the reason of a folder that failed
# What `codeer run` and `codeer report` write into a project folder.
OUTPUT_NAMES = frozenset({"report.md", "summary.md", "subthemes.md"})


def not_a_transcript(path: Path) -> bool:
    """Files in a folder that are not transcripts: hidden, Word lock files, READMEs, metadata."""
    name = path.name
    return (
        name.startswith((".", "~$"))
        or name.lower().startswith("readme")
        or name.lower() in METADATA_NAMES
    )


def walk_folder(
    root: Path, suffixes: tuple[str, ...], exclude: frozenset[Path] = frozenset()
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Transcript files below *root* (sorted), and (path, why) for what was skipped.

    Hidden files and folders, and files of other types, are passed over silently;
    links, project folders and the folders in *exclude* (resolved paths) are reported,
    and so are folders that cannot be read (their reason starts with :data:`UNREADABLE`).
    """
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            skipped.append((folder, f"{UNREADABLE} ({exc.strerror or exc})"))
            continue
        is_project = any(entry.name == PROJECT_MARKER for entry in entries)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            why = _why_skip(entry, path, exclude)
            if why:
                skipped.append((path, why))
            elif entry.is_dir(follow_symlinks=False):
                stack.append(path)
            elif not entry.is_file(follow_symlinks=False):
                continue  # a pipe, socket or device: never opened
            elif is_project and entry.name.lower() in OUTPUT_NAMES:
                skipped.append((path, "codeer's own output (this folder holds a codeer project)"))
            elif path.suffix.lower() in suffixes and not not_a_transcript(path):
                files.append(path)
    files.sort()
    return files, skipped


def _why_skip(entry: os.DirEntry[str], path: Path, exclude: frozenset[Path]) -> str | None:
    if entry.is_symlink():
        return (
            "a symbolic link, not followed inside a folder; "
            "name it on the command line to import what it points to"
        )
    if not entry.is_dir(follow_symlinks=False):
        return None
    if (path / PROJECT_MARKER).exists():
        return "a codeer project folder (holds codeer.db): its outputs are not transcripts"
    if exclude and path.resolve() in exclude:
        return "the output folder of this run"
    return None
