"""Benchmark: ``codeer code`` against a bare ``nlp.pipe`` of the same pipeline and text.

Builds a project with about ``--words`` words of respondent speech by copying the
fictional example interviews in ``transcripts/`` under new names, then times

1. bare: ``for doc in nlp.pipe(texts)`` with a fresh pipeline (the NLP alone), where
   *texts* are exactly the texts ``code_project`` sends through the pipeline, in the same
   order: every respondent turn, preceded by the interviewer's question it answers (a
   question's themes pass on to the answer), from ``codeer.coding.suggest.pipeline_pieces``;
2. code: ``code_project`` on the project with a fresh pipeline (NLP + matching +
   negation + storing units and suggestions, whole documents per transaction).

Each is run ``--repeat`` times; the best time counts (least disturbed by the machine).
Run: ``python bench/bench_code.py [--words 1000000] [--n-process 1]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def build_project(folder: Path, words: int):
    """A project with copies of the example transcripts until *words* respondent words."""
    from codeer.ingest.importer import import_paths
    from codeer.store.project import Project

    project = Project.init(folder)
    import_paths(project, [REPO / "transcripts"])
    con = project.con
    originals = con.execute("SELECT * FROM documents ORDER BY id").fetchall()
    per_round = sum(_respondent_words(con, doc["id"], doc["text"]) for doc in originals)
    rounds = max(0, -(-words // per_round) - 1)
    with project.transaction():
        for copy in range(1, rounds + 1):
            for doc in originals:
                cur = con.execute(
                    "INSERT INTO documents (name, source, sha256, text, format, imported_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        f"kopie{copy:03d}_{doc['name']}",
                        doc["source"],
                        doc["sha256"],
                        doc["text"],
                        doc["format"],
                        doc["imported_at"],
                    ),
                )
                con.execute(
                    "INSERT INTO turns (document_id, idx, speaker, role, start, end, timestamp)"
                    " SELECT ?, idx, speaker, role, start, end, timestamp FROM turns"
                    " WHERE document_id = ?",
                    (cur.lastrowid, doc["id"]),
                )
    return project, per_round * (rounds + 1)


def _respondent_words(con, doc_id: int, text: str) -> int:
    rows = con.execute(
        "SELECT start, end FROM turns WHERE document_id = ? AND role = 'respondent'", (doc_id,)
    )
    return sum(len(text[r["start"] : r["end"]].split()) for r in rows)


def pipeline_texts(con, codebook_path: Path | None = None) -> list[str]:
    """The texts ``code_project`` feeds to spaCy, in its order (questions included)."""
    from codeer.coding.codebook import load_codebook
    from codeer.coding.suggest import pipeline_pieces

    asking = float(load_codebook(codebook_path).settings["question_threshold"]) > 0
    documents = [row["id"] for row in con.execute("SELECT id FROM documents ORDER BY id")]
    return [piece.text for piece in pipeline_pieces(con, documents, asking)]


def fresh_pipeline():
    """A new pipeline object, so no lemma cache carries over between measurements."""
    from codeer.coding import nlp as nlp_module

    nlp_module._load.cache_clear()
    return nlp_module.load_pipeline()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    import simplemma

    from codeer.coding.nlp import pipeline_info
    from codeer.coding.suggest import code_project

    simplemma.lemmatize("vertrouwen", lang="nl")  # load simplemma's data outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        project, words = build_project(Path(tmp) / "bench", args.words)
        texts = pipeline_texts(project.con)
        piped = sum(len(text.split()) for text in texts)
        print(
            f"{words:,} respondent words; {len(texts):,} texts through the pipeline "
            f"(answers and the questions before them, {piped:,} words), "
            f"{project.con.execute('SELECT count(*) FROM documents').fetchone()[0]} documents"
        )
        bare_times, code_times = [], []
        for _ in range(args.repeat):
            nlp = fresh_pipeline()
            start = time.perf_counter()
            for _doc in nlp.pipe(
                texts, batch_size=64 if args.n_process <= 1 else 256, n_process=args.n_process
            ):
                pass
            bare_times.append(time.perf_counter() - start)

            fresh_pipeline()
            project.con.execute("DELETE FROM codings")  # every run codes from scratch
            project.con.execute("DELETE FROM units")
            start = time.perf_counter()
            result = code_project(project, n_process=args.n_process)
            code_times.append(time.perf_counter() - start)
        bare, code = min(bare_times), min(code_times)
        print(f"pipeline: {pipeline_info(nlp)['name']}, n_process={args.n_process}")
        print(f"bare nlp.pipe: {bare:.2f} s ({piped / bare:,.0f} words/s through the pipeline)")
        print(
            f"codeer code:   {code:.2f} s ({piped / code:,.0f} words/s through the pipeline, "
            f"{words / code:,.0f} respondent words/s); "
            f"{result.units:,} units, {result.suggestions:,} suggestions"
        )
        print(f"ratio code / bare: {code / bare:.2f} (budget: 2.00)")
        project.close()


if __name__ == "__main__":
    main()
