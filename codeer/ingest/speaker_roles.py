"""Speaker roles given by the researcher: ``--speaker LABEL=ROLE``, the metadata file's
``speakers`` column, and roles set after import with ``codeer speakers set``.

They are stored in ``speaker_roles`` (per document, or for every document when
``document_id`` is NULL) and win over the role rules of :mod:`codeer.ingest.roles`.
"""

from __future__ import annotations

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


def project_speaker_roles(project: Project) -> dict[str, str]:
    """Roles set with ``codeer speakers set LABEL ROLE`` for every document."""
    rows = project.con.execute(
        "SELECT speaker, role FROM speaker_roles WHERE document_id IS NULL ORDER BY rowid"
    )
    return {row["speaker"]: row["role"] for row in rows}


def document_speaker_roles(project: Project, name: str) -> dict[str, str]:
    """Roles stored for the document named *name* (empty for a new document)."""
    rows = project.con.execute(
        "SELECT r.speaker, r.role FROM speaker_roles r JOIN documents d"
        " ON d.id = r.document_id WHERE d.name = ? ORDER BY r.rowid",
        (name,),
    )
    return {row["speaker"]: row["role"] for row in rows}
