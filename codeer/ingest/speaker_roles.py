"""Speaker roles given by the researcher: ``--speaker LABEL=ROLE``, the metadata file's
``speakers`` column, and roles set after import with ``codeer speakers set``.

They are stored in ``speaker_roles`` (per document, or for every document when
``document_id`` is NULL) and win over the role rules of :mod:`codeer.ingest.roles`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from codeer.errors import ImportFileError

if TYPE_CHECKING:
    from codeer.ingest.metadata import MetaRow
    from codeer.store.project import Project


def parse_speaker_roles(entries: list[str], where: str) -> dict[str, str]:
    """``LABEL=ROLE`` entries (``--speaker``, the metadata ``speakers`` column) as a dict.

    Raises ImportFileError naming *where* for an entry without ``=`` or with an unknown role.
    """
    from codeer.ingest.model import ROLES

    roles: dict[str, str] = {}
    for entry in entries:
        label, sep, role = entry.rpartition("=")
        label, role = label.strip(), role.strip().lower()
        if not sep or not label or role not in ROLES:
            raise ImportFileError(
                f"speaker role {entry!r} is not LABEL=ROLE",
                where=where,
                hint=f"write e.g. 'De voorzitter=interviewer'; roles: {', '.join(ROLES)}",
            )
        roles[label] = role
    return roles


def speaker_columns(rows: list[MetaRow]) -> dict[tuple[str, str], dict[str, str]]:
    """Take the ``speakers`` column out of the metadata rows (it is not an attribute)."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        value = row.attributes.pop("speakers", "")
        entries = [part for part in value.replace("|", ";").split(";") if part.strip()]
        if entries:
            found[(row.document, row.where)] = parse_speaker_roles(entries, row.where)
    return found


def _stored_roles(project: Project, sql: str, params: tuple = ()) -> dict[str, str]:
    """``{label: role}`` from the ``speaker_roles`` rows *sql* selects (a later row wins)."""
    return {row["speaker"]: row["role"] for row in project.con.execute(sql, params)}


def project_speaker_roles(project: Project) -> dict[str, str]:
    """Roles set with ``codeer speakers set LABEL ROLE`` for every document."""
    return _stored_roles(
        project, "SELECT speaker, role FROM speaker_roles WHERE document_id IS NULL ORDER BY rowid"
    )


def document_speaker_roles(project: Project, name: str) -> dict[str, str]:
    """Roles stored for the document named *name* (empty for a new document)."""
    return _stored_roles(
        project,
        "SELECT r.speaker, r.role FROM speaker_roles r JOIN documents d"
        " ON d.id = r.document_id WHERE d.name = ? ORDER BY r.rowid",
        (name,),
    )


@dataclass
class SpeakerRow:
    """One speaker label of one document, as ``codeer speakers`` lists it."""

    document: str
    speaker: str  # "" for text without a label
    role: str
    turns: int
    given: str = ""  # where the role comes from when a person gave it: import, set

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class NotALabel:
    """Label-like text at a line start that was read as text, and why."""

    document: str
    line: int
    label: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def list_speakers(project: Project, document_id: int | None = None) -> list[SpeakerRow]:
    """Every speaker label per document (in order of first turn) with role and turn count."""
    rows = project.con.execute(
        "SELECT d.name, t.document_id, t.speaker, t.role, COUNT(*) AS n, MIN(t.idx) AS first"
        " FROM turns t JOIN documents d ON d.id = t.document_id"
        " WHERE ? IS NULL OR t.document_id = ?"
        " GROUP BY t.document_id, t.speaker, t.role ORDER BY d.name, first",
        (document_id, document_id),
    ).fetchall()
    given = {
        (row["document_id"], row["speaker"].casefold()): row["actor"]
        for row in project.con.execute("SELECT document_id, speaker, actor FROM speaker_roles")
    }
    result = []
    for row in rows:
        key = row["speaker"].casefold()
        source = given.get((row["document_id"], key)) or given.get((None, key)) or ""
        result.append(
            SpeakerRow(row["name"], row["speaker"], row["role"], row["n"], _source(source))
        )
    return result


def _source(actor: str) -> str:
    return "" if not actor else ("import" if actor == "import" else f"set by {actor}")


def labels_not_taken(project: Project, document_id: int | None = None) -> list[NotALabel]:
    """Per document, label-like strings at line starts that the parser read as text."""
    from codeer.ingest.turns import rejected_labels

    found = []
    documents = project.con.execute(
        "SELECT id, name, text, format FROM documents WHERE ? IS NULL OR id = ? ORDER BY name",
        (document_id, document_id),
    ).fetchall()
    for doc in documents:
        speakers = {
            row[0]
            for row in project.con.execute(
                "SELECT DISTINCT speaker FROM turns WHERE document_id = ?", (doc["id"],)
            )
            if row[0]
        }
        known = sorted(speakers | set(document_speaker_roles_by_id(project, doc["id"])))
        for item in rejected_labels(doc["text"], known):
            if item.label not in speakers:
                found.append(NotALabel(doc["name"], item.line, item.label, item.reason))
    return found


