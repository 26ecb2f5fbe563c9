#!/usr/bin/env python
"""Precision / recall per theme of the shipped (or a given) codebook on every evaluation set.

Each set is imported into a fresh temporary project, coded with the codebook's defaults
(fallback pipeline unless a model is installed) and scored by theme against its gold file,
exactly as docs/codebook.md ("How good the suggestions are") reproduces a row by hand.
All sets are fictional and were written to order (their READMEs say by whom and seeing
what), so they resemble the codebook more than real talk does.

Usage:  python tools/evaluate_sets.py [--codebook FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETS = [
    ("transcripts", REPO / "transcripts", REPO / "tests/gold/examples_quotes.jsonl"),
    *[
        (folder.name, folder, folder / "gold.jsonl")
        for folder in sorted(REPO.glob("tests/heldout*"))
        if (folder / "gold.jsonl").is_file()
    ],
    ("realtalk_dev", REPO / "tests/realtalk_dev", REPO / "tests/realtalk_dev/gold.jsonl"),
]
THEMES = ("verbinden", "vertrouwen", "verantwoordelijkheid")


def measure(codebook: Path | None) -> dict[str, dict[str, tuple[float | None, float | None]]]:
    """{set: {theme: (precision, recall)}} for every evaluation set."""
    sys.path.insert(0, str(REPO))
    from codeer.coding.codebook import load_codebook
    from codeer.coding.evaluate import evaluate
    from codeer.coding.suggest import code_project
    from codeer.ingest.importer import import_paths
    from codeer.store.project import Project

    book = load_codebook(codebook)
    results = {}
    for name, folder, gold in SETS:
        with tempfile.TemporaryDirectory() as tmp, Project.init(Path(tmp)) as project:
            import_paths(project, [folder])
            code_project(project, book)
            scores = {s.label: s for s in evaluate(project.con, gold, by="theme").scores}
            results[name] = {
                theme: (scores[theme].precision, scores[theme].recall)
                if theme in scores
                else (None, None)
                for theme in THEMES
            }
    return results


def _cell(p: float | None, r: float | None) -> str:
    fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    return f"{fmt(p)} / {fmt(r)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codebook", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = measure(args.codebook)
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print("| set | " + " | ".join(THEMES) + " |")
    print("|---|" + "---|" * len(THEMES))
    for name, row in results.items():
        print(f"| {name} | " + " | ".join(_cell(*row[t]) for t in THEMES) + " |")


if __name__ == "__main__":
    main()
