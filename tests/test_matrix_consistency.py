"""Every matrix cell equals what a careful person counts from select_codings rows.

``codeer segments --format jsonl`` is built on select_codings, so these random-ish
projects check the acceptance rule directly: same --status, same --where, same numbers.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from codeer.store.codings import select_codings
from codeer.synthesis.matrix import case_matrix, cooccurrence_matrix
from codeer.synthesis.matrix_data import NONE_LABEL
from tests.factories import add_codebook, add_coding, new_project
from tests.test_matrix_data import add_interview, decide

WORDS = ["wij", "de", "school", "wijkteam", "vertrouwen", "één", "ideeën", "lijntjes", "overleg"]
CODES = [("a", None), ("a1", "a"), ("a2", "a"), ("b", None), ("b1", "b"), ("c", None)]


def random_project(folder, seed: int):
    rng = random.Random(seed)
    project = new_project(folder)
    add_codebook(project, CODES)
    units = {}
    for d in range(rng.randint(4, 9)):
        attrs = {"gemeente": rng.choice(["Oost", "West", "Zuid"])}
        if rng.random() < 0.7:
            attrs["ses"] = rng.choice(["laag", "midden", "hoog"])
        sentences = [
            " ".join(rng.choices(WORDS, k=rng.randint(1, 7))) + "."
            for _ in range(rng.randint(1, 6))
        ]
        doc, spans = add_interview(project, f"doc{d}.txt", sentences, attrs)
        units[doc] = spans
        for _ in range(rng.randint(0, 12)):
            s = rng.randrange(0, spans[-1][1])  # anywhere, the question included
            e = min(spans[-1][1], s + rng.choice([0, 3, 15, 40, 90]))
            code = rng.choice(["a", "a1", "a2", "b", "b1", "c", "old"])  # 'old': no codebook
            roll = rng.random()
            if roll < 0.2:
                add_coding(project, doc, s, e, code, status="manual", coder="ann", score=None)
                continue
            sug = add_coding(project, doc, s, e, code, score=rng.choice([None, 0.3, 0.9]))
            if roll < 0.5:
                decide(project, sug, "accepted", "ann")
            if roll < 0.35:
                decide(project, sug, "accepted", "bob")
            elif roll < 0.65:
                decide(project, sug, "rejected", "bob")
    return project, units


def expected(project, status, level, by, where, units):
    rows = select_codings(project.con, status=status, where=where)
    # A fragment counts once per code, whatever the number of coders (issue 13).
    rows = list({(r.document, r.start, r.end, r.code): r for r in rows}.values())
    docs = {r[0]: r[1] for r in project.con.execute("SELECT id, name FROM documents").fetchall()}
    attrs = {}
    for doc_id, key, value in project.con.execute("SELECT document_id, key, value FROM attributes"):
        attrs.setdefault(doc_id, {})[key] = value
    in_scope = [d for d in docs if all(attrs.get(d, {}).get(k) == v for k, v in where.items())]
    case_of = {
        docs[d]: " / ".join(attrs.get(d, {}).get(a, NONE_LABEL) for a in by) for d in in_scope
    }
    key = (lambda r: r.code) if level == "leaf" else (lambda r: r.code_path[0])
    count = Counter((key(r), case_of[r.document]) for r in rows)
    words = Counter()
    for r in rows:
        words[key(r), case_of[r.document]] += len(r.text.split())
    id_of = {name: d for d, name in docs.items()}
    hit_units = set()
    for r in rows:
        for u, (s, e) in enumerate(units[id_of[r.document]]):
            if r.start < e and max(r.end, r.start + 1) > s:
                hit_units.add((key(r), r.document, u))
    share_hits = Counter((k, case_of[doc]) for k, doc, _ in hit_units)
    n_units = Counter()
    for d in in_scope:
        n_units[case_of[docs[d]]] += len(units[d])
    return count, words, share_hits, n_units, hit_units


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_matrices_equal_counts_from_select_codings(tmp_path, seed):
    project, units = random_project(tmp_path / f"p{seed}", seed)
    for status in ("accepted", "suggested", "all"):
        for level in ("leaf", "top"):
            for by, where in [
                (("gemeente",), {}),
                (("ses", "gemeente"), {}),
                (("ses",), {"gemeente": "Oost"}),
            ]:
                count, words, hits, n_units, hit_units = expected(
                    project, status, level, by, where, units
                )
                for value, truth in [("count", count), ("words", words)]:
                    m = case_matrix(
                        project, by=by, value=value, status=status, level=level, where=where
                    )
                    for (k, case), n in truth.items():
                        assert m.data.loc[k, case] == n, (value, status, level, by, k, case)
                    assert m.total == sum(truth.values())
                    assert int(m.data.to_numpy().sum()) == sum(truth.values())
                p = case_matrix(
                    project, by=by, value="presence", status=status, level=level, where=where
                )
                assert int(p.data.to_numpy().sum()) == len(count)
                s = case_matrix(
                    project, by=by, value="share", status=status, level=level, where=where
                )
                for row in s.data.index:
                    for case in s.data.columns:
                        want = hits[row, case] / n_units[case] * 100
                        assert s.data.loc[row, case] == pytest.approx(want)
                all_units = sum(n_units.values())
                any_hit = {(doc, u) for _, doc, u in hit_units}
                assert s.total == pytest.approx(len(any_hit) / all_units * 100)

        rows = select_codings(project.con, status=status)
        per_unit: dict[tuple, set] = {}
        id_of = {r[1]: r[0] for r in project.con.execute("SELECT id, name FROM documents")}
        for r in rows:
            for u, (s0, e0) in enumerate(units[id_of[r.document]]):
                if r.start < e0 and max(r.end, r.start + 1) > s0:
                    per_unit.setdefault((r.document, u), set()).add(r.code)
        co = cooccurrence_matrix(project, status=status)
        for x in co.data.index:
            for y in co.data.columns:
                want = sum(1 for codes in per_unit.values() if x in codes and y in codes)
                assert co.data.loc[x, y] == want, (status, x, y)
        per_doc: dict[str, set] = {}
        for r in rows:
            per_doc.setdefault(r.document, set()).add(r.code_path[0])
        co_doc = cooccurrence_matrix(project, status=status, within="document", level="top")
        for x in co_doc.data.index:
            for y in co_doc.data.columns:
                want = sum(1 for codes in per_doc.values() if x in codes and y in codes)
                assert co_doc.data.loc[x, y] == want
    project.close()
