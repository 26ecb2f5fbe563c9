"""Codebook validation: YAML with line numbers, and every problem with its line and field.

PyYAML's composed node tree keeps the position of every key and value; we convert it to
plain data ourselves and remember the line of each path (``("codes", 3, "parent")``), so
that a problem can name ``line 41, codes[3].parent`` instead of just "invalid file".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

Path_ = tuple[Any, ...]

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TOP_FIELDS = {"name", "version", "description", "language", "settings", "codes"}
CODE_FIELDS = {
    "key",
    "label",
    "parent",
    "definition",
    "inclusion",
    "exclusion",
    "examples",
    "patterns",
    "exclude",
    "weight",
    "from_question",
    "notes",
}
PATTERN_FIELDS = {"lemmas", "phrases", "regex", "tokens"}
ITEM_FIELDS = {"value", "weight", "compound"}
# Code trees of real studies are a few levels deep; a chain of thousands would make every
# code path (stored per code, shown in every export) as long as the codebook.
MAX_CODE_DEPTH = 20
SETTING_TYPES = {
    "threshold": float,
    "negation_window": int,
    "compound_min_length": int,
    "phrase_gap": int,
    "question_threshold": float,
    "question_score": float,
    "question_sentences": int,
    "question_long_answer": int,
}


@dataclass(frozen=True)
class Problem:
    """One problem in a codebook file."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


_SCALARS = yaml.SafeLoader("")  # one constructor for all scalars (it keeps no state we use)


MAX_DEPTH = 32  # a codebook is 6 levels deep; deeper is a mistake or an attack


class _Refused(Exception):
    """A construct we do not load (an alias, a complex key, deep nesting), with its place."""

    def __init__(self, line: int, field: str, message: str):
        super().__init__(message)
        self.problem = Problem(line, field, message)


def parse_yaml(text: str) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """YAML text -> (data, line of every path, syntax problems).

    Aliases (``*name``) are refused: a codebook has no need for them, and they are what
    recursive structures and exponential "billion laughs" expansions are made of. Keys
    must be plain text, and nesting is limited to :data:`MAX_DEPTH` levels.
    """
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, {}, [Problem(line, "(yaml)", f"not valid YAML: {exc.problem}")]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, {}, [Problem(1, "(yaml)", f"not valid YAML: {message}")]
    lines: dict[Path_, int] = {}
    if node is None:
        return None, lines, [Problem(1, "codes", "the file is empty")]
    try:
        return _convert(node, (), lines, set()), lines, []
    except _Refused as exc:
        return None, lines, [exc.problem]
    except RecursionError:
        return None, lines, [Problem(1, "(yaml)", "nested too deeply")]


def _convert(node: yaml.Node, path: Path_, lines: dict[Path_, int], seen: set[int]) -> Any:
    line = node.start_mark.line + 1
    lines.setdefault(path, line)
    if id(node) in seen:
        # PyYAML composes an alias as the very node its anchor names: seen twice. (The
        # node's own line is the anchor's; a list item's alias is on its list's line.)
        where = path if path and isinstance(path[-1], str) else path[:-1]
        raise _Refused(
            lines.get(where, line),
            _field_name(path),
            "aliases (*name) are not supported in a codebook: write the value out in full",
        )
    seen.add(id(node))
    if len(path) > MAX_DEPTH:
        raise _Refused(line, _field_name(path), f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(
                    key_node.start_mark.line + 1,
                    _field_name(path),
                    "a key must be plain text, not a list or mapping",
                )
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, (*path, key), lines, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), lines, seen) for i, item in enumerate(node.value)]
    # Scalars: let PyYAML resolve the type (int, float, bool, null, str). The shared
    # constructor caches every node it built: forget it, or every parse stays in memory.
    try:
        return _SCALARS.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError, TypeError) as exc:
        # e.g. a date that does not exist (2024-02-31), bad !!binary, an unknown !!tag
        text = getattr(exc, "problem", None) or str(exc).splitlines()[0] or type(exc).__name__
        raise _Refused(line, _field_name(path), f"not a valid value: {text}") from None
    finally:
        _SCALARS.constructed_objects.pop(node, None)
        _SCALARS.recursive_objects.pop(node, None)


