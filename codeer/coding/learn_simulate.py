"""``codeer evaluate --simulate GOLD``: how much learning from decisions would help.

For each number of decisions N, on a copy of the project (the researcher's own project
is only read), a simulated researcher makes N decisions by the gold file in one of two
habits:

- ``queue``: decide the first N suggestions of the review queue in document order,
  accepting a suggestion when the gold file codes its theme on an overlapping fragment
  (the overlap rule of :mod:`codeer.coding.evaluate`) and rejecting it otherwise;
- ``read``: go through the documents sentence by sentence as in ``codeer read``,
  deciding the suggestions there the same way and coding by hand what the gold has and
  no suggestion gave (:func:`_read_documents`).

Then ``codeer learn`` runs, and precision and recall per theme are measured on the rest
of the project, everything after the last decision, twice:

- **codebook**: every suggestion of the codebook there, as ``codeer evaluate`` counts;
- **learned**: the codebook's suggestions the model rates at least :data:`KEEP_AT`
  (all of them for a theme without a model) plus the model's own proposals.
"""

from __future__ import annotations

import bisect
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codeer.coding.evaluate import Fragment, Score, evaluate, load_gold
from codeer.store.coding_writes import insert_coding
from codeer.store.codings import LEARN_CODER, MACHINE_CODER, code_paths
from codeer.store.project import DB_NAME, Project, now

KEEP_AT = 0.5
SIMULATED_CODER = "simulated"


@dataclass
class CurvePoint:
    """The scores after N simulated decisions."""

    decisions: int  # asked for
    decided: int  # made (fewer when the queue is shorter)
    accepted: int
    remaining_gold: int
    codebook: list[Score] = field(default_factory=list)
    learned: list[Score] = field(default_factory=list)
    models: list[str] = field(default_factory=list)  # themes that got a model

    def to_dict(self) -> dict[str, Any]:
        return {
            "decisions": self.decisions,
            "decided": self.decided,
            "accepted": self.accepted,
            "remaining_gold": self.remaining_gold,
            "models": self.models,
            "codebook": [s.to_dict() for s in self.codebook],
            "learned": [s.to_dict() for s in self.learned],
        }


def simulate(
    project: Project,
    gold: Path,
    decisions: list[int],
    model: str | None = None,
    progress: Callable[[str], None] | None = None,
    habit: str = "queue",
) -> list[CurvePoint]:
    """The learning curve: one :class:`CurvePoint` per number of decisions, in order."""
    from codeer.errors import CodeerError

    if habit not in HABITS:
        raise CodeerError(f"unknown habit {habit!r}", hint=f"use one of: {', '.join(HABITS)}")
    if not decisions or any(n < 1 for n in decisions):
        raise CodeerError("--decisions needs positive numbers", hint="e.g. --decisions 50,100,200")
    items = load_gold(project.con, gold)
    points = []
    with tempfile.TemporaryDirectory(prefix="codeer-simulate-") as tmp:
        for n in decisions:
            if progress:
                progress(f"Simulating {n} decisions ...")
            folder = Path(tmp) / f"n{n}"
            folder.mkdir()
            target = sqlite3.connect(folder / DB_NAME)
            try:
                project.con.backup(target)
            finally:
                target.close()
            with Project.open(folder) as copy:
                points.append(_point(copy, items, n, model, habit))
    return points


def _point(
    project: Project, gold: list[Fragment], n: int, model: str | None, habit: str
) -> CurvePoint:
    from codeer.coding.learn import learn_project

    con = project.con
    decided, accepted, cut = decide(project, gold, n, habit)
    result = learn_project(project, model=model)
    documents = {g.document for g in gold}
    rest = [g for g in gold if (g.document, g.start) > cut]
    codebook, learned = [], []
    for row in con.execute(
        "SELECT c.start, c.end, c.code, c.coder, c.learned_score, d.name FROM codings c"
        " JOIN documents d ON d.id = c.document_id WHERE c.status = 'suggested'"
        " AND c.coder IN (?, ?) AND NOT EXISTS (SELECT 1 FROM codings x"
        " WHERE x.suggestion_id = c.id AND x.status != 'suggested')"
        " ORDER BY d.name, c.start, c.code",
        (MACHINE_CODER, LEARN_CODER),
    ):
        if row["name"] not in documents or (row["name"], row["start"]) <= cut:
            continue
        fragment = Fragment(row["name"], row["start"], row["end"], row["code"])
        if row["coder"] == MACHINE_CODER:
            codebook.append(fragment)
        score = row["learned_score"]
        if row["coder"] == LEARN_CODER or score is None or score + 1e-9 >= KEEP_AT:
            learned.append(fragment)
    base = evaluate(con, rest, by="theme", suggestions=codebook)
    after = evaluate(con, rest, by="theme", suggestions=learned)
    return CurvePoint(
        decisions=n,
        decided=decided,
        accepted=accepted,
        remaining_gold=len(rest),
        codebook=[s for s in base.scores if s.judged] + [base.overall],
        learned=[s for s in after.scores if s.judged] + [after.overall],
        models=[t.theme for t in result.themes if t.status != "skipped"],
    )


Cut = tuple[str, int]  # (document name, offset): everything after it is scored