def document_speaker_roles_by_id(project: Project, document_id: int) -> dict[str, str]:
    """Roles stored for one document and for every document (the document's win)."""
    return _stored_roles(
        project,
        "SELECT speaker, role FROM speaker_roles WHERE document_id IS NULL OR document_id = ?"
        " ORDER BY document_id IS NOT NULL, rowid",
        (document_id,),
    )


@dataclass
class RoleChange:
    """What ``set_speaker_role`` changed."""

    label: str
    role: str
    documents: list[int]  # ids of documents whose turns changed
    turns: int  # turns that now have the role
    reparsed: list[str]  # documents whose turns were rebuilt (the label was read as text)


def set_speaker_role(
    project: Project, label: str, role: str, document_id: int | None = None, actor: str = ""
) -> RoleChange:
    """Give the speaker *label* (as written, any case) the *role*, in one document or all.

    Turns already labelled *label* change role. Where *label* was read as text (it occurs
    once, or looked like an ordinary word), the document is segmented again with *label* as
    a speaker; other speakers keep their roles. The role is stored, so a later import of
    the same file keeps it. Codings are addressed by offsets and are never touched here.
    """
    from codeer.errors import CodeerError
    from codeer.ingest.model import ROLES
    from codeer.store.project import now

    label = label.strip()
    if role not in ROLES:
        raise CodeerError(f"unknown role {role!r}", hint=f"use one of: {', '.join(ROLES)}")
    con = project.con
    change = RoleChange(label, role, [], 0, [])
    with project.transaction():
        ids = [document_id] if document_id is not None else _document_ids(con)
        for doc_id in ids:
            changed = _retag(con, doc_id, label, role)
            if changed is None:
                changed = _resegment(project, doc_id, label, role)
                if changed:
                    change.reparsed.append(_name(con, doc_id))
            if changed:
                change.documents.append(doc_id)
                change.turns += changed
        if not change.documents and not _known_label(con, label, document_id):
            raise CodeerError(
                f"no turn is labelled {label!r} and no line starts with '{label}:'",
                hint="see `codeer speakers` for the labels as written",
            )
        key = 0 if document_id is None else document_id
        for row in con.execute("SELECT rowid, document_id, speaker FROM speaker_roles").fetchall():
            if (row["document_id"] or 0) == key and row["speaker"].casefold() == label.casefold():
                con.execute("DELETE FROM speaker_roles WHERE rowid = ?", (row["rowid"],))
        con.execute(
            "INSERT INTO speaker_roles (document_id, speaker, role, set_at, actor)"
            " VALUES (?, ?, ?, ?, ?)",
            (document_id, label, role, now(), actor or "unknown"),
        )
        project.log(
            "speaker-role",
            {"speaker": label, "role": role, "documents": [_name(con, d) for d in change.documents],
             "turns": change.turns, "reparsed": change.reparsed},
            actor=actor or None,
        )  # fmt: skip
    return change


def _document_ids(con) -> list[int]:
    return [row[0] for row in con.execute("SELECT id FROM documents ORDER BY name")]


def _name(con, doc_id: int) -> str:
    return con.execute("SELECT name FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]


def _known_label(con, label: str, document_id: int | None) -> bool:
    """Whether some turn already carries *label* (then setting it again is not an error)."""
    rows = con.execute(
        "SELECT DISTINCT speaker FROM turns WHERE ? IS NULL OR document_id = ?",
        (document_id, document_id),
    )
    return any(row[0].casefold() == label.casefold() for row in rows)


def _retag(con, doc_id: int, label: str, role: str) -> int | None:
    """Set the role of the turns labelled *label*; None when no turn carries it."""
    speakers = [
        row[0]
        for row in con.execute(
            "SELECT DISTINCT speaker FROM turns WHERE document_id = ?", (doc_id,)
        )
        if row[0].casefold() == label.casefold()
    ]
    if not speakers:
        return None
    changed = 0
    for speaker in speakers:
        changed += con.execute(
            "UPDATE turns SET role = ? WHERE document_id = ? AND speaker = ? AND role != ?",
            (role, doc_id, speaker, role),
        ).rowcount
    return changed


def _resegment(project: Project, doc_id: int, label: str, role: str) -> int:
    """Parse the document again with *label* as a speaker; 0 if it does not occur as one."""
    from codeer.ingest.roles import assign_roles
    from codeer.ingest.turns import parse_turns
    from codeer.store.documents import insert_turns

    con = project.con
    doc = con.execute("SELECT text, format FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if doc["format"] in ("vtt", "srt"):
        return 0  # subtitle turns come from the cues, not from labels in the text
    current = {
        row["speaker"]: row["role"]
        for row in con.execute(
            "SELECT speaker, role FROM turns WHERE document_id = ? AND speaker != ''", (doc_id,)
        )
    }
    roles = {**current, **document_speaker_roles_by_id(project, doc_id), label: role}
    raw = parse_turns(doc["text"], sorted(roles))
    if not any(turn.speaker.casefold() == label.casefold() for turn in raw):
        return 0
    turns = assign_roles(doc["text"], raw, None, roles)
    # Units point at turns and go with them; `codeer code` rebuilds them. Codings and
    # decisions are addressed by offsets and stay.
    con.execute("DELETE FROM turns WHERE document_id = ?", (doc_id,))
    insert_turns(con, doc_id, turns)
    return sum(1 for t in turns if t.speaker.casefold() == label.casefold())
