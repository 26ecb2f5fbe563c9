"""``codeer evaluate --simulate``: the learning curve on a copy of the project.

All people and places in these texts are fictional.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codeer.errors import CodeerError
from codeer.store.project import Project
from tests.factories import add_codebook, add_coding, add_document

SENTENCES = [
    ("De wachtlijst in het fictieve Ankeveld groeit.", "werkdruk", "werkdruk"),
    ("We bellen de school in Bromdorp vaak.", "verbinden", None),
    ("Met de huisarts in Cieswijk lopen de lijnen kort.", "werkdruk", "verbinden"),
    ("De werkvoorraad in Dalhem is te groot.", "werkdruk", "werkdruk"),
    ("Met het jongerenwerk in Eekloo hebben we elke week overleg.", "verbinden", "verbinden"),
    ("Het regende in Fernhout de hele dag.", "werkdruk", None),
]


def tiny_project(folder: Path) -> tuple[Path, Path]:
    """One document of six sentences, one suggestion each, and a gold file of four rows."""
    with Project.init(folder) as project:
        add_codebook(project, [("verbinden", None), ("werkdruk", None)])
        text = " ".join(s for s, _c, _g in SENTENCES)
        doc = add_document(project, "fictief.txt", text)
        gold = []
        start = 0
        for sentence, code, gold_code in SENTENCES:
            end = start + len(sentence)
            add_coding(project, doc, start, end, code)
            with project.transaction() as con:
                con.execute(
                    "INSERT INTO units (document_id, turn_id, start, end)"
                    " SELECT ?, id, ?, ? FROM turns WHERE document_id = ?",
                    (doc, start, end, doc),
                )
            if gold_code:
                gold.append({"document": "fictief.txt", "quote": sentence, "code": gold_code})
            start = end + 1
    gold_file = folder / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    return folder, gold_file


def waiting_list_gold(project: Project, keys, path: Path) -> Path:
    """A gold file coding every waiting-list sentence (*keys*) werkdruk."""
    names = dict(project.con.execute("SELECT id, name FROM documents"))
    rows = ({"document": names[d], "start": s, "end": e, "code": "werkdruk"} for d, s, e in keys)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


EXPECTED = """\
    N DECIDED ACCEPTED  THEME                     GOLD  CODEBOOK P     R  LEARNED P     R
    2       2        1  verbinden                    2        1.00  0.50       1.00  0.50
    2       2        1  werkdruk                     1        0.33  1.00       0.33  1.00
    2       2        1  overall                      3        0.50  0.67       0.50  0.67
    4       4        2  verbinden                    1        1.00  1.00       1.00  1.00
    4       4        2  overall                      1        1.00  1.00       1.00  1.00
