"""Benchmark: import 1,000 transcripts of ~5,000 words each (target: under a minute).

Generates fictional transcripts (speaker labels, timestamps, hard line breaks) into a
temporary folder, then times ``codeer import`` through the library, as the CLI runs it.
Run: ``python bench/bench_import.py [--docs N] [--words W]``.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from codeer.ingest.importer import IMPORTED, import_paths
from codeer.store.project import Project

WORDS = [
    "we",
    "werken",
    "veel",
    "samen",
    "met",
    "de",
    "school",
    "en",
    "het",
    "wijkteam",
    "kent",
    "de",
    "intern",
    "begeleider",
    "goed",
    "maar",
    "de",
    "wachtlijsten",
    "zijn",
    "lang",
    "en",
    "het",
    "vertrouwen",
    "van",
    "ouders",
    "moet",
    "je",
    "verdienen",
    "eh",
    "nou",
    "ja",
    "de",
    "huisarts",
    "belt",
    "ons",
    "soms",
    "en",
    "dan",
    "pakken",
    "we",
    "het",
    "op",
    "met",
    "korte",
    "lijntjes",
]


def make_transcript(rng: random.Random, words: int, number: int) -> str:
    """A fictional interview of about *words* words (all names invented)."""
    lines = [f"---\ngemeente: Fictiefdorp {number % 40}\nses: {rng.choice(['laag', 'hoog'])}\n---"]
    seconds, total = 0, 0
    while total < words:
        question = " ".join(rng.choices(WORDS, k=12)) + "?"
        answer_words = rng.randint(60, 160)
        answer = " ".join(rng.choices(WORDS, k=answer_words)) + "."
        wrapped = "\n".join(answer[i : i + 78] for i in range(0, len(answer), 78))
        stamp = f"{seconds // 3600:02}:{seconds // 60 % 60:02}:{seconds % 60:02}"
        lines.append(f"[{stamp}] Interviewer: {question}\n[{stamp}] Coördinator: {wrapped}\n")
        seconds += rng.randint(20, 90)
        total += 12 + answer_words
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "transcripts"
        src.mkdir()
        for i in range(args.docs):
            (src / f"interview_{i:04}.txt").write_text(make_transcript(rng, args.words, i), "utf-8")
        size = sum(p.stat().st_size for p in src.iterdir()) / 1e6
        with Project.init(Path(tmp) / "project") as project:
            started = time.perf_counter()
            report = import_paths(project, [src])
            elapsed = time.perf_counter() - started
            turns = project.con.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
            again = time.perf_counter()
            import_paths(project, [src])
            noop = time.perf_counter() - again
    assert report.count(IMPORTED) == args.docs, "every document must land"
    print(
        f"import: {args.docs} docs x {args.words} words ({size:.0f} MB, {turns} turns) "
        f"in {elapsed:.1f} s ({args.docs / elapsed:.0f} docs/s); re-import no-op {noop:.1f} s"
    )


if __name__ == "__main__":
    main()
