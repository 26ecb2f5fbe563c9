"""Sub-themes by clustering the coded fragments of each theme.

For every theme (a top-level code, or the code asked for, each with its sub-codes) the
distinct coded fragments are clustered with k-means on the features of
:mod:`codeer.synthesis.cluster_features`. Each cluster gets a label from its most distinctive lemmas
(class-based TF-IDF), written as its fragments write them (whole words or two-word
phrases, never stop words or lemma stumps), its size, the cases (gemeenten) it occurs in,
up to three representative quotes from different cases, and its spread over case attributes. Every
run is stored (:mod:`codeer.synthesis.cluster_store`) so a report can cite it. See docs/cluster.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codeer.synthesis.cluster_method import (
    LARGE,
    N_INIT,
    N_INIT_LARGE,
    auto_k_bounds,
    case_spread,
    choose_k,
    kmeans,
    label_words,
    representatives,
)
from codeer.synthesis.model import (
    GROUP_ATTRIBUTES,
    MIN_FRAGMENTS,
    Cluster,
    ClusterError,
    Fragment,
    ThemeClustering,
)

if TYPE_CHECKING:
    import spacy

    from codeer.store.project import Project

#: Attributes that hold names (besides --by) whose words are left out of the features.
NAME_ATTRIBUTES = ("gemeente", "wijk", "regio", "team", "organisatie")


def case_table(con: Any, by: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Document name -> case, and case -> {group attribute: value}, over all documents.

    As in the matrices, the documents without the *by* attribute together form the case
    ``(none)``, so that "x of N" here and a matrix cell count the same cases. Only when no
    document has it (the default ``gemeente`` in a project without metadata) is every
    document its own case, named after the document. When the documents of one case
    disagree on an attribute, the values are joined with "/".
    """
    from codeer.store.codings import document_attributes
    from codeer.synthesis.matrix_data import NONE_LABEL

    attributes = document_attributes(con)
    anyone_has_it = any(attrs.get(by) for attrs in attributes.values())
    doc_case: dict[str, str] = {}
    values: dict[str, dict[str, set[str]]] = {}
    for row in con.execute("SELECT id, name FROM documents ORDER BY name"):
        attrs = attributes.get(row["id"], {})
        case = attrs.get(by) or (NONE_LABEL if anyone_has_it else row["name"])
        doc_case[row["name"]] = case
        slot = values.setdefault(case, {})
        for key in GROUP_ATTRIBUTES:
            if key != by and attrs.get(key):
                slot.setdefault(key, set()).add(attrs[key])
    case_attrs = {
        case: {key: "/".join(sorted(vals)) for key, vals in slots.items()}
        for case, slots in values.items()
    }
    return doc_case, case_attrs


def names_to_ignore(con: Any, by: str) -> frozenset[str]:
    """Words of case, place and speaker names, which must not drive the clustering.

    A coordinator who names her own municipality or a transcript with speaker labels in
    the coded span would otherwise pull fragments together by origin, not by content.
    """
    from codeer.synthesis.cluster_features import name_words

    keys = sorted({by, *NAME_ATTRIBUTES})
    marks = ", ".join("?" * len(keys))
    names = [
        r[0] for r in con.execute(f"SELECT value FROM attributes WHERE key IN ({marks})", keys)
    ]
    names += [r[0] for r in con.execute("SELECT DISTINCT speaker FROM turns")]
    return name_words(names)


def theme_fragments(
    con: Any,
    *,
    status: str,
    code: str | None,
    doc_case: dict[str, str],
    coder: str | None = None,
) -> dict[str, list[Fragment]]:
    """Distinct coded fragments per theme (codebook order), in document/position order.

    A span coded by several coders (or with several sub-codes) is one fragment; *coder*
    keeps only that coder's codings.
    """
    from codeer.store.codings import select_codings

    themes: dict[str, dict[tuple[str, int, int], Fragment]] = {}
    rows = select_codings(con, status=status, codes=[code] if code else None, coder=coder)
    for row in rows:
        theme = code or row.code_path[0]
        spans = themes.setdefault(theme, {})
        key = (row.document, row.start, row.end)
        if key not in spans:
            spans[key] = Fragment(
                row.document, row.start, row.end, row.text, doc_case[row.document], []
            )
        if row.code not in spans[key].codes:
            spans[key].codes.append(row.code)
    # Themes in codebook order (as the matrix and report list them), unknown keys last.
    book = [r[0] for r in con.execute("SELECT key FROM codes ORDER BY codebook_id DESC, rowid")]
    rank = {key: i for i, key in reversed(list(enumerate(book)))}
    ordered = sorted(themes, key=lambda t: (rank.get(t, len(rank)), t))
    return {theme: [themes[theme][k] for k in sorted(themes[theme])] for theme in ordered}


def cluster_fragments(
    fragments: list[Fragment],
    k: int | str = "auto",
    seed: int = 0,
    nlp: spacy.Language | None = None,
    ignore: frozenset[str] = frozenset(),
) -> tuple[list[int], list[float], list[list[str]], dict[str, Any], str]:
    """Cluster numbers (1 = largest), centre similarities, label words, params and a note.

    The label words are the distinctive lemmas as the cluster's fragments write them
    (:func:`codeer.synthesis.cluster_method.label_words`).
    """
    from threadpoolctl import threadpool_limits

    # One BLAS/OpenMP thread: these matrices are small, and on a shared 2-core machine
    # k-means with a thread pool spent several times more CPU spinning than computing
    # (bench: 11 k-means fits on 2,000 fragments, 0.45 s CPU with one thread, 2.4 s
    # with two). Results do not depend on the number of threads.
    with threadpool_limits(limits=1):
        return _cluster_fragments(fragments, k, seed, nlp, ignore)


