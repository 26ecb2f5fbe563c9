"""Benchmark: `codeer matrix` on a project with one million codings.

Builds (once, cached in the folder) a fictional project: 1,000 documents in 40
municipalities, 200 respondent units each, a codebook of 6 themes with 36 sub-codes, and
1,000,000 coding rows (suggestions, accept/reject decisions on them, manual codings).
Then times the real CLI (a fresh process each time, so imports are included).

    python bench/bench_matrix.py [--folder /tmp/codeer-bench-matrix] [--codings 1000000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import subprocess
import sys
import time
from pathlib import Path

from codeer.store.project import Project, now

THEMES = ["verbinden", "vertrouwen", "verantwoordelijkheid", "werkdruk", "preventie", "regie"]
SENTENCE = "De samenwerking met de school loopt goed en we hebben korte lijntjes met het team."


def build(folder: Path, n_codings: int, n_docs: int = 1000, units_per_doc: int = 200) -> None:
    """Write the benchmark project into *folder* (skipped when it is already there)."""
    marker = folder / f".built-{n_codings}"
    if marker.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "codeer.db").unlink(missing_ok=True)
    rng = random.Random(5)
    project = Project.init(folder)
    con = project.con
    step = len(SENTENCE) + 1
    text = " ".join([SENTENCE] * units_per_doc)
    with project.transaction():
        codes = []
        for theme in THEMES:
            codes.append((theme, None, theme))
            codes += [(f"{theme}_{i}", theme, f"{theme}/{theme}_{i}") for i in range(6)]
        con.execute(
            "INSERT INTO codebooks (id, hash, source, content, loaded_at) VALUES (1, ?, 'bench', "
            "'{}', ?)",
            (hashlib.sha256(b"bench").hexdigest(), now()),
        )
        con.executemany(
            "INSERT INTO codes (codebook_id, key, label, parent, path) VALUES (1, ?, ?, ?, ?)",
            [(k, k.title(), p, path) for k, p, path in codes],
        )
        for d in range(1, n_docs + 1):
            con.execute(
                "INSERT INTO documents (id, name, source, sha256, text, format, imported_at) "
                "VALUES (?, ?, 'bench', '', ?, 'txt', ?)",
                (d, f"interview-{d:04d}.txt", text, now()),
            )
            attrs = {
                "gemeente": f"Gemeente {d % 40 + 1:02d}",
                "ses": ["laag", "midden", "hoog"][d % 3],
                "positionering": ["binnen", "buiten"][d % 2],
            }
            con.executemany(
                "INSERT INTO attributes (document_id, key, value) VALUES (?, ?, ?)",
                [(d, k, v) for k, v in attrs.items()],
            )
            con.execute(
                "INSERT INTO turns (id, document_id, idx, speaker, role, start, end) "
                "VALUES (?, ?, 0, 'R', 'respondent', 0, ?)",
                (d, d, len(text)),
            )
            con.executemany(
                "INSERT INTO units (document_id, turn_id, start, end) VALUES (?, ?, ?, ?)",
                [(d, d, u * step, u * step + len(SENTENCE)) for u in range(units_per_doc)],
            )
        keys = [k for k, _, _ in codes]
        rows, next_id = [], 1
        while next_id <= n_codings:
            doc = rng.randint(1, n_docs)
            u = rng.randrange(units_per_doc - 2)
            start, end = u * step, (u + rng.randint(1, 2)) * step - 1
            code = rng.choice(keys)
            rows.append((next_id, doc, start, end, code, "suggested", "codeer", rng.random(), None))
            sid, next_id = next_id, next_id + 1
            r = rng.random()
            if r < 0.3 and next_id <= n_codings:  # accepted by a coder
                rows.append((next_id, doc, start, end, code, "accepted", "anna", None, sid))
                next_id += 1
            elif r < 0.4 and next_id <= n_codings:
                rows.append((next_id, doc, start, end, code, "rejected", "anna", None, sid))
                next_id += 1
            elif r < 0.45 and next_id <= n_codings:
                rows.append((next_id, doc, start, end, code, "manual", "bram", None, None))
                next_id += 1
        con.executemany(
            "INSERT INTO codings (id, document_id, start, end, code, status, coder, score, "
            "suggestion_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01')",
            rows,
        )
    con.execute("ANALYZE")
    project.close()
    marker.touch()


def time_cli(folder: Path, args: list[str]) -> float:
    """Seconds for one `codeer --project FOLDER matrix ...` run (best of two)."""
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "codeer", "--project", str(folder), "matrix", *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/codeer-bench-matrix"))
    parser.add_argument("--codings", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.perf_counter()
    build(args.folder, args.codings)
    print(f"project ready in {time.perf_counter() - started:.1f} s ({args.codings:,} codings)")
    cases = [
        [],
        ["--status", "all"],
        ["--status", "suggested", "--level", "top"],
        ["--value", "presence", "--by", "ses,positionering"],
        ["--value", "words"],
        ["--value", "share", "--status", "all"],
        ["--cooccurrence", "--status", "all", "--level", "top"],
        ["--framework", "--level", "top"],
        ["--where", "ses=laag", "-f", "csv"],
    ]
    print("| command | seconds |\n| --- | ---: |")
    for extra in cases:
        seconds = time_cli(args.folder, extra)
        print(f"| `codeer matrix {' '.join(extra)}` | {seconds:.2f} |")


if __name__ == "__main__":
    main()
