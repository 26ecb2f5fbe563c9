"""What the learned model says, shown in review, the document view and segments.

One project, made the way a researcher makes it: import a transcript, ``codeer code``,
code some sentences by hand, decide suggestions in ``codeer review --plain``, and run
``codeer learn``. The interview, its places and people are fictional.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Static

from codeer.review.app import ReviewApp
from codeer.review.document_app import DocumentApp
from codeer.review.document_session import DocumentSession
from codeer.review.learned import Example, nearest_examples, parse_explanation
from codeer.review.queue import ReviewFilter
from codeer.review.session import ReviewSession
from codeer.store.codings import LEARN_CODER
from codeer.store.project import Project
from tests.test_review_support import run

PLACES = [
    "Ankeveld", "Bromdorp", "Cieswijk", "Dalhem", "Eekloo", "Fernhout", "Gieterveen",
    "Holtwijk", "Ilpenburg", "Jorwerd", "Kolham", "Marum",
]  # fmt: skip
SCHOOL = "We werken goed samen met de school in {}."  # the codebook suggests verbinden
NETWORK = "Het computernetwerk in {} lag weer plat."  # so does it, wrongly
COFFEE = "We drinken koffie met de buurvrouw."  # no suggestion: anna codes it by hand
DECIDED = 8  # places whose two verbinden suggestions anna decides (school yes, network no)
BY_HAND = 10  # coffee sentences anna codes verbinden; the model proposes the other two
SIZE = (80, 24)


def transcript() -> str:
    lines = ["I: Fictief interview; alle personen en plaatsen zijn verzonnen. Hoe gaat het?"]
    for place in PLACES:
        lines.append(f"R: {SCHOOL.format(place)} {NETWORK.format(place)} {COFFEE}")
        lines.append("I: En verder?")
    return "\n".join(lines) + "\n"


def rows(folder: Path, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    with sqlite3.connect(folder / "codeer.db") as con:
        con.row_factory = sqlite3.Row
        return con.execute(sql, params).fetchall()


def coding_at(folder: Path, sentence: str, coder: str = "codeer", place: str = "") -> sqlite3.Row:
    """The verbinden suggestion of *coder* on *sentence* (the first after *place*)."""
    (text,) = rows(folder, "SELECT text FROM documents")[0]
    start = text.index(sentence, text.index(place))
    (row,) = rows(
        folder,
        "SELECT * FROM codings WHERE code = 'verbinden' AND coder = ? AND start = ?",
        (coder, start),
    )
    return row


def expected_line(raw: str) -> str:
    """The model line for a stored ``learned``, written out from the documented format."""
    why = json.loads(raw)
    line = f"Model {why['model']}: {why['p']:.2f}"
    for sign, parts in (("+", why["up"]), ("-", why["down"])):
        shown = [
            f"{sign} {name.removeprefix('word:')} ({weight:.2f})"
            for name, weight in parts
            if abs(weight) >= 0.005  # rounds to 0.00: left out
        ]
        if shown:
            line += "  " + ", ".join(shown)
    return line


def flat(text: str) -> str:
    """*text* with its wrapping undone (any run of white space one space)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def learned(tmp_path_factory) -> Path:
    """The project after `codeer learn`: verbinden v1, scores, and two proposals."""
    from typer.testing import CliRunner

    from codeer.cli.main import app

    runner = CliRunner()

    def cli(*args: object, input: str | None = None):
        result = runner.invoke(app, [str(a) for a in args], input=input)
        assert result.exit_code == 0, result.stderr
        return result

    tmp = tmp_path_factory.mktemp("learned_view")
    folder, source = tmp / "project", tmp / "fictief.txt"
    source.write_text(transcript(), encoding="utf-8")
    cli("init", folder)
    cli("-p", folder, "import", source)
    cli("-p", folder, "code")
    (text,) = rows(folder, "SELECT text FROM documents")[0]
    starts, at = [], 0
    while len(starts) < BY_HAND:
        at = text.index(COFFEE, at + 1)
        starts.append(at)
    lines = [
        json.dumps({"document": "fictief.txt", "start": s, "end": s + len(COFFEE),
                    "code": "verbinden"})
        for s in starts
    ]  # fmt: skip
    by_hand = tmp / "add.jsonl"
    by_hand.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli("-p", folder, "add", "--from", by_hand, "--coder", "anna")
    cli("-p", folder, "review", "--coder", "anna", "--code", "verbinden", "--plain",
        input="a\nx\n" * DECIDED + "q\n")  # fmt: skip
    learn = cli("-p", folder, "learn", "--format", "json")
    (theme,) = [t for t in json.loads(learn.stdout)["themes"] if t["theme"] == "verbinden"]
    assert theme["version"] == 1 and theme["proposed"] == 2, theme
    return folder


