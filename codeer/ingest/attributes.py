"""Case attributes in the project: setting them, and applying metadata rows to documents.

A metadata row names a document by file name or stem, in any case (``a.txt``, ``a``,
``A.TXT``). When two rows name the same document, neither is applied: codeer will not
choose between them, and each later row gets an error that names the first.
"""

from __future__ import annotations

from codeer.errors import MetadataError
from codeer.ingest.metadata import MetaRow, match_document
from codeer.store.project import Project


def set_attributes(project: Project, doc_id: int, attributes: dict[str, str]) -> None:
    """Set (insert or overwrite) attributes of one document; call inside a transaction."""
    project.con.executemany(
        "INSERT INTO attributes (document_id, key, value) VALUES (?, ?, ?)"
        " ON CONFLICT (document_id, key) DO UPDATE SET value = excluded.value",
        [(doc_id, key, value) for key, value in attributes.items()],
    )


def apply_metadata(project: Project, rows: list[MetaRow]) -> tuple[int, list[MetadataError]]:
    """Set attributes from metadata rows: (rows applied, errors per row).

    A row naming no document, or naming a document another row names too, is an error for
    that row; the other rows still apply, each in its own transaction.
    """
    names = [r["name"] for r in project.con.execute("SELECT name FROM documents")]
    errors: list[tuple[int, MetadataError]] = []  # (row position, error): shown in row order
    by_document: dict[str, list[tuple[int, MetaRow]]] = {}
    for position, row in enumerate(rows):
        name = match_document(row.document, names)
        if name is None:
            errors.append(
                (
                    position,
                    MetadataError(
                        f"document {row.document!r} matches no imported document",
                        where=row.where,
                        hint="correct the name in the document column, or import that file",
                    ),
                )
            )
        else:
            by_document.setdefault(name, []).append((position, row))
    applied = 0
    for name, matching in by_document.items():
        first = matching[0][1]
        if len(matching) > 1:
            for position, row in matching[1:]:
                errors.append(
                    (
                        position,
                        MetadataError(
                            f"{row.document!r} and {first.document!r} (at {first.where}) both "
                            f"name the document {name!r}; neither row was applied",
                            where=row.where,
                            hint="keep one row per document",
                        ),
                    )
                )
            continue
        _apply_row(project, name, first)
        applied += 1
    return applied, [error for _, error in sorted(errors, key=lambda item: item[0])]


def _apply_row(project: Project, name: str, row: MetaRow) -> None:
    doc_id = project.con.execute("SELECT id FROM documents WHERE name = ?", (name,)).fetchone()[0]
    current = dict(
        project.con.execute(
            "SELECT key, value FROM attributes WHERE document_id = ?", (doc_id,)
        ).fetchall()
    )
    changes = {k: v for k, v in row.attributes.items() if current.get(k) != v}
    if changes:
        with project.transaction():
            set_attributes(project, doc_id, changes)
            project.log("attributes", {"document": name, "set": changes, "from": row.where})
