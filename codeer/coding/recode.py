"""Coding again after speaker roles changed (``codeer speakers set``).

Sentence units exist only in respondent turns, so a turn that changes role must gain or
lose its units and the machine's suggestions on them. :func:`recode_after_roles` runs the
project's newest codebook again: idempotent, unchanged sentences keep their suggestions
and every decision stays. A document left without any respondent turn is synced too
(:func:`codeer.coding.suggest.code_project` stores every document, also one it sent
nothing of through spaCy): its units go and its undecided suggestions are retracted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codeer.coding.codebook import latest_stored_codebook

if TYPE_CHECKING:
    from codeer.coding.suggestion_store import CodeResult
    from codeer.store.project import Project


def recode_after_roles(project: Project) -> CodeResult | None:
    """Re-segment and re-suggest with the project's newest stored codebook.

    Returns None when the project was never coded (there is nothing to bring up to date).
    """
    from codeer.coding.suggest import code_project

    book = latest_stored_codebook(project.con)
    if book is None:
        return None
    return code_project(project, book)