def decide(project: Project, gold: list[Fragment], n: int, habit: str) -> tuple[int, int, Cut]:
    """Let the simulated researcher make *n* decisions by *gold* in *habit*; returns
    (decisions made, accepted, the cut after which the rest is scored)."""
    paths = code_paths(project.con)

    def theme(code: str) -> str:
        return paths.get(code, [code])[0]

    return HABITS[habit](project, gold, n, theme)


def _decide_queue(
    project: Project, gold: list[Fragment], n: int, theme: Callable[[str], str]
) -> tuple[int, int, Cut]:
    """The queue habit: decide the first *n* suggestions in document order."""
    con = project.con
    queue = con.execute(
        "SELECT c.*, doc.name FROM codings c JOIN documents doc ON doc.id = c.document_id"
        " WHERE c.status = 'suggested' ORDER BY doc.name, c.start, c.end, c.code, c.id LIMIT ?",
        (n,),
    ).fetchall()
    accepted = 0
    stamp = now()
    with project.transaction():
        for row in queue:
            good = _in_gold(gold, row, row["name"], theme)
            accepted += good
            _decide(con, row, good, stamp)
    cut = (queue[-1]["name"], queue[-1]["start"]) if queue else ("", -1)
    return len(queue), accepted, cut


def _read_documents(
    project: Project, gold: list[Fragment], n: int, theme: Callable[[str], str]
) -> tuple[int, int, Cut]:
    """The reading habit (``codeer read``): sentence by sentence through the documents.

    In every respondent sentence the simulated researcher decides the codebook's
    suggestions by the gold, codes by hand each theme the gold has there that no accepted
    suggestion gave (on the gold's own fragment), and leaves the sentence read. Each
    accept, reject and hand coding is one decision; reading a sentence is not. The
    researcher stops at the end of the sentence in which the *n*-th decision fell.
    Documents without a line in the gold file are not read (nothing to judge them by).
    """
    con = project.con
    by_doc: dict[str, list[Fragment]] = {}
    for g in gold:
        by_doc.setdefault(g.document, []).append(g)
    book = con.execute("SELECT max(id) FROM codebooks").fetchone()[0]
    decided = accepted = 0
    cut: Cut = ("", -1)
    stamp = now()
    with project.transaction():
        for doc in con.execute("SELECT id, name FROM documents ORDER BY name").fetchall():
            golds = by_doc.get(doc["name"])
            if golds is None or decided >= n:
                continue
            suggestions = con.execute(
                "SELECT * FROM codings WHERE document_id = ? AND status = 'suggested'"
                " AND coder = ? ORDER BY start, end, code, id",
                (doc["id"], MACHINE_CODER),
            ).fetchall()
            units = con.execute(
                "SELECT start, end FROM units WHERE document_id = ? ORDER BY start, end",
                (doc["id"],),
            ).fetchall()
            starts = [u[0] for u in units]
            rows_in = _per_unit(units, starts, suggestions, lambda r: r["start"])
            golds_in = _per_unit(units, starts, golds, lambda g: g.start)
            for (start, end), rows, here in zip(units, rows_in, golds_in, strict=True):
                if decided >= n:
                    break
                con.execute(
                    "INSERT OR IGNORE INTO reads (document_id, start, end, coder, read_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (doc["id"], start, end, SIMULATED_CODER, stamp),
                )
                given: set[str] = set()
                for row in rows:
                    good = _in_gold(golds, row, doc["name"], theme)
                    _decide(con, row, good, stamp)
                    decided += 1
                    accepted += good
                    if good:
                        given.add(theme(row["code"]))
                for g in here:
                    if theme(g.code) not in given:
                        given.add(theme(g.code))
                        insert_coding(
                            con, doc["id"], g.start, g.end, theme(g.code), "manual",
                            SIMULATED_CODER, codebook_id=book, created_at=stamp, decided_at=stamp,
                        )  # fmt: skip
                        decided += 1
                cut = (doc["name"], end - 1)
    return decided, accepted, cut


def _per_unit(units: list, starts: list[int], items: list, start_of) -> list[list]:
    """*items* grouped by the unit (sorted, not overlapping) their start lies in, in order."""
    groups: list[list] = [[] for _ in units]
    for item in items:
        i = bisect.bisect_right(starts, start_of(item)) - 1
        if i >= 0 and start_of(item) < units[i][1]:
            groups[i].append(item)
    return groups


def _in_gold(gold: list[Fragment], row: sqlite3.Row, name: str, theme) -> bool:
    """Whether the gold codes the suggestion's theme on an overlapping fragment."""
    mine = Fragment(name, row["start"], row["end"], row["code"])
    return any(theme(g.code) == theme(row["code"]) and g.overlaps(mine) for g in gold)


def _decide(con: sqlite3.Connection, row: sqlite3.Row, good: bool, stamp: str) -> None:
    insert_coding(
        con, row["document_id"], row["start"], row["end"], row["code"],
        "accepted" if good else "rejected", SIMULATED_CODER, score=row["score"],
        valence=row["valence"], codebook_id=row["codebook_id"], suggestion_id=row["id"],
        created_at=stamp, decided_at=stamp,
    )  # fmt: skip


HABITS: dict[str, Callable[..., tuple[int, int, Cut]]] = {
    "queue": _decide_queue,
    "read": _read_documents,
}
