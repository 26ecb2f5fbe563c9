"""Issue 12: no codebook (or front matter) can hang, crash or exhaust codeer.

YAML aliases, complex keys, deep nesting and impossible values are problems with a line
and field; a regex that backtracks catastrophically is flagged by `codebook check`, and
one that slips through stops `code` after a time limit with one clear line. A fuzz test
throws random YAML at the loader: a CodebookError of one line, or a codebook, nothing else.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codeer.coding import safe_regex
from codeer.coding.codebook import Pattern, parse_codebook
from codeer.errors import CodebookError, CodeerError, ImportFileError
from codeer.ingest.normalise import split_front_matter
from tests.factories import add_document, new_project

ONE_CODE = "codes:\n  - key: vertrouwen\n    label: Vertrouwen\n"
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else 'x, x, x, x, x, x, x, x, x'}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def problem_of(text: str) -> str:
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text, source="cb.yaml")
    line = caught.value.one_line()
    assert "\n" not in line
    return line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("? [x, y]\n: 1\n" + ONE_CODE, "cb.yaml:1: (file): a key must be plain text"),
        ("x: &a [*a]\n" + ONE_CODE, "cb.yaml:1: x[0]: aliases (*name) are not supported"),
        (BOMB + "codes: [*i]\n", "cb.yaml:2: b[0]: aliases (*name) are not supported"),
        ("codes: " + "[" * 200 + "]" * 200 + "\n", "nested more than 32 levels deep"),
        ("codes: " + "[" * 5000 + "]" * 5000 + "\n", "not valid YAML"),
        (
            ONE_CODE + "    notes: 2024-02-31\n",
            "cb.yaml:4: codes[0].notes: not a valid value: day is out",
        ),
        (ONE_CODE + "    notes: !!binary 'x'\n", "cb.yaml:4: codes[0].notes: not a valid value"),
        (ONE_CODE + "    notes: !!python/object:os.system x\n", "could not determine"),
        ("settings:\n  phrase_gap: 100000000\n" + ONE_CODE, "from 0 to 1000"),
    ],
)
def test_hostile_yaml_is_a_problem_with_line_and_field(text: str, expected: str) -> None:
    started = time.monotonic()
    assert expected in problem_of(text)
    assert time.monotonic() - started < 5


def test_a_valid_date_in_notes_still_loads() -> None:
    book = parse_codebook(ONE_CODE + "    notes: 2024-02-11\n")
    assert list(book.codes) == ["vertrouwen"]


REGEX = ONE_CODE + "    patterns:\n      regex: ['{}']\n"


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)+$", r"(\w+\s?)+$", "(x+x+)+y"])
def test_codebook_check_flags_catastrophic_regex_with_line_and_field(pattern, cli, tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(REGEX.format(pattern), encoding="utf-8")
    result = cli("codebook", "check", path)
    assert result.exit_code == 1
    assert "cb.yaml:5: codes[0] (vertrouwen).patterns.regex[0]: this regular expression " in (
        result.stdout
    )
    assert "backtracks catastrophically" in result.stdout + result.stderr


@pytest.mark.parametrize("pattern", [r"\bvertrouw\w*", r"korte\s+lijn(tje)?s?", r"(\d+,)+$"])
def test_ordinary_regexes_pass(pattern: str) -> None:
    assert safe_regex.problem(pattern) is None
    parse_codebook(REGEX.format(pattern))


def test_code_with_a_catastrophic_regex_stops_before_coding(tmp_path, cli) -> None:
    folder = tmp_path / "p"
    project = new_project(folder)
    add_document(project, "fictief.txt", "R: " + "a" * 34 + "!")
    project.close()
    path = tmp_path / "cb.yaml"
    path.write_text(REGEX.format("(a+)+$"), encoding="utf-8")
    started = time.monotonic()
    result = cli("-p", folder, "code", "--codebook", path)
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    assert "regex[0]" in result.stderr and time.monotonic() - started < 10


def test_a_regex_that_runs_out_of_time_while_coding_is_one_error(tmp_path, monkeypatch):
    """A pattern the probe cannot catch still stops after MATCH_TIMEOUT, naming itself."""
    from codeer.coding.suggest import code_project

    monkeypatch.setattr(safe_regex, "MATCH_TIMEOUT", 0.2)
    book = parse_codebook(REGEX.format("vertrouwen"), source="cb.yaml")
    # Put in, after validation, the kind of pattern a smarter attack would find.
    book.codes["vertrouwen"].patterns = [Pattern("regex", "(a+)+$", 0.8)]
    project = new_project(tmp_path / "p")
    add_document(project, "fictief.txt", "R: " + "a" * 5000 + "!")
    started = time.monotonic()
    with pytest.raises(CodebookError) as caught:
        code_project(project, book)
    assert time.monotonic() - started < 10
    assert "the regex '(a+)+$' took more than" in caught.value.one_line()
    assert caught.value.where == "cb.yaml:2"
    assert project.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    project.close()


@pytest.mark.parametrize(
    "block",
    ["x: " + "[" * 5000 + "]" * 5000, "x: &a [*a]", "? [x, y]\n: 1", BOMB],
)
def test_front_matter_refuses_hostile_yaml_in_one_line(block: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        split_front_matter(f"---\n{block}\n---\nR: Fictief.\n", "fictief.md")
    assert "\n" not in caught.value.one_line()


# --- fuzz ---------------------------------------------------------------------------------

_scalars = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["~", "yes", "2024-02-31", "0x1F", ".nan", "-.inf", "!!binary x", "*a"]),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
)
_keys = st.sampled_from(
    ["codes", "key", "label", "parent", "patterns", "exclude", "regex", "lemmas", "phrases",
     "tokens", "weight", "settings", "threshold", "value", "compound", "from_question", "x"]
)  # fmt: skip
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=20,
)


def _yaml(value) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True)


def assert_codeer_error_or_codebook(text: str) -> None:
    try:
        parse_codebook(text, source="fuzz.yaml")
    except CodeerError as exc:
        assert "\n" not in exc.one_line()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_keys, _values, max_size=5))
def test_fuzz_structured_codebooks(data) -> None:
    assert_codeer_error_or_codebook(_yaml(data))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "codes:",
                "\n",
                "  - ",
                "key: a",
                "label: b",
                "? ",
                ": ",
                "&x ",
                "*x",
                "[",
                "]",
                "{",
                "}",
                ",",
                "!!str ",
                "!!map ",
                "\t",
                "'",
                '"',
                "#",
                "---",
                "...",
                "|",
                ">",
                "patterns:",
                "regex: ",
                "(a+)+$",
                "weight: 2",
                "é",
                "\x00",
                "\ufeff",
                "%YAML 1.1",
            ]
        ),
        max_size=30,
    )
)
def test_fuzz_yaml_fragments(parts) -> None:
    assert_codeer_error_or_codebook("".join(parts))


def test_fuzz_a_real_codebook_mutated() -> None:
    """Every single-line deletion of the shipped codebook: an error or a codebook."""
    from codeer.coding.codebook import default_codebook_path

    lines = Path(default_codebook_path()).read_text("utf-8").splitlines(keepends=True)
    for i in range(0, len(lines), max(1, len(lines) // 60)):
        assert_codeer_error_or_codebook("".join(lines[:i] + lines[i + 1 :]))
