"""``codeer review`` (full-screen, plain or bulk) and ``codeer status``."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated

import typer

from codeer.cli.common import fail, info, open_project, parse_where, table_console


class Order(StrEnum):
    document = "document"
    score = "score"
    uncertain = "uncertain"


class StatusFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``review`` and ``status`` to *app*."""
    app.command("review")(review)
    app.command("status")(status)


CoderOption = Annotated[
    str | None,
    typer.Option(
        "--coder",
        metavar="NAME",
        help="Your name as coder (default: CODEER_CODER, else the login name).",
    ),
]


def coder_name(name: str | None) -> str:
    """The coder given with --coder, else CODEER_CODER, else the login name."""
    from codeer.store.project import default_actor

    return name or default_actor()


def _check_code(project, key: str | None) -> None:
    """An unknown --code is an input error, unless no codebook is loaded at all."""
    if not key:
        return
    con = project.con
    if con.execute("SELECT 1 FROM codes LIMIT 1").fetchone() is None:
        return
    if con.execute("SELECT 1 FROM codes WHERE key = ? LIMIT 1", (key,)).fetchone() is None:
        from codeer.errors import CodebookError

        raise CodebookError(
            f"unknown code {key!r}", hint="see the keys with `codeer codebook show`"
        )


def interactive(plain: bool, doing: str) -> bool:
    """Whether to run the full-screen app rather than the plain line mode.

    Not with --plain; else only when stdin and stdout are both a TTY and the terminal can
    draw (TERM is not ``dumb``). Falling back says so on stderr ("Not a terminal: *doing*
    in plain line mode"), so a pipe gets the line mode it can use.
    """
    if plain:
        return False
    if sys.stdin.isatty() and sys.stdout.isatty() and os.environ.get("TERM") != "dumb":
        return True
    info(f"Not a terminal: {doing} in plain line mode (--plain).")
    return False


def review(
    ctx: typer.Context,
    coder: CoderOption = None,
    code: Annotated[
        str | None,
        typer.Option("--code", metavar="KEY", help="Only this code (and its sub-codes)."),
    ] = None,
    document: Annotated[
        str | None,
        typer.Option("--document", metavar="DOC", help="Only this document (name or stem)."),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            metavar="KEY=VALUE",
            help="Only documents with this attribute value (repeatable).",
        ),
    ] = None,
    order: Annotated[
        Order | None,
        typer.Option(
            "--order",
            help="Document order, best score first, or the learned model's least certain "
            "first. Default: uncertain once `codeer learn` has fitted a model, else document.",
            show_default=False,
        ),
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", metavar="X", help="Only suggestions scoring at least X."),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="Line mode for pipes and screen readers (one line a key)."),
    ] = False,
    accept: Annotated[
        bool, typer.Option("--accept", help="Bulk: accept every open suggestion of --code.")
    ] = False,
    reject: Annotated[
        bool, typer.Option("--reject", help="Bulk: reject every open suggestion of --code.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Bulk: only count what would be decided.")
    ] = False,
    learn_every: Annotated[
        int | None,
        typer.Option(
            "--learn-every",
            metavar="K",
            min=1,
            help="Run `codeer learn` again after every K decisions (and reload the queue).",
        ),
    ] = None,
) -> None:
    """Review suggested codes: a, x, space, c, n, w, m, u, /, ?, q.

    Every decision is stored at once; starting again resumes at the first suggestion you
    have not decided. Falls back to --plain when stdin or stdout is not a terminal.
    """
    from codeer.review.queue import ReviewFilter

    if accept and reject:
        raise fail("--accept and --reject exclude each other", code=2)
    if (accept or reject) and not code:
        raise fail("bulk decisions need --code KEY", code=2)
    if dry_run and not (accept or reject):
        raise fail("--dry-run goes with --accept or --reject", code=2)
    filters = parse_where(where)
    with open_project(ctx) as project:
        _check_code(project, code)
        flt = ReviewFilter(
            code=code,
            document=document,
            where=filters,
            min_score=min_score,
            order=_order(project, order, bulk=accept or reject),
        )
        name = coder_name(coder)
        if accept or reject:
            _bulk(project, name, "accept" if accept else "reject", flt, dry_run)
            return
        from codeer.review.session import ReviewSession

        session = ReviewSession(project, name, flt, learn_every=learn_every)
        if not interactive(plain, "reviewing"):
            from codeer.review.plain import run_plain

            run_plain(session, sys.stdin, sys.stdout)
            return
        from codeer.review.app import ReviewApp

        ReviewApp(session).run()
        progress = session.progress()
        info(f"{progress.decided} of {progress.total} decided by {session.coder}.")


