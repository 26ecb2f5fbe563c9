"""``codeer code``, ``segments``, ``evaluate`` and ``doctor``: suggesting and inspecting codes."""

from __future__ import annotations

import json
import platform
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from codeer.cli.common import data_stream, err_console, info, open_project, parse_where
from codeer.store.codings import evidence_text, write_codings_csv


class SegmentFormat(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


class EvalBy(StrEnum):
    code = "code"
    theme = "theme"


class OutFormat(StrEnum):
    table = "table"
    json = "json"


class SimulateHabit(StrEnum):
    queue = "queue"
    read = "read"


def register(app: typer.Typer) -> None:
    """Add code, segments, evaluate and doctor to *app*."""
    app.command("code")(code)
    app.command("segments")(segments)
    app.command("evaluate")(evaluate)
    app.command("doctor")(doctor)


def code(
    ctx: typer.Context,
    codebook: Annotated[
        Path | None,
        typer.Option("--codebook", "-c", help="Codebook YAML (default: the shipped wijkteams)."),
    ] = None,
    n_process: Annotated[
        int, typer.Option("--n-process", "-n", min=1, help="Processes for spaCy.")
    ] = 1,
    model: Annotated[
        str | None,
        typer.Option(help="spaCy model name or saved pipeline folder (default: auto)."),
    ] = None,
) -> None:
    """Suggest codes for every respondent sentence, with evidence; safe to re-run.

    A changed codebook adds new suggestions and retracts stale ones; decisions made in
    review are never touched. A malformed codebook stops before anything is coded.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from codeer.coding.codebook import load_codebook
    from codeer.coding.suggest import code_project

    # Loaded once, before opening anything: a bad codebook fails with line and field.
    book = load_codebook(codebook)
    with open_project(ctx) as project:
        columns = (TextColumn("Coding"), BarColumn(), MofNCompleteColumn(), TextColumn("documents"))
        with Progress(*columns, console=err_console(), transient=True) as bar:
            task = bar.add_task("code", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = code_project(
                project, book, n_process=n_process, progress=progress, model=model
            )
    info(
        f"Coded {result.documents} documents, {result.units} sentence units: "
        f"{result.suggestions} suggestions ({result.added} added, {result.retracted} retracted, "
        f"{result.unchanged} unchanged, {result.updated} updated)."
    )
    info(f"Codebook: {result.codebook}; pipeline: {result.pipeline}.")
    for failure in result.failed:
        print(
            f"Error: {failure} - this document was not coded (it keeps what it had); "
            "the others were",
            file=sys.stderr,
        )
    if result.failed:
        raise typer.Exit(1)


def segments(
    ctx: typer.Context,
    code_key: Annotated[
        list[str] | None,
        typer.Option("--code", help="Code key (with its sub-codes); repeatable."),
    ] = None,
    status: Annotated[
        str,
        typer.Option(help="accepted | suggested | all | rejected | retracted | manual | any."),
    ] = "all",
    where: Annotated[
        list[str] | None, typer.Option(help="KEY=VALUE on document attributes; repeatable.")
    ] = None,
    document: Annotated[str | None, typer.Option(help="Document file name or stem.")] = None,
    coder: Annotated[str | None, typer.Option(help="Only this coder's rows.")] = None,
    fmt: Annotated[
        SegmentFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SegmentFormat.table,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="CSV: write cells as they are (no ' before = + - @; docs/matrix.md)."
        ),
    ] = False,
) -> None:
    """List coded segments, one row per coding (suggestions and decisions)."""
    from codeer.errors import CodeerError
    from codeer.store.codings import STATUS_FILTERS, code_paths, select_codings
    from codeer.store.documents import resolve_document

    if status not in STATUS_FILTERS:
        raise typer.BadParameter(f"use one of: {', '.join(STATUS_FILTERS)}", param_hint="--status")
    filters = parse_where(where)
    with open_project(ctx) as project:
        con = project.con
        for key in code_key or []:
            known = (
                key in code_paths(con)
                or con.execute("SELECT 1 FROM codings WHERE code = ? LIMIT 1", (key,)).fetchone()
            )
            if not known:
                raise CodeerError(f"unknown code {key!r}", hint="see `codeer codebook show`")
        name = resolve_document(con, document)["name"] if document else None
        rows = select_codings(
            con, status=status, codes=code_key, where=filters, document=name, coder=coder
        )
    if fmt is SegmentFormat.jsonl:
        for row in rows:
            print(json.dumps(row.to_dict(), ensure_ascii=False), file=data_stream())
    elif fmt is SegmentFormat.csv:
        write_codings_csv(rows, data_stream(), raw=raw)
    else:
        _write_table(rows)
    info(f"{len(rows)} segment(s).")


def _write_table(rows: list) -> None:
    from codeer.store.safe_output import terminal_text

    print("DOCUMENT\tSTART-END\tCODE\tSTATUS\tSCORE\tVALENCE\tCODER\tTEXT\tEVIDENCE")
    for row in rows:
        score = "" if row.score is None else f"{row.score:.2f}"
        text = " ".join(row.text.split())
        text = text if len(text) <= 80 else text[:77] + "..."
        line = (
            f"{row.document}\t{row.start}-{row.end}\t{row.code}\t{row.status}\t{score}\t"
            f"{row.valence or ''}\t{row.coder}\t{text}\t{evidence_text(row.evidence)}"
        )
        # For a terminal: a transcript's escape sequences are shown, never acted on.
        print(terminal_text(line))


def evaluate(
    ctx: typer.Context,
    gold: Annotated[
        Path | None,
        typer.Option(help="Gold jsonl: document + start/end or quote + code per line."),
    ] = None,
    by: Annotated[
        EvalBy | None, typer.Option(help="Score per code or per theme (default: both).")
    ] = None,
    show: Annotated[
        int, typer.Option(help="How many misses and false hits to list (-1: all).")
    ] = 20,
    fmt: Annotated[
        OutFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutFormat.table,
    simulate: Annotated[
        Path | None,
        typer.Option(
            metavar="GOLD",
            help="Learning curve: on a copy of the project, decide the first N suggestions "
            "by this gold file, run `codeer learn`, score the rest.",
        ),
    ] = None,
    decisions: Annotated[
        str, typer.Option(metavar="N,N", help="With --simulate: numbers of decisions.")
    ] = "50,100,200",
    habit: Annotated[
        SimulateHabit,
        typer.Option(
            help="With --simulate: decide the review queue (queue), or read the documents "
            "sentence by sentence, deciding suggestions and coding what they missed (read)."
        ),
    ] = SimulateHabit.queue,
) -> None:
    """Precision, recall and F1 of the machine's suggestions against a hand-coded gold file."""
    from codeer.coding.evaluate import evaluate as run_evaluation
    from codeer.coding.evaluate import load_gold
    from codeer.store.safe_output import terminal_text

    if simulate is not None:
        from codeer.cli.learning import print_curve

        print_curve(ctx, simulate, decisions, fmt.value, habit.value)
        return
    if gold is None:
        raise typer.BadParameter("give --gold FILE (or --simulate FILE)", param_hint="--gold")
    with open_project(ctx) as project:
        items = load_gold(project.con, gold)
        modes = [by.value] if by else ["code", "theme"]
        results = [run_evaluation(project.con, items, by=mode) for mode in modes]
    if fmt is OutFormat.json:
        print(
            json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2),
            file=data_stream(),
        )
        return
    for result in results:
        print(f"By {result.by}:")
        print(f"  {'LABEL':<32} {'GOLD':>5} {'FOUND':>6} {'SUGG':>5} {'OK':>5}    P     R     F1")
        for score in [*result.scores, result.overall]:
            print(
                f"  {score.label:<32} {score.gold:>5} {score.found:>6} {score.suggested:>5}"
                f" {score.correct:>5}  {_fmt(score.precision)} {_fmt(score.recall)}"
                f" {_fmt(score.f1)}"
            )
        print()
    last = results[-1]
    for title, items_ in (("Misses", last.misses), ("False hits", last.false_hits)):
        if show == 0:
            break
        listed = items_ if show < 0 else items_[:show]
        print(f"{title} ({len(items_)}, by {last.by}; showing {len(listed)}):")
        for f in listed:
            text = terminal_text(" ".join(f.text.split())[:100])
            print(f"  {f.code:<22} {f.document}:{f.start}-{f.end}  {text}")
        print()


