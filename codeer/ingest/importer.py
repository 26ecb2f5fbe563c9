"""Importing transcript files into a project, one transaction per document.

A bad file is reported and skipped while the others land; an identical re-import is a
no-op; the same name with other content is refused unless ``replace`` is set. Replacing
a document keeps its codings where their exact text is found again in the new version
(the nearest occurrence) and records the ones that cannot be placed in the event log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from codeer.errors import CodeerError, ImportFileError
from codeer.ingest.metadata import METADATA_NAMES, MetaRow, find_metadata, match_document
from codeer.ingest.model import Turn
from codeer.ingest.speaker_roles import (
    document_speaker_roles,
    project_speaker_roles,
    speaker_columns,
)
from codeer.store.project import Project, now

IMPORTED, REPLACED, UNCHANGED, FAILED = "imported", "replaced", "unchanged", "failed"


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


def _skipped(path: Path) -> bool:
    """Files in a folder that are not transcripts: hidden, Word lock files, READMEs, metadata."""
    name = path.name
    return (
        name.startswith((".", "~$"))
        or name.lower().startswith("readme")
        or name.lower() in METADATA_NAMES
    )


def collect_files(paths: list[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Expand folders (recursively) into supported files; missing paths become failures."""
    from codeer.ingest.readers import SUPPORTED

    files: list[Path] = []
    failures: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if any(part.startswith(".") for part in relative) or not child.is_file():
                    continue
                if child.suffix.lower() in SUPPORTED and not _skipped(child):
                    files.append(child)
        elif path.is_file():
            files.append(path)
        else:
            error = ImportFileError(
                "no such file or folder", where=str(path), hint="check the path"
            )
            failures.append(FileOutcome(path, path.name, FAILED, error))
    return files, failures


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
    path: Path, interviewers: list[str] | None = None, speakers: dict[str, str] | None = None
) -> PreparedDocument:
    """Read one file and find its turns and roles (no database access).

    *interviewers* and the labels of *speakers* (label -> role) are taken as speaker labels
    exactly as written, whatever their form.
    """
    from codeer.ingest.readers import read_file
    from codeer.ingest.roles import assign_roles
    from codeer.ingest.turns import parse_turns

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"cannot read the file ({exc.strerror})", where=str(path)) from exc
    raw = read_file(path)
    known = [*(interviewers or []), *(speakers or {})]
    raw_turns = raw.turns if raw.turns is not None else parse_turns(raw.text, known)
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
        con.executemany(
            "INSERT INTO turns (document_id, idx, speaker, role, start, end, timestamp, head)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, t.index, t.speaker, t.role, t.start, t.end, t.timestamp, t.head)
                for t in doc.turns
            ],
        )
        # The roles given for this document are kept, so `codeer speakers` can show them
        # and a later re-import or `speakers set` starts from them.
        if existing:
            con.execute("DELETE FROM speaker_roles WHERE document_id = ?", (doc_id,))
        con.executemany(
            "INSERT INTO speaker_roles (document_id, speaker, role, set_at, actor)"
            " VALUES (?, ?, ?, ?, ?)",
            [(doc_id, label, role, now(), "import") for label, role in doc.speaker_roles.items()],
        )
        _set_attributes(project, doc_id, doc.attributes)
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


def _set_attributes(project: Project, doc_id: int, attributes: dict[str, str]) -> None:
    project.con.executemany(
        "INSERT INTO attributes (document_id, key, value) VALUES (?, ?, ?)"
        " ON CONFLICT (document_id, key) DO UPDATE SET value = excluded.value",
        [(doc_id, key, value) for key, value in attributes.items()],
    )


