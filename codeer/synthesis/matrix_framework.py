"""The framework matrix: cases x codes, each cell a few representative quotes.

Representative is deterministic: the highest score first (codings without a score, such
as manual ones, after scored ones), then the longest fragment, then the first by document
name and position. The same fragment coded twice (two coders) is quoted once.

Each quote carries the memos written about that fragment and code (by every coder, or
only by ``--coder``), shown after the quote in table cells: ``[memo anna: ...]``.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from codeer.synthesis.matrix import (
    MATRIX_STATUSES,
    Matrix,
    _check,
    _scope,
    matrix_name,
    scope_notes,
)
from codeer.synthesis.matrix_data import CodeRows, MatrixError, check_coder, load_spans

if TYPE_CHECKING:
    import pandas as pd

    from codeer.store.project import Project

QUOTE_DISPLAY_CHARS = 500  # cells stay readable; JSON keeps the full text


@dataclass(frozen=True)
class Quote:
    """One quoted fragment and where it is: document, character offsets and turn."""

    text: str
    document: str
    start: int
    end: int
    code: str
    score: float | None
    speaker: str
    turn_index: int | None
    #: "coder: text" for every memo on this fragment and code, oldest first.
    memos: list[str] = field(default_factory=list)

    def position(self) -> str:
        """``document:start-end`` (offsets as in ``codeer segments``)."""
        return f"{self.document}:{self.start}-{self.end}"

    def display(self) -> str:
        """One line for a table cell: the quote, then where it comes from."""
        text = " ".join(self.text.split())
        if len(text) > QUOTE_DISPLAY_CHARS:
            text = text[: QUOTE_DISPLAY_CHARS - 1].rstrip() + "…"
        memo = f" [memo {' | '.join(self.memos)}]" if self.memos else ""
        return f"“{text}” ({self.position()}){memo}"

    def to_dict(self) -> dict:
        return asdict(self)


def rank_quotes(spans: pd.DataFrame, doc_name: dict[int, str]) -> pd.DataFrame:
    """*spans* sorted best first, one row per (group, document, start, end)."""
    spans = spans.assign(
        _name=spans["document_id"].map(doc_name),
        _len=spans["end"] - spans["start"],
        _noscore=spans["score"].isna(),
    )
    spans = spans.sort_values(
        ["_noscore", "score", "_len", "_name", "start", "id"],
        ascending=[True, False, False, True, True, True],
        kind="stable",
    )
    return spans


def span_memos(
    project: Project, rows: CodeRows, coder: str | None = None
) -> dict[tuple[str, int, int, str], list[str]]:
    """(document, start, end, row key) -> "coder: memo" texts, for memos on a coded span.

    Memos are never dropped to save room (a memo is the researcher's own text); the
    memo of a coder on a code that another coder's row is quoted for still belongs to
    the fragment, so it is shown with its author.
    """
    from codeer.store.memos import list_memos

    result: dict[tuple[str, int, int, str], list[str]] = {}
    for memo in list_memos(project.con, coder):
        if memo.start is None or memo.code is None:
            continue
        key = (memo.document, memo.start, memo.end, rows.map(memo.code))
        text = " ".join(memo.memo.split())
        result.setdefault(key, []).append(f"{memo.coder}: {text}")
    return result


def make_quotes(
    project: Project,
    picked: pd.DataFrame,
    doc_name: dict[int, str],
    memos: dict[tuple[str, int, int, str], list[str]] | None = None,
) -> list[Quote]:
    """Quote objects for the picked span rows (texts and turns read per document).

    *memos* (from :func:`span_memos`) are matched on the picked rows' ``row`` column.
    """
    con = project.con
    texts: dict[int, str] = {}
    turns: dict[int, list] = {}
    quotes = []
    for row in picked.itertuples(index=False):
        doc = int(row.document_id)
        if doc not in texts:
            texts[doc] = con.execute("SELECT text FROM documents WHERE id = ?", (doc,)).fetchone()[
                0
            ]
            turns[doc] = con.execute(
                "SELECT start, idx, speaker FROM turns WHERE document_id = ? ORDER BY start",
                (doc,),
            ).fetchall()
        pos = bisect.bisect_right([t[0] for t in turns[doc]], int(row.start)) - 1
        turn = turns[doc][max(pos, 0)] if turns[doc] else None
        score = None if row.score != row.score or row.score is None else float(row.score)
        notes = (memos or {}).get((doc_name[doc], int(row.start), int(row.end), row.row), [])
        quotes.append(
            Quote(
                text=texts[doc][int(row.start) : int(row.end)],
                document=doc_name[doc],
                start=int(row.start),
                end=int(row.end),
                code=row.code,
                score=score,
                speaker=turn[2] if turn else "",
                turn_index=turn[1] if turn else None,
                memos=list(notes),
            )
        )
    return quotes


def framework_matrix(
    project: Project,
    *,
    by: tuple[str, ...] | list[str] = ("gemeente",),
    quotes: int = 3,
    status: str = "accepted",
    level: str = "leaf",
    where: dict[str, str] | None = None,
    coder: str | None = None,
) -> Matrix:
    """Cases (rows) x codes (columns); each cell holds up to *quotes* Quote objects.

    *coder* keeps one coder's codings (and memos); by default every coder's.
    """
    import pandas as pd

    if quotes < 1:
        raise MatrixError(f"--quotes must be 1 or more, not {quotes}")
    by = tuple(by)
    _check(status, MATRIX_STATUSES, "--status")
    check_coder(project.con, coder)
    spans = load_spans(project.con, status, where, ranked=True, coder=coder)
    cases, rows = _scope(project, by, status, level, where, set(spans["code"].unique()))
    spans["row"] = rows.map_series(spans["code"])
    spans["case"] = spans["document_id"].map(cases.doc_case)
    ranked = rank_quotes(spans, cases.doc_name)
    ranked = ranked.drop_duplicates(["case", "row", "document_id", "start", "end"])
    picked = ranked.groupby(["case", "row"], sort=False).head(quotes)
    made = make_quotes(project, picked, cases.doc_name, span_memos(project, rows, coder))

    cells: dict[tuple[str, str], list[Quote]] = {}
    for (case, row), quote in zip(
        zip(picked["case"], picked["row"], strict=True), made, strict=True
    ):
        cells.setdefault((case, row), []).append(quote)
    data = pd.DataFrame(
        [[cells.get((case, key), []) for key in rows.keys] for case in cases.labels],
        index=pd.Index(cases.labels, name="case"),
        columns=rows.keys,
        dtype=object,
    )
    settings = {"by": list(by), "quotes": quotes, "status": status, "level": level}
    settings["where"] = dict(where or {})
    if coder is not None:
        settings["coder"] = coder
    return Matrix(
        kind="framework",
        name=matrix_name("framework", by, level),
        data=data,
        value="quotes",
        settings=settings,
        labels=rows.labels,
        case_values=cases.values,
        notes=scope_notes(cases, where),
    )


def theme_quotes(
    project: Project,
    *,
    status: str,
    level: str = "top",
    where: dict[str, str] | None = None,
    per_row: int = 5,
    attributes: tuple[str, ...] = (),
    coder: str | None = None,
) -> dict[str, list[tuple[Quote, dict[str, str]]]]:
    """The best quotes per code row over all cases, each with its document's attributes.

    At most one quote per document per row first (so one talkative interview does not
    fill the list), then the rest in rank order.
    """
    _check(status, MATRIX_STATUSES, "--status")
    spans = load_spans(project.con, status, where, ranked=True, coder=coder)
    cases, rows = _scope(project, attributes, status, level, where, set(spans["code"].unique()))
    spans["row"] = rows.map_series(spans["code"])
    ranked = rank_quotes(spans, cases.doc_name).drop_duplicates(
        ["row", "document_id", "start", "end"]
    )
    ranked["_dup"] = ranked.duplicated(["row", "document_id"])
    ranked = ranked.sort_values(["row", "_dup"], kind="stable")
    picked = ranked.groupby("row", sort=False).head(per_row)
    result: dict[str, list[tuple[Quote, dict[str, str]]]] = {}
    made = make_quotes(project, picked, cases.doc_name, span_memos(project, rows, coder))
    for row, doc, quote in zip(picked["row"], picked["document_id"], made, strict=True):
        result.setdefault(row, []).append((quote, cases.values[cases.doc_case[doc]]))
    return result
