"""``codeer learn``: learn from this project's decisions to rank and extend suggestions."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from codeer.cli.common import data_stream, info, open_project


class LearnFormat(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``learn`` to *app*."""
    app.command("learn")(learn)


def learn(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Option("--code", metavar="KEY", help="Only the theme of this code."),
    ] = None,
    min_decisions: Annotated[
        int,
        typer.Option(
            "--min-decisions",
            metavar="N",
            min=4,
            help="Decisions a theme needs before a model is fitted.",
        ),
    ] = 10,
    model: Annotated[
        str | None,
        typer.Option(help="spaCy model name or saved pipeline folder (default: auto)."),
    ] = None,
    fmt: Annotated[
        LearnFormat, typer.Option("--format", "-f", help="Output format.")
    ] = LearnFormat.table,
) -> None:
    """Fit a model per theme on your decisions; re-score and extend the suggestions.

    Accepted and hand-made codings teach what a theme is, rejected suggestions (and
    sentences read without coding) what it is not. Every open suggestion gets the
    model's probability and why; sentences no pattern found but the model rates high are
    proposed as new suggestions (coder codeer-learn). Decisions are never changed, and
    the same decisions give the same model: re-running changes nothing.
    """
    from codeer.coding.learn import learn_project

    with open_project(ctx) as project:
        result = learn_project(
            project, code=code, min_decisions=min_decisions, model=model, progress=info
        )
    for t in result.themes:
        if t.reason:
            info(f"{t.theme}: no model ({t.reason}).")
    if not result.changed:
        info("Nothing changed: the same decisions give the same model.")
    elif any(t.version for t in result.themes):
        info("Review the least certain first: codeer review --order uncertain")
    if fmt is LearnFormat.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), file=data_stream())
        return
    print("THEME\tMODEL\tPOSITIVE\tNEGATIVE\tRESCORED\tPROPOSED\tUPDATED\tRETRACTED")
    for t in result.themes:
        model_text = f"v{t.version} ({t.status})" if t.version else "-"
        print(
            f"{t.theme}\t{model_text}\t{t.positives}\t{t.negatives}\t{t.rescored}\t"
            f"{t.proposed}\t{t.updated}\t{t.retracted}"
        )


def print_curve(ctx: typer.Context, gold, decisions: str, fmt: str, habit: str = "queue") -> None:
    """``codeer evaluate --simulate GOLD``: the learning curve as a table or JSON."""
    from codeer.coding.learn_simulate import KEEP_AT, simulate

    try:
        numbers = [int(part) for part in decisions.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(
            f"{decisions!r} is not a list of numbers such as 50,100,200", param_hint="--decisions"
        ) from None
    with open_project(ctx) as project:
        points = simulate(project, gold, numbers, progress=info, habit=habit)
    if fmt == "json":
        points_json = json.dumps([p.to_dict() for p in points], ensure_ascii=False, indent=2)
        print(points_json, file=data_stream())
        return
    print(
        f"{'N':>5} {'DECIDED':>7} {'ACCEPTED':>8}  {'THEME':<24} {'GOLD':>5}"
        f"  {'CODEBOOK P':>10} {'R':>5}  {'LEARNED P':>9} {'R':>5}"
    )
    for point in points:
        learned = {s.label: s for s in point.learned}
        for score in point.codebook:
            after = learned.get(score.label)
            print(
                f"{point.decisions:>5} {point.decided:>7} {point.accepted:>8}  "
                f"{score.label:<24} {score.gold:>5}  {_num(score.precision):>10}"
                f" {_num(score.recall):>5}  {_num(after and after.precision):>9}"
                f" {_num(after and after.recall):>5}"
            )
    last = "the last decided suggestion" if habit == "queue" else "the last sentence read"
    info(
        f"Scored on the sentences after {last}; LEARNED = suggestions "
        f"the model rates at least {KEEP_AT:g} plus its own proposals."
    )


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
