"""Importing transcript files into a project, one transaction per document.

A bad file is reported and skipped while the others land; an identical re-import is a
no-op; the same name with other content is refused unless ``replace`` is set. Replacing
a document keeps its codings where their exact text is found again in the new version
(the nearest occurrence) and records the ones that cannot be placed in the event log.
"""

from __future__ import annotations

import errno
import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from codeer.errors import CodeerError, ImportFileError, ProjectError
from codeer.ingest.attributes import set_attributes
from codeer.ingest.limits import DEFAULT_LIMITS, Limits
from codeer.ingest.metadata import find_metadata, match_document
from codeer.ingest.model import Turn
from codeer.ingest.speaker_roles import (
    document_speaker_roles,
    project_speaker_roles,
    speaker_columns,
)
from codeer.store.documents import insert_turns
from codeer.store.opening import database_error, disk_full_error
from codeer.store.project import Project, now

IMPORTED, REPLACED, UNCHANGED, FAILED = "imported", "replaced", "unchanged", "failed"
SKIPPED = "skipped"  # not a transcript: a link or a project folder inside a folder


@dataclass
class FileOutcome:
    """What happened to one input file."""

    path: Path
    name: str
    status: str
    error: CodeerError | None = None
    turns: int = 0
    speakers: int = 0
    notes: list[str] = field(default_factory=list)  # worth telling: a preamble kept, ...