def apply_metadata(project: Project, rows: list[MetaRow], report: ImportReport) -> None:
    """Set attributes from metadata rows; a row naming no document is an error for that row."""
    from codeer.errors import MetadataError

    names = [r["name"] for r in project.con.execute("SELECT name FROM documents")]
    for row in rows:
        name = match_document(row.document, names)
        if name is None:
            report.meta_errors.append(
                MetadataError(
                    f"document {row.document!r} matches no imported document",
                    where=row.where,
                    hint="correct the name in the document column, or import that file",
                )
            )
            continue
        doc_id = project.con.execute("SELECT id FROM documents WHERE name = ?", (name,)).fetchone()[
            0
        ]
        current = dict(
            project.con.execute(
                "SELECT key, value FROM attributes WHERE document_id = ?", (doc_id,)
            ).fetchall()
        )
        changes = {k: v for k, v in row.attributes.items() if current.get(k) != v}
        if changes:
            with project.transaction():
                _set_attributes(project, doc_id, changes)
                project.log("attributes", {"document": name, "set": changes, "from": row.where})
        report.meta_applied += 1


def import_paths(
    project: Project,
    paths: list[Path],
    meta: Path | None = None,
    replace: bool = False,
    interviewers: list[str] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    speakers: dict[str, str] | None = None,
) -> ImportReport:
    """Import files and folders; metadata from *meta* or a metadata file in a given folder.

    *speakers* (label -> role, ``--speaker``) applies to every file; a ``speakers`` column in
    the metadata file (``De voorzitter=interviewer; Jan=respondent``) to its row's document,
    and roles set earlier with ``codeer speakers set`` for all documents apply as well.
    A malformed metadata file raises MetadataError before anything is imported.
    """
    from codeer.ingest.metadata import read_metadata

    report = ImportReport()
    if meta is None:
        meta = next((m for p in paths if p.is_dir() and (m := find_metadata(p))), None)
    rows = read_metadata(meta) if meta else []
    report.meta_file = meta
    files, failures = collect_files(paths)
    for failure in failures:
        report.outcomes.append(failure)
        if on_file:
            on_file(failure)
    per_document = speaker_columns(rows)
    everywhere = project_speaker_roles(project)
    seen: dict[str, Path] = {}
    for path in files:
        roles = dict(everywhere)
        for (document, _where), given in per_document.items():
            if match_document(document, [path.name]) is not None:
                roles.update(given)
        roles.update(speakers or {})
        outcome = _import_one(project, path, seen, replace, interviewers, roles)
        report.outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    apply_metadata(project, rows, report)
    return report


def _unchanged(project: Project, path: Path) -> bool:
    """Same name and same bytes as a stored document: nothing to parse or write."""
    row = project.con.execute(
        "SELECT sha256 FROM documents WHERE name = ?", (path.name,)
    ).fetchone()
    if row is None:
        return False
    try:
        return row[0] == hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return False  # prepare() reports the read error properly


def _import_one(
    project: Project,
    path: Path,
    seen: dict[str, Path],
    replace: bool,
    interviewers: list[str] | None,
    speakers: dict[str, str],
) -> FileOutcome:
    try:
        if path.name in seen:
            raise ImportFileError(
                f"another file in this import is also named {path.name!r} ({seen[path.name]})",
                where=str(path),
                hint="document names are file names: rename one of the two",
            )
        seen[path.name] = path
        if _unchanged(project, path):
            turns, speakers = project.con.execute(
                "SELECT COUNT(*), COUNT(DISTINCT NULLIF(speaker, '')) FROM turns t"
                " JOIN documents d ON d.id = t.document_id WHERE d.name = ?",
                (path.name,),
            ).fetchone()
            return FileOutcome(path, path.name, UNCHANGED, turns=turns, speakers=speakers)
        # Roles set earlier for this document (`codeer speakers set --document`) carry over
        # to a new version of it; what this import says wins.
        speakers = {**document_speaker_roles(project, path.name), **speakers}
        doc = prepare(path, interviewers, speakers)
        status = store_document(project, doc, replace)
        n_speakers = len({t.speaker for t in doc.turns if t.speaker})
        return FileOutcome(
            path, doc.name, status, turns=len(doc.turns), speakers=n_speakers, notes=doc.notes()
        )
    except CodeerError as error:
        if error.where is None:
            error.where = str(path)
        return FileOutcome(path, path.name, FAILED, error)
    except Exception as exc:  # a reader library choking on a damaged file: report, go on
        error = ImportFileError(
            f"could not be read ({type(exc).__name__}: {exc})",
            where=str(path),
            hint="open and save it again in its program, or export it as .txt",
        )
        return FileOutcome(path, path.name, FAILED, error)
