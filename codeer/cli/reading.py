"""``codeer read`` (the document view: code any sentence) and ``codeer add`` (by offsets)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from codeer.cli.common import fail, info, open_project
from codeer.cli.review import CoderOption, coder_name, interactive


def register(app: typer.Typer) -> None:
    """Add ``read`` and ``add`` to *app*."""
    app.command("read")(read)
    app.command("add")(add)


def read(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(metavar="DOC", help="Document name or stem.")],
    coder: CoderOption = None,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="Line mode for pipes and screen readers (one line a key)."),
    ] = False,
) -> None:
    """Read a transcript turn by turn and code any sentence: j, k, c, v, w, a, x, m, u, ?, q.

    Every step is stored at once; the sentences you move onto count as read (see
    `codeer status --documents`). Falls back to --plain when stdin or stdout is not a
    terminal.
    """
    from codeer.review.document_session import DocumentSession

    with open_project(ctx) as project:
        session = DocumentSession(project, document, coder_name(coder))
        if not interactive(plain, "reading"):
            from codeer.review.document_plain import run_plain

            run_plain(session, sys.stdin, sys.stdout)
            return
        from codeer.review.document_app import DocumentApp

        DocumentApp(session).run()
        read_n, total = session.model.read_count()
        info(f"{read_n} of {total} sentences of {session.model.name} read by {session.coder}.")


def add(
    ctx: typer.Context,
    document: Annotated[
        str | None, typer.Argument(metavar="DOC", help="Document name or stem.")
    ] = None,
    start: Annotated[
        int | None, typer.Argument(metavar="START", help="First character (from 0).")
    ] = None,
    end: Annotated[
        int | None, typer.Argument(metavar="END", help="One past the last character.")
    ] = None,
    code: Annotated[str | None, typer.Argument(metavar="CODE", help="Code key.")] = None,
    coder: Annotated[
        str | None,
        typer.Option(
            "--coder",
            metavar="NAME",
            help="Coder (default: CODEER_CODER, else the login name); a line's own coder wins.",
        ),
    ] = None,
    memo: Annotated[
        str | None, typer.Option("--memo", metavar="TEXT", help="A memo on the coding.")
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FILE.jsonl",
            help='One JSON object a line: {"document", "start", "end", "code"[, "coder", "memo"]}.',
        ),
    ] = None,
) -> None:
    """Code a fragment by hand: text[START:END] of DOC (code-point offsets) gets CODE.

    Stored as a manual coding, counted like an accepted one. Adding the same coding
    again (document, span, code, coder) changes nothing.
    """
    positional = [document, start, end, code]
    if from_file is not None:
        if any(value is not None for value in positional) or memo is not None:
            raise fail("give either DOC START END CODE or --from FILE, not both", code=2)
        _add_from(ctx, from_file, coder_name(coder))
        return
    if any(value is None for value in positional):
        raise fail("give DOC START END CODE (or --from FILE.jsonl)", code=2)
    from codeer.review.manual_file import AddRequest, add_request

    name = coder_name(coder)
    with open_project(ctx) as project:
        result = add_request(project, AddRequest(document, start, end, code, memo=memo), name)
    if result.added:
        info(f"Added {code} on {document} {start}-{end} as {name}.")
    elif result.memo_added:
        info(f"{document} {start}-{end} already has {code} by {name}; stored the new memo on it.")
    else:
        info(f"Unchanged: {document} {start}-{end} already has {code} by {name}.")


def _add_from(ctx: typer.Context, path: Path, coder: str) -> None:
    from codeer.review.manual_file import add_from_lines

    try:
        lines = path.read_bytes().split(b"\n")
    except OSError as exc:
        raise fail(f"{path}: cannot read it ({exc.strerror}) - check the path") from None
    added = unchanged = memos = failed = 0
    with open_project(ctx) as project:
        for outcome in add_from_lines(project, lines, str(path), coder):
            if outcome.error is not None:
                failed += 1
                print(f"Error: {outcome.error.one_line()}", file=sys.stderr)
            elif outcome.added is not None and outcome.added.added:
                added += 1
            elif outcome.added is not None and outcome.added.memo_added:
                memos += 1
            else:
                unchanged += 1
    memo_note = f"new memo on {memos}, " if memos else ""
    info(f"Added {added}, unchanged {unchanged}, {memo_note}failed {failed} (from {path}).")
    if failed:
        raise typer.Exit(1)
