"""``codeer learn``: a model per theme from this project's own decisions.

For every theme with enough decisions (:mod:`codeer.coding.learn_examples` says what
counts as one) a logistic regression is fitted on the features of
:mod:`codeer.coding.learn_features` and stored as JSON in the ``models`` table, versioned
by the hash of the decisions it learned from. Then, in one transaction:

- every undecided suggestion of the theme gets ``learned_score`` (the model's
  probability) and ``learned`` (why: the features that pushed it up and down most);
  ``score``, the codebook's own, is never touched, so ``codeer code`` stays idempotent;
- a respondent sentence without any suggestion of the theme (no pattern found it) that
  the model rates at least :data:`PROPOSE_AT` becomes a suggestion of the coder
  ``codeer-learn`` (:data:`codeer.store.codings.LEARN_CODER`), with the nearest accepted
  examples as evidence; a proposal no longer wanted is retracted (never deleted), and
  one a coder has decided is left alone, like every decision.

The same decisions give the same model (fixed seed, sorted features): a second run adds
no version and changes nothing.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from codeer.coding.learn_examples import (
    Examples,
    Key,
    background,
    build_spans,
    collect_examples,
)
from codeer.coding.learn_features import LinearModel, Span, fit_model, text_vector
from codeer.errors import CodebookError, CodeerError
from codeer.store.coding_writes import insert_coding
from codeer.store.codings import LEARN_CODER, MACHINE_CODER, MACHINE_CODERS, code_paths
from codeer.store.project import Project, default_actor, now

MIN_DECISIONS = 10  # labelled spans a theme needs (and at least 2 of each label)
PROPOSE_AT = 0.7  # a sentence no pattern found is proposed from this probability on
NEAREST = 3
BACKGROUND_SHARE = 0.1  # the background weighs a tenth of the decisions together


@dataclass
class ThemeResult:
    """What ``learn`` did for one theme."""

    theme: str
    status: str  # "new" (a model version fitted), "unchanged" (same decisions), "skipped"
    positives: int = 0
    negatives: int = 0
    version: int | None = None
    reason: str = ""
    rescored: int = 0  # undecided suggestions whose learned score changed
    proposed: int = 0  # new (or revived) proposals
    updated: int = 0  # proposals whose probability or nearest examples changed
    retracted: int = 0


@dataclass
class LearnResult:
    """One run of ``codeer learn``."""

    themes: list[ThemeResult] = field(default_factory=list)
    pipeline: str = ""

    @property
    def changed(self) -> bool:
        return any(
            t.status == "new" or t.rescored or t.proposed or t.updated or t.retracted
            for t in self.themes
        )

    def to_dict(self) -> dict[str, Any]:
        return {"pipeline": self.pipeline, "themes": [asdict(t) for t in self.themes]}


def decision_weights(positives: int, negatives: int) -> dict[int, float]:
    """Weight of an accepted (1) and a rejected (0) decision: balanced classes."""
    n = positives + negatives
    return {1: n / (2 * positives), 0: n / (2 * negatives)}


def has_model(con: sqlite3.Connection) -> bool:
    """Whether ``codeer learn`` has stored any model in this project."""
    return con.execute("SELECT 1 FROM models LIMIT 1").fetchone() is not None


def learn_project(
    project: Project,
    code: str | None = None,
    min_decisions: int = MIN_DECISIONS,
    propose_at: float = PROPOSE_AT,
    model: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> LearnResult:
    """Fit (or reuse) a model per theme, re-score suggestions and propose new ones.

    *code* limits the run to that code's theme. Raises CodebookError for an unknown code
    and CodeerError when no codebook is loaded yet.
    """
    from codeer.coding.nlp import load_pipeline, pipeline_info

    con = project.con
    paths = code_paths(con)
    themes = _themes(con, paths, code)
    nlp = load_pipeline(model)
    result = LearnResult(pipeline=pipeline_info(nlp)["name"])
    examples = collect_examples(con, paths)

    plans = [ThemeResult(theme, "skipped", *examples.counts(theme)) for theme in themes]
    for plan in plans:
        if (
            plan.positives + plan.negatives < min_decisions
            or min(plan.positives, plan.negatives) < 2
        ):
            plan.reason = (
                f"{plan.positives + plan.negatives} decision(s), {plan.positives} positive: "
                f"needs {min_decisions} with at least 2 accepted and 2 rejected"
            )
    active = [plan for plan in plans if not plan.reason]
    result.themes = plans
    if not active:
        return result
    if progress:
        progress("Reading the sentences ...")
    undecided = _undecided(con, paths, {plan.theme for plan in active})
    units = [tuple(r) for r in con.execute("SELECT document_id, start, end FROM units")]
    keys = set(units) | {k for rows in undecided.values() for _id, k, *_ in rows}
    for plan in active:
        keys |= set(examples.labels[plan.theme])
    spans = build_spans(con, keys, nlp, paths)

    with project.transaction():
        for plan in active:
            labels = examples.labels[plan.theme]
            extra = background(plan.theme, units, spans, labels)
            digest = examples.digest(plan.theme, extra)
            row = con.execute(
                "SELECT version, model FROM models WHERE theme = ? AND decisions_hash = ?"
                " ORDER BY version DESC LIMIT 1",
                (plan.theme, digest),
            ).fetchone()
            if row is not None:
                plan.status, plan.version = "unchanged", row["version"]
                data = json.loads(row["model"])
            else:
                if progress:
                    progress(f"Fitting {plan.theme} on {len(labels)} decisions ...")
                ordered = sorted(labels)
                # Accepted and rejected weigh the same in all (as scikit-learn's balanced
                # classes, over the decisions); the background all together a fraction.
                n = len(ordered)
                share = decision_weights(plan.positives, plan.negatives)
                data = fit_model(
                    plan.theme,
                    [spans[k] for k in ordered + extra],
                    [labels[k] for k in ordered] + [0] * len(extra),
                    [share[labels[k]] for k in ordered]
                    + [BACKGROUND_SHARE * n / max(1, len(extra))] * len(extra),
                )
                plan.status = "new"
                plan.version = _store_model(con, plan, digest, data)
            linear = LinearModel(data)
            plan.rescored = _rescore(
                con, linear, plan.version, undecided.get(plan.theme, []), spans
            )
            coded = _coded(con, paths, plan.theme)
            _propose(con, plan, linear, plan.version, examples, spans, units, coded, propose_at)
        if result.changed:
            project.log("learn", result.to_dict())
    return result


def _themes(con: sqlite3.Connection, paths: dict[str, list[str]], code: str | None) -> list[str]:
    book = con.execute("SELECT max(id) FROM codebooks").fetchone()[0]
    if book is None:
        raise CodeerError("no codebook in this project yet", hint="run `codeer code` first")
    tops = [
        r[0]
        for r in con.execute(
            "SELECT key FROM codes WHERE codebook_id = ? AND parent IS NULL ORDER BY rowid",
            (book,),
        )
    ]
    if code is None:
        return tops
    if code not in paths:
        raise CodebookError(
            f"unknown code {code!r}", hint="see the keys with `codeer codebook show`"
        )
    return [paths[code][0]]


def _undecided(
    con: sqlite3.Connection, paths: dict[str, list[str]], themes: set[str]
) -> dict[str, list[tuple]]:
    """theme -> (id, key, learned_score, learned) of codebook suggestions nobody decided.

    The learned proposals are brought up to date by :func:`_propose`.
    """
    result: dict[str, list[tuple]] = {}
    for row in con.execute(
        "SELECT c.id, c.document_id, c.start, c.end, c.code, c.learned_score, c.learned"
        " FROM codings c WHERE c.coder = ? AND c.status = 'suggested' AND NOT EXISTS"
        " (SELECT 1 FROM codings d WHERE d.suggestion_id = c.id AND d.status != 'suggested')"
        " ORDER BY c.id",
        (MACHINE_CODER,),
    ):
        theme = paths.get(row["code"], [row["code"]])[0]
        if theme in themes:
            key = (row["document_id"], row["start"], row["end"])
            result.setdefault(theme, []).append(
                (row["id"], key, row["learned_score"], row["learned"])
            )
    return result


def _store_model(con, plan: ThemeResult, digest: str, data: dict[str, Any]) -> int:
    version = con.execute(
        "SELECT coalesce(max(version), 0) + 1 FROM models WHERE theme = ?", (plan.theme,)
    ).fetchone()[0]
    con.execute(
        "INSERT INTO models (theme, version, decisions_hash, n_positive, n_negative, model,"
        " created_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            plan.theme,
            version,
            digest,
            plan.positives,
            plan.negatives,
            json.dumps(data, ensure_ascii=False, sort_keys=True),
            now(),
            default_actor(),
        ),
    )
    return int(version)


def _explanation(linear: LinearModel, version: int | None, span: Span) -> tuple:
    p, parts = linear.explain(span)
    p = round(p, 3)
    why = {"model": f"{linear.theme} v{version}", "p": p, **parts}
    return p, json.dumps(why, ensure_ascii=False)


def _rescore(con, linear: LinearModel, version, rows: list[tuple], spans: dict) -> int:
    changed = 0
    for coding_id, key, old_score, old_learned in rows:
        p, learned = _explanation(linear, version, spans[key])
        if (p, learned) != (old_score, old_learned):
            con.execute(
                "UPDATE codings SET learned_score = ?, learned = ? WHERE id = ?",
                (p, learned, coding_id),
            )
            changed += 1
    return changed


def _propose(
    con,
    plan: ThemeResult,
    linear: LinearModel,
    version: int | None,
    examples: Examples,
    spans: dict[Key, Span],
    units: list[Key],
    coded: dict[int, list[tuple[int, int]]],
    propose_at: float,
) -> None:
    """Bring the learned proposals of one theme in line with the model.

    *coded* is what a person coded or rejected with the theme (:func:`_coded`).
    """
    theme = plan.theme
    wanted: dict[Key, tuple[float, str]] = {}
    for key in sorted(units):
        span = spans[key]
        if theme in span.evidence or _overlaps(coded.get(key[0], ()), key):
            continue
        if linear.probability(span) + 1e-9 >= propose_at:
            wanted[key] = _explanation(linear, version, span)
    labels = examples.labels[theme]
    nearest = _nearest(con, linear, [k for k in sorted(labels) if labels[k]], list(wanted), spans)
    existing: dict[Key, sqlite3.Row] = {}
    for row in con.execute(
        "SELECT c.*, EXISTS (SELECT 1 FROM codings d WHERE d.suggestion_id = c.id) AS decided"
        " FROM codings c WHERE c.coder = ? AND c.code = ? ORDER BY c.status DESC, c.id",
        (LEARN_CODER, theme),
    ):
        existing.setdefault((row["document_id"], row["start"], row["end"]), row)
    stamp = now()
    n = plan.positives + plan.negatives
    for key, (p, learned) in wanted.items():
        evidence = json.dumps(
            [
                {"pattern": f"learned from {n} decisions", "words": "", "via": "learned",
                 "weight": p, "nearest": nearest[key]}
            ],
            ensure_ascii=False,
        )  # fmt: skip
        row = existing.get(key)
        if row is None:
            insert_coding(
                con, *key, theme, "suggested", LEARN_CODER, score=p, valence="neutral",
                evidence=evidence, learned_score=p, learned=learned, created_at=stamp,
            )  # fmt: skip
            plan.proposed += 1
        elif row["decided"]:
            continue
        elif (row["status"], row["score"], row["evidence"], row["learned"]) != (
            "suggested",
            p,
            evidence,
            learned,
        ):
            con.execute(
                "UPDATE codings SET status = 'suggested', score = ?, evidence = ?,"
                " learned_score = ?, learned = ? WHERE id = ?",
                (p, evidence, p, learned, row["id"]),
            )
            if row["status"] == "retracted":
                plan.proposed += 1
            else:
                plan.updated += 1
    for key, row in existing.items():
        if key not in wanted and row["status"] == "suggested" and not row["decided"]:
            con.execute("UPDATE codings SET status = 'retracted' WHERE id = ?", (row["id"],))
            plan.retracted += 1


def _coded(con, paths: dict[str, list[str]], theme: str) -> dict[int, list[tuple[int, int]]]:
    """document -> spans a person coded or rejected with *theme* (nothing to propose there)."""
    keys = [k for k, path in paths.items() if path[0] == theme]
    marks, coders = ", ".join("?" * len(keys)), ", ".join("?" * len(MACHINE_CODERS))
    result: dict[int, list[tuple[int, int]]] = {}
    for row in con.execute(
        f"SELECT document_id, start, end FROM codings WHERE code IN ({marks})"
        f" AND coder NOT IN ({coders}) AND status IN ('accepted', 'rejected', 'manual')",
        (*keys, *MACHINE_CODERS),
    ):
        result.setdefault(row[0], []).append((row[1], row[2]))
    for spans in result.values():
        spans.sort()
    return result


def _overlaps(spans: list[tuple[int, int]], key: Key) -> bool:
    """Whether *key* overlaps one of *spans* (sorted by start, see :func:`_coded`)."""
    hi = bisect.bisect_left(spans, (key[2],))
    return any(key[1] < e for _s, e in spans[:hi])


def _nearest(con, linear: LinearModel, positives: list[Key], keys: list[Key], spans) -> dict:
    """Per proposal, up to :data:`NEAREST` accepted examples most like it (cosine)."""
    result: dict[Key, list] = {key: [] for key in keys}
    if not keys or not positives:
        return result
    import numpy as np
    from scipy.sparse import csr_matrix

    def matrix(ks: list[Key]):
        rows, cols, vals = [], [], []
        for r, k in enumerate(ks):
            for i, v in text_vector(linear, spans[k]).items():
                rows.append(r)
                cols.append(i)
                vals.append(v)
        m = csr_matrix((vals, (rows, cols)), shape=(len(ks), len(linear.names)))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return csr_matrix(m.multiply(1.0 / norms[:, None]))

    similarity = (matrix(keys) @ matrix(positives).T).toarray()
    names = dict(con.execute("SELECT id, name FROM documents").fetchall())
    texts: dict[int, str] = {}
    for r, key in enumerate(keys):
        order = sorted(range(len(positives)), key=lambda j: (-round(similarity[r, j], 9), j))
        for j in order[:NEAREST]:
            doc, start, end = positives[j]
            if doc not in texts:
                texts[doc] = con.execute(
                    "SELECT text FROM documents WHERE id = ?", (doc,)
                ).fetchone()[0]
            result[key].append(
                {"document": names[doc], "start": start, "end": end, "text": texts[doc][start:end]}
            )
    return result
