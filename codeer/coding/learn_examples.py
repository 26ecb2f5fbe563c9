"""What ``codeer learn`` learns from: a project's decisions, turned into labelled spans.

Per theme (a top-level code; a sub-code counts for its theme):

- **positive**: a suggestion a coder accepted (also the new code of a change), and a
  coding made by hand (``manual``);
- **negative**: a suggestion a coder rejected (also the old code of a change), and a
  respondent sentence a coder read in the document view (``codeer read``) without coding
  it with the theme: reading a sentence and leaving it uncoded is a decision too;
- a decision on a suggestion is learned on the suggestion's own span (the sentence the
  model scores), even when the coder widened it to the turn; a hand-made coding on its
  own span. When one span has both labels for a theme (two coders disagree, or a change
  from one sub-code to another of the same theme), positive wins.

Besides the decisions, a model sees a *background*: respondent sentences in which the
codebook found nothing of the theme and that nobody labelled, as negatives of small
weight (:func:`background`). Without it a model learns only from sentences that had a
pattern, and rates every sentence without one as if it were such a sentence.

Every label is named by the rows it comes from (``id:status``, ``read:...``); the hash of
those names versions the model.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable

from codeer.coding.learn_features import FEATURES_VERSION, Span
from codeer.store.codings import MACHINE_CODER, MACHINE_CODERS

Key = tuple[int, int, int]  # (document id, start, end)


class Examples:
    """The labelled spans of every theme, and where each label came from."""

    def __init__(self) -> None:
        self.labels: dict[str, dict[Key, int]] = {}
        self.sources: dict[str, list[str]] = {}

    def add(self, theme: str, key: Key, label: int, source: str) -> None:
        labels = self.labels.setdefault(theme, {})
        labels[key] = max(labels.get(key, 0), label)
        self.sources.setdefault(theme, []).append(source)

    def counts(self, theme: str) -> tuple[int, int]:
        """(positives, negatives) of *theme*."""
        labels = self.labels.get(theme, {}).values()
        positives = sum(labels)
        return positives, len(labels) - positives

    def digest(self, theme: str, background: list[Key] = ()) -> str:
        """sha256 of the rows behind *theme*'s labels, its background and the features."""
        names = sorted(self.sources.get(theme, []))
        text = json.dumps([FEATURES_VERSION, theme, names, sorted(background)])
        return hashlib.sha256(text.encode()).hexdigest()


def collect_examples(con: sqlite3.Connection, paths: dict[str, list[str]]) -> Examples:
    """Every theme's labelled spans from the decisions, hand codings and reads stored."""
    examples = Examples()
    marks = ", ".join("?" * len(MACHINE_CODERS))
    coded: dict[tuple[str, str, int], list[tuple[int, int]]] = {}  # (coder, theme, doc)
    for row in con.execute(
        "SELECT d.id, d.status, d.code, d.coder, d.document_id, d.start, d.end,"
        " s.start AS s_start, s.end AS s_end FROM codings d"
        " LEFT JOIN codings s ON s.id = d.suggestion_id"
        f" WHERE d.status IN ('accepted', 'rejected', 'manual') AND d.coder NOT IN ({marks})"
        " ORDER BY d.id",
        MACHINE_CODERS,
    ):
        theme = paths.get(row["code"], [row["code"]])[0]
        start, end = row["start"], row["end"]
        if row["s_start"] is not None:
            start, end = row["s_start"], row["s_end"]
        label = 0 if row["status"] == "rejected" else 1
        key = (row["document_id"], start, end)
        examples.add(theme, key, label, f"{row['id']}:{row['status']}")
        if label:
            where = (row["coder"], theme, row["document_id"])
            coded.setdefault(where, []).append((row["start"], row["end"]))
    themes = sorted({path[0] for path in paths.values()})
    for row in con.execute(
        "SELECT r.document_id, r.start, r.end, r.coder FROM reads r JOIN units u"
        " ON u.document_id = r.document_id AND u.start = r.start AND u.end = r.end"
        " ORDER BY r.document_id, r.start, r.end, r.coder"
    ):
        key = (row["document_id"], row["start"], row["end"])
        for theme in themes:
            spans = coded.get((row["coder"], theme, row["document_id"]), [])
            if any(s < key[2] and key[1] < e for s, e in spans):
                continue
            if key not in examples.labels.get(theme, {}):
                source = f"read:{key[0]}:{key[1]}:{key[2]}:{row['coder']}"
                examples.add(theme, key, 0, source)
    return examples


