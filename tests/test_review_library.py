"""The UI-free review library: queue, decisions, undo, bulk steps and the `/` filter."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from codeer.review import decisions as dec
from codeer.review.queue import ReviewFilter, ReviewQueue, parse_filter
from codeer.review.session import ReviewSession
from codeer.store.codings import select_codings
from codeer.store.project import Project
from tests.test_review_support import build, decisions, rows


def test_queue_is_undecided_per_coder(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)
    with Project.open(folder) as project:
        dec.decide(project, ids[0], "anna", "accept")
        dec.decide(project, ids[1], "bert", "reject")
        anna = ReviewQueue(project.con, "anna")
        bert = ReviewQueue(project.con, "bert")
        assert anna.next_undecided() == 1 and bert.next_undecided() == 0
        assert anna.decided_count == 1 and anna.code_decided == {
            "verbinden": 1, "vertrouwen": 0, "werkdruk": 0,
        }  # fmt: skip
        # Skipped items come back: after the last one the search wraps around.
        assert anna.next_undecided(5) == 1
        assert anna.next_undecided(5, wrap=False) is None
        anna.mark(ids[0], False)
        assert anna.next_undecided() == 0 and anna.decided_count == 0


def test_decision_rows_and_events(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)
    with Project.open(folder) as project:
        step = dec.decide(project, ids[0], "anna", "accept", span=(3, 200), memo="breed")
        with pytest.raises(dec.AlreadyDecided):
            dec.decide(project, ids[0], "anna", "reject")
        with pytest.raises(dec.ReviewError, match="unknown code"):
            dec.decide(project, ids[1], "anna", "change", code="bestaatniet")
        with pytest.raises(dec.ReviewError, match="machine coder"):
            dec.decide(project, ids[1], "codeer", "accept")
    row = rows(folder, "SELECT * FROM codings WHERE id = ?", (step.rows[0],))[0]
    assert (row["status"], row["coder"], row["start"], row["end"]) == ("accepted", "anna", 3, 200)
    assert row["memo"] == "breed" and row["decided_at"] and row["suggestion_id"] == ids[0]
    assert row["valence"] == "positive" and row["score"] == pytest.approx(0.9)
    # The suggestion itself is untouched, and one event describes the step.
    assert rows(folder, "SELECT status FROM codings WHERE id = ?", (ids[0],))[0][0] == "suggested"
    events = rows(folder, "SELECT actor, action FROM events")
    assert [tuple(e) for e in events] == [("anna", "review.accept")]


def test_shared_status_filters_see_decisions(tmp_path: Path) -> None:
    """`segments --status ...` (codeer.store.codings) agrees with how decisions are stored."""
    folder, ids = build(tmp_path, documents=1)
    with Project.open(folder) as project:
        dec.decide(project, ids[0], "anna", "accept")
        dec.decide(project, ids[1], "anna", "change", code="korte_lijnen")
        dec.decide(project, ids[2], "anna", "add", code="vertrouwen")
        accepted = select_codings(project.con, status="accepted")
        suggested = select_codings(project.con, status="suggested")
    assert sorted(c.code for c in accepted) == ["korte_lijnen", "verbinden", "vertrouwen"]
    assert [c.id for c in suggested] == [ids[2]]  # adding a code does not decide


def test_undo_many_levels_and_append_only_log(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)
    with Project.open(folder) as project:
        dec.decide(project, ids[0], "anna", "accept")
        dec.add_memo(project, ids[1], "anna", "eerst overleggen")
        dec.decide(project, ids[1], "anna", "change", code="werkdruk")
        dec.decide(project, ids[0], "bert", "reject")
        undone = [dec.undo_last(project, "anna") for _ in range(4)]
        assert [u.action if u else None for u in undone] == [
            "review.change", "review.memo", "review.accept", None,
        ]  # fmt: skip
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            project.con.execute("DELETE FROM events")
    assert decisions(folder, "anna") == []
    assert rows(folder, "SELECT count(*) FROM memos")[0][0] == 0
    assert len(decisions(folder, "bert")) == 1  # another coder's work is never undone
    assert rows(folder, "SELECT count(*) FROM events")[0][0] == 4 + 3


def test_bulk_step_is_one_event_and_undoable(tmp_path: Path) -> None:
    folder, ids = build(tmp_path, documents=4)
    with Project.open(folder) as project:
        dec.decide(project, ids[1], "anna", "reject")
        flt = ReviewFilter(code="vertrouwen")
        assert dec.bulk_decide(project, "anna", "accept", flt, dry_run=True) == ids[4:12:3]
        assert decisions(folder, "anna") == [(ids[1], "vertrouwen", "rejected", 108, 163)]
        decided = dec.bulk_decide(project, "anna", "accept", flt)
        assert decided == [ids[4], ids[7], ids[10]]
        assert dec.last_step(project.con, "anna").action == "review.reject"  # `u` skips bulk
        bulk = dec.last_step(project.con, "anna", (dec.BULK_ACTION,))
        dec.undo_step(project, bulk, "anna")
    assert decisions(folder, "anna") == [(ids[1], "vertrouwen", "rejected", 108, 163)]


def test_session_change_add_widen_undo(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)
    with Project.open(folder) as project:
        session = ReviewSession(project, "anna", ReviewFilter(order="score"))
        assert session.current.id == ids[0]  # highest score first
        session.toggle_widen()
        assert "already has code" in _error(session.change_code, "verbinden")
        assert session.change_code("korte_lijnen").startswith("Changed")
        assert session.find_codes("korte")[0].key == "korte_lijnen"
        assert session.find_codes("vertrouwen")[0].key == "vertrouwen"
        assert session.undo() == "Undid change of verbinden."
        assert session.current.id == ids[0] and session.widened
        assert session.progress().decided == 0


def _error(action, *args) -> str:
    try:
        return action(*args)
    except dec.ReviewError as exc:
        return str(exc)


def test_parse_filter() -> None:
    base = ReviewFilter(code="verbinden", where={"ses": "laag"})
    flt = parse_filter('gemeente="Den Veen" score>=0.5 doc=int-1 korte lijntjes', base)
    assert flt.code == "verbinden" and flt.document == "int-1" and flt.min_score == 0.5
    assert flt.where == {"ses": "laag", "gemeente": "Den Veen"}
    assert flt.text == "korte lijntjes"
    assert parse_filter("code= ses= order=score", base) == ReviewFilter(order="score")
    assert parse_filter("", base) == base
    with pytest.raises(ValueError):
        parse_filter("order=random", base)
    with pytest.raises(ValueError):
        parse_filter("score>=veel", base)


def test_text_filter_searches_the_fragment(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)
    with Project.open(folder) as project:
        queue = ReviewQueue(project.con, "anna", ReviewFilter(text="BACKOFFICE"))
        assert queue.ids == [ids[1], ids[4]]


def test_retracted_or_elsewhere_decided_items_are_passed_over(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)
    with Project.open(folder) as project:
        session = ReviewSession(project, "anna")
        other_window = ReviewSession(project, "anna")
        # A new `codeer code` run retracts the suggestion on screen.
        project.con.execute("UPDATE codings SET status = 'retracted' WHERE id = ?", (ids[0],))
        assert "is no longer open (retracted or removed); moved on" in session.accept()
        assert session.current.id == ids[1]
        other_window.skip()
        other_window.reject()  # ids[1], decided in the other window first
        assert "already decided" in session.accept()
        assert session.current.id == ids[2]
        empty = ReviewSession(project, "anna", ReviewFilter(code="korte_lijnen"))
        assert empty.done and empty.done_message().startswith("No suggestions to review")
    assert decisions(folder, "anna") == [(ids[1], "vertrouwen", "rejected", 108, 163)]
