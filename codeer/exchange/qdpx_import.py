"""Importing a REFI-QDA project (``.qdpx``) made by another tool (or by codeer).

Each text source becomes a document like a normal import: its text normalised as
codeer normalises every file, speaker turns found by the turn parser and roles assigned.
Codes become a stored codebook (:func:`codeer.coding.codebook.store_codebook`), every
coding a ``manual`` coding by its user, notes become memos. Positions are mapped onto
the normalised text by :mod:`codeer.exchange.positions`, per source, after detecting
how the tool counted. Each source lands in its own steps (the document, then its codings
and memos); a source that cannot be read is reported and skipped while the others land.
Importing the same file again adds nothing: identical codings and memos are not repeated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from codeer.errors import CodeerError, ImportFileError
from codeer.exchange.positions import DESCRIPTIONS, PositionMap, Selection, detect_convention
from codeer.exchange.qdpx_read import RefiProject, RefiSource, read_qdpx
from codeer.exchange.refi import codeer_datetime
from codeer.ingest.limits import DEFAULT_LIMITS, Limits
from codeer.store.coding_writes import insert_coding
from codeer.store.project import Project, now

IMPORTED_CODER = "imported"  # coder of a coding or memo whose user the file does not name
SKIPPED, FAILED = "skipped", "failed"


@dataclass
class SourceOutcome:
    """What happened to one source of the ``.qdpx``."""

    name: str
    status: str  # imported, replaced, unchanged (from the importer), skipped or failed
    codings: int = 0
    memos: int = 0
    convention: str = ""
    dropped: int = 0  # codings outside the text or pointing at no code
    message: str = ""

    def line(self) -> str:
        """The outcome as one line for the command line."""
        if self.status in (SKIPPED, FAILED):
            return f"{self.status:<9} {self.name}: {self.message}"
        text = f"{self.status:<9} {self.name} ({self.codings} codings, {self.memos} memos"
        if self.convention:
            text += f"; positions: {DESCRIPTIONS[self.convention]}"
        if self.dropped:
            text += f"; {self.dropped} codings dropped: outside the text or without a code"
        return text + ")"


@dataclass
class QdpxReport:
    """All outcomes of importing one ``.qdpx``."""

    path: Path
    origin: str = ""
    codes: int = 0
    outcomes: list[SourceOutcome] = field(default_factory=list)
    project_memos: int = 0

    @property
    def ok(self) -> bool:
        return not any(outcome.status == FAILED for outcome in self.outcomes)


def import_qdpx(
    project: Project,
    path: Path,
    *,
    replace: bool = False,
    on_source: Callable[[SourceOutcome], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> QdpxReport:
    """Import the ``.qdpx`` at *path* into *project*; see the module docstring.

    Every source is held to *limits* like a transcript file (``--max-size``).
    """
    from codeer.coding.codebook import parse_codebook, store_codebook
    from codeer.exchange.qdc import codes_to_yaml

    path = Path(path)
    refi = read_qdpx(path, limits)
    report = QdpxReport(path, refi.origin, len(refi.codes))
    code_keys = {code_guid: code.key for code_guid, code in refi.codes}
    book_id = None
    if refi.codes:
        name = refi.name or path.stem
        yaml_text = codes_to_yaml([code for _, code in refi.codes], name, source=path.name)
        codebook = parse_codebook(yaml_text, source=f"{path}#codebook")
        with project.transaction() as con:
            book_id = store_codebook(con, codebook, now())
            project.log("import.qdpx.codebook", {"file": str(path), "codes": len(refi.codes)})
    used_notes: set[str] = set()
    seen: set[str] = set()
    for source in refi.sources:
        outcome = _import_source(
            project, path, refi, source, code_keys, book_id, replace, seen, limits
        )
        used_notes.update(source.notes)
        used_notes.update(n for selection in source.selections for n in selection.notes)
        report.outcomes.append(outcome)
        if on_source:
            on_source(outcome)
    # Notes no source refers to (project memos, journals) are kept as project memos.
    loose = [n for n in [*refi.project_notes, *refi.notes] if n not in used_notes]
    with project.transaction():
        for note_guid in dict.fromkeys(loose):
            report.project_memos += _memo(project, refi, note_guid, None, None)
    return report


def _import_source(
    project: Project,
    path: Path,
    refi: RefiProject,
    source: RefiSource,
    code_keys: dict[str, str],
    book_id: int | None,
    replace: bool,
    seen: set[str],
    limits: Limits,
) -> SourceOutcome:
    from codeer.ingest.importer import PreparedDocument, store_document
    from codeer.ingest.limits import check_text, check_turns
    from codeer.ingest.normalise import decode
    from codeer.ingest.roles import assign_roles
    from codeer.ingest.turns import parse_turns

    name = _unique(source.name, seen)
    if source.skipped or source.data is None:
        return SourceOutcome(name, SKIPPED, message=source.skipped or "no text")
    where = f"{path}#{name}"
    try:
        raw = decode(source.data, where).lstrip("\ufeff")
        selections = [Selection(s.start, s.end, s.name) for s in source.selections]
        convention = detect_convention(raw, selections, refi.origin)
        positions = PositionMap(raw, convention)
        check_text(positions.text, limits, where)
        raw_turns = parse_turns(positions.text)
        check_turns(len(raw_turns), limits, where)
        if not raw_turns:
            raise ImportFileError("no text found", where=where, hint="is the source empty?")
        turns = assign_roles(positions.text, raw_turns)
        sha = hashlib.sha256(source.data).hexdigest()
        doc = PreparedDocument(
            Path(where), name, sha, "qdpx", positions.text, dict(source.attributes), turns
        )
        status = store_document(project, doc, replace)
    except CodeerError as error:
        return SourceOutcome(name, FAILED, message=error.one_line())
    outcome = SourceOutcome(name, status, convention=convention)
    con = project.con
    doc_id = con.execute("SELECT id FROM documents WHERE name = ?", (name,)).fetchone()[0]
    with project.transaction():
        for selection in source.selections:
            span = positions.span(selection.start, selection.end)
            if span is None:
                outcome.dropped += len(selection.codings) or 1
                continue
            first_coding = None
            for code_guid, user, time in selection.codings:
                key = code_keys.get(code_guid)
                if key is None:
                    outcome.dropped += 1
                    continue
                coder = refi.users.get(user, IMPORTED_CODER)
                coding_id, added = _coding(con, doc_id, span, key, coder, time, book_id, selection)
                first_coding = first_coding or coding_id
                outcome.codings += added
            if not selection.codings and selection.description:
                # An annotation without a code (MAXQDA writes these): a memo that quotes it.
                quote = positions.text[span[0] : span[1]]
                outcome.memos += _memo_row(
                    project, doc_id, None, refi.users.get(selection.user, IMPORTED_CODER),
                    f"«{quote}»: {selection.description}", selection.created,
                )  # fmt: skip
            for note_guid in selection.notes:
                outcome.memos += _memo(project, refi, note_guid, doc_id, first_coding)
        for note_guid in source.notes:
            outcome.memos += _memo(project, refi, note_guid, doc_id, None)
        project.log(
            "import.qdpx.source",
            {"file": str(path), "document": name, "codings": outcome.codings,
             "memos": outcome.memos, "positions": convention, "dropped": outcome.dropped},
        )  # fmt: skip
    return outcome


def _unique(name: str, seen: set[str]) -> str:
    """Source names are document names: a second source of the same name gets a number."""
    candidate, number = name, 2
    while candidate in seen:
        stem, dot, suffix = name.rpartition(".")
        candidate = f"{stem} ({number}).{suffix}" if dot and stem else f"{name} ({number})"
        number += 1
    seen.add(candidate)
    return candidate


def _coding(con, doc_id, span, key, coder, time, book_id, selection) -> tuple[int, int]:
    """(id, 1 if inserted else 0) of the manual coding; an identical one is not repeated."""
    row = con.execute(
        "SELECT id FROM codings WHERE document_id = ? AND start = ? AND end = ? AND code = ?"
        " AND coder = ? AND status IN ('manual', 'accepted')",
        (doc_id, span[0], span[1], key, coder),
    ).fetchone()
    if row:
        return int(row[0]), 0
    created = codeer_datetime(time) or now()
    coding_id = insert_coding(
        con, doc_id, span[0], span[1], key, "manual", coder, codebook_id=book_id,
        memo=selection.description or None, created_at=created, decided_at=created,
    )  # fmt: skip
    return coding_id, 1


def _memo(project: Project, refi: RefiProject, note_guid: str, doc_id, coding_id) -> int:
    note = refi.notes.get(note_guid)
    if note is None or not note.text:
        return 0
    coder = refi.users.get(note.user, IMPORTED_CODER)
    return _memo_row(project, doc_id, coding_id, coder, note.text, note.created)


def _memo_row(project: Project, doc_id, coding_id, coder: str, text: str, time) -> int:
    """Insert a memo unless the same one is there; 1 if inserted."""
    exists = project.con.execute(
        "SELECT 1 FROM memos WHERE IFNULL(document_id, 0) = IFNULL(?, 0)"
        " AND IFNULL(coding_id, 0) = IFNULL(?, 0) AND coder = ? AND text = ?",
        (doc_id, coding_id, coder, text),
    ).fetchone()
    if exists:
        return 0
    project.con.execute(
        "INSERT INTO memos (document_id, coding_id, coder, text, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (doc_id, coding_id, coder, text, codeer_datetime(time) or now()),
    )
    return 1
