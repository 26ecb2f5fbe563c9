"""Issue 12: a turn of over a million characters is coded, in pieces, with exact offsets;
one document that cannot be coded does not stop the others. Texts are fictional."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from codeer.coding.pieces import split_long
from tests.factories import add_document, new_project

SENTENCE = "Het vertrouwen in de school groeit. "


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .!?\n", max_size=400), st.integers(min_value=1, max_value=60))
def test_split_long_covers_the_turn_exactly_in_short_pieces(text: str, limit: int) -> None:
    pieces = list(split_long(text, 0, len(text), limit))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a < b or len(text) == 0 for a, b in pieces)
    assert all(b - a <= limit for a, b in pieces)
    assert all(prev[1] == nxt[0] for prev, nxt in itertools.pairwise(pieces))


def test_split_long_cuts_after_a_sentence_end() -> None:
    text = SENTENCE * 10
    pieces = list(split_long(text, 0, len(text), 100))
    assert all(text[a:b].endswith(". ") for a, b in pieces[:-1])


def test_a_turn_of_more_than_a_million_characters_is_coded(tmp_path: Path, cli) -> None:
    folder = tmp_path / "p"
    project = new_project(folder)
    huge = "R: " + "ja " * 400_000  # the reproduction of the issue: 1.2 million characters
    add_document(project, "lang.txt", huge, None, [("R", "respondent", 3, len(huge))])
    long_said = "R: " + SENTENCE * 4_000
    add_document(project, "zinnen.txt", long_said, None, [("R", "respondent", 3, len(long_said))])
    add_document(project, "kort.txt", "R: " + SENTENCE)
    project.close()
    result = cli("-p", folder, "code")
    assert result.exit_code == 0, result.stderr
    assert "Coded 3 documents" in result.stderr
    listed = cli("-p", folder, "segments", "--format", "csv", "--document", "zinnen.txt")
    rows = list(csv.DictReader(io.StringIO(listed.stdout)))
    units = {(int(row["start"]), int(row["end"])) for row in rows}
    assert len(units) == 4_000  # one unit per sentence, also across the pieces
    assert all(long_said[start:end] == SENTENCE.strip() for start, end in units)


def test_a_row_of_a_huge_turn_carries_a_window_of_it_as_context(tmp_path: Path, cli) -> None:
    folder = tmp_path / "p"
    project = new_project(folder)
    text = "R: " + "Zomaar wat woorden. " * 5000 + SENTENCE + "Nog meer. " * 5000
    add_document(project, "lang.txt", text, None, [("R", "respondent", 3, len(text))])
    project.close()
    assert cli("-p", folder, "code").exit_code == 0
    rows = [
        json.loads(line)
        for line in cli("-p", folder, "segments", "-f", "jsonl").stdout.splitlines()
    ]
    assert rows and all(row["text"] in row["turn"] for row in rows)
    assert all(len(row["turn"]) <= 5000 for row in rows)


def test_one_document_that_fails_does_not_block_the_others(tmp_path, cli, monkeypatch) -> None:
    """A fault while matching one document (injected here) leaves it as it was."""
    from codeer.coding import suggest

    folder = tmp_path / "p"
    project = new_project(folder)
    add_document(project, "a.txt", "R: " + SENTENCE)
    add_document(project, "kapot.txt", "R: Dit stuk is fictief en breekt. " + SENTENCE)
    add_document(project, "c.txt", "R: " + SENTENCE)
    project.close()
    real = suggest.Suggester.process

    def process(self, doc, offset=0, text=None, question=None):
        if "breekt" in (text or doc.text):
            raise ValueError("injected fault")
        return real(self, doc, offset, text, question)

    monkeypatch.setattr(suggest.Suggester, "process", process)
    result = cli("-p", folder, "code")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: kapot.txt: ValueError: injected fault - this document was not coded "
        "(it keeps what it had); the others were"
    ]
    listed = cli("-p", folder, "segments", "--format", "csv").stdout
    assert "a.txt" in listed and "c.txt" in listed and "kapot.txt" not in listed


def test_a_document_that_fails_on_a_rerun_keeps_its_suggestions(tmp_path, cli, monkeypatch):
    """'It keeps what it had': a failed document is not stored empty (which would retract
    every suggestion it had), and its units stay."""
    from codeer.coding import suggest

    folder = tmp_path / "p"
    project = new_project(folder)
    add_document(project, "kapot.txt", "R: Dit stuk is fictief en breekt. " + SENTENCE)
    add_document(project, "c.txt", "R: " + SENTENCE)
    project.close()
    assert cli("-p", folder, "code").exit_code == 0
    listing = ("-p", folder, "segments", "--status", "suggested", "--format", "csv")
    before = cli(*listing).stdout
    assert "kapot.txt" in before
    real = suggest.Suggester.process

    def process(self, doc, offset=0, text=None, question=None):
        if "breekt" in (text or doc.text):
            raise ValueError("injected fault")
        return real(self, doc, offset, text, question)

    monkeypatch.setattr(suggest.Suggester, "process", process)
    result = cli("-p", folder, "code")
    assert result.exit_code == 1 and "Error: kapot.txt: ValueError" in result.stderr
    assert cli(*listing).stdout == before
