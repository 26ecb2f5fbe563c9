"""``codeer learn`` from the command line, in review, and beside ``codeer code``.

All people and places in these texts are fictional.
"""

from __future__ import annotations

import io
import json

import pytest

from codeer.coding.learn import learn_project
from codeer.errors import CodeerError
from codeer.review.plain import run_plain
from codeer.review.queue import ReviewFilter, ReviewQueue
from codeer.review.session import ReviewSession
from codeer.store.codings import LEARN_CODER
from tests.test_learn import learned  # noqa: F401 - the fixture


def test_cli_learn_table_then_nothing_changes(learned, cli):  # noqa: F811
    project, _kinds, _ids = learned
    folder = project.folder
    project.close()
    first = cli("-p", folder, "learn", "--min-decisions", "10")
    assert first.exit_code == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == "THEME\tMODEL\tPOSITIVE\tNEGATIVE\tRESCORED\tPROPOSED\tUPDATED\tRETRACTED"
    assert lines[1].startswith("werkdruk\tv1 (new)\t24\t12\t6\t")
    assert lines[2] == "verbinden\t-\t0\t0\t0\t0\t0\t0"
    assert "verbinden: no model" in first.stderr
    second = cli("-p", folder, "learn", "--min-decisions", "10", "-f", "json")
    assert second.exit_code == 0, second.stderr
    data = json.loads(second.stdout)
    assert data["themes"][0]["status"] == "unchanged" and data["themes"][0]["version"] == 1
    assert "Nothing changed" in second.stderr
    bad = cli("-p", folder, "learn", "--code", "nergens")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: unknown code 'nergens'")


def test_order_uncertain(learned):  # noqa: F811
    project, _kinds, _ids = learned
    with pytest.raises(CodeerError, match="needs a learned model") as error:
        ReviewQueue(project.con, "bob", ReviewFilter(order="uncertain"))
    assert "codeer learn" in error.value.hint
    learn_project(project, min_decisions=10)
    queue = ReviewQueue(project.con, "bob", ReviewFilter(order="uncertain"))
    scores = dict(project.con.execute("SELECT id, learned_score FROM codings"))
    ordered = [scores[i] for i in queue.ids]
    known = [abs(p - 0.5) for p in ordered if p is not None]
    assert known == sorted(known) and len(known) == 35  # the open ones and the proposals
    assert ordered[35:] == [None] * 24  # decided by ann (not re-scored): last


def test_order_uncertain_cli_without_model(learned, cli):  # noqa: F811
    project, _kinds, _ids = learned
    folder = project.folder
    project.close()
    result = cli("-p", folder, "review", "--order", "uncertain", "--plain", input="q\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --order uncertain needs a learned model")


def test_learn_every_in_plain_review(learned):  # noqa: F811
    project, _kinds, _ids = learned
    session = ReviewSession(project, "bob", ReviewFilter(), learn_every=2)
    out = io.StringIO()
    run_plain(session, io.StringIO("a\na\nq\n"), out)
    text = out.getvalue()
    assert "Learned again (werkdruk v1;" in text
    assert project.con.execute("SELECT count(*) FROM models").fetchone()[0] == 1


def test_code_rerun_keeps_learned_proposals(learned, cli):  # noqa: F811
    from codeer.coding.suggest import code_project

    project, _kinds, _ids = learned
    learn_project(project, min_decisions=10)
    sql = "SELECT id, status FROM codings WHERE coder = ? ORDER BY id"
    proposals = project.con.execute(sql, (LEARN_CODER,)).fetchall()
    assert proposals and {r["status"] for r in proposals} == {"suggested"}
    code_project(project)  # the shipped codebook: retracts the hand-made test suggestions
    assert [tuple(r) for r in project.con.execute(sql, (LEARN_CODER,))] == [
        tuple(r) for r in proposals
    ]
    folder = project.folder
    project.close()
    segments = cli("-p", folder, "segments", "--status", "suggested", "--format", "jsonl")
    coders = {json.loads(line)["coder"] for line in segments.stdout.splitlines()}
    assert LEARN_CODER in coders
    review = cli("-p", folder, "review", "--coder", LEARN_CODER, "--plain", input="q\n")
    assert review.exit_code == 1 and "machine coder" in review.stderr


def test_review_orders_by_uncertainty_once_a_model_exists(learned, cli):  # noqa: F811
    """No --order: document order without a model, the least certain first with one;
    --order document still gives document order, and the plain screen shows each."""
    project, _kinds, _ids = learned
    folder = project.folder

    def first_shown(*extra: str) -> tuple[str, str]:
        result = cli("-p", folder, "review", "--plain", "--coder", "bob", *extra, input="q\n")
        assert result.exit_code == 0, result.stderr
        return result.stdout, result.stderr

    project.close()
    before, note = first_shown()
    assert "least certain" not in note
    assert cli("-p", folder, "learn", "--min-decisions", "10").exit_code == 0
    after, note = first_shown()
    assert "Order: the learned model's least certain first" in note
    documented, note = first_shown("--order", "document")
    assert "least certain" not in note
    # The same first item (learn added proposals, so the totals differ).
    assert documented.splitlines()[2:4] == before.splitlines()[2:4]
    uncertain, _note = first_shown("--order", "uncertain")
    assert after == uncertain != documented
