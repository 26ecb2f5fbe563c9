"""How good are the suggestions? Precision, recall and F1 against a researcher's gold coding.

A gold file is jsonl, one coded fragment per line, either with offsets
``{"document", "start", "end", "code"}`` or with the exact text
``{"document", "quote", "code"}`` (resolved by finding the quote in the stored text).
A suggestion counts for a gold fragment when their labels agree and they overlap by at
least half of the shorter of the two. With ``by="theme"`` every code is replaced by its
top-level code; with ``by="code"`` a sub-code's suggestion also counts for a gold
fragment coded with one of its ancestors (a sub-code is a way of coding the theme).
Only documents that occur in the gold file are evaluated.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from codeer.errors import CodeerError, DocumentNotFound
from codeer.store.codings import MACHINE_CODERS, code_paths


@dataclass
class Fragment:
    """A coded stretch of a document (gold or suggested)."""

    document: str
    start: int
    end: int
    code: str
    text: str = ""
    line: int = 0  # line in the gold file, 0 for suggestions

    def overlaps(self, other: Fragment) -> bool:
        """Overlap of at least half of the shorter fragment (and at least one character)."""
        if self.document != other.document:
            return False
        common = min(self.end, other.end) - max(self.start, other.start)
        shorter = min(self.end - self.start, other.end - other.start)
        return common > 0 and common * 2 >= shorter


@dataclass
class Score:
    """Precision, recall and F1 for one label (a code or a theme)."""

    label: str
    gold: int = 0
    found: int = 0  # gold fragments with a matching suggestion
    suggested: int = 0
    correct: int = 0  # suggestions matching some gold fragment
    judged: bool = True  # False: the gold file does not code this label at all

    @property
    def precision(self) -> float | None:
        if not self.judged:
            return None  # nobody hand-coded it: its suggestions are neither right nor wrong
        return self.correct / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if not p or not r:
            return 0.0 if p is not None and r is not None else None
        return 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(precision=self.precision, recall=self.recall, f1=self.f1)
        return data


@dataclass
class Evaluation:
    """Scores per label plus the fragments to look at when improving the codebook."""

    by: str
    scores: list[Score]
    overall: Score
    misses: list[Fragment] = field(default_factory=list)
    false_hits: list[Fragment] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "scores": [s.to_dict() for s in self.scores],
            "overall": self.overall.to_dict(),
            "misses": [asdict(f) for f in self.misses],
            "false_hits": [asdict(f) for f in self.false_hits],
        }


def load_gold(con: sqlite3.Connection, path: Path) -> list[Fragment]:
    """Read a gold jsonl file; quotes are resolved to offsets in the stored text."""
    from codeer.store.documents import resolve_document

    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CodeerError(f"cannot read gold file {path}: {exc}") from None
    texts: dict[str, tuple[str, str]] = {}
    used: dict[tuple[str, str], int] = {}  # (document, quote) -> where the last one ended
    result: list[Fragment] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise CodeerError(f"not valid JSON: {exc.msg}", where=where) from None
        if not isinstance(item, dict) or not {"document", "code"} <= item.keys():
            raise CodeerError("each line needs document, code and start/end or quote", where=where)
        name = str(item["document"])
        if name not in texts:
            try:
                row = resolve_document(con, name)
            except DocumentNotFound as exc:
                raise CodeerError(exc.message, where=where, hint=exc.hint) from None
            texts[name] = (row["name"], row["text"])
        doc_name, text = texts[name]
        if "quote" in item:
            quote = str(item["quote"])
            start = _find(text, quote, used.get((doc_name, quote), 0))
            if start is None:
                raise CodeerError(
                    f"quote not found in {doc_name}: {quote[:60]!r}",
                    where=where,
                    hint="the quote must be the exact text as imported",
                )
            end = start + len(quote) if text[start : start + len(quote)] == quote else start
            if end == start:  # matched with other white space: measure the match itself
                end = _find_end(text, quote, start)
            used[(doc_name, quote)] = end
        else:
            try:
                start, end = int(item["start"]), int(item["end"])
            except (KeyError, TypeError, ValueError):
                raise CodeerError("start and end must be whole numbers", where=where) from None
            if not 0 <= start < end <= len(text):
                raise CodeerError(f"offsets {start}-{end} outside {doc_name}", where=where)
        result.append(Fragment(doc_name, start, end, str(item["code"]), text[start:end], number))
    return result


def _pattern(quote: str) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(word) for word in quote.split()))


def _find(text: str, quote: str, after: int) -> int | None:
    """Position of *quote* in *text* at or after *after* (white space may differ)."""
    pos = text.find(quote, after)
    if pos < 0 and after:
        pos = text.find(quote)
    if pos >= 0:
        return pos
    if not quote.split():
        return None
    match = _pattern(quote).search(text, after) or _pattern(quote).search(text)
    return match.start() if match else None


def _find_end(text: str, quote: str, start: int) -> int:
    match = _pattern(quote).match(text, start)
    return match.end() if match else start + len(quote)


def machine_suggestions(con: sqlite3.Connection, documents: set[str]) -> list[Fragment]:
    """The current machine suggestions (decided or not) in the given documents.

    Both machine coders count: the codebook's and the learned model's proposals.
    """
    rows = con.execute(
        "SELECT d.name, c.start, c.end, c.code, substr(d.text, c.start + 1, c.end - c.start) AS t"
        " FROM codings c JOIN documents d ON d.id = c.document_id"
        " WHERE c.coder IN (?, ?) AND c.status = 'suggested' ORDER BY d.name, c.start, c.code",
        MACHINE_CODERS,
    ).fetchall()
    return [Fragment(r[0], r[1], r[2], r[3], r[4]) for r in rows if r[0] in documents]


def evaluate(
    con: sqlite3.Connection,
    gold: Path | list[Fragment],
    by: str = "theme",
    suggestions: list[Fragment] | None = None,
) -> Evaluation:
    """Score the machine's suggestions against *gold* (a file or fragments), by code or theme."""
    if by not in ("code", "theme"):
        raise ValueError("by must be 'code' or 'theme'")
    gold_items = load_gold(con, gold) if isinstance(gold, (str, Path)) else list(gold)
    if suggestions is None:
        suggestions = machine_suggestions(con, {g.document for g in gold_items})
    paths = code_paths(con)

    def path_of(code: str) -> list[str]:
        return paths.get(code, [code])

    def label(code: str) -> str:
        return path_of(code)[0] if by == "theme" else code

    def counts_for(suggested: str, gold_code: str) -> bool:
        if by == "theme":
            return label(suggested) == label(gold_code)
        return gold_code in path_of(suggested)

    by_doc: dict[str, list[Fragment]] = {}
    for s in suggestions:
        by_doc.setdefault(s.document, []).append(s)
    gold_by_doc: dict[str, list[Fragment]] = {}
    for g in gold_items:
        gold_by_doc.setdefault(g.document, []).append(g)

    scores: dict[str, Score] = {}
    overall = Score("overall")  # filled in at the end
    misses, false_hits = [], []
    for g in gold_items:
        score = scores.setdefault(label(g.code), Score(label(g.code)))
        hit = any(counts_for(s.code, g.code) and s.overlaps(g) for s in by_doc.get(g.document, []))
        score.gold += 1
        score.found += hit
        if not hit:
            misses.append(Fragment(g.document, g.start, g.end, label(g.code), g.text, g.line))
    # A suggestion is one per (span, label): two sub-codes of a theme in one sentence are
    # one theme suggestion, or precision would count the same sentence twice.
    seen: set[tuple[str, int, int, str]] = set()
    for s in suggestions:
        key = (s.document, s.start, s.end, label(s.code))
        if key in seen:
            continue
        seen.add(key)
        score = scores.setdefault(label(s.code), Score(label(s.code)))
        good = any(
            counts_for(s.code, g.code) and s.overlaps(g) for g in gold_by_doc.get(s.document, [])
        )
        score.suggested += 1
        score.correct += good
        if not good:
            false_hits.append(Fragment(s.document, s.start, s.end, label(s.code), s.text))
    # Overall: the labels the gold file speaks about (and their sub-codes), so that
    # context codes nobody hand-coded do not count as false hits.
    gold_labels = {label(g.code) for g in gold_items}
    for score in scores.values():
        score.judged = bool(score.gold or gold_labels & set(path_of(score.label)))
        if score.judged:
            overall.gold += score.gold
            overall.found += score.found
            overall.suggested += score.suggested
            overall.correct += score.correct
    false_hits = [f for f in false_hits if scores[f.code].judged]
    ordered = sorted(scores.values(), key=lambda s: (path_of(s.label), s.label))
    return Evaluation(by, ordered, overall, misses, false_hits)