BACKGROUND_MAX = 2000  # background sentences per theme, chosen by a hash of their place


def background(theme: str, units: list[Key], spans: dict, labels: dict[Key, int]) -> list[Key]:
    """Up to :data:`BACKGROUND_MAX` unlabelled sentences without evidence of *theme*.

    The choice depends only on the sentences' places (a sha1 of document, start, end),
    so the same project gives the same background.
    """
    keys = [k for k in units if k not in labels and theme not in spans[k].evidence]
    if len(keys) > BACKGROUND_MAX:
        keys.sort(key=lambda k: hashlib.sha1(f"{k[0]}:{k[1]}:{k[2]}".encode()).digest())
        keys = keys[:BACKGROUND_MAX]
    return sorted(keys)


def build_spans(
    con: sqlite3.Connection, keys: Iterable[Key], nlp, paths: dict[str, list[str]]
) -> dict[Key, Span]:
    """Spans with role, lemmas and the codebook's evidence per theme, for the given keys.

    *paths* is :func:`codeer.store.codings.code_paths` of the project.
    """
    wanted = sorted(set(keys))
    by_doc: dict[int, list[Key]] = {}
    for key in wanted:
        by_doc.setdefault(key[0], []).append(key)
    spans: dict[Key, Span] = {}
    texts: list[str] = []
    for doc_id, doc_keys in by_doc.items():
        text = con.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        turns = con.execute(
            "SELECT start, role FROM turns WHERE document_id = ? ORDER BY start", (doc_id,)
        ).fetchall()
        starts = [t[0] for t in turns]
        evidence = _evidence(con, doc_id, paths)
        ev_starts = [e[0] for e in evidence]
        longest = max((e[1] - e[0] for e in evidence), default=0)
        for key in doc_keys:
            _d, start, end = key
            pos = bisect.bisect_right(starts, start) - 1
            role = turns[pos][1] if turns and pos >= 0 else "respondent"
            span = Span(doc_id, start, end, role)
            lo = bisect.bisect_left(ev_starts, start - longest)
            hi = bisect.bisect_left(ev_starts, end)
            for s, e, theme, patterns, question in evidence[lo:hi]:
                if s < end and start < e:
                    have = span.evidence.setdefault(theme, (set(), False))
                    have[0].update(patterns)
                    span.evidence[theme] = (have[0], have[1] or question)
            spans[key] = span
            texts.append(text[start:end])
    _lemmatise(nlp, texts, [spans[k] for ks in by_doc.values() for k in ks])
    return spans


def _evidence(con: sqlite3.Connection, doc_id: int, paths: dict[str, list[str]]) -> list[tuple]:
    """(start, end, theme, patterns, from question) of the codebook's suggestions, by start."""
    result = []
    for row in con.execute(
        "SELECT start, end, code, evidence FROM codings WHERE document_id = ? AND coder = ?"
        " AND status = 'suggested' ORDER BY start, end, id",
        (doc_id, MACHINE_CODER),
    ):
        try:
            records = json.loads(row["evidence"] or "[]")
        except json.JSONDecodeError:
            records = []
        patterns, question = set(), False
        for record in records if isinstance(records, list) else []:
            if not isinstance(record, dict):
                continue
            if record.get("via") == "question":
                question = True
            elif record.get("pattern"):
                patterns.add(str(record["pattern"]))
        theme = paths.get(row["code"], [row["code"]])[0]
        result.append((row["start"], row["end"], theme, patterns, question))
    return result


def _lemmatise(nlp, texts: list[str], spans: list[Span]) -> None:
    """Fill in words (lemmas) and lowers; only the tokenizer and lemmatizer are needed."""
    skip = [n for n in nlp.pipe_names if n in ("parser", "ner", "senter", "sentencizer")]
    with nlp.select_pipes(disable=skip):
        for span, doc in zip(spans, nlp.pipe(texts, batch_size=256), strict=True):
            for token in doc:
                lower = token.lower_
                if not _LETTER.search(lower):
                    continue
                span.lowers.append(lower)
                span.words.append((token.lemma_ or lower).lower())


_LETTER = re.compile(r"[^\W\d_]")  # a word has at least one letter
