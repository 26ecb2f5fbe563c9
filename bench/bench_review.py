"""Benchmark the review app: start-up and next-item time with 20,000 suggestions.

Run: ``python bench/bench_review.py [--suggestions N] [--presses N]``. It builds a
throw-away project (400 fictional interviews, 50 suggestions each by default) straight
through SQLite, then drives the real Textual app headless at 80x24 with Pilot:

- ready: from opening the project to the first item drawn (queue loaded, app mounted);
- next item: one key press (``space`` skips, ``a`` accepts and commits) until the next
  item is drawn, measured per press with ``time.perf_counter``.

Targets (issue 4): ready < 2 s, next item < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events

from codeer.review.app import ReviewApp
from codeer.review.session import ReviewSession
from codeer.store.project import Project, now

SENTENCE = "We hebben korte lijntjes met de intern begeleider en de huisarts in de wijk. "
QUESTION = "Hoe werken jullie samen met de scholen en het welzijnswerk? "
CODES = ["verbinden", "vertrouwen", "verantwoordelijkheid", "werkdruk", "preventie"]


def build(folder: Path, suggestions: int, per_doc: int = 50) -> None:
    """A project with *suggestions* suggestions spread over documents of 25 turn pairs."""
    project = Project.init(folder)
    with project.transaction() as con:
        book = con.execute(
            "INSERT INTO codebooks (hash, source, content, loaded_at) VALUES ('b', 'bench', '', ?)",
            (now(),),
        ).lastrowid
        for key in CODES:
            con.execute(
                "INSERT INTO codes (codebook_id, key, label, path, definition, data) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (book, key, key.title(), key, f"Definitie van {key}.",
                 json.dumps({"inclusion": ["voorbeeld"], "exclusion": ["tegenvoorbeeld"]})),
            )  # fmt: skip
        for d in range(suggestions // per_doc):
            turns, parts, pos = [], [], 0
            for _ in range(per_doc // 2):
                answer = SENTENCE * 2
                turns.append(("I", "interviewer", pos, pos + len(QUESTION)))
                pos += len(QUESTION) + 1
                turns.append(("R", "respondent", pos, pos + len(answer)))
                pos += len(answer) + 1
                parts += [QUESTION, answer]
            text = "\n".join(parts)
            doc = con.execute(
                "INSERT INTO documents (name, source, sha256, text, format, imported_at) "
                "VALUES (?, ?, ?, ?, 'txt', ?)",
                (f"interview-{d:04d}.txt", "bench", hashlib.sha256(text.encode()).hexdigest(),
                 text, now()),
            ).lastrowid  # fmt: skip
            con.execute(
                "INSERT INTO attributes VALUES (?, 'gemeente', ?)", (doc, f"Gemeente {d % 40}")
            )
            rows = []
            for idx, (speaker, role, start, end) in enumerate(turns):
                con.execute(
                    "INSERT INTO turns (document_id, idx, speaker, role, start, end) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (doc, idx, speaker, role, start, end),
                )
                if role == "respondent":
                    for k in range(2):
                        s = start + k * len(SENTENCE)
                        w = s + SENTENCE.index("lijntjes")
                        evidence = [{"words": "lijntjes", "pattern": "lemma:lijn",
                                     "start": w, "end": w + 8}]  # fmt: skip
                        code = CODES[(idx + k) % len(CODES)]
                        rows.append((doc, s, s + len(SENTENCE) - 1, code, 0.5 + (idx % 5) / 10,
                                     json.dumps(evidence), book, now()))  # fmt: skip
            con.executemany(
                "INSERT INTO codings (document_id, start, end, code, status, coder, score, "
                "valence, evidence, codebook_id, created_at) "
                "VALUES (?, ?, ?, ?, 'suggested', 'codeer', ?, 'neutral', ?, ?, ?)",
                rows,
            )
    project.close()


async def press_and_draw(app: ReviewApp, pilot, key: str) -> float:
    """Milliseconds from a key arriving to the next frame being composed.

    ``pilot.press`` waits for idleness by sleeping in 20 ms steps (at least two of them),
    so its wall time says more about Pilot than about the app. Here the key is sent the
    way the terminal driver sends it, every resulting message is processed, the layout
    and the full 80x24 frame are computed at once (instead of at the next frame tick),
    and only then is the clock stopped.
    """
    char = " " if key == "space" else key
    t = time.perf_counter()
    app._driver.send_message(events.Key(key, char))
    await pilot._wait_for_screen()  # the key, its action and the decision's commit
    app.screen._on_timer_update()  # layout and composition now, not at the next tick
    await pilot._wait_for_screen()
    frame = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
    elapsed = (time.perf_counter() - t) * 1000
    position = app.session.progress().position
    assert f"item {position}" in frame, f"the new item is not on screen: {frame[:170]!r}"
    return elapsed


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max": ordered[-1],
    }


async def drive(folder: Path, presses: int) -> dict[str, object]:
    """Open the project, start the app at 80x24 and time start-up and key presses."""
    t0 = time.perf_counter()
    project = Project.open(folder)
    t_queue = time.perf_counter()
    session = ReviewSession(project, "bench")
    queue_s = time.perf_counter() - t_queue
    app = ReviewApp(session)
    figures: dict[str, object] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot._wait_for_screen()
        app.screen._on_timer_update()
        assert "item 1" in app.query_one("#status").render().plain
        figures["ready_s"] = time.perf_counter() - t0
        figures["queue"] = len(session.queue)
        figures["queue_s"] = queue_s
        for key in ("space", "a"):
            times = [await press_and_draw(app, pilot, key) for _ in range(presses)]
            figures[key] = summary(times)
        # For comparison: the same key through pilot.press + pilot.pause (sleep floor).
        times = []
        for _ in range(20):
            t = time.perf_counter()
            await pilot.press("space")
            await pilot.pause()
            times.append((time.perf_counter() - t) * 1000)
        figures["pilot"] = summary(times)
    project.close()
    return figures


def cli_start(folder: Path) -> float | None:
    """Seconds from starting ``codeer review`` on a real 80x24 pseudo-terminal to item 1.

    This includes the interpreter start and every import, as a researcher experiences it.
    Returns None where there are no pseudo-terminals (Windows).
    """
    try:
        import fcntl
        import os
        import pty
        import select
        import struct
        import termios
    except ImportError:
        return None
    t = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become `codeer review` on the terminal
        os.environ["TERM"] = "xterm-256color"
        args = ["-m", "codeer", "--project", str(folder), "review", "--coder", "bench"]
        os.execv(sys.executable, [sys.executable, *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    screen = b""
    while b"item 1" not in screen:
        if not select.select([fd], [], [], 10)[0]:
            break
        screen += os.read(fd, 65536)
    elapsed = time.perf_counter() - t
    os.write(fd, b"q")
    try:
        while os.read(fd, 65536):
            pass
    except OSError:  # the terminal closes when the app exits
        pass
    os.waitpid(pid, 0)
    return elapsed if b"item 1" in screen else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggestions", type=int, default=20_000)
    parser.add_argument("--presses", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        build(folder, args.suggestions)
        print(f"built {args.suggestions} suggestions in {time.perf_counter() - t:.1f} s")
        figures = asyncio.run(drive(folder, args.presses))
        starts = [cli_start(folder) for _ in range(3)]
    print(f"suggestions in queue: {figures['queue']:.0f}")
    print(
        f"queue loaded (one query: ids, codes, decided flags): {figures['queue_s'] * 1000:.0f} ms"
    )
    print(f"ready (open project, load queue, mount, first item): {figures['ready_s']:.2f} s")
    if None not in starts:
        shown = ", ".join(f"{s:.2f}" for s in starts)
        print(f"`codeer review` on a real 80x24 terminal, start to first item: {shown} s")
    names = {
        "space": "next item after skip (space)",
        "a": "next item after accept (a, commits)",
        "pilot": "pilot.press + pilot.pause wall time (space)",
    }
    for key, name in names.items():
        f = figures[key]
        print(f"{name}: median {f['median']:.1f} ms, p95 {f['p95']:.1f} ms, max {f['max']:.1f} ms")


if __name__ == "__main__":
    main()
