"""``codeer agreement`` and ``codeer disagreements``: how far coders agree, and where not."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from codeer.cli.common import info, open_project


class Unit(StrEnum):
    sentence = "sentence"
    turn = "turn"
    span = "span"


class DisputeUnit(StrEnum):
    sentence = "sentence"
    turn = "turn"


class Level(StrEnum):
    code = "code"
    top = "top"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    """Add ``agreement`` and ``disagreements`` to *app*."""
    app.command("agreement")(agreement)
    app.command("disagreements")(disagreements)


CodersOption = Annotated[
    str | None,
    typer.Option(
        "--coders",
        metavar="A,B[,C]",
        help="The coders to compare (default: every human coder in the project).",
    ),
]
CodeOption = Annotated[
    str | None,
    typer.Option("--code", metavar="KEY", help="Only this code and its sub-codes."),
]


def _split(coders: str | None) -> list[str] | None:
    return [c.strip() for c in coders.split(",") if c.strip()] if coders else None


def _number(value: float | None, digits: int) -> Any:
    # + 0.0 turns -0.0 into 0.0: a rounded "minus nothing" only confuses a reader.
    return None if value is None else round(value, digits) + 0.0


def _record(row) -> dict[str, Any]:
    """A row for json/csv: percent 0-100 with 2 decimals, coefficients with 4."""
    record = row.to_dict()
    record["units"] = int(record["units"])
    record["percent"] = _number(row.percent * 100 if row.percent is not None else None, 2)
    for key in ("cohen_kappa", "fleiss_kappa", "alpha", "u_alpha"):
        record[key] = _number(record[key], 4)
    return record


def agreement(
    ctx: typer.Context,
    coders: CodersOption = None,
    code: CodeOption = None,
    level: Annotated[
        Level, typer.Option("--level", help="code: per code; top: per theme (top-level code).")
    ] = Level.code,
    unit: Annotated[
        Unit,
        typer.Option(
            "--unit", help="sentence (respondent sentences), turn, or span (every character)."
        ),
    ] = Unit.sentence,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
) -> None:
    """Inter-coder agreement per code and overall: percent, Cohen, Fleiss, alpha, u-alpha.

    See docs/agreement.md for the definitions and which units count.
    """
    from codeer.synthesis.agreement_data import COLUMNS
    from codeer.synthesis.agreement_data import agreement as compute

    with open_project(ctx) as project:
        report = compute(project.con, _split(coders), code=code, level=level.value, unit=unit.value)
    if report.outside:
        info(
            f"{report.outside} coding(s) overlap no {report.unit} unit and are not counted "
            "at this unit (try --unit turn or --unit span)."
        )
    rows = [*report.rows, *([report.overall] if report.overall else [])]
    if fmt is Format.json:
        import json

        data = report.to_dict()
        data["codes"] = [_record(r) for r in report.rows]
        data["overall"] = _record(report.overall) if report.overall else None
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if fmt is Format.csv:
        import csv

        from codeer.store.safe_output import spreadsheet_row

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            record = _record(row)
            writer.writerow(
                spreadsheet_row(["" if record[c] is None else record[c] for c in COLUMNS])
            )
        return
    _table(report, rows)


def _table(report, rows) -> None:
    from rich.table import Table

    from codeer.cli.common import table_console
    from codeer.store.safe_output import terminal_text

    console = table_console()
    if not rows:
        info("No codings by these coders yet: nothing to compare.")
        return
    what = "theme" if report.level == "top" else "code"
    unit = "characters" if report.unit == "span" else f"{report.unit}s"
    headers = [what, unit, "agree", "Cohen κ", "Fleiss κ", "α", "u-α"]
    table = Table(*headers, box=None, pad_edge=False, title=None)
    for column in table.columns[1:]:
        column.justify = "right"

    def show(value: float | None, digits: int = 3) -> str:
        return "n/a" if value is None else f"{value:.{digits}f}"

    for row in rows:
        percent = "n/a" if row.percent is None else f"{row.percent * 100:.1f}%"
        table.add_row(
            terminal_text(row.code), str(int(row.units)), percent,
            show(row.cohen_kappa), show(row.fleiss_kappa), show(row.alpha), show(row.u_alpha),
        )  # fmt: skip
    info(
        f"Coders: {', '.join(report.coders)} · unit: {report.unit} · "
        f"{report.documents} document(s) seen by all (u-α)"
    )
    console.print(table)
    if report.confusion:
        a, b = report.coders
        labels = sorted({x for pair in report.confusion for x in pair})
        confusion = Table(f"{a} \\ {b}", *labels, box=None, pad_edge=False)
        for column in confusion.columns[1:]:
            column.justify = "right"
        for x in labels:
            confusion.add_row(x, *(str(report.confusion.get((x, y), "")) for y in labels))
        console.print()
        console.print(confusion)


def disagreements(
    ctx: typer.Context,
    coders: CodersOption = None,
    code: CodeOption = None,
    unit: Annotated[
        DisputeUnit, typer.Option("--unit", help="sentence or turn.")
    ] = DisputeUnit.sentence,
    fmt: Annotated[
        ListFormat, typer.Option("--format", help="table (for people) or jsonl.")
    ] = ListFormat.table,
    review: Annotated[
        bool, typer.Option("--review", help="Decide the consensus of each unit, one by one.")
    ] = False,
    coder: Annotated[
        str | None,
        typer.Option(
            "--coder",
            metavar="NAME",
            help="--review: who decides (default: CODEER_CODER, else the login name).",
        ),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="--review in line mode (pipes, screen readers).")
    ] = False,
) -> None:
    """The units where coders differ; with --review, decide the consensus codes.

    Consensus is stored as codings of the coder `consensus` (see docs/review.md).
    """
    from codeer.review.consensus import find_disputes
    from codeer.synthesis.agreement_data import choose_coders

    with open_project(ctx) as project:
        names = choose_coders(project.con, _split(coders))
        if review:
            _review(project, names, coder, unit.value, code, plain)
            return
        disputes = find_disputes(project.con, names, unit=unit.value, code=code)
    if fmt is ListFormat.jsonl:
        import json

        for item in disputes:
            sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        return
    if not disputes:
        info(f"No disagreements between {', '.join(names)}.")
        return
    from rich.table import Table

    from codeer.cli.common import table_console
    from codeer.store.safe_output import terminal_text

    table = Table("document", "span", "text", *names, box=None, pad_edge=False)
    for item in disputes:
        shown = [
            "(not seen)" if item.codes[n] is None else (", ".join(sorted(item.codes[n])) or "-")
            for n in names
        ]
        table.add_row(
            terminal_text(item.document), f"{item.start}-{item.end}",
            terminal_text(item.text), *shown,
        )  # fmt: skip
    table_console().print(table)
    info(f"{len(disputes)} disagreement(s) between {', '.join(names)}.")


def _review(project, names, coder, unit, code, plain) -> None:
    from codeer.cli.review import coder_name, interactive
    from codeer.review.consensus_session import ConsensusSession

    session = ConsensusSession(project, coder_name(coder), names, unit=unit, code=code)
    if not interactive(plain, "deciding"):
        from codeer.review.consensus_plain import run_plain

        run_plain(session, sys.stdin, sys.stdout)
        return
    from codeer.review.consensus_app import ConsensusApp

    ConsensusApp(session).run()
    info(f"{sum(session.decided)} of {len(session.disputes)} disagreements decided.")
