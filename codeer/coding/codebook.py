"""The codebook: its model, YAML loading with line-exact validation, and storage.

A codebook is a YAML file with a ``codes`` list; each code has a key, a label, an
optional parent (any depth), the researcher's definition, inclusion and exclusion
criteria, examples, and the patterns codeer uses to suggest it (see docs/codebook.md).
Validation collects *every* problem with its line and field, so a researcher can fix a
file in one go; :func:`load_codebook` refuses a file with any problem, so nothing is
coded with a half-understood codebook.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from codeer.coding.codebook_check import Problem, check_data, parse_yaml
from codeer.errors import CodebookError

PATTERN_KINDS = ("lemmas", "phrases", "regex", "tokens")
# Default evidence weight per pattern kind: a single lemma is weaker evidence than a
# phrase, a regex or a token pattern, which a researcher writes for one specific use.
DEFAULT_WEIGHTS = {"lemmas": 0.6, "phrases": 0.8, "regex": 0.8, "tokens": 0.8}
DEFAULT_SETTINGS: dict[str, Any] = {
    "threshold": 0.5,  # minimum score for a suggestion
    "negation_window": 5,  # tokens either side of the evidence searched for negation
    "compound_min_length": 5,  # shortest lemma that is also found inside compounds
    "phrase_gap": 4,  # extra tokens allowed inside a phrase match
    # A question the codebook finds a theme in with at least this score passes that
    # theme on to every sentence of the answer (0 switches it off) ...
    "question_threshold": 0.0,
    # ... as a suggestion with this score, so it ranks below the sentence's own evidence,
    "question_score": 0.5,
    # ... to at most this many leading sentences of the answer that say something,
    "question_sentences": 4,
    # ... and to its first such sentence only when the answer has more sentences than this.
    "question_long_answer": 10,
}


@dataclass(frozen=True)
class Pattern:
    """One pattern of a code: what to look for and how much it counts."""

    kind: str  # one of PATTERN_KINDS
    value: Any  # str for lemmas/phrases/regex, a list of token dicts for tokens
    weight: float
    compound: bool = True  # lemmas/phrases: also match inside compounds

    @property
    def label(self) -> str:
        """How the pattern is named in evidence: ``lemma:vertrouwen``, ``phrase:korte lijn``."""
        kind = {"lemmas": "lemma", "phrases": "phrase", "regex": "regex", "tokens": "tokens"}
        value = self.value if isinstance(self.value, str) else json.dumps(self.value)
        return f"{kind[self.kind]}:{value}"


@dataclass
class CodeMeaning:
    """What a code means to a researcher: its place in the tree, definition, criteria and
    examples (what REFI-QDA exchanges too: :class:`codeer.exchange.refi.RefiCode`)."""

    key: str
    label: str
    parent: str | None = None
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: list[str] = field(default_factory=list)


@dataclass
class Code(CodeMeaning):
    """One code of the codebook: its meaning and how codeer suggests it."""

    patterns: list[Pattern] = field(default_factory=list)
    exclude: list[Pattern] = field(default_factory=list)
    weight: float = 1.0
    # A top-level code the interviewer's question may pass on to the answer's sentences
    # (codeer.coding.suggest); false for a theme that is said in so many words when it is meant.
    from_question: bool = True
    line: int = 0
    path: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The code as plain data (stored in ``codes.data``)."""
        return {
            "key": self.key,
            "label": self.label,
            "parent": self.parent,
            "path": self.path,
            "definition": self.definition,
            "inclusion": self.inclusion,
            "exclusion": self.exclusion,
            "examples": self.examples,
            "weight": self.weight,
            "from_question": self.from_question,
            "patterns": [_pattern_dict(p) for p in self.patterns],
            "exclude": [_pattern_dict(p) for p in self.exclude],
        }


def _pattern_dict(pattern: Pattern) -> dict[str, Any]:
    return {
        "kind": pattern.kind,
        "value": pattern.value,
        "weight": pattern.weight,
        "compound": pattern.compound,
    }


@dataclass
class Codebook:
    """A validated codebook: codes in file order, settings, and its content hash."""

    name: str
    codes: dict[str, Code]
    settings: dict[str, Any]
    source: str
    content: str
    hash: str
    description: str = ""

    def children(self, key: str | None) -> list[Code]:
        """The codes whose parent is *key* (``None``: the top-level codes), in file order."""
        return [code for code in self.codes.values() if code.parent == key]

    def theme(self, key: str) -> str:
        """The top-level ancestor of *key* (itself for a top-level code)."""
        return self.codes[key].path[0]

    def tree(self) -> list[tuple[int, Code]]:
        """(depth, code) pairs in depth-first file order, for printing the tree."""
        result: list[tuple[int, Code]] = []
        # One pass to group children by parent: children() per code is quadratic, which a
        # codebook of thousands of codes notices.
        kids: dict[str | None, list[Code]] = {}
        for code in self.codes.values():
            kids.setdefault(code.parent, []).append(code)
        stack = [(0, code) for code in reversed(kids.get(None, []))]
        while stack:  # iterative: a deep hierarchy cannot exhaust Python's recursion limit
            depth, code = stack.pop()
            result.append((depth, code))
            stack.extend((depth + 1, child) for child in reversed(kids.get(code.key, [])))
        return result


