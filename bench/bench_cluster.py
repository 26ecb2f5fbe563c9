"""Benchmark: cluster 5,000 coded fragments of one theme with ``--k auto``.

Builds a real project (200 fictional interviews, 25 fragments each, all coded with one
theme) from sentences that mix five sub-theme vocabularies with shared filler, then times
``cluster_project`` end to end (NLP, features, k selection, labels, storage) with the
built-in Dutch pipeline. Run: ``python bench/bench_cluster.py [N]``; the target is
under 30 s on 2 cores (docs/performance.md, "## Clustering").
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from codeer.coding.nlp import load_pipeline
from codeer.store.project import Project, now
from codeer.synthesis.cluster import cluster_project

TOPICS = {
    "expertise": "deskundigheid expertise kennis kunde vakmanschap specialist advies collega",
    "privacy": "toestemming privacy gegevens delen informatie avg dossier formulier",
    "ouders": "ouders gezin moeder vader thuis luisteren band verhaal",
    "wachtlijst": "wachtlijst wachttijd aanmelding wachten plek aanbieder maanden",
    "overleg": "overleg school intern begeleider huisarts lijntjes tafel wekelijks",
}
_FILLER_TEXT = "eh nou ja we hebben daar gewoon echt wel veel aan gedaan in de wijk met het team"
FILLER = _FILLER_TEXT.split()


def sentence(rng: random.Random, topic: str) -> str:
    words = rng.sample(TOPICS[topic].split(), 3) + rng.sample(FILLER, 6)
    rng.shuffle(words)
    return " ".join(words).capitalize() + "."


def build(folder: Path, n: int, seed: int = 0) -> Project:
    """A project with *n* accepted codings of theme 'vertrouwen' over n/25 documents."""
    rng = random.Random(seed)
    project = Project.init(folder)
    per_doc = 25
    with project.transaction() as con:
        con.execute(
            "INSERT INTO codebooks (hash, source, content, loaded_at) VALUES ('b', 'bench', '', ?)",
            (now(),),
        )
        con.execute(
            "INSERT INTO codes (codebook_id, key, label, parent, path) "
            "VALUES (1, 'vertrouwen', 'Vertrouwen', NULL, 'vertrouwen')"
        )
        for d in range((n + per_doc - 1) // per_doc):
            pieces = [sentence(rng, rng.choice(list(TOPICS))) for _ in range(per_doc)]
            text = "\n".join(pieces)
            doc = con.execute(
                "INSERT INTO documents (name, source, sha256, text, format, imported_at)"
                " VALUES (?, 'bench', '', ?, 'txt', ?)",
                (f"interview_{d:04d}.txt", text, now()),
            ).lastrowid
            con.execute(
                "INSERT INTO attributes VALUES (?, 'gemeente', ?), (?, 'ses', ?)",
                (doc, f"Gemeente {d % 40:02d}", doc, ("laag", "midden", "hoog")[d % 3]),
            )
            start = 0
            for piece in pieces[: max(0, min(per_doc, n - d * per_doc))]:
                con.execute(
                    "INSERT INTO codings (document_id, start, end, code, status, coder,"
                    " created_at) VALUES (?, ?, ?, 'vertrouwen', 'accepted', 'bench', ?)",
                    (doc, start, start + len(piece), now()),
                )
                start += len(piece) + 1
    return project


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        project = build(Path(tmp) / "bench", n)
        nlp = load_pipeline()
        started, cpu = time.perf_counter(), time.process_time()
        (result,) = cluster_project(project, k="auto", seed=0, nlp=nlp)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        project.close()
    print(
        f"{len(result.fragments)} fragments, k = {result.k} (auto, silhouette "
        f"{result.params.get('silhouette')}), features {result.params['features']}: "
        f"{elapsed:.1f} s wall, {cpu:.1f} s CPU"
    )
    print("labels:", "; ".join(c.label for c in result.clusters))


if __name__ == "__main__":
    main()
