"""The full-screen review app, driven key by key with Pilot; the store is checked after each key.

Every check reads the database through a separate connection, so it sees only what is
committed: a decision shown on screen but not committed would fail these tests.
"""

from __future__ import annotations

from pathlib import Path

from codeer.review.app import KEYS, ReviewApp, keys_lines
from codeer.review.screens import CodePicker, HelpScreen, Prompt
from codeer.review.session import ReviewSession
from codeer.store.project import Project
from tests.test_review_support import ANSWER, QUESTION, build, decisions, rows, run

SIZE = (80, 24)


def make_app(folder: Path, coder: str = "anna") -> ReviewApp:
    return ReviewApp(ReviewSession(Project.open(folder), coder))


def screen_text(app: ReviewApp) -> str:
    """The whole screen as plain text, line by line, as the terminal would show it."""
    app.screen._on_timer_update()  # draw pending changes now
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def enter_text(pilot, app: ReviewApp, text: str) -> None:
    """Fill the open prompt or picker's input at once and press Enter.

    Typing character by character is covered by the memo and change-code tests; Pilot
    waits about 40 ms per key, so longer texts are filled in directly here.
    """
    from textual.widgets import Input

    app.screen.query_one(Input).value = text
    await pilot.press("enter")


def respondent_span() -> tuple[int, int]:
    text = QUESTION + "\n" + ANSWER
    return (len(QUESTION) + 4, len(text))