def default_codebook_path() -> Path:
    """The shipped ``wijkteams.yaml`` (package data, so it works after any install)."""
    return Path(str(resources.files("codeer") / "data" / "codebooks" / "wijkteams.yaml"))


def check_codebook_text(text: str) -> list[Problem]:
    """Every problem in a codebook's YAML text, in line order (empty: the file is fine)."""
    data, lines, problems = parse_yaml(text)
    if problems:
        return problems
    return sorted(check_data(data, lines), key=lambda p: (p.line, p.field))


def check_codebook(path: Path) -> list[Problem]:
    """Every problem in the codebook file at *path* (empty: the file is fine)."""
    return check_codebook_text(_read(path))


def load_codebook(path: Path | None = None) -> Codebook:
    """Load and validate a codebook (default: the shipped one).

    Raises :class:`CodebookError` naming the first problem's line and field, and how
    many more there are, when the file has any problem.
    """
    path = Path(path) if path is not None else default_codebook_path()
    return parse_codebook(_read(path), source=str(path))


def parse_codebook(text: str, source: str = "<codebook>") -> Codebook:
    """Build a :class:`Codebook` from YAML text; raise CodebookError on any problem."""
    data, lines, problems = parse_yaml(text)
    if not problems:
        problems = sorted(check_data(data, lines), key=lambda p: (p.line, p.field))
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise CodebookError(
            f"{first.field}: {first.message}{more}",
            where=f"{source}:{first.line}",
            hint=f"run `codeer codebook check {source}` to see every problem",
        )
    settings = {**DEFAULT_SETTINGS, **(data.get("settings") or {})}
    codes: dict[str, Code] = {}
    for index, raw in enumerate(data["codes"]):
        code = Code(
            key=raw["key"],
            label=raw.get("label") or raw["key"],
            parent=raw.get("parent"),
            definition=_text(raw.get("definition")),
            inclusion=_text(raw.get("inclusion")),
            exclusion=_text(raw.get("exclusion")),
            examples=[str(e) for e in raw.get("examples") or []],
            patterns=_patterns(raw.get("patterns")),
            exclude=_patterns(raw.get("exclude")),
            weight=float(raw.get("weight", 1.0)),
            from_question=bool(raw.get("from_question", True)),
            line=lines.get(("codes", index), 0),
        )
        codes[code.key] = code
    for code in codes.values():
        chain = [code.key]
        while codes[chain[0]].parent:
            chain.insert(0, codes[chain[0]].parent)
        code.path = chain
    # default=str: YAML may give dates or bytes (in notes, say), which JSON has no type for.
    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return Codebook(
        name=str(data.get("name") or Path(source).stem),
        codes=codes,
        settings=settings,
        source=source,
        content=text,
        hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        description=_text(data.get("description")),
    )


def store_codebook(con: sqlite3.Connection, codebook: Codebook, loaded_at: str) -> int:
    """The id of *codebook* in the project store, inserting it (and its codes) if new.

    Call inside a transaction. The hash is over the parsed content, so a change in
    comments or layout alone is not a new codebook version.
    """
    row = con.execute("SELECT id FROM codebooks WHERE hash = ?", (codebook.hash,)).fetchone()
    if row:
        return int(row["id"])
    cur = con.execute(
        "INSERT INTO codebooks (hash, source, content, loaded_at) VALUES (?, ?, ?, ?)",
        (codebook.hash, codebook.source, codebook.content, loaded_at),
    )
    book_id = int(cur.lastrowid)
    con.executemany(
        "INSERT INTO codes (codebook_id, key, label, parent, path, definition, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                book_id,
                code.key,
                code.label,
                code.parent,
                "/".join(code.path),
                code.definition,
                json.dumps(code.to_dict(), ensure_ascii=False),
            )
            for code in codebook.codes.values()
        ],
    )
    return book_id


def latest_stored_codebook(con: sqlite3.Connection) -> Codebook | None:
    """The codebook most recently stored in a project, parsed again (None if none)."""
    row = con.execute("SELECT source, content FROM codebooks ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    try:
        return parse_codebook(row["content"], source=row["source"])
    except CodebookError:
        return None  # e.g. a codebook stored by another tool in another format


def _read(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(f"codebook file not found: {path}", hint="check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"cannot read codebook {path}: {exc}") from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(f"- {item}" for item in value)
    return str(value).strip()


def _patterns(raw: dict[str, Any] | None) -> list[Pattern]:
    """Pattern objects from a validated ``patterns``/``exclude`` mapping."""
    result: list[Pattern] = []
    for kind in PATTERN_KINDS:
        for item in (raw or {}).get(kind) or []:
            if isinstance(item, dict) and "value" in item:
                value = item["value"]
                weight = float(item.get("weight", DEFAULT_WEIGHTS[kind]))
                compound = bool(item.get("compound", True))
            else:
                value, weight, compound = item, DEFAULT_WEIGHTS[kind], True
            if kind in ("lemmas", "phrases"):
                value = re.sub(r"\s+", " ", str(value).strip().lower())
            result.append(Pattern(kind, value, weight, compound))
    return result
