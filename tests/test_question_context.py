"""The interviewer's question as context: its theme passes on to the opening of the answer.

The interview text below is fictional; any resemblance to real people or places is chance.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from codeer.coding.codebook import default_codebook_path
from codeer.coding.suggest import code_project
from tests.factories import add_document, new_project

QUESTION = "Hoe staat het met het vertrouwen tussen jullie en de scholen?"
BACKCHANNEL = "Ja."
ANSWER_1 = "Nou, dat is per school heel verschillend. De ene directeur belt ons meteen."
ANSWER_2 = "Bij de andere moet je eerst drie keer langskomen. Het weer was trouwens mooi."


def build(folder: Path, text_parts: list[tuple[str, str, str]]):
    """A project with one document made of (label, role, text) turns."""
    project = new_project(folder)
    text, turns = "", []
    for label, role, said in text_parts:
        prefix = f"{label}: "
        start = len(text) + len(prefix)
        text += prefix + said + "\n"
        turns.append((label, role, start, start + len(said)))
    add_document(project, "fictief.txt", text, {"gemeente": "Fictiedam"}, turns)
    return project, text


def suggestions(project, text: str) -> list[tuple[str, str, float, list]]:
    rows = project.con.execute(
        "SELECT start, end, code, score, evidence FROM codings WHERE status = 'suggested'"
        " ORDER BY start, code"
    ).fetchall()
    return [(text[r[0] : r[1]], r[2], r[3], json.loads(r[4])) for r in rows]


def passed(found) -> set[str]:
    """The codes suggested through the question."""
    return {s[1] for s in found if any(r.get("via") == "question" for r in s[3])}


def test_question_theme_reaches_the_opening_sentences_of_short_answers(tmp_path):
    project, text = build(
        tmp_path / "p",
        [
            ("I", "interviewer", QUESTION),
            ("R", "respondent", ANSWER_1),
            ("I", "interviewer", BACKCHANNEL),  # a backchannel is not a new question
            ("R", "respondent", ANSWER_2),
        ],
    )
    code_project(project)
    trust = [s for s in suggestions(project, text) if s[1] == "vertrouwen"]
    assert [s[0] for s in trust] == [
        "Nou, dat is per school heel verschillend.",
        "De ene directeur belt ons meteen.",
        "Bij de andere moet je eerst drie keer langskomen.",
        "Het weer was trouwens mooi.",
    ]
    for _fragment, _code, score, evidence in trust:
        assert score == 0.5
        (record,) = evidence
        assert record["via"] == "question"
        assert record["pattern"].startswith("question: ")
        # The evidence points at the question's words in the document text.
        assert text[record["start"] : record["end"]].lower() == "vertrouwen"
    project.close()


def test_a_new_question_ends_the_context(tmp_path):
    project, text = build(
        tmp_path / "p",
        [
            ("I", "interviewer", QUESTION),
            ("R", "respondent", ANSWER_1),
            ("I", "interviewer", "En wat doen jullie in de vakantie?"),
            ("R", "respondent", ANSWER_2),
        ],
    )
    code_project(project)
    trust = [s[0] for s in suggestions(project, text) if s[1] == "vertrouwen"]
    assert trust == [
        "Nou, dat is per school heel verschillend.",
        "De ene directeur belt ons meteen.",
    ]
    project.close()


def test_own_evidence_wins_and_the_setting_switches_it_off(tmp_path):
    parts = [
        ("I", "interviewer", QUESTION),
        ("R", "respondent", "Ouders hebben weinig vertrouwen in de school. Dat blijft lastig."),
    ]
    project, text = build(tmp_path / "p", parts)
    code_project(project)
    found = suggestions(project, text)
    first = [s for s in found if s[0] == "Ouders hebben weinig vertrouwen in de school."]
    # The sentence's own trust evidence (under some trust code) is not doubled by the
    # question's: nothing in it comes via the question.
    assert first and all(r.get("via") != "question" for s in first for r in s[3])
    assert ("Dat blijft lastig.", "vertrouwen") in {(s[0], s[1]) for s in found}
    project.close()

    book = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    book["settings"]["question_threshold"] = 0
    off = tmp_path / "off.yaml"
    off.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    project, text = build(tmp_path / "q", parts)
    code_project(project, off)
    codes = {(s[0], s[1]) for s in suggestions(project, text)}
    assert ("Dat blijft lastig.", "vertrouwen") not in codes
    project.close()


def test_answers_that_say_nothing_do_not_take_the_question_theme(tmp_path):
    project, text = build(
        tmp_path / "p",
        [
            ("I", "interviewer", QUESTION),
            ("R", "respondent", "Oef. Ja, precies. Eh, dat is een lastige. Wij. Het kost tijd."),
        ],
    )
    code_project(project)
    trust = [s[0] for s in suggestions(project, text) if s[1] == "vertrouwen"]
    # Backchannels and remarks about the question stay uncoded; a short answer with
    # content ("Wij.", to a question about who) still takes the theme.
    assert trust == ["Wij.", "Het kost tijd."]


def test_sounds_and_silences_do_not_take_the_question_theme(tmp_path):
    project, text = build(
        tmp_path / "p",
        [
            ("I", "interviewer", QUESTION),
            ("R", "respondent", "Dat groeit langzaam. (gelach) Zeker. [onverstaanbaar]"),
        ],
    )
    code_project(project)
    units = [text[a:b] for a, b in project.con.execute("SELECT start, end FROM units")]
    trust = [s[0] for s in suggestions(project, text) if s[1] == "vertrouwen"]
    # The bracket opens the next unit (spaCy's sentencizer left it at the end of this one).
    assert units == ["Dat groeit langzaam.", "(gelach) Zeker.", "[onverstaanbaar]"]
    assert trust == ["Dat groeit langzaam."]


def test_a_theme_with_from_question_false_is_not_passed_on(tmp_path):
    question = "Hoe is de verbinding met de scholen, en is er vertrouwen?"
    parts = [("I", "interviewer", question), ("R", "respondent", "Dat verschilt per school.")]
    project, text = build(tmp_path / "p", parts)
    code_project(project)
    # The shipped codebook keeps verbinden out of the question context (it is said in
    # so many words when it is meant); vertrouwen is passed on.
    assert passed(suggestions(project, text)) == {"vertrouwen"}
    project.close()

    book = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    for code in book["codes"]:
        if code["key"] == "verbinden":
            code["from_question"] = True
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    project, text = build(tmp_path / "q", parts)
    code_project(project, changed)
    assert passed(suggestions(project, text)) == {"verbinden", "vertrouwen"}
    project.close()


def test_a_long_answer_takes_the_theme_in_its_opening_only(tmp_path):
    """Issue 11: a question about trust made 13 sentences of one long answer "trust"."""
    drift = [
        "Ja, goede vraag.",  # says nothing: does not count
        "Dat verschilt per school.",
        "Het gebouw is oud.",
        "De gang is lang.",
        "Er staan veel fietsen.",
        "Het plein is nieuw.",
        "De kantine is klein.",
        "Er is een moestuin.",
        "De bus stopt voor de deur.",
        "Het weer was mooi.",
        "De koffie was lauw.",
    ]
    short = ["Dat verschilt per school.", "Het gebouw is oud.", "De gang is lang.",
             "Er staan veel fietsen.", "Het plein is nieuw.", "De kantine is klein."]  # fmt: skip
    for answer, expected in ((drift, drift[1:2]), (short, short[:4])):
        project, text = build(
            tmp_path / f"p{len(answer)}",
            [("I", "interviewer", QUESTION), ("R", "respondent", " ".join(answer))],
        )
        code_project(project)
        trust = [s[0] for s in suggestions(project, text) if s[1] == "vertrouwen"]
        assert trust == expected
        project.close()
