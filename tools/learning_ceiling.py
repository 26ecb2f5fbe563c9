#!/usr/bin/env python
"""How far a learned model of words can go: the best threshold, chosen with the gold.

For every evaluation set: import, code with the shipped codebook, let the simulated
researcher of ``codeer evaluate --simulate`` make N decisions (habit ``read`` or
``queue``), run ``codeer learn``, then score *every* remaining respondent sentence with
each theme's model and report, per theme, the ROC AUC and the precision / recall of the
single probability threshold (0.05 ... 0.90) with the best F1 **chosen by looking at the
gold**. No rule that decides without the gold can do better than that threshold with the
same model, so it is a ceiling for ``codeer learn`` on these sets, not a result.

All sets are fictional and were written to order (see their READMEs).

Usage:  python tools/learning_ceiling.py [--habit read|queue] [--decisions N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tools.evaluate_sets import SETS  # noqa: E402


def ceiling(folder: Path, gold_file: Path, habit: str, n: int) -> dict[str, tuple]:
    """{theme: (positives, negatives, auc, threshold, precision, recall)} after n decisions."""
    from sklearn.metrics import roc_auc_score

    from codeer.coding import learn_simulate
    from codeer.coding.codebook import load_codebook
    from codeer.coding.evaluate import load_gold
    from codeer.coding.learn import learn_project
    from codeer.coding.learn_examples import build_spans
    from codeer.coding.learn_features import LinearModel
    from codeer.coding.nlp import load_pipeline
    from codeer.coding.suggest import code_project
    from codeer.ingest.importer import import_paths
    from codeer.store.codings import code_paths
    from codeer.store.project import Project

    result = {}
    with tempfile.TemporaryDirectory() as tmp, Project.init(Path(tmp)) as project:
        import_paths(project, [folder])
        code_project(project, load_codebook(None))
        con = project.con
        gold = load_gold(con, gold_file)
        paths = code_paths(con)

        def theme(code: str) -> str:
            return paths.get(code, [code])[0]

        _decided, _accepted, cut = learn_simulate.decide(project, gold, n, habit)
        learned = learn_project(project)
        names = dict(con.execute("SELECT id, name FROM documents"))
        documents = {g.document for g in gold}
        rest = [
            tuple(r)
            for r in con.execute("SELECT document_id, start, end FROM units ORDER BY 1, 2")
            if names[r[0]] in documents and (names[r[0]], r[1]) > cut
        ]
        spans = build_spans(con, rest, load_pipeline(None), paths)
        for plan in learned.themes:
            row = con.execute(
                "SELECT model FROM models WHERE theme = ? ORDER BY version DESC LIMIT 1",
                (plan.theme,),
            ).fetchone()
            if row is None:
                continue
            model = LinearModel(json.loads(row[0]))
            truth = [
                int(any(
                    theme(g.code) == plan.theme and g.document == names[d] and s <= g.start < e
                    for g in gold
                ))
                for d, s, e in rest
            ]  # fmt: skip
            scores = [model.probability(spans[key]) for key in rest]
            if not 0 < sum(truth) < len(truth):
                continue
            best = (0.0, 0.0, 0.0, 0.0)
            for step in range(1, 19):
                t = step / 20
                chosen = [y for y, p in zip(truth, scores, strict=True) if p >= t]
                hit = sum(chosen)
                p, r = hit / max(1, len(chosen)), hit / sum(truth)
                f1 = 2 * p * r / (p + r) if p + r else 0.0
                best = max(best, (f1, t, p, r))
            auc = roc_auc_score(truth, scores)
            result[plan.theme] = (plan.positives, plan.negatives, auc, *best[1:])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--habit", choices=("read", "queue"), default="read")
    parser.add_argument("--decisions", type=int, default=100)
    args = parser.parse_args()
    print("| set | theme | labels + / - | AUC | best threshold | P / R there |")
    print("|---|---|---|---|---|---|")
    for name, folder, gold in SETS:
        for theme, (pos, neg, auc, t, p, r) in ceiling(
            folder, gold, args.habit, args.decisions
        ).items():
            print(f"| `{name}` | {theme} | {pos}/{neg} | {auc:.2f} | {t:.2f} | {p:.2f} / {r:.2f} |")


if __name__ == "__main__":
    main()