# -- the line itself -------------------------------------------------------------------


def test_model_line_format_and_damaged_values() -> None:
    raw = json.dumps(
        {"model": "verbinden v3", "p": 0.82,
         "up": [["word:samenwerken", 0.41], ["chars:school", 0.2]],
         "down": [["word:zelfvertrouwen", -0.554]]}
    )  # fmt: skip
    why = parse_explanation(raw)
    assert why.line() == (
        "model verbinden v3: 0.82  + samenwerken (0.41), + chars:school (0.20)"
        "  - zelfvertrouwen (-0.55)"
    )
    assert why.line("Model") == expected_line(raw)
    nothing_down = parse_explanation(
        json.dumps({"model": "werkdruk v1", "p": 0.1, "up": [["chars:marum", 0.004]]})
    )
    assert nothing_down.line() == "model werkdruk v1: 0.10"  # 0.004 would read as 0.00
    # A hand-edited or damaged project shows no line instead of stopping the review.
    for bad in (None, "", "{", "[1, 2]", json.dumps({"model": "x", "p": "hoog"})):
        assert parse_explanation(bad) is None
    assert parse_explanation(json.dumps({"model": "x v1"}), 0.5).p == 0.5
    long = Example("fictief.txt", "Een\nheel lang verhaal " * 40)
    assert (
        long.line().startswith("fictief.txt: Een heel lang verhaal Een")
        and len(long.line()) == len("fictief.txt: ") + 200
    )
    assert long.line().endswith("…")
    assert nearest_examples("not a list") == [] and nearest_examples([{"via": "exact"}]) == []


# -- review ----------------------------------------------------------------------------


def test_plain_review_shows_the_model_line_and_a_proposals_nearest(learned, cli) -> None:
    school = coding_at(learned, SCHOOL.format("Ilpenburg"))
    proposal = coding_at(learned, COFFEE, LEARN_CODER, "Kolham")  # the first of the two: Kolham
    assert school["learned_score"] > 0.5 and proposal["learned_score"] >= 0.7
    # Anna's open items: Ilpenburg school, network, Jorwerd ..., Kolham school, network,
    # then the proposal on Kolham's coffee sentence: six skips away.
    result = cli("-p", learned, "review", "--coder", "anna", "--code", "verbinden",
                 "--order", "document", "--plain", input="\n" * 6 + "q\n")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    blocks = result.stdout.split("--- ")
    first = next(b for b in blocks if "Fragment: We [werken goed samen] met de school in Ilp" in b)
    assert flat(expected_line(school["learned"])) in flat(first)
    assert "Nearest accepted" not in first
    lines = first.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Evidence: "))
    assert lines[at + 1].startswith(f"Model verbinden v1: {school['learned_score']:.2f}  +")
    (shown,) = [b for b in blocks if f"Fragment: {COFFEE}" in b]
    assert flat(expected_line(proposal["learned"])) in flat(shown)
    (evidence,) = json.loads(proposal["evidence"])
    nearest = [f"Nearest accepted: {n['document']}: {n['text']}" for n in evidence["nearest"]]
    assert nearest == [f"Nearest accepted: fictief.txt: {COFFEE}"] * 3
    assert [line for line in shown.splitlines() if line.startswith("Nearest")] == nearest


def test_review_screen_shows_the_model_line_in_the_context(learned) -> None:
    school = coding_at(learned, SCHOOL.format("Ilpenburg"))
    proposal = coding_at(learned, COFFEE, LEARN_CODER, "Kolham")

    async def body() -> None:
        session = ReviewSession(Project.open(learned), "anna", ReviewFilter(code="verbinden"))
        app = ReviewApp(session)
        async with app.run_test(size=SIZE) as pilot:
            assert app.session.current.id == school["id"]
            context = str(app.query_one("#context", Static).content)
            assert context.splitlines()[1] == expected_line(school["learned"])
            assert "Nearest accepted" not in context
            app.screen._on_timer_update()
            screen = "\n".join(s.text for s in app.screen._compositor.render_strips())
            assert "Model verbinden v1: " in screen  # in sight at 80x24, not scrolled away
            await pilot.press(*["space"] * 6)
            assert app.session.current.id == proposal["id"]
            context = str(app.query_one("#context", Static).content).splitlines()
            assert context[1] == expected_line(proposal["learned"])
            assert (
                context[-4:] == ["Nearest accepted fragments:"] + [f"  fictief.txt: {COFFEE}"] * 3
            )

    run(body())


