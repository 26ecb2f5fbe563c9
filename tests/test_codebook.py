"""The codebook format: loading, validation with line and field, the shipped codebook.

All codebook content in these tests is made up for the tests.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codeer.coding.codebook import (
    check_codebook,
    default_codebook_path,
    load_codebook,
    parse_codebook,
    store_codebook,
)
from codeer.errors import CodebookError
from codeer.store.project import now
from tests.factories import new_project

REPO = Path(__file__).resolve().parent.parent

GOOD = textwrap.dedent(
    """\
    name: test
    settings:
      threshold: 0.5
    codes:
      - key: thema
        label: Thema
        definition: Een thema.
        patterns:
          lemmas: [thema, {value: onderwerp, weight: 0.3}]
      - key: sub
        label: Sub
        parent: thema
        patterns:
          phrases: [korte lijn]
          regex: ['\\bib''er\\b']
          tokens:
            - [{LOWER: warme}, {LOWER: overdracht}]
      - key: subsub
        label: Dieper
        parent: sub
        exclude:
          lemmas: [lijnbus]
    """
)

BAD = textwrap.dedent(
    """\
    name: kapot
    codes:
      - key: thema
        label: Thema
      - key: thema
        label: Nog een keer
      - key: wees
        label: Wees
        parent: bestaatniet
      - key: Hoofdletter
        label: Fout
      - key: geenlabel
      - key: regex
        label: Regex
        patterns:
          regex: ['(open']
          lemmas: [{value: x, weight: 7}]
          soorten: [a]
      - key: typo
        label: Typo
        patern: {}
    """
)


def write(tmp_path: Path, text: str, name: str = "codebook.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_codebook_loads_with_paths_weights_and_tree(tmp_path):
    book = load_codebook(write(tmp_path, GOOD))
    assert list(book.codes) == ["thema", "sub", "subsub"]
    assert book.codes["subsub"].path == ["thema", "sub", "subsub"]
    assert [(d, c.key) for d, c in book.tree()] == [(0, "thema"), (1, "sub"), (2, "subsub")]
    weights = {p.value: p.weight for p in book.codes["thema"].patterns}
    assert weights == {"thema": 0.6, "onderwerp": 0.3}
    kinds = [p.kind for p in book.codes["sub"].patterns]
    assert kinds == ["phrases", "regex", "tokens"]
    assert book.codes["subsub"].exclude[0].value == "lijnbus"
    assert book.theme("subsub") == "thema"


def test_check_reports_every_problem_with_line_and_field(tmp_path):
    problems = check_codebook(write(tmp_path, BAD))
    found = {(p.line, p.field.split(".")[-1].split(" ")[-1]) for p in problems}
    messages = " | ".join(str(p) for p in problems)
    assert (5, "key") in found, messages  # duplicate key on line 5
    assert (9, "parent") in found, messages  # unknown parent
    assert (10, "key") in found, messages  # upper case key
    assert any(p.line == 12 and "label" in p.field for p in problems), messages
    assert any(p.line == 16 and "regex" in p.field for p in problems), messages
    assert any(p.line == 17 and "weight" in p.field for p in problems), messages
    assert any(p.line == 18 and "soorten" in p.field for p in problems), messages
    assert any(p.line == 21 and "patern" in p.field for p in problems), messages
    assert len(problems) >= 8
    # The field names the code by key so it can be found in a long file.
    assert any("(wees)" in p.field for p in problems)


def test_yaml_syntax_error_names_its_line(tmp_path):
    problems = check_codebook(write(tmp_path, "codes:\n  - key: a\n    label: [unclosed\n"))
    assert len(problems) == 1
    assert problems[0].line >= 3
    assert "YAML" in problems[0].message


def test_load_refuses_a_malformed_codebook_naming_file_and_line(tmp_path):
    path = write(tmp_path, BAD)
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.where == f"{path}:5"
    assert "more problem" in info.value.message
    assert "codebook check" in info.value.hint


def test_missing_file_and_empty_file_are_codebook_errors(tmp_path):
    with pytest.raises(CodebookError):
        load_codebook(tmp_path / "nope.yaml")
    with pytest.raises(CodebookError):
        load_codebook(write(tmp_path, ""))


def test_parent_loops_are_reported(tmp_path):
    text = "codes:\n  - {key: a, label: A, parent: b}\n  - {key: b, label: B, parent: a}\n"
    problems = check_codebook(write(tmp_path, text))
    assert any("loops" in p.message for p in problems)


def test_hash_ignores_comments_but_not_content():
    a = parse_codebook(GOOD)
    b = parse_codebook("# a comment\n" + GOOD)
    c = parse_codebook(GOOD.replace("Een thema.", "Een ander thema."))
    assert a.hash == b.hash != c.hash


def test_store_codebook_is_idempotent_and_stores_paths(tmp_path):
    book = parse_codebook(GOOD, source="test.yaml")
    with new_project(tmp_path) as project:
        with project.transaction() as con:
            first = store_codebook(con, book, now())
            again = store_codebook(con, book, now())
        assert first == again
        rows = project.con.execute("SELECT key, path FROM codes ORDER BY key").fetchall()
        assert {r["key"]: r["path"] for r in rows}["subsub"] == "thema/sub/subsub"


def test_shipped_codebook_has_the_three_themes_with_sub_codes_and_context():
    book = load_codebook()
    top = [c.key for c in book.children(None)]
    assert top[:3] == ["verbinden", "vertrouwen", "verantwoordelijkheid"]
    for theme in ("verbinden", "vertrouwen", "verantwoordelijkheid"):
        assert len(book.children(theme)) >= 3, theme
    context = {c.key for c in book.children("context")}
    for key in (
        "samenwerking_school",
        "samenwerking_welzijn",
        "samenwerking_huisarts",
        "werkdruk_wachtlijsten",
        "privacy_gegevensdeling",
        "preventie",
        "opschalen_specialistisch",
        "positionering",
    ):
        assert key in context
    # Every code that is not a grouping has patterns and a definition.
    for code in book.codes.values():
        assert code.definition, code.key
        assert code.patterns or code.key == "context", code.key


def test_shipped_codebook_copies_are_identical():
    packaged = default_codebook_path()
    assert packaged.is_file()
    assert (REPO / "codebooks" / "wijkteams.yaml").read_bytes() == packaged.read_bytes()
    assert check_codebook(packaged) == []


def test_from_question_is_a_boolean_on_a_theme_only(tmp_path):
    text = textwrap.dedent(
        """\
        name: test
        codes:
          - key: thema
            label: Thema
            from_question: nee
          - key: sub
            label: Sub
            parent: thema
            from_question: false
          - key: ander
            label: Ander
            from_question: false
        """
    )
    problems = check_codebook(write(tmp_path, text))
    found = {(p.line, p.field.split(".")[-1]) for p in problems}
    assert (5, "from_question") in found  # not true/false
    assert (9, "from_question") in found  # a sub-code
    assert len(problems) == 2, problems
    good = text.replace("    from_question: nee\n", "")
    good = good.replace("    parent: thema\n    from_question: false\n", "    parent: thema\n")
    book = load_codebook(write(tmp_path, good))
    assert book.codes["thema"].from_question and not book.codes["ander"].from_question


def test_a_code_tree_deeper_than_twenty_levels_is_refused():
    from codeer.coding.codebook_check import check_data

    codes = [{"key": "c0", "label": "C0"}]
    codes += [{"key": f"c{i}", "label": f"C{i}", "parent": f"c{i - 1}"} for i in range(1, 25)]
    messages = [p.message for p in check_data({"codes": codes}, {})]
    assert messages == [
        f"'c{i}' lies more than 20 levels deep: flatten the tree" for i in range(21, 25)
    ]
