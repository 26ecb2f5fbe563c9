"""Benchmark the document view (`codeer read`) on one 10,000-sentence document.

Run: ``python bench/bench_read.py [--pairs N] [--presses N]``. It builds a throw-away
project straight through SQLite with one fictional interview of N question/answer pairs
(default 2,000: one question sentence and four answer sentences each, so 10,000
sentences), stored units for the answers (as `codeer code` makes them) and one machine
suggestion per answer, then measures:

- library: opening the project and the document model (document, turns, units, codings,
  memos, reads), and moving one sentence on (which also records the sentence as read);
- a manual coding step (one commit with its event, then the marks reloaded);
- the Textual app headless at 80x24 (``App.run_test``): from opening the project to the
  first screen drawn, and one ``j`` press until the next frame is composed.

Targets (issue 10): open < 1 s, next sentence < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events

from codeer.review.document_app import DocumentApp
from codeer.review.document_session import DocumentSession
from codeer.store.project import Project, now

QUESTION = "Hoe werken jullie samen met de scholen in de wijk?"
ANSWER = [
    "We hebben korte lijntjes met de intern begeleider van de Veldschool.",
    "Het overleg met het jongerenwerk is elke week op dinsdag.",
    "Soms duurt het lang voordat een gezin hulp krijgt.",
    "Dan bellen we de huisarts in Oosterwijk even op.",
]
CODES = ["verbinden", "overleg", "werkdruk", "samenwerking_huisarts"]


def build(folder: Path, pairs: int) -> int:
    """One fictional interview of *pairs* question/answer turns; returns its sentences."""
    project = Project.init(folder)
    parts, turns, units, pos = [], [], [], 0
    for _ in range(pairs):
        parts.append("I: " + QUESTION)
        turns.append(("I", "interviewer", pos + 3, pos + 3 + len(QUESTION)))
        pos += 3 + len(QUESTION) + 1
        answer = " ".join(ANSWER)
        parts.append("R: " + answer)
        turns.append(("R", "respondent", pos + 3, pos + 3 + len(answer)))
        offset = pos + 3
        for sentence in ANSWER:
            units.append((len(turns) - 1, offset, offset + len(sentence)))
            offset += len(sentence) + 1
        pos += 3 + len(answer) + 1
    text = "\n".join(parts)
    with project.transaction() as con:
        book = con.execute(
            "INSERT INTO codebooks (hash, source, content, loaded_at) VALUES ('b', 'bench', '', ?)",
            (now(),),
        ).lastrowid
        for key in CODES:
            con.execute(
                "INSERT INTO codes (codebook_id, key, label, path) VALUES (?, ?, ?, ?)",
                (book, key, key.title(), key),
            )
        doc = con.execute(
            "INSERT INTO documents (name, source, sha256, text, format, imported_at) "
            "VALUES ('lang-interview.txt', 'bench', ?, ?, 'txt', ?)",
            (hashlib.sha256(text.encode()).hexdigest(), text, now()),
        ).lastrowid
        ids = []
        for idx, (speaker, role, start, end) in enumerate(turns):
            ids.append(
                con.execute(
                    "INSERT INTO turns (document_id, idx, speaker, role, start, end) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (doc, idx, speaker, role, start, end),
                ).lastrowid
            )
        con.executemany(
            "INSERT INTO units (document_id, turn_id, start, end) VALUES (?, ?, ?, ?)",
            [(doc, ids[t], s, e) for t, s, e in units],
        )
        con.executemany(
            "INSERT INTO codings (document_id, start, end, code, status, coder, score, "
            "valence, codebook_id, created_at) "
            "VALUES (?, ?, ?, ?, 'suggested', 'codeer', 0.8, 'neutral', ?, ?)",
            [(doc, s, e, CODES[n % 4], book, now()) for n, (_, s, e) in enumerate(units[::4])],
        )
    project.close()
    return pairs * (1 + len(ANSWER))


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max": ordered[-1],
    }


def library(folder: Path, presses: int) -> dict[str, object]:
    """Open the model and move with the library alone (what the plain mode does)."""
    t0 = time.perf_counter()
    project = Project.open(folder)
    session = DocumentSession(project, "lang-interview", "lib")
    opened = time.perf_counter() - t0
    moves = []
    for _ in range(presses):
        t = time.perf_counter()
        session.move(1)
        moves.append((time.perf_counter() - t) * 1000)
    codes = []
    for _ in range(20):
        session.move(1)
        t = time.perf_counter()
        session.code("werkdruk")
        codes.append((time.perf_counter() - t) * 1000)
    project.close()
    return {"open_s": opened, "move": summary(moves), "code": summary(codes)}


async def press_and_draw(app: DocumentApp, pilot, key: str) -> float:
    """Milliseconds from a key arriving to the next full frame being composed.

    As in bench_review.py: the key is sent as the terminal driver sends it, every
    resulting message is processed, layout and the whole 80x24 frame are computed at once,
    and the new sentence number is checked in that frame.
    """
    t = time.perf_counter()
    app._driver.send_message(events.Key(key, key))
    await pilot._wait_for_screen()
    app.screen._on_timer_update()
    await pilot._wait_for_screen()
    frame = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
    elapsed = (time.perf_counter() - t) * 1000
    wanted = f"sentence {app.session.cursor + 1}/"
    assert wanted in frame, f"the new sentence is not on screen: {frame[:170]!r}"
    return elapsed


async def headless(folder: Path, presses: int) -> dict[str, object]:
    t0 = time.perf_counter()
    project = Project.open(folder)
    app = DocumentApp(DocumentSession(project, "lang-interview", "app"))
    figures: dict[str, object] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot._wait_for_screen()
        app.screen._on_timer_update()
        frame = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "sentence 1/" in frame
        figures["ready_s"] = time.perf_counter() - t0
        figures["j"] = summary([await press_and_draw(app, pilot, "j") for _ in range(presses)])
    project.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="codeer-bench-read-") as tmp:
        folder = Path(tmp) / "project"
        t = time.perf_counter()
        sentences = build(folder, args.pairs)
        print(f"built: 1 document, {sentences} sentences in {time.perf_counter() - t:.1f} s")
        lib = library(folder, args.presses)
        print(f"library open (project + document model): {lib['open_s'] * 1000:.0f} ms")
        for name in ("move", "code"):
            f = lib[name]
            print(
                f"library {name}: median {f['median']:.2f} ms, p95 {f['p95']:.2f} ms, "
                f"max {f['max']:.2f} ms"
            )
        app = asyncio.run(headless(folder, args.presses))
        print(f"app ready (open project, model, mount, first screen): {app['ready_s']:.2f} s")
        f = app["j"]
        print(
            f"app next sentence (j): median {f['median']:.1f} ms, p95 {f['p95']:.1f} ms, "
            f"max {f['max']:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