@dataclass
class ImportReport:
    """All outcomes of one import, plus metadata problems."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    meta_file: Path | None = None
    meta_errors: list[CodeerError] = field(default_factory=list)
    meta_applied: int = 0

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def ok(self) -> bool:
        return not self.meta_errors and self.count(FAILED) == 0


def collect_files(
    paths: list[Path], exclude: list[Path] | None = None
) -> tuple[list[Path], list[FileOutcome]]:
    """Expand folders (recursively) into supported files.

    Returns the files and the outcomes to report before them: missing paths (failed),
    and links, project folders and *exclude* folders met inside a folder (skipped; see
    :mod:`codeer.ingest.folders`). A path named here is taken even when it is a link.
    """
    from codeer.ingest.folders import UNREADABLE, walk_folder
    from codeer.ingest.readers import SUPPORTED

    excluded = frozenset(p.resolve() for p in exclude or [])
    files: list[Path] = []
    outcomes: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            found, skipped = walk_folder(path, SUPPORTED, excluded)
            files += found
            for where, why in skipped:
                if why.startswith(UNREADABLE):  # its transcripts would be missing: a failure
                    error = ImportFileError(why, where=str(where), hint="check its permissions")
                    outcomes.append(FileOutcome(where, where.name, FAILED, error))
                else:
                    outcomes.append(FileOutcome(where, where.name, SKIPPED, notes=[why]))
        elif path.is_file():
            files.append(path)
        else:
            why = "not a regular file" if path.exists() else "no such file or folder"
            error = ImportFileError(why, where=str(path), hint="check the path")
            outcomes.append(FileOutcome(path, path.name, FAILED, error))
    return files, outcomes


@dataclass
class PreparedDocument:
    """A file read, normalised and segmented, ready to store."""

    path: Path
    name: str
    sha256: str
    format: str
    text: str
    attributes: dict[str, str]
    turns: list[Turn]
    speaker_roles: dict[str, str] = field(default_factory=dict)  # as given for this document

    def notes(self) -> list[str]:
        """What the import line should say beyond the counts."""
        said = []
        first = self.turns[0] if self.turns else None
        if first is not None and not first.speaker and any(t.speaker for t in self.turns):
            said.append("text before the first label kept as an 'other' turn")
        return said


def prepare(
    path: Path,
    interviewers: list[str] | None = None,
    speakers: dict[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    data: bytes | None = None,
) -> PreparedDocument:
    """Read one file and find its turns and roles (no database access).

    *interviewers* and the labels of *speakers* (label -> role) are taken as speaker labels
    exactly as written, whatever their form. A file over *limits* is refused before its
    turns are looked for. *data* are the file's bytes when the caller has read them.
    """
    from codeer.ingest.limits import check_turns, read_limited
    from codeer.ingest.readers import check_supported, read_data
    from codeer.ingest.roles import assign_roles
    from codeer.ingest.turns import parse_turns

    check_supported(path)
    if data is None:
        data = read_limited(path, limits, str(path))
    raw = read_data(path, data, limits)
    known = [*(interviewers or []), *(speakers or {})]
    raw_turns = raw.turns if raw.turns is not None else parse_turns(raw.text, known)
    check_turns(len(raw_turns), limits, str(path))
    if not raw_turns:
        raise ImportFileError(
            "no text found", where=str(path), hint="is the file empty or only a header?"
        )
    turns = assign_roles(raw.text, raw_turns, interviewers, speakers)
    sha = hashlib.sha256(data).hexdigest()
    return PreparedDocument(
        path, path.name, sha, raw.format, raw.text, raw.attributes, turns, dict(speakers or {})
    )


def store_document(project: Project, doc: PreparedDocument, replace: bool) -> str:
    """Write one prepared document in its own transaction; return its status."""
    con = project.con
    existing = con.execute(
        "SELECT id, sha256, text FROM documents WHERE name = ?", (doc.name,)
    ).fetchone()
    if existing and existing["sha256"] == doc.sha256:
        return UNCHANGED
    if existing and not replace:
        raise ImportFileError(
            f"a different document named {doc.name!r} is already in the project",
            where=str(doc.path),
            hint="use --replace to replace it, or rename the file",
        )
    with project.transaction():
        if existing:
            doc_id = existing["id"]
            con.execute(
                "UPDATE documents SET source = ?, sha256 = ?, text = ?, format = ?, imported_at = ?"
                " WHERE id = ?",
                (str(doc.path), doc.sha256, doc.text, doc.format, now(), doc_id),
            )
            con.execute("DELETE FROM units WHERE document_id = ?", (doc_id,))
            con.execute("DELETE FROM turns WHERE document_id = ?", (doc_id,))
            moved, lost = _reanchor_codings(project, doc_id, existing["text"], doc.text)
        else:
            doc_id = con.execute(
                "INSERT INTO documents (name, source, sha256, text, format, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (doc.name, str(doc.path), doc.sha256, doc.text, doc.format, now()),
            ).lastrowid
        insert_turns(con, doc_id, doc.turns)
        # The roles given for this document are kept, so `codeer speakers` can show them
        # and a later re-import or `speakers set` starts from them.
        if existing:
            con.execute("DELETE FROM speaker_roles WHERE document_id = ?", (doc_id,))
        con.executemany(
            "INSERT INTO speaker_roles (document_id, speaker, role, set_at, actor)"
            " VALUES (?, ?, ?, ?, ?)",
            [(doc_id, label, role, now(), "import") for label, role in doc.speaker_roles.items()],
        )
        set_attributes(project, doc_id, doc.attributes)
        detail: dict[str, object] = {
            "document": doc.name,
            "source": str(doc.path),
            "sha256": doc.sha256,
        }
        if existing:
            detail.update(codings_moved=moved, codings_lost=lost)
        project.log("replace" if existing else "import", detail)
    return REPLACED if existing else IMPORTED


def _reanchor_codings(
    project: Project, doc_id: int, old_text: str, new_text: str
) -> tuple[int, list[dict[str, object]]]:
    """Move codings to where their exact text stands in the new version; drop the rest."""
    moved = 0
    lost: list[dict[str, object]] = []
    rows = project.con.execute(
        "SELECT id, start, end, code, status, coder FROM codings WHERE document_id = ?", (doc_id,)
    ).fetchall()
    for row in rows:
        fragment = old_text[row["start"] : row["end"]]
        position = _nearest(new_text, fragment, row["start"]) if fragment else -1
        if position < 0:
            lost.append({**dict(row), "text": fragment})
            project.con.execute("DELETE FROM codings WHERE id = ?", (row["id"],))
        else:
            project.con.execute(
                "UPDATE codings SET start = ?, end = ? WHERE id = ?",
                (position, position + len(fragment), row["id"]),
            )
            moved += 1
    return moved, lost


def _nearest(text: str, fragment: str, around: int) -> int:
    best = -1
    position = text.find(fragment)
    while position >= 0:
        if best < 0 or abs(position - around) < abs(best - around):
            best = position
        position = text.find(fragment, position + 1)
    return best


def import_paths(
    project: Project,
    paths: list[Path],
    meta: Path | None = None,
    replace: bool = False,
    interviewers: list[str] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    speakers: dict[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    exclude: list[Path] | None = None,
) -> ImportReport:
    """Import files and folders; metadata from *meta* or a metadata file in a given folder.

    *speakers* (label -> role, ``--speaker``) applies to every file; a ``speakers`` column in
    the metadata file (``De voorzitter=interviewer; Jan=respondent``) to its row's document,
    and roles set earlier with ``codeer speakers set`` for all documents apply as well.
    A malformed metadata file raises MetadataError before anything is imported. Folders
    in *exclude* (an output folder) are skipped, and so are links and project folders met
    inside a folder. A full disk or a database error stops the import with a ProjectError;
    every document stored before it is whole.
    """
    from codeer.ingest.attributes import apply_metadata
    from codeer.ingest.metadata import read_metadata

    report = ImportReport()
    if meta is None:
        meta = next((m for p in paths if p.is_dir() and (m := find_metadata(p))), None)
    rows = read_metadata(meta, limits) if meta else []
    report.meta_file = meta
    files, early = collect_files(paths, exclude)
    for outcome in early:
        report.outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    per_document = speaker_columns(rows)
    everywhere = project_speaker_roles(project)
    seen: dict[str, Path] = {}
    for path in files:
        roles = dict(everywhere)
        for (document, _where), given in per_document.items():
            if match_document(document, [path.name]) is not None:
                roles.update(given)
        roles.update(speakers or {})
        outcome = _import_one(project, path, seen, replace, interviewers, roles, limits)
        report.outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    report.meta_applied, report.meta_errors = apply_metadata(project, rows)
    return report


def _import_one(
    project: Project,
    path: Path,
    seen: dict[str, Path],
    replace: bool,
    interviewers: list[str] | None,
    speakers: dict[str, str],
    limits: Limits,
) -> FileOutcome:
    from codeer.ingest.limits import read_limited
    from codeer.ingest.readers import check_supported

    try:
        if path.name in seen:
            raise ImportFileError(
                f"another file in this import is also named {path.name!r} ({seen[path.name]})",
                where=str(path),
                hint="document names are file names: rename one of the two",
            )
        seen[path.name] = path
        check_supported(path)
        data = read_limited(path, limits, str(path))  # read once: hashed, then parsed
        stored = project.con.execute(
            "SELECT sha256 FROM documents WHERE name = ?", (path.name,)
        ).fetchone()
        if stored is not None and stored[0] == hashlib.sha256(data).hexdigest():
            n_turns, n_speakers = project.con.execute(
                "SELECT COUNT(*), COUNT(DISTINCT NULLIF(speaker, '')) FROM turns t"
                " JOIN documents d ON d.id = t.document_id WHERE d.name = ?",
                (path.name,),
            ).fetchone()
            return FileOutcome(path, path.name, UNCHANGED, turns=n_turns, speakers=n_speakers)
        # Roles set earlier for this document (`codeer speakers set --document`) carry over
        # to a new version of it; what this import says wins.
        speakers = {**document_speaker_roles(project, path.name), **speakers}
        doc = prepare(path, interviewers, speakers, limits, data)
        status = store_document(project, doc, replace)
        n_speakers = len({t.speaker for t in doc.turns if t.speaker})
        return FileOutcome(
            path, doc.name, status, turns=len(doc.turns), speakers=n_speakers, notes=doc.notes()
        )
    except ProjectError:
        raise  # the project, not this file (read-only, full disk): stop the import
    except CodeerError as error:
        if error.where is None:
            error.where = str(path)
        return FileOutcome(path, path.name, FAILED, error)
    except sqlite3.Error as exc:
        # "database or disk is full", a locked or damaged database: never the file's fault.
        # The document's transaction was rolled back; stop with one line about the project.
        raise database_error(exc, project.db_path) from exc
    except MemoryError:
        error = ImportFileError(
            "not enough memory to import this file",
            where=str(path),
            hint="close other programs, or split the file into smaller ones",
        )
        return FileOutcome(path, path.name, FAILED, error)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise disk_full_error() from exc
        error = ImportFileError(
            f"cannot read the file: {exc.strerror or exc}",
            where=str(path),
            hint="check that it exists and that you may read it",
        )
        return FileOutcome(path, path.name, FAILED, error)
    except Exception as exc:  # a reader library choking on a damaged file: report, go on
        error = ImportFileError(
            f"could not be read ({type(exc).__name__}: {exc})",
            where=str(path),
            hint="open and save it again in its program, or export it as .txt",
        )
        return FileOutcome(path, path.name, FAILED, error)
