"""The turn parser: every label style of the import issue, and exact offsets.

All speakers and places in these snippets are fictional.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codeer.ingest.roles import assign_roles
from codeer.ingest.turns import match_label, parse_turns


def turns_of(text: str, interviewers: list[str] | None = None) -> list[tuple[str, str, str]]:
    """(speaker, role, text) per turn, checking offsets on the way."""
    raw = parse_turns(text, interviewers)
    result = []
    for turn in assign_roles(text, raw, interviewers):
        body = text[turn.start : turn.end]
        assert body == body.strip() and body
        result.append((turn.speaker, turn.role, body))
    return result


I, R = "interviewer", "respondent"  # noqa: E741 (short names keep the tables readable)


def test_name_labels():
    text = "Anouk: Hoe lang werkt u hier?\nPetra: Al zes jaar.\nAnouk: En bevalt het?\nPetra: Ja.\n"
    assert turns_of(text) == [
        ("Anouk", I, "Hoe lang werkt u hier?"),
        ("Petra", R, "Al zes jaar."),
        ("Anouk", I, "En bevalt het?"),
        ("Petra", R, "Ja."),
    ]


def test_code_labels_with_two_respondents():
    text = "I: Wie begint?\nR1: Ik wel.\nR2: En ik vul aan.\n"
    assert turns_of(text) == [
        ("I", I, "Wie begint?"),
        ("R1", R, "Ik wel."),
        ("R2", R, "En ik vul aan."),
    ]


@pytest.mark.parametrize("label", ["Interviewer", "Int", "Vraag", "Q", "Onderzoeker"])
def test_interviewer_words(label):
    text = f"{label}: Wat doet het team?\nRespondent: Veel.\n"
    assert [t[1] for t in turns_of(text)] == [I, R]


def test_geinterviewde_and_parenthetical_names():
    text = (
        "Interviewer: Vertel eens.\nGeïnterviewde: Nou, kijk.\n"
        "Mevrouw Jansen (wijkteam): Ik vul aan: de school belt ons.\n"
    )
    assert turns_of(text) == [
        ("Interviewer", I, "Vertel eens."),
        ("Geïnterviewde", R, "Nou, kijk."),
        ("Mevrouw Jansen (wijkteam)", R, "Ik vul aan: de school belt ons."),
    ]


def test_all_caps_labels():
    text = "DE VOORZITTER: Welkom allemaal.\nINTERVIEWER: Dank u.\nDE COÖRDINATOR: Graag.\n"
    assert turns_of(text) == [
        ("DE VOORZITTER", R, "Welkom allemaal."),
        ("INTERVIEWER", I, "Dank u."),
        ("DE COÖRDINATOR", R, "Graag."),
    ]


def test_bracketed_timestamps():
    text = "[00:01:23] Els: Hoe is de wijk?\n[4:54] Bram: Druk.\n(00:12:03) Els: Echt?\n"
    raw = parse_turns(text)
    assert [(t.speaker, t.timestamp) for t in raw] == [
        ("Els", 83.0),
        ("Bram", 294.0),
        ("Els", 723.0),
    ]
    assert [text[t.start : t.end] for t in raw] == ["Hoe is de wijk?", "Druk.", "Echt?"]


@pytest.mark.parametrize(
    "heading",
    ["Spreker 1 00:00:05", "00:00:05 Spreker 1", "[00:00:05] Spreker 1", "Spreker 1 [00:00:05]"],
)
def test_heading_lines_from_word_exports(heading):
    text = f"{heading}\nHoe lang bestaat het team?\n\nSpreker 2 00:00:09\nDrie jaar.\nBijna vier.\n"
    raw = parse_turns(text)
    assert [(t.speaker, t.timestamp, text[t.start : t.end]) for t in raw] == [
        ("Spreker 1", 5.0, "Hoe lang bestaat het team?"),
        ("Spreker 2", 9.0, "Drie jaar.\nBijna vier."),
    ]
    roles = [t.role for t in assign_roles(text, raw)]
    assert roles == [I, R]  # Spreker 1 only asks


def test_several_turns_on_one_line():
    text = "I: Klopt dat?\nR1: ja precies I: oké\nR1: Verder niets.\n"
    assert turns_of(text) == [
        ("I", I, "Klopt dat?"),
        ("R1", R, "ja precies"),
        ("I", I, "oké"),
        ("R1", R, "Verder niets."),
    ]


def test_hard_line_breaks_and_unlabelled_paragraphs_continue_the_speaker():
    text = "I: Hoe werkt\nhet overleg?\n\nR: We zien elkaar\nelke week.\n\nDat helpt echt.\n"
    assert turns_of(text) == [
        ("I", I, "Hoe werkt\nhet overleg?"),
        ("R", R, "We zien elkaar\nelke week.\n\nDat helpt echt."),
    ]


def test_no_labels_is_one_respondent_split_in_paragraphs():
    text = "Eerste alinea\nmet een harde breuk.\n\n\nTweede alinea.\n"
    assert turns_of(text) == [
        ("", R, "Eerste alinea\nmet een harde breuk."),
        ("", R, "Tweede alinea."),
    ]


def test_colon_sentences_are_not_labels():
    text = "I: En de school?\nR: Kijk: dat is lastig.\nDat is het punt: niemand belt.\nR: Ja.\n"
    assert turns_of(text) == [
        ("I", I, "En de school?"),
        ("R", R, "Kijk: dat is lastig.\nDat is het punt: niemand belt."),
        ("R", R, "Ja."),
    ]


def test_weak_label_used_once_is_text_but_twice_is_a_speaker():
    once = "I: Vraag?\nR: Antwoord.\nVoorbeeld: de huisarts belt.\n"
    assert len(turns_of(once)) == 2
    names = "Anna: Hoe gaat het?\nBen: Goed.\nAnna: Mooi.\n"  # names are the convention here
    assert [t[0] for t in turns_of(names)] == ["Anna", "Ben", "Anna"]
    twice = "Sanne: Hoe gaat het?\nTom: Goed.\nSanne: Mooi zo?\nTom: Ja.\n"
    assert [t[0] for t in turns_of(twice)] == ["Sanne", "Tom", "Sanne", "Tom"]


def test_preamble_before_first_label_is_a_turn_with_role_other():
    text = "Transcript gesprek 4 - gemeente Lindewaard\n\nI: Dag.\nR: Dag.\n"
    assert turns_of(text) == [
        ("", "other", "Transcript gesprek 4 - gemeente Lindewaard"),
        ("I", I, "Dag."),
        ("R", R, "Dag."),
    ]


def test_interviewer_option_overrides():
    text = "Anna: Ik vraag niets?\nBen: Wat doet u precies?\nAnna: Coördineren.\n"
    assert [t[1] for t in turns_of(text, ["Ben"])] == [R, I, R]


def test_interviewer_option_for_a_folder_leaves_other_shapes_their_interviewer():
    """One --interviewer for a folder: a document in which that label does not speak
    keeps the interviewer the usual rules find (before, everyone there responded)."""
    interview = "I: Hoe gaat het?\nR: Goed.\nI: En verder?\nR: Ook goed.\n"
    assert [t[1] for t in turns_of(interview, ["Redactie"])] == [I, R, I, R]
    magazine = "Redactie: Wat doet u?\n\nHuisarts: Ik zie kinderen.\n"
    assert [t[1] for t in turns_of(magazine)] == [I, R]  # a magazine's questioner
    roles = assign_roles(interview, parse_turns(interview), speakers={"Redactie": I})
    assert [t.role for t in roles] == [I, R, I, R]


@pytest.mark.parametrize(
    "text",
    [
        "**Interviewer:** Hoe gaat het?\n**Respondent:** Goed.\n",
        "**Int**: Hoe gaat het?\n**R1**: Goed.\n",
        "Int.: Hoe gaat het?\nResp.: Goed.\n",
        "Interviewer (I): Hoe gaat het?\nRespondent (R): Goed.\n",
    ],
)
def test_markdown_bold_abbreviated_and_explained_labels(text):
    assert [(role, body) for _, role, body in turns_of(text)] == [
        (I, "Hoe gaat het?"),
        (R, "Goed."),
    ]


def test_dash_between_speaker_and_time_in_headings():
    text = "Spreker 1 - 00:00:05\nHoe lang?\n\nSpreker 2 – 0:09\nLang.\n"
    assert [(t.speaker, t.timestamp) for t in parse_turns(text)] == [
        ("Spreker 1", 5.0),
        ("Spreker 2", 9.0),
    ]


def test_timestamp_line_gives_next_turn_its_time():
    text = "00:03:10\nI: Nog iets?\n"
    assert parse_turns(text)[0].timestamp == 190.0


def test_match_label_contract():
    assert match_label("Naam: tekst") == ("Naam", 6)
    assert match_label("Mevrouw Jansen (wijkteam): goed") == ("Mevrouw Jansen (wijkteam)", 27)
    assert match_label("dat is zo: echt") is None
    assert match_label("geen label hier") is None


pieces = st.sampled_from(
    [*list("aeiouRIJKLM :?.\n\t[]()0123456789-é'"), "I: ", "R1: ", "\n\n", "[00:01:02] ", "Jan: "]
)
transcript_like = st.lists(pieces, max_size=120).map("".join)


@settings(max_examples=300, deadline=None)
@given(transcript_like | st.text(max_size=200))
def test_parser_never_crashes_and_offsets_are_exact(text):
    raw = parse_turns(text)
    previous_end = 0
    for turn in raw:
        assert 0 <= turn.covers_from <= turn.start <= turn.end <= len(text)
        assert turn.covers_from >= previous_end
        body = text[turn.start : turn.end]
        assert body.strip() == body
        # Only a label with nothing after it makes an empty turn (the label is its text).
        assert body or (turn.head is not None and turn.head < turn.start)
        previous_end = turn.end
    assert uncovered(text, raw) == ""
    assign_roles(text, raw)


def uncovered(text: str, turns) -> str:
    """The non-blank characters of *text* that lie in no turn's [head, end)."""
    inside = bytearray(len(text))
    for turn in turns:
        inside[turn.covers_from : turn.end] = b"\x01" * (turn.end - turn.covers_from)
    return "".join(c for c, flag in zip(text, inside, strict=True) if not flag and not c.isspace())