"""


def test_simulate_table_exact(tmp_path: Path, cli):
    folder, gold = tiny_project(tmp_path / "p")
    before = (folder / "codeer.db").read_bytes()
    result = cli("-p", folder, "evaluate", "--simulate", gold, "--decisions", "2,4")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == EXPECTED
    assert "Simulating 4 decisions" in result.stderr
    assert (folder / "codeer.db").read_bytes() == before  # the user's project is only read
    # ... so it has no decisions and no models.
    with Project.open(folder) as project:
        con = project.con
        assert (
            con.execute("SELECT count(*) FROM codings WHERE status != 'suggested'").fetchone()[0]
            == 0
        )
        assert con.execute("SELECT count(*) FROM models").fetchone()[0] == 0
    assert len((folder / "codeer.db").read_bytes()) == len(before)


def test_simulate_json(tmp_path: Path, cli):
    folder, gold = tiny_project(tmp_path / "p")
    result = cli("-p", folder, "evaluate", "--simulate", gold, "--decisions", "2", "-f", "json")
    assert result.exit_code == 0, result.stderr
    (point,) = json.loads(result.stdout)
    assert (point["decisions"], point["decided"], point["accepted"]) == (2, 2, 1)
    assert point["models"] == []  # too few decisions for a model
    labels = [s["label"] for s in point["codebook"]]
    assert labels == ["verbinden", "werkdruk", "overall"]
    assert point["codebook"][1]["precision"] == 1 / 3


def test_simulate_bad_numbers_and_missing_gold(tmp_path: Path, cli):
    folder, gold = tiny_project(tmp_path / "p")
    result = cli("-p", folder, "evaluate", "--simulate", gold, "--decisions", "a,b")
    assert result.exit_code == 2 and "--decisions" in result.stderr
    result = cli("-p", folder, "evaluate", "--simulate", gold, "--decisions", "0")
    assert result.exit_code == 1 and result.stderr.startswith("Error: --decisions")
    result = cli("-p", folder, "evaluate")
    assert result.exit_code == 2 and "--gold" in result.stderr


def test_simulate_with_a_model_drops_what_it_learned_to_reject(tmp_path: Path):
    """Enough decisions for a model: the learned side keeps the waiting-list suggestions
    and drops the weather ones the simulated researcher kept rejecting."""
    from codeer.coding.learn_simulate import simulate
    from tests.test_learn import build, suggest

    project, kinds = build(tmp_path / "p")
    for wait, weather in zip(kinds["wait"], kinds["weather"], strict=True):
        suggest(project, wait, "werkdruk", "lemma:wachtlijst")
        suggest(project, weather, "werkdruk", "lemma:druk")
    gold = waiting_list_gold(project, kinds["wait"], tmp_path / "gold.jsonl")
    (point,) = simulate(project, gold, [24])
    project.close()
    assert (point.decided, point.accepted, point.models) == (24, 12, ["werkdruk"])
    codebook = {s.label: s for s in point.codebook}["werkdruk"]
    learned = {s.label: s for s in point.learned}["werkdruk"]
    assert point.remaining_gold == codebook.gold == learned.gold == 56 - 12
    assert (codebook.precision, codebook.recall) == (0.5, 1.0)
    assert (learned.precision, learned.recall) == (1.0, 1.0)


def test_simulate_read_habit_codes_what_the_suggestions_missed(tmp_path: Path, cli):
    """Reading sentence by sentence: sentence 3 has a werkdruk suggestion but gold
    verbinden, so the reader rejects it and codes verbinden by hand (two decisions)."""
    folder, gold = tiny_project(tmp_path / "p")
    result = cli(
        "-p", folder, "evaluate", "--simulate", gold, "--decisions", "2,4", "--habit", "read",
        "-f", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    two, four = json.loads(result.stdout)
    # 1: werkdruk accepted; 2: verbinden rejected (no gold) -> stop after sentence 2.
    assert (two["decided"], two["accepted"], two["remaining_gold"]) == (2, 1, 3)
    # 3: werkdruk rejected and verbinden coded by hand -> stop after sentence 3.
    assert (four["decided"], four["accepted"], four["remaining_gold"]) == (4, 1, 2)
    # The rest starts at sentence 4: werkdruk (gold werkdruk), verbinden (gold verbinden),
    # werkdruk (no gold).
    scores = {s["label"]: s for s in four["codebook"]}
    assert (scores["verbinden"]["precision"], scores["verbinden"]["recall"]) == (1.0, 1.0)
    assert (scores["werkdruk"]["precision"], scores["werkdruk"]["recall"]) == (0.5, 1.0)
    table = cli("-p", folder, "evaluate", "--simulate", gold, "--decisions", "4", "--habit", "read")
    assert table.stdout.splitlines()[1].split() == [
        "4", "4", "1", "verbinden", "1", "1.00", "1.00", "1.00", "1.00"
    ]  # fmt: skip
    assert "after the last sentence read" in table.stderr


def test_simulate_read_habit_learns_sentences_no_pattern_found(tmp_path: Path):
    """The waiting-list sentences have no suggestion at all; the reader codes the first
    ones by hand and leaves the weather and filler sentences read. The model then
    proposes the later waiting-list sentences: recall the codebook could not give."""
    from codeer.coding.learn_simulate import simulate
    from tests.test_learn import build

    project, kinds = build(tmp_path / "p")
    gold = waiting_list_gold(project, kinds["wait"], tmp_path / "gold.jsonl")
    (queue,) = simulate(project, gold, [10])
    (read,) = simulate(project, gold, [10], habit="read")
    project.close()
    assert queue.decided == 0 and queue.models == []  # nothing to decide in the queue
    assert (read.decided, read.accepted, read.models) == (10, 0, ["werkdruk"])
    learned = {s.label: s for s in read.learned}["werkdruk"]
    assert read.remaining_gold == learned.gold == 56 - 10
    assert learned.recall == 1.0 and learned.precision == 1.0
    with pytest.raises(CodeerError, match="unknown habit"):
        simulate(project, gold, [10], habit="skim")