# -- the document view -----------------------------------------------------------------


def sentence_number(folder: Path, sentence: str) -> int:
    """The 1-based number `codeer read` gives *sentence* (for `g N`)."""
    with Project.open(folder) as project:
        model = DocumentSession(project, "fictief", "carla").model
        return next(i for i in range(len(model)) if model.sentence_text(i) == sentence) + 1


def test_read_shows_the_model_line_of_open_suggestions(learned, cli) -> None:
    network = coding_at(learned, NETWORK.format("Marum"))
    number = sentence_number(learned, NETWORK.format("Marum"))
    result = cli("-p", learned, "read", "fictief", "--coder", "anna", "--plain",
                 input=f"g {number}\nq\n")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    block = result.stdout.split(f"[{number}/")[1]
    assert block.splitlines()[1:3] == [
        f"  {NETWORK.format('Marum')}",
        "  Codes: verbinden: suggested 0.50",
    ]
    model = block.split("j k J K")[0].splitlines()[3:]  # up to the prompt, maybe wrapped
    assert flat("\n".join(model)) == flat(expected_line(network["learned"]))
    # A sentence anna decided: no open suggestion, so no model line.
    decided = sentence_number(learned, NETWORK.format("Ankeveld"))
    again = cli("-p", learned, "read", "fictief", "--coder", "anna", "--plain",
                input=f"g {decided}\nq\n")  # fmt: skip
    assert "verbinden: rejected" in again.stdout and "Model verbinden" not in again.stdout

    async def body() -> None:
        app = DocumentApp(DocumentSession(Project.open(learned), "fictief", "anna"))
        async with app.run_test(size=SIZE):
            app.session.goto(number - 1)
            app.redraw()
            detail = str(app.query_one("#detail", Static).content).splitlines()
            assert detail == ["Codes: verbinden: suggested 0.50", expected_line(network["learned"])]

    run(body())


# -- segments --------------------------------------------------------------------------


def test_segments_jsonl_and_csv_carry_learned_exactly(learned, cli) -> None:
    stored = {r["id"]: r for r in rows(learned, "SELECT id, learned_score, learned FROM codings")}
    scored = [i for i, r in stored.items() if r["learned"] is not None]
    assert len(scored) == 2 * (len(PLACES) - DECIDED) + 2  # the open ones and the proposals
    jsonl = cli("-p", learned, "segments", "--status", "any", "--format", "jsonl")
    assert jsonl.exit_code == 0, jsonl.stderr
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert len(records) == len(stored)
    for record in records:
        assert list(record)[-2:] == ["learned_score", "learned"]
        row = stored[record["id"]]
        assert record["learned_score"] == row["learned_score"]
        assert record["learned"] == (None if row["learned"] is None else json.loads(row["learned"]))
    table = cli("-p", learned, "segments", "--status", "any", "--format", "csv")
    reader = csv.reader(io.StringIO(table.stdout))
    header = next(reader)
    # The fixed columns, learned_score and learned last; this project has no attributes.
    assert header == [
        "id", "document", "start", "end", "speaker", "role", "code", "code_path", "status",
        "score", "valence", "coder", "text", "evidence", "memo", "turn_index", "learned_score",
        "learned",
    ]  # fmt: skip
    cells = {int(line[0]): line[-2:] for line in reader}
    assert cells == {
        i: ["", ""] if r["learned"] is None else [repr(r["learned_score"]), r["learned"]]
        for i, r in stored.items()
    }
    # One whole line, exactly: the proposal on Kolham's coffee sentence.
    proposal = coding_at(learned, COFFEE, LEARN_CODER, "Kolham")
    (text,) = rows(learned, "SELECT text FROM documents")[0]
    (evidence,) = json.loads(proposal["evidence"])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([
        proposal["id"], "fictief.txt", proposal["start"], proposal["end"], "R", "respondent",
        "verbinden", "verbinden", "suggested", proposal["score"], "neutral", LEARN_CODER,
        text[proposal["start"]:proposal["end"]], f" [{evidence['pattern']}]", "",
        2 * PLACES.index("Kolham") + 1, proposal["learned_score"], proposal["learned"],
    ])  # fmt: skip
    assert out.getvalue() in table.stdout