def test_accept_reject_skip_keys(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            assert "coder anna" in screen_text(app)
            assert "0/6 decided" in screen_text(app)
            await pilot.press("a")
            assert decisions(folder, "anna") == [(ids[0], "verbinden", "accepted", 57, 107)]
            assert app.session.current.id == ids[1]
            await pilot.press("x")
            assert decisions(folder, "anna")[-1][:3] == (ids[1], "vertrouwen", "rejected")
            await pilot.press("space")
            assert len(decisions(folder, "anna")) == 2  # skipping stores nothing
            assert app.session.current.id == ids[3]
            assert "2/6 decided" in screen_text(app)
            assert "verbinden 1/2 · item 4" in screen_text(app)

    run(body())
    events = rows(folder, "SELECT actor, action FROM events WHERE action LIKE 'review.%'")
    assert [tuple(e) for e in events] == [("anna", "review.accept"), ("anna", "review.reject")]


def test_skipped_items_come_back_after_the_rest(tmp_path: Path) -> None:
    folder, ids = build(tmp_path, documents=1)

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("space", "a", "a")
            assert app.session.current.id == ids[0]
            await pilot.press("x")
            assert app.session.done
            assert "All 3 suggestions" in screen_text(app)
            await pilot.press("a")  # nothing left: no new row
            assert len(decisions(folder, "anna")) == 3

    run(body())


def test_change_code_key_with_search_and_cancel(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("c")
            assert isinstance(app.screen, CodePicker)
            await pilot.press("escape")
            assert not isinstance(app.screen, CodePicker)
            assert decisions(folder, "anna") == []
            await pilot.press("c", *"werk")  # typing 'a' or 'x' here must not decide
            assert decisions(folder, "anna") == []
            await pilot.press("enter")
            assert decisions(folder, "anna") == [
                (ids[0], "verbinden", "rejected", 57, 107),
                (ids[0], "werkdruk", "accepted", 57, 107),
            ]
            assert app.session.current.id == ids[1]
            # Searching by label part, and arrow keys in the list.
            await pilot.press("c", *"e")
            await pilot.press("down", "enter")
            assert [d[1] for d in decisions(folder, "anna")[2:]] == ["vertrouwen", "korte_lijnen"]

    run(body())


def test_add_code_key_keeps_the_suggestion_open(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("n")
            await enter_text(pilot, app, "vertrouwen")
            assert decisions(folder, "anna") == [(None, "vertrouwen", "manual", 57, 107)]
            assert app.session.current.id == ids[0]  # still to decide
            await pilot.press("a")
            assert decisions(folder, "anna")[-1] == (ids[0], "verbinden", "accepted", 57, 107)

    run(body())


def test_widen_key_toggles_and_accept_stores_the_whole_turn(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)
    turn = respondent_span()

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("w")
            assert app.session.span() == turn
            assert "whole turn" in screen_text(app)
            assert decisions(folder, "anna") == []
            await pilot.press("w")
            assert app.session.span() == (57, 107)
            await pilot.press("w", "a")
            assert decisions(folder, "anna") == [(ids[0], "verbinden", "accepted", *turn)]
            assert app.session.widened is False  # the next item starts narrow

    run(body())


def test_memo_key_stores_a_memo_and_the_decision_carries_it(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("m")
            assert isinstance(app.screen, Prompt)
            await pilot.press(*"twijfel: a of x", "enter")
            memos = rows(folder, "SELECT coding_id, coder, text FROM memos")
            assert [tuple(m) for m in memos] == [(ids[0], "anna", "twijfel: a of x")]
            assert decisions(folder, "anna") == []  # the typed a and x went into the memo
            assert "Memo: twijfel" in screen_text(app)
            await pilot.press("m", "escape")  # cancel stores nothing
            assert len(rows(folder, "SELECT * FROM memos")) == 1
            await pilot.press("a")
            stored = rows(folder, "SELECT memo, decided_at FROM codings WHERE coder = 'anna'")
            assert stored[0]["memo"] == "twijfel: a of x"
            assert stored[0]["decided_at"]

    run(body())


def test_undo_key_restores_each_previous_state(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)

    def state() -> tuple:
        return (
            decisions(folder, "anna"),
            [tuple(r) for r in rows(folder, "SELECT coding_id, text FROM memos")],
        )

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            history = [state()]
            await pilot.press("w", "a")
            history.append(state())
            await pilot.press("m")
            await enter_text(pilot, app, "memo")
            history.append(state())
            await pilot.press("n")
            await enter_text(pilot, app, "werkdruk")
            history.append(state())
            await pilot.press("c")
            await enter_text(pilot, app, "werkdruk")
            history.append(state())
            await pilot.press("x")
            history.append(state())
            for expected in reversed(history[:-1]):
                await pilot.press("u")
                assert state() == expected
            assert app.session.current.id == ids[0]
            assert app.session.widened  # the undone accept was on the widened fragment
            await pilot.press("u")  # nothing left to undo
            assert state() == history[0]
            assert "Nothing to undo" in screen_text(app)

    run(body())
    undos = rows(folder, "SELECT actor FROM events WHERE action = 'review.undo'")
    assert len(undos) == 5 and {u["actor"] for u in undos} == {"anna"}


def test_filter_key_narrows_and_resets(tmp_path: Path) -> None:
    folder, ids = build(tmp_path, documents=4)

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("slash")
            assert isinstance(app.screen, Prompt)
            await enter_text(pilot, app, "gemeente=Veenhoven code=vertrouwen")
            assert len(app.session.queue) == 2
            assert app.session.current.id == ids[4]
            assert app.session.current.attributes["gemeente"] == "Veenhoven"
            await pilot.press("a")
            assert decisions(folder, "anna") == [(ids[4], "vertrouwen", "accepted", 108, 163)]
            await pilot.press("slash", "enter")  # empty: back to everything
            assert len(app.session.queue) == 12
            assert app.session.current.id == ids[0]

    run(body())


def test_help_and_quit_keys(tmp_path: Path) -> None:
    folder, _ = build(tmp_path)

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("a")  # keys inside help do not decide
            assert decisions(folder, "anna") == []
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)
            await pilot.press("a", "q")
            assert len(decisions(folder, "anna")) == 1
        assert app.return_code == 0

    run(body())


def test_resume_at_first_undecided_and_coders_apart(tmp_path: Path) -> None:
    folder, ids = build(tmp_path)

    async def session(coder: str, keys: list[str]) -> int | None:
        app = make_app(folder, coder)
        async with app.run_test(size=SIZE) as pilot:
            first = app.session.current.id
            await pilot.press(*keys)
        return first

    assert asyncio_run(session("anna", ["space", "a", "q"])) == ids[0]
    assert asyncio_run(session("anna", ["q"])) == ids[0]  # the skipped one is still open
    assert asyncio_run(session("anna", ["a", "q"])) == ids[0]
    assert asyncio_run(session("anna", ["q"])) == ids[2]
    # Bert starts at the beginning: Anna's decisions are hers alone.
    assert asyncio_run(session("bert", ["x", "q"])) == ids[0]
    assert [d[2] for d in decisions(folder, "anna") if d[0] == ids[0]] == ["accepted"]
    assert [d[2] for d in decisions(folder, "bert")] == ["rejected"]


def asyncio_run(coro):
    import asyncio

    return asyncio.run(coro)


def test_footer_lists_every_key_at_80_columns(tmp_path: Path) -> None:
    folder, _ = build(tmp_path)
    footer = " ".join(line.plain for line in keys_lines(80))
    for key, _, label in KEYS:
        shown = {"space": "space", "slash": "/", "question_mark": "?"}.get(key, key)
        assert f" {shown} {label} " in f"{footer} "

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE):
            text = screen_text(app)
            for label in ("accept", "reject", "skip", "change code", "add code", "widen",
                          "memo", "undo", "filter", "help", "quit"):  # fmt: skip
                assert label in text

    run(body())


def test_fragment_fully_visible_at_80x24(tmp_path: Path) -> None:
    folder, _ = build(tmp_path)

    def check(app: ReviewApp) -> None:
        text = screen_text(app)
        start, end = app.session.span()
        fragment = app.session.current.doc_text[start:end]
        box = app.query_one("#fragment-box")
        assert box.max_scroll_y == 0  # nothing hidden below the box
        assert app.screen.region.contains_region(box.region)
        # Every word of the fragment is on screen inside the box, in order.
        lines = text.splitlines()[box.region.y : box.region.bottom]
        inside = " ".join(line.strip("│ ") for line in lines)
        assert " ".join(fragment.split()) in " ".join(inside.split())

    async def body() -> None:
        app = make_app(folder)
        async with app.run_test(size=SIZE) as pilot:
            check(app)
            await pilot.press("x")  # an item with inclusion and exclusion criteria
            check(app)
            await pilot.press("w")  # the whole turn
            check(app)

    run(body())


def test_brackets_in_names_and_text_are_shown_literally(tmp_path: Path) -> None:
    folder, _ = build(tmp_path)

    async def body() -> None:
        app = make_app(folder, coder="[bold]anna")
        async with app.run_test(size=SIZE) as pilot:
            assert "coder [bold]anna" in screen_text(app)
            await pilot.press("a")
            assert len(decisions(folder, "[bold]anna")) == 1

    run(body())