def _order(project, order: Order | None, bulk: bool) -> str:
    """The queue order: as asked, or the model's least certain first once there is one."""
    if order is not None:
        return order.value
    from codeer.coding.learn import has_model

    if bulk or not has_model(project.con):
        return Order.document.value
    info("Order: the learned model's least certain first; --order document for document order.")
    return Order.uncertain.value


def _bulk(project, coder: str, decision: str, flt, dry_run: bool) -> None:
    from codeer.review.decisions import bulk_decide

    ids = bulk_decide(project, coder, decision, flt, dry_run=dry_run)
    verb = {"accept": "accepted", "reject": "rejected"}[decision]
    what = f"{len(ids)} open suggestion(s) ({flt.describe()})"
    if dry_run:
        info(f"Would have {verb} {what} as {coder} (dry run, nothing stored).")
    else:
        info(f"Bulk {verb} {what} as {coder}.")


def status(
    ctx: typer.Context,
    coder: Annotated[
        str | None, typer.Option("--coder", metavar="NAME", help="Only this coder.")
    ] = None,
    code: Annotated[
        str | None,
        typer.Option("--code", metavar="KEY", help="Only this code (and its sub-codes)."),
    ] = None,
    fmt: Annotated[
        StatusFormat, typer.Option("--format", help="table (for people), csv or json.")
    ] = StatusFormat.table,
    documents: Annotated[
        bool,
        typer.Option(
            "--documents",
            help="Reading progress instead: per document, respondent sentences read in "
            "`codeer read` (by anyone, or by --coder).",
        ),
    ] = False,
) -> None:
    """Per code and coder: suggested, accepted, rejected, manual and open.

    For the machine coder (codeer), open = suggestions nobody has decided; for a person,
    open = suggestions that person has not decided.
    """
    from codeer.review.status import COLUMNS, review_status

    if documents:
        _reading_status(ctx, coder, fmt)
        return
    with open_project(ctx) as project:
        rows = review_status(project.con, coder=coder, code=code)
    if fmt is StatusFormat.json:
        import json

        json.dump([row.to_dict() for row in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt is StatusFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row.to_dict())
    else:
        from rich.table import Table

        if not rows:
            info("No suggestions or codings yet: run `codeer code` first.")
            return
        table = Table(*COLUMNS, box=None, pad_edge=False)
        for column in table.columns[2:]:
            column.justify = "right"
        # Code keys are what people copy into --code: never cut them or the headers short.
        table.columns[0].min_width = max(len(row.code) for row in rows)
        for column in table.columns:
            column.no_wrap = True
        for row in rows:
            values = row.to_dict()
            table.add_row(*(str(values[c]) for c in COLUMNS))
        table_console().print(table)


def _reading_status(ctx: typer.Context, coder: str | None, fmt: StatusFormat) -> None:
    """``codeer status --documents``: one row per document (see docs/review.md)."""
    from codeer.review.document_progress import READING_COLUMNS, reading_progress

    with open_project(ctx) as project:
        rows = [row.to_dict() for row in reading_progress(project.con, coder=coder)]
    if fmt is StatusFormat.json:
        import json

        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if fmt is StatusFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=READING_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    from rich.table import Table

    if not rows:
        info("No documents yet: run `codeer import PATH` first.")
        return
    table = Table(*READING_COLUMNS, box=None, pad_edge=False)
    for column in table.columns:
        column.no_wrap = True
        column.justify = "left" if column.header == "document" else "right"
    for row in rows:
        table.add_row(*(str(row[c]) + ("%" if c == "percent" else "") for c in READING_COLUMNS))
    table_console().print(table)