def _fmt(value: float | None) -> str:
    return "    -" if value is None else f"{value:5.2f}"


def doctor(
    fmt: Annotated[
        OutFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutFormat.table,
    model: Annotated[
        str | None, typer.Option(help="Check this spaCy model name or folder instead.")
    ] = None,
) -> None:
    """Which Dutch NLP pipeline is active, what it lacks, and library versions."""
    from codeer import __version__
    from codeer.coding.nlp import load_pipeline, pipeline_info, versions

    info_ = pipeline_info(load_pipeline(model))
    report = {
        "codeer": __version__,
        "python": platform.python_version(),
        **versions(),
        "pipeline": info_,
    }
    if fmt is OutFormat.json:
        print(json.dumps(report, ensure_ascii=False, indent=2), file=data_stream())
        return
    kind = "full model" if info_["kind"] == "model" else "built-in fallback"
    print(f"Pipeline:    {info_['name']} ({kind}; from {info_['source']})")
    print(f"Components:  {', '.join(info_['components'])}")
    print(f"Vectors:     {'yes' if info_['has_vectors'] else 'no'}")
    print(f"Lacks:       {', '.join(info_['lacks']) or 'nothing codeer uses'}")
    if info_["kind"] == "fallback":
        print(
            "Note:        codeer works fully with the fallback (lemmas, compounds, sentences);"
            " install nl_core_news_md for POS, parse, NER and vectors."
        )
    for name in ("codeer", "python", "spacy", "simplemma", "nl_core_news_md"):
        print(f"{name + ':':<13}{report[name]}")
