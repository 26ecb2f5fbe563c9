"""The metadata block above a transcript is text of the preamble, not turns.

People, places and dates here are fictional.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from codeer.ingest.header import header_block
from codeer.ingest.turns import parse_turns, rejected_labels

EXPORT = """\
Transcript interview wijkteam (fictief)
Datum: 12 maart 2026
Duur: 00:48:12
Interviewer: Anna de Vries
Respondent: Kees Bakker
Locatie: buurthuis De Klimop, Stoppelwijk

[00:00:05] Interviewer: Fijn dat je tijd hebt. Kun je vertellen wat je doet?
[00:00:12] Respondent: Ik ben coördinator van het wijkteam.
"""


def turns(text: str, known: list[str] | None = None) -> list[tuple[str, str]]:
    return [(t.speaker, text[t.start : t.end]) for t in parse_turns(text, known)]


def test_transcription_export_header_is_one_preamble_turn():
    assert turns(EXPORT) == [
        ("", EXPORT[: EXPORT.index("\n\n")]),
        ("Interviewer", "Fijn dat je tijd hebt. Kun je vertellen wat je doet?"),
        ("Respondent", "Ik ben coördinator van het wijkteam."),
    ]
    assert [(r.line, r.label, r.reason) for r in rejected_labels(EXPORT)] == [
        (2, "Datum", "in the header block at the top"),
        (3, "Duur", "in the header block at the top"),
        (4, "Interviewer", "in the header block at the top"),
        (5, "Respondent", "in the header block at the top"),
        (6, "Locatie", "in the header block at the top"),
    ]


def test_header_without_title_line_and_with_word_export_spacing():
    text = "Datum: 3 april 2026\nInterviewer: Bram\n\nInterviewer: Hoe gaat het?\n\nBram: Goed."
    assert turns(text) == [
        ("", "Datum: 3 april 2026\nInterviewer: Bram"),
        ("Interviewer", "Hoe gaat het?"),
        ("Bram", "Goed."),
    ]


def test_header_after_a_title_paragraph():
    text = "# Fictief interview\n\nDatum: 1 mei\nInterviewer: Anna\n\nInterviewer: Hoe gaat het?"
    assert turns(text) == [
        ("", "# Fictief interview\n\nDatum: 1 mei\nInterviewer: Anna"),
        ("Interviewer", "Hoe gaat het?"),
    ]
    # ... but not after talk has begun.
    text = "I: Hallo daar.\n\nDatum: 1 mei\nInterviewer: Anna\n\nI: Hoe gaat het?\nR: Goed."
    assert [s for s, _t in turns(text)] == ["I", "Interviewer", "I", "R"]


def test_talk_in_the_first_paragraph_is_not_a_header():
    # A sentence after a label, or a speaker twice: that is talk, even under a date line.
    text = "Datum: 3 april 2026\nI: Hoe gaat het?\nR: Goed.\n\nI: Mooi.\nR: Ja."
    assert [s for s, _t in turns(text)] == ["", "I", "R", "I", "R"]
    text = "Datum: 3 april\nI: hoe gaat het\nR: goed\nI: mooi\n\nR: ja"
    assert [s for s, _t in turns(text)] == ["", "I", "R", "I", "R"]


def test_no_header_word_no_header():
    # Without Datum, Duur, Locatie ... two label lines are talk as before.
    text = "Interviewer: Anna\nRespondent: Kees\n\nInterviewer: Hoe gaat het?\nRespondent: Goed."
    assert [s for s, _t in turns(text)] == ["Interviewer", "Respondent"] * 2


def test_a_label_the_caller_names_stays_a_label_in_the_header():
    text = "Datum: 3 april 2026\nMoeder: dit is wat ik wil zeggen\n\nMoeder: Nog meer."
    assert turns(text, ["Moeder"]) == [
        ("", "Datum: 3 april 2026"),
        ("Moeder", "dit is wat ik wil zeggen"),
        ("Moeder", "Nog meer."),
    ]


def test_imported_export_codes_nothing_in_the_header(tmp_path: Path, cli):
    source = tmp_path / "export.txt"
    source.write_text(EXPORT, encoding="utf-8")
    folder = tmp_path / "p"
    assert cli("-p", folder, "init").exit_code == 0
    assert cli("-p", folder, "import", source).exit_code == 0
    speakers = cli("-p", folder, "speakers", "--format", "csv")
    assert speakers.stdout.splitlines()[1:] == [
        "export.txt,,other,1,",
        "export.txt,Interviewer,interviewer,1,",
        "export.txt,Respondent,respondent,1,",
    ]


lines = st.lists(
    st.sampled_from(
        ["Datum: 1 mei", "Interviewer: Anna", "R: Ja.", "I: Wat?", "Titel", "", "Duur: 5 min"]
    ),
    max_size=12,
)


@given(lines)
def test_header_lines_are_one_leading_paragraph_of_the_preamble(picked):
    text = "\n".join(picked)
    header = [r.line for r in rejected_labels(text) if r.reason.startswith("in the header")]
    if not header:
        return
    # 1-based line numbers: one paragraph (no blank line between), with text after it.
    lines = range(header[0] - 1, header[-1])
    assert all(picked[i].strip() for i in lines)
    assert any(line.strip() for line in picked[header[-1] :])
    # At most one paragraph before it, and the preamble turn covers both.
    before = "\n".join(picked[: header[0] - 1]).strip()
    assert "\n\n" not in before
    preamble = parse_turns(text)[0]
    ends = sum(len(line) + 1 for line in picked[: header[-1]]) - 1
    assert preamble.speaker == "" and preamble.end >= ends
    assert text[: preamble.start].strip() == ""


def test_header_block_function_edges():
    assert header_block([], []) == range(0)
    assert header_block(["Datum: 1 mei", "Duur: 5"], [False, False]) == range(0)  # no talk
    assert header_block(["", "Datum: 1 mei", "Duur: 5", "", "x"], [False] * 5) == range(1, 3)
    assert header_block(["Titel", "", "Datum: 1", "Duur: 5", "", "x"], [False] * 6) == range(2, 4)
    assert header_block(
        ["Titel", "", "Titel 2", "", "Datum: 1", "Duur: 5", "", "x"], [False] * 8
    ) == range(0)
    long = "Datum: " + "x" * 80
    assert header_block([long, "Duur: 5", "", "x"], [False] * 4) == range(0)