def check_data(data: Any, lines: dict[Path_, int]) -> list[Problem]:
    """Every problem in parsed codebook *data*."""
    problems: list[Problem] = []

    def add(path: Path_, message: str) -> None:
        line = lines.get(path) or lines.get(path[:-1]) or 1
        name = _field_name(path)
        # Name the code by its key too: "codes[3] (korte_lijnen).parent" is findable.
        if len(path) >= 2 and path[0] == "codes" and isinstance(path[1], int):
            code = codes[path[1]] if isinstance(codes, list) and path[1] < len(codes) else None
            if isinstance(code, dict) and isinstance(code.get("key"), str):
                name = name.replace(f"codes[{path[1]}]", f"codes[{path[1]}] ({code['key']})", 1)
        problems.append(Problem(line, name, message))

    codes = data.get("codes") if isinstance(data, dict) else None

    if not isinstance(data, dict):
        add(("codes",), "the codebook must be a mapping with a `codes` list")
        return problems
    for key in data:
        if key not in TOP_FIELDS:
            add((key,), f"unknown field; expected one of: {', '.join(sorted(TOP_FIELDS))}")
    _check_settings(data.get("settings"), add)
    if not isinstance(codes, list) or not codes:
        add(("codes",), "missing or empty: the codebook needs a non-empty `codes` list")
        return problems

    keys: dict[str, int] = {}
    parents: dict[str, tuple[str, Path_]] = {}
    for index, code in enumerate(codes):
        here: Path_ = ("codes", index)
        if not isinstance(code, dict):
            add(here, "each code must be a mapping with at least `key` and `label`")
            continue
        for name in code:
            if name not in CODE_FIELDS:
                add(
                    (*here, name),
                    f"unknown field; expected one of: {', '.join(sorted(CODE_FIELDS))}",
                )
        key = code.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key):
            add((*here, "key"), "missing or invalid: use lower case letters, digits and _")
        elif key in keys:
            add((*here, "key"), f"duplicate key {key!r} (first defined on line {keys[key]})")
        else:
            keys[key] = lines.get((*here, "key"), 0)
        if not isinstance(code.get("label"), str) or not code.get("label", "").strip():
            add((*here, "label"), "missing: every code needs a label")
        parent = code.get("parent")
        if parent is not None:
            if not isinstance(parent, str):
                add((*here, "parent"), "must be the key of another code")
            elif isinstance(key, str):
                parents[key] = (parent, (*here, "parent"))
        for name in ("definition", "inclusion", "exclusion"):
            if name in code and not isinstance(code[name], (str, list, type(None))):
                add((*here, name), "must be text")
        if "examples" in code and not isinstance(code["examples"], (list, type(None))):
            add((*here, "examples"), "must be a list of example sentences")
        if "weight" in code:
            _check_weight(code["weight"], (*here, "weight"), add)
        if "from_question" in code:
            if not isinstance(code["from_question"], bool):
                add((*here, "from_question"), "must be true or false")
            elif parent is not None:
                add((*here, "from_question"), "only a top-level code (a theme) takes it")
        for name in ("patterns", "exclude"):
            if code.get(name) is not None:
                _check_patterns(code[name], (*here, name), add)

    for key, (parent, where) in parents.items():
        if parent not in keys:
            add(where, f"unknown parent {parent!r}: no code has that key")
            continue
        seen, current = {key}, parent
        while current in parents:
            if current in seen:
                add(where, f"parent chain of {key!r} loops back on itself")
                break
            if len(seen) >= MAX_CODE_DEPTH:
                add(where, f"{key!r} lies more than {MAX_CODE_DEPTH} levels deep: flatten the tree")
                break
            seen.add(current)
            current = parents[current][0]
    return problems


def _check_settings(settings: Any, add) -> None:
    if settings is None:
        return
    if not isinstance(settings, dict):
        add(("settings",), "must be a mapping")
        return
    for name, value in settings.items():
        expected = SETTING_TYPES.get(name)
        if expected is None:
            add(("settings", name), f"unknown setting; expected: {', '.join(SETTING_TYPES)}")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            add(("settings", name), "must be a number")
        elif expected is int and (not isinstance(value, int) or not 0 <= value <= 1000):
            add(("settings", name), "must be a whole number from 0 to 1000")
        elif name in ("threshold", "question_score") and not 0 < value <= 1:
            add(("settings", name), "must be in (0, 1]")
        elif name == "question_threshold" and not 0 <= value <= 1:
            add(("settings", name), "must be in [0, 1] (0 switches question context off)")


def _check_weight(value: Any, where: Path_, add) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        add(where, "weight must be a number in (0, 1]")


def _check_patterns(raw: Any, where: Path_, add) -> None:
    if not isinstance(raw, dict):
        add(where, "must be a mapping with lemmas, phrases, regex and/or tokens")
        return
    for kind, items in raw.items():
        here = (*where, kind)
        if kind not in PATTERN_FIELDS:
            add(here, f"unknown pattern kind; expected one of: {', '.join(sorted(PATTERN_FIELDS))}")
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            add(here, "must be a list")
            continue
        for i, item in enumerate(items):
            _check_item(kind, item, (*here, i), add)


def _check_item(kind: str, item: Any, where: Path_, add) -> None:
    value = item
    if isinstance(item, dict) and (kind != "tokens" or "value" in item):
        for name in item:
            if name not in ITEM_FIELDS:
                add(
                    (*where, name),
                    f"unknown field; expected one of: {', '.join(sorted(ITEM_FIELDS))}",
                )
        if "value" not in item:
            add(where, "a pattern given as a mapping needs a `value`")
            return
        if "weight" in item:
            _check_weight(item["weight"], (*where, "weight"), add)
        if "compound" in item and not isinstance(item["compound"], bool):
            add((*where, "compound"), "must be true or false")
        value = item["value"]
    if kind in ("lemmas", "phrases", "regex") and (not isinstance(value, str) or not value.strip()):
        add(where, "must be a non-empty text")
        return
    if kind == "lemmas" and len(value.split()) > 1:
        add(where, f"{value!r} has several words: put it under `phrases`")
    elif kind == "regex":
        from codeer.coding.safe_regex import problem

        found = problem(value)
        if found:
            add(where, found)
    elif kind == "tokens":
        if (
            not isinstance(value, list)
            or not value
            or not all(
                isinstance(t, dict) and t and all(isinstance(k, str) for k in t) for t in value
            )
        ):
            add(where, "a token pattern is a non-empty list of spaCy token mappings")
            return
        # spaCy's own schema names bad attributes ("LOWR"); imported only when needed.
        from spacy.schemas import validate_token_pattern

        for error in validate_token_pattern(value):
            add(where, f"invalid spaCy token pattern: {error}")


def _field_name(path: Path_) -> str:
    """``("codes", 3, "patterns", "lemmas", 0)`` -> ``codes[3].patterns.lemmas[0]``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(file)"
