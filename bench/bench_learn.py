"""Benchmark: ``codeer learn`` on 40 interviews of 8,000 words with 1,000 decisions.

Builds a throw-away project of fictional interviews: each document strings together the
bodies of the plain-text example interviews in ``transcripts/`` (fictional people and
places) until it holds ``--words`` words, in a different order per document, so that
sentences repeat across documents as little as the material allows. Then ``codeer code``
runs (not timed), a deterministic simulated coder decides ``--decisions`` suggestions
(accepting those whose score is at least 0.6, rejecting the rest, spread over the whole
project), and ``learn_project`` is timed: the first run (fit and store the models,
re-score, propose) and a second run with the same decisions (nothing changes).

Run: ``python bench/bench_learn.py [--documents 40] [--words 8000] [--decisions 1000]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SOURCES = ["brakelveen.txt", "hoogerbrug.txt", "oosterzande.txt", "westermaar.txt"]


def body(path: Path) -> str:
    """The transcript without its front matter."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    return text.strip()


def write_documents(folder: Path, documents: int, words: int) -> None:
    bodies = [body(REPO / "transcripts" / name) for name in SOURCES]
    for d in range(documents):
        parts, count, i = [], 0, d
        while count < words:
            part = bodies[i % len(bodies)]
            parts.append(part)
            count += len(part.split())
            i += 1 + d % 3
        header = "# Fictief interview: alle personen en plaatsen zijn verzonnen.\n\n"
        (folder / f"fictief_{d:02d}.txt").write_text(header + "\n\n".join(parts), encoding="utf-8")


def decide(project, n: int) -> int:
    """Decide *n* suggestions spread evenly over the project; returns the number made."""
    from codeer.store.project import now

    con = project.con
    ids = [
        r[0] for r in con.execute("SELECT id FROM codings WHERE status = 'suggested' ORDER BY id")
    ]
    step = max(1, len(ids) // n)
    chosen = ids[::step][:n]
    stamp = now()
    with project.transaction():
        for sid in chosen:
            row = con.execute("SELECT * FROM codings WHERE id = ?", (sid,)).fetchone()
            status = "accepted" if row["score"] >= 0.6 else "rejected"
            con.execute(
                "INSERT INTO codings (document_id, start, end, code, status, coder, score,"
                " valence, evidence, suggestion_id, created_at, decided_at)"
                " VALUES (?, ?, ?, ?, ?, 'bench', ?, ?, '[]', ?, ?, ?)",
                (row["document_id"], row["start"], row["end"], row["code"], status,
                 row["score"], row["valence"], sid, stamp, stamp),
            )  # fmt: skip
    return len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--decisions", type=int, default=1000)
    args = parser.parse_args()

    from codeer.coding.learn import learn_project
    from codeer.coding.nlp import load_pipeline
    from codeer.coding.suggest import code_project
    from codeer.ingest.importer import import_paths
    from codeer.store.project import Project

    with tempfile.TemporaryDirectory(prefix="codeer-bench-learn-") as tmp:
        source = Path(tmp) / "interviews"
        source.mkdir()
        write_documents(source, args.documents, args.words)
        project = Project.init(Path(tmp) / "project")
        import_paths(project, [source])
        code_project(project)
        con = project.con
        units = con.execute("SELECT count(*) FROM units").fetchone()[0]
        words = sum(len(r[0].split()) for r in con.execute("SELECT text FROM documents"))
        made = decide(project, args.decisions)
        load_pipeline()  # spaCy's own start-up is not codeer learn's work
        import sklearn.linear_model  # noqa: F401 - nor is importing scikit-learn

        started = time.perf_counter()
        first = learn_project(project)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = learn_project(project)
        second_s = time.perf_counter() - started
        print(f"{args.documents} documents, {words:,} words, {units:,} sentence units")
        print(f"{made} decisions; themes: " + ", ".join(
            f"{t.theme} {t.status} (+{t.positives}/-{t.negatives}, {t.proposed} proposed)"
            for t in first.themes
        ))  # fmt: skip
        print(f"codeer learn, first run (fit, store, re-score, propose): {first_s:.2f} s")
        print(f"codeer learn, same decisions again (nothing changes: {not second.changed}): "
              f"{second_s:.2f} s")  # fmt: skip
        project.close()


if __name__ == "__main__":
    main()