def test_sentence_openers_before_a_colon_are_never_one_off_labels():
    """In a labelled document a paragraph may start "Met andere woorden: ..." (issue 10)."""
    openers = [
        "Met andere woorden: We kennen elkaar.",
        "Kort gezegd: Het werkt.",
        "Neem nou de school: Die belt ons meteen.",
        "Samenvattend: Korte lijnen.",
        "Conclusie: Niemand dwingt haar.",
        "Twee dingen: Tijd en geld.",
        "Het punt is: Zij weten het niet.",
    ]
    text = "Interviewer: Hoe gaat de samenwerking?\n\nCoördinator: Goed.\n\n"
    text += "\n\n".join(openers) + "\n\nInterviewer: Dank u.\n"
    turns = turns_of(text)
    assert [t[0] for t in turns] == ["Interviewer", "Coördinator", "Interviewer"]
    assert turns[1][2] == "Goed.\n\n" + "\n\n".join(openers)


def test_one_off_label_with_lower_case_in_a_densely_labelled_document():
    text = (
        "Interviewer: Hoe gaat de samenwerking?\n\nCoördinator: Goed. We bellen elke week.\n\n"
        "Huisarts: nou, dat klopt wel.\n\nInterviewer: Dank u.\n"
    )
    assert [t[0] for t in turns_of(text)] == [
        "Interviewer",
        "Coördinator",
        "Huisarts",
        "Interviewer",
    ]
    # Where most paragraphs are unlabelled prose, "Word: lower case" stays a sentence.
    prose = (
        "Interviewer: Hoe gaat het?\n\nCoördinator: Goed.\n\nWij doen veel.\n\nEcht veel.\n\n"
        "Stelregel: niemand valt buiten de boot.\n\nDat is het.\n"
    )
    assert [t[0] for t in turns_of(prose)] == ["Interviewer", "Coördinator"]


def test_no_break_spaces_in_labels_from_word():
    """Word writes "Interviewer\u00a0:" and "Mevrouw\u00a0Jansen:"; the label is plain."""
    text = (
        "Interviewer\u00a0: Hoe gaat het?\n\nMevrouw\u00a0Jansen (GGD):\u00a0Goed.\n\n"
        "Interviewer\u00a0: Dank u.\n"
    )
    assert turns_of(text) == [
        ("Interviewer", I, "Hoe gaat het?"),
        ("Mevrouw Jansen (GGD)", R, "Goed."),
        ("Interviewer", I, "Dank u."),
    ]