def _cluster_fragments(
    fragments: list[Fragment],
    k: int | str,
    seed: int,
    nlp: spacy.Language | None,
    ignore: frozenset[str],
) -> tuple[list[int], list[float], list[list[str]], dict[str, Any], str]:
    import numpy as np

    from codeer.synthesis.cluster_features import build_features

    n = len(fragments)
    features = build_features([f.text for f in fragments], nlp=nlp, seed=seed, ignore=ignore)
    matrix = features.matrix
    params: dict[str, Any] = {
        "features": features.info,
        "n_init": N_INIT if n <= LARGE else N_INIT_LARGE,
    }
    note = ""
    distinct_rows = len(np.unique(matrix.round(8), axis=0))
    if k == "auto":
        k_min, k_max, min_size = auto_k_bounds(n)
        params["criterion"] = "silhouette (cosine), k-means"
        params["k_range"], params["min_cluster_size"] = [k_min, k_max], min_size
        if n < MIN_FRAGMENTS or distinct_rows < 2:
            chosen, raw, note = 1, np.zeros(n, dtype=int), f"fewer than {MIN_FRAGMENTS} fragments"
            if distinct_rows < 2 and n >= MIN_FRAGMENTS:
                note = "the fragments share no content words to tell them apart"
        else:
            chosen, raw, params["silhouette"] = choose_k(matrix, seed)
    else:
        chosen = min(int(k), n, distinct_rows)
        if chosen < int(k):
            note = f"only {chosen} distinguishable fragments, so k = {chosen}"
        raw = kmeans(matrix, chosen, seed) if chosen > 1 else np.zeros(n, dtype=int)

    # Number clusters by size (largest first), ties by first fragment: stable and readable.
    order = sorted(
        set(raw.tolist()), key=lambda c: (-int((raw == c).sum()), int(np.argmax(raw == c)))
    )
    renumber = {old: new for new, old in enumerate(order, start=1)}
    labels = [renumber[c] for c in raw.tolist()]
    similarity = [0.0] * n
    for number in renumber.values():
        members = [i for i, c in enumerate(labels) if c == number]
        centre = matrix[members].mean(axis=0)
        norm = np.linalg.norm(centre)
        sims = matrix[members] @ (centre / norm) if norm else np.zeros(len(members))
        for i, s in zip(members, sims.tolist(), strict=True):
            similarity[i] = float(s)
    words = label_words(features.lemmas, features.tokens, labels, len(order))
    return labels, similarity, words, params, note


def cluster_project(
    project: Project,
    *,
    code: str | None = None,
    k: int | str = "auto",
    status: str = "accepted",
    seed: int = 0,
    by: str = "gemeente",
    nlp: spacy.Language | None = None,
    store: bool = True,
    coder: str | None = None,
) -> list[ThemeClustering]:
    """Cluster every theme (or *code* with its sub-codes); store each run if *store*.

    *coder* clusters one coder's codings only; by default every coder's, each span once.
    """
    from codeer.store.codings import STATUS_FILTERS, code_paths

    if status not in STATUS_FILTERS:
        raise ClusterError(
            f"unknown status {status!r}", hint=f"use one of: {', '.join(STATUS_FILTERS)}"
        )
    if k != "auto" and (not str(k).isdigit() or int(k) < 1):
        raise ClusterError(f"--k must be 'auto' or a positive number, not {k!r}")
    con = project.con
    if coder is not None:
        from codeer.synthesis.matrix_data import MatrixError, check_coder

        try:
            check_coder(con, coder)
        except MatrixError as exc:
            raise ClusterError(exc.message, hint=exc.hint) from None
    paths = code_paths(con)
    if code and code not in paths:
        raise ClusterError(f"unknown code {code!r}", hint="see `codeer codebook show` for the keys")
    known = {r[0] for r in con.execute("SELECT DISTINCT key FROM attributes")}
    # The default may be absent (then every document is its own case); a typo may not.
    if by not in known and by not in ("gemeente", "document"):
        from codeer.synthesis.matrix_data import attribute_hint

        raise ClusterError(f"no document has the attribute {by!r}", hint=attribute_hint(known))
    from codeer.coding.nlp import load_pipeline, pipeline_info

    if nlp is None:
        nlp = load_pipeline()
    doc_case, case_attrs = case_table(con, by)
    ignore = names_to_ignore(con, by)
    cases_total = sorted(set(doc_case.values()))
    labels_of = {
        r["key"]: r["label"]
        for r in con.execute("SELECT key, label FROM codes ORDER BY codebook_id")
    }
    results = []
    for theme, fragments in theme_fragments(
        con, status=status, code=code, doc_case=doc_case, coder=coder
    ).items():
        assignments, similarity, lemmas, params, note = cluster_fragments(
            fragments, k, seed, nlp, ignore
        )
        params["pipeline"] = pipeline_info(nlp)
        if coder is not None:
            params["coder"] = coder
        clusters = []
        for number, words in enumerate(lemmas, start=1):
            members = [i for i, c in enumerate(assignments) if c == number]
            cases = sorted({fragments[i].case for i in members})
            clusters.append(
                Cluster(
                    number,
                    " / ".join(words) or f"cluster {number}",
                    words,
                    len(members),
                    cases,
                    representatives(fragments, members, similarity),
                    case_spread(cases, case_attrs),
                )
            )
        result = ThemeClustering(
            theme,
            labels_of.get(theme, theme),
            fragments,
            assignments,
            similarity,
            clusters,
            len(clusters),
            k,
            seed,
            status,
            by,
            cases_total,
            case_attrs,
            params,
            note,
            coder=coder,
        )
        if store:
            from codeer.synthesis.cluster_store import save_run

            save_run(project, result)
        results.append(result)
    return results
