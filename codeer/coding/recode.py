"""Coding again after speaker roles changed (``codeer speakers set``).

Sentence units exist only in respondent turns, so a turn that changes role must gain or
lose its units and the machine's suggestions on them. :func:`recode_after_roles` runs the
project's newest codebook again (idempotent: unchanged sentences keep their suggestions
and every decision stays), and clears units and undecided suggestions of documents that
no longer have any respondent turn, which a coding run does not visit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codeer.coding.codebook import latest_stored_codebook, store_codebook
from codeer.coding.suggestion_store import CodeResult, store_document
from codeer.store.project import now

if TYPE_CHECKING:
    from codeer.coding.codebook import Codebook
    from codeer.store.project import Project


def recode_after_roles(project: Project, codebook: Codebook | None = None) -> CodeResult | None:
    """Re-segment and re-suggest with *codebook* (default: the newest stored one).

    Returns None when the project was never coded (there is nothing to bring up to date).
    """
    from codeer.coding.suggest import code_project

    con = project.con
    book = codebook or latest_stored_codebook(con)
    if book is None:
        return None
    result = code_project(project, book)
    silent = [
        row[0]
        for row in con.execute(
            "SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM turns t"
            " WHERE t.document_id = d.id AND t.role = 'respondent' AND t.end > t.start)"
        )
    ]
    if silent:
        with project.transaction():
            book_id = store_codebook(con, book, now())
            for doc_id in silent:
                store_document(con, doc_id, book_id, [], [], result)
    return result
