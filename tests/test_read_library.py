"""The document view's library: sentences, marks, reads, coding, memos and undo.

No Textual here: the model and the session are what both views use. The interviews are
fictional; people and places are made up.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codeer.review.decisions import ReviewError
from codeer.review.document_session import DocumentSession
from codeer.review.document_text import load_sentences, split_sentences, turn_sentences
from codeer.review.manual import ManualError
from codeer.store.project import Project
from tests.factories import add_codebook, add_document, new_project
from tests.test_review_support import build, rows

# ---------------------------------------------------------------- the splitter


def spans_text(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_splitter_rule() -> None:
    text = "Ja. Wij doen dat bijv. de hele dag! Echt? Ja…\nNieuwe regel zonder punt\n\n  Slot."
    assert spans_text(text) == [
        "Ja.",
        "Wij doen dat bijv. de hele dag!",
        "Echt?",
        "Ja…",
        "Nieuwe regel zonder punt",
        "Slot.",
    ]
    assert spans_text('Hij zei: "Klaar." Daarna niets.') == ['Hij zei: "Klaar."', "Daarna niets."]
    assert split_sentences("   \n  ") == []
    # A title before a name does not end the sentence; a sentence ending in one does.
    text = "Ik sprak Dhr. Jansen. Mevr. De Vries en dr. Bakker ook. Daarna St. Anna. Klaar."
    assert spans_text(text) == [
        "Ik sprak Dhr. Jansen.",
        "Mevr. De Vries en dr. Bakker ook.",
        "Daarna St. Anna.",
        "Klaar.",
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab A.!?…\n\t'\")"), max_size=80), st.data())
def test_splitter_covers_every_visible_character_once(text: str, data) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    spans = split_sentences(text, start, end)
    assert spans == split_sentences(text, start, end)  # deterministic
    covered = [False] * len(text)
    prev_end = start
    for s, e in spans:
        assert prev_end <= s < e <= end
        assert not text[s].isspace() and not text[e - 1].isspace()
        for i in range(s, e):
            covered[i] = True
        prev_end = e
    for i in range(start, end):
        assert covered[i] or text[i].isspace()


def test_turn_with_units_fills_the_gaps_with_the_splitter() -> None:
    text = "Eerst iets. Dan de unit. En daarna nog wat."
    unit = (text.index("Dan"), text.index("En") - 1)
    got = turn_sentences(text, 0, len(text), [unit])
    assert [(text[s:e], u) for s, e, u in got] == [
        ("Eerst iets.", False),
        ("Dan de unit.", True),
        ("En daarna nog wat.", False),
    ]


def test_sentences_of_all_roles_including_other(tmp_path: Path) -> None:
    text = "Verteller: intro hier. Nog een.\nI: Vraag? R: Antwoord een. Antwoord twee."
    project = new_project(tmp_path / "p")
    turns = [
        ("Verteller", "other", 11, 31),
        ("I", "interviewer", 35, 41),
        ("R", "respondent", 45, len(text)),
    ]
    doc = add_document(project, "a.txt", text, turns=turns)
    model = load_sentences(project.con, doc)
    assert [text[s.start : s.end] for s in model.sentences] == [
        "intro hier.",
        "Nog een.",
        "Vraag?",
        "Antwoord een.",
        "Antwoord twee.",
    ]
    assert [t.count for t in model.turns] == [2, 1, 2]
    assert len(model.respondent_spans()) == 2


# ---------------------------------------------------------------- the session


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return build(tmp_path, documents=2)[0]


def session(folder: Path, coder: str = "anna", doc: str = "interview-00") -> DocumentSession:
    return DocumentSession(Project.open(folder), doc, coder)


def test_open_shows_suggestions_and_marks_first_sentence_read(folder: Path) -> None:
    s = session(folder)
    assert len(s.model) == 4  # the question and the three respondent units
    assert s.cursor == 0
    assert [m.label() for m in s.model.marks_on(1)] == ["verbinden: suggested 0.90"]
    assert rows(folder, "SELECT start, end, coder FROM reads")[0]["coder"] == "anna"
    s.move(1)
    s.move(1)
    assert s.model.read_count() == (3, 4)
    again = session(folder)
    assert again.cursor == 3  # resumes at the first sentence not read yet


def test_code_sentence_span_and_turn_store_manual_rows(folder: Path) -> None:
    s = session(folder)
    s.goto(1)
    assert s.code("werkdruk") == "Coded this sentence as werkdruk."
    s.toggle_mark()
    s.move(2)
    assert s.code("vertrouwen") == "Coded 3 sentences as vertrouwen."
    assert s.anchor is None
    assert "whole turn" in s.code_turn("verbinden")
    assert "nothing stored" in s.code_turn("verbinden")  # idempotent
    got = rows(
        folder,
        "SELECT start, end, code, status, coder, suggestion_id, codebook_id FROM codings "
        "WHERE coder = 'anna' ORDER BY id",
    )
    turn = s.model.turn_of(1)
    first, last = s.model.sentences[1], s.model.sentences[3]
    assert [tuple(r) for r in got] == [
        (first.start, first.end, "werkdruk", "manual", "anna", None, 1),
        (first.start, last.end, "vertrouwen", "manual", "anna", None, 1),
        (turn.start, turn.end, "verbinden", "manual", "anna", None, 1),
    ]
    actions = [r["action"] for r in rows(folder, "SELECT action FROM events ORDER BY id")]
    assert actions == ["review.code"] * 3
    assert [m.label() for m in s.model.marks_on(1)][-1] == "verbinden: manual"


def test_accept_reject_in_place_and_undo(folder: Path) -> None:
    s = session(folder)
    s.goto(1)
    assert s.accept() == "Accepted verbinden."
    assert s.accept().startswith("No open suggestion")
    s.goto(2)
    assert s.reject() == "Rejected vertrouwen."
    s.goto(3)
    s.code("korte_lijnen")
    assert [m.state for m in s.model.marks_on(1)] == ["accepted"]
    assert s.undo() == "Undid coding of korte_lijnen."
    assert s.undo() == "Undid reject of vertrouwen."
    assert s.cursor == 2
    assert [m.state for m in s.model.marks_on(2)] == ["suggested"]
    assert rows(folder, "SELECT count(*) AS n FROM codings WHERE coder = 'anna'")[0]["n"] == 1


def test_memo_on_own_coding_on_suggestion_and_on_sentence(folder: Path) -> None:
    s = session(folder)
    assert s.add_memo("vraag over scholen") == "Memo stored on this sentence."
    assert s.memo() == "vraag over scholen"
    s.goto(1)
    assert s.add_memo("twijfel") == "Memo stored on the suggestion verbinden."
    s.code("werkdruk")
    assert s.add_memo("hoort bij werkdruk") == "Memo stored on your coding werkdruk."
    memo = rows(folder, "SELECT memo FROM codings WHERE coder = 'anna'")[0]["memo"]
    assert memo == "hoort bij werkdruk"
    # A new session sees all three memos again (the sentence memo through its event).
    again = session(folder)
    again.goto(0)
    assert again.memo() == "vraag over scholen"
    again.goto(1)
    assert again.memo() == "hoort bij werkdruk"
    assert again.undo() == "Undid memo of werkdruk."
    assert rows(folder, "SELECT memo FROM codings WHERE coder = 'anna'")[0]["memo"] is None


def test_coders_see_only_their_own_work(folder: Path) -> None:
    anna = session(folder)
    anna.goto(1)
    anna.accept()
    anna.code("werkdruk")
    bob = session(folder, "bob")
    assert [m.label() for m in bob.model.marks_on(1)] == ["verbinden: suggested 0.90"]


def test_errors_unknown_code_machine_coder_no_codebook(folder: Path, tmp_path: Path) -> None:
    s = session(folder)
    with pytest.raises(ManualError, match="unknown code 'nope'"):
        s.code("nope")
    with pytest.raises(ReviewError, match="machine coder"):
        session(folder, "codeer")
    project = new_project(tmp_path / "empty")
    add_document(project, "x.txt", "Alleen tekst. Geen codeboek.")
    bare = DocumentSession(project, "x", "anna")
    with pytest.raises(ManualError, match=r"no codebook yet.*codeer code"):
        bare.code("werkdruk")
    add_codebook(project, [("werkdruk", None)])
    assert bare.code("werkdruk") == "Coded this sentence as werkdruk."


def test_newest_codebook_decides_which_codes_exist(folder: Path) -> None:
    with Project.open(folder) as project:
        add_codebook(project, [("nieuw", None)])
    s = session(folder)
    with pytest.raises(ManualError, match="not in the newest codebook"):
        s.code("werkdruk")
    assert s.code("nieuw") == "Coded this sentence as nieuw."
    assert rows(folder, "SELECT codebook_id FROM codings WHERE coder='anna'")[0][0] == 2


def test_learned_proposals_show_and_can_be_accepted(folder: Path) -> None:
    """Sentences proposed by `codeer learn` (coder codeer-learn) are suggestions here too."""
    s = session(folder)
    start, end = s.model.sentences[3].start, s.model.sentences[3].end
    with s.project.transaction() as con:
        con.execute(
            "INSERT INTO codings (document_id, start, end, code, status, coder, score,"
            " evidence, created_at) VALUES (?, ?, ?, 'werkdruk', 'suggested', 'codeer-learn',"
            " 0.8, '[]', '2026-01-01')",
            (s.model.document_id, start, end),
        )
    s.model.reload_marks()
    s.goto(3)
    assert "werkdruk: suggested 0.80" in [m.label() for m in s.model.marks_on(3)]
    assert s.accept() == "Accepted werkdruk."


def test_undo_of_a_step_in_another_document_says_so_and_stays_put(folder: Path) -> None:
    first = session(folder)
    first.goto(1)
    first.code("werkdruk")
    other = session(folder, doc="interview-01")
    other.goto(2)
    assert other.undo() == "Undid coding of werkdruk (in another document)."
    assert other.cursor == 2
    assert rows(folder, "SELECT count(*) AS n FROM codings WHERE coder = 'anna'")[0]["n"] == 0
