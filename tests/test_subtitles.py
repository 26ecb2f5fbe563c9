"""Subtitle files (.vtt, .srt) -> turns. All names and texts are fictional."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codeer.errors import ImportFileError
from codeer.ingest.normalise import normalise
from codeer.ingest.subtitles import parse_time, read_subtitles
from codeer.ingest.turns import match_label


def spans(doc) -> list[tuple[str, str, float | None]]:
    return [(t.speaker, doc.text[t.start : t.end], t.timestamp) for t in doc.turns]


VTT = """WEBVTT - fictief gesprek
Kind: captions
Language: nl

NOTE
Dit bestand is verzonnen.

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:04.000 align:start position:10%
<v.loud Mevrouw Jansen>Goedemiddag, fijn dat u er bent.</v>

00:04.500 --> 00:00:08.000
<v Mevrouw Jansen>Zullen we <i>beginnen</i>?

3
00:00:09.250 --> 00:00:12.000
<v Respondent><b>Ja</b> &amp; graag.&nbsp;&lt;lacht&gt;
<00:00:10.000><c.geel>Tweede regel.</c>

01:00:13.000 --> 01:00:15.000
<v Respondent>Nog iets.
"""


def test_vtt_voices_tags_entities_and_merging() -> None:
    doc = read_subtitles(VTT.encode("utf-8"), "vtt", "gesprek.vtt")
    assert doc.format == "vtt"
    assert doc.text == (
        "[00:00:01] Mevrouw Jansen: Goedemiddag, fijn dat u er bent. Zullen we beginnen?\n\n"
        "[00:00:09] Respondent: Ja & graag. <lacht> Tweede regel. Nog iets."
    )
    assert spans(doc) == [
        ("Mevrouw Jansen", "Goedemiddag, fijn dat u er bent. Zullen we beginnen?", 1.0),
        ("Respondent", "Ja & graag. <lacht> Tweede regel. Nog iets.", 9.25),
    ]


def test_vtt_two_voices_in_one_cue() -> None:
    vtt = "WEBVTT\n\n00:01.000 --> 00:03.000\n<v I>Hoe gaat het?</v>\n<v R>Goed.</v>\n"
    doc = read_subtitles(vtt.encode(), "vtt", "a.vtt")
    assert spans(doc) == [("I", "Hoe gaat het?", 1.0), ("R", "Goed.", 1.0)]


def test_vtt_header_without_blank_line() -> None:
    doc = read_subtitles(b"WEBVTT\n00:01.000 --> 00:02.000\nHallo.\n", "vtt", "a.vtt")
    assert spans(doc) == [("", "Hallo.", 1.0)]


def test_vtt_requires_header() -> None:
    with pytest.raises(ImportFileError) as info:
        read_subtitles(b"00:01.000 --> 00:02.000\nHallo.\n", "vtt", "a.vtt")
    assert "WEBVTT" in info.value.message and ".srt" in info.value.hint


SRT = (
    "1\r\n00:00:01,000 --> 00:00:03,500\r\nI: Hoe gaat het met de coördinator?\r\n\r\n"
    "2\r\n00:00:04,000 --> 00:00:06,000\r\nR: Goed, \r\nmaar <i>druk</i>.\r\n\r\n"
    "3\r\n00:00:06,500 --> 00:00:08,000\r\n{\\an8}Eén ding nog.\r\n\r\n"
    "4\r\n00:00:09,000 --> 00:00:10,000\r\nI: Dank u.\r\nR: Graag gedaan.\r\n"
)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_srt_labels_and_encodings(codec: str) -> None:
    doc = read_subtitles(SRT.encode(codec), "srt", "a.srt")
    assert doc.format == "srt"
    assert doc.text == (
        "[00:00:01] I: Hoe gaat het met de coördinator?\n\n"
        "[00:00:04] R: Goed, maar druk. Eén ding nog.\n\n"
        "[00:00:09] I: Dank u.\n\n"
        "[00:00:09] R: Graag gedaan."
    )
    assert spans(doc) == [
        ("I", "Hoe gaat het met de coördinator?", 1.0),
        ("R", "Goed, maar druk. Eén ding nog.", 4.0),
        ("I", "Dank u.", 9.0),
        ("R", "Graag gedaan.", 9.0),
    ]


def test_no_speakers_gives_one_turn_with_empty_speaker() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nEerste.\n\n2\n00:00:03,000 --> 00:00:04,000\nTweede.\n"
    doc = read_subtitles(srt.encode(), "srt", "a.srt")
    assert doc.text == "[00:00:01] Eerste. Tweede."
    assert spans(doc) == [("", "Eerste. Tweede.", 1.0)]


def test_cues_before_the_first_speaker_are_a_turn_without_speaker() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\nInleiding.\n\n2\n00:00:03,000 --> 00:00:04,000\nR: Ja.\n"
    )
    doc = read_subtitles(srt.encode(), "srt", "a.srt")
    # Like a plain-text preamble: a turn of its own (role 'other' once roles are given).
    assert spans(doc) == [("", "Inleiding.", 1.0), ("R", "Ja.", 3.0)]


def test_srt_without_cue_numbers_and_dot_times() -> None:
    srt = "00:00:01.000 --> 00:00:02.000\nR: Ja.\n"
    assert spans(read_subtitles(srt.encode(), "srt", "a.srt")) == [("R", "Ja.", 1.0)]


def test_label_only_cue_gives_floor_to_the_next_cue() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\nI: Vraag?\n\n2\n00:00:03,000 --> 00:00:04,000\nR:\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nAntwoord.\n"
    )
    assert spans(read_subtitles(srt.encode(), "srt", "a.srt")) == [
        ("I", "Vraag?", 1.0),
        ("R", "Antwoord.", 5.0),
    ]


def test_bad_cue_time_names_line() -> None:
    srt = "1\n00:01:00,000 --> 00:01:02,000\nhoi\n\n2\n00:01:x2 --> 00:01:05,000\nda\n"
    with pytest.raises(ImportFileError) as info:
        read_subtitles(srt.encode(), "srt", "a.srt")
    assert info.value.message == "line 6: cannot read the cue time '00:01:x2 --> 00:01:05,000'"
    assert info.value.where == "a.srt"
    assert "00:01:02,500 --> 00:01:05,000" in info.value.hint


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("1\n00:00:01,000 -> 00:00:02,000\nhoi\n", 2),  # wrong arrow
        ("1\n00:00:01,000 --> 00:00:61,000\nhoi\n", 2),  # 61 seconds
        ("1\n00:00:01,000 --> \nhoi\n", 2),  # no end
    ],
)
def test_srt_bad_time_lines(text: str, line: int) -> None:
    with pytest.raises(ImportFileError, match=f"line {line}: cannot read the cue time"):
        read_subtitles(text.encode(), "srt", "a.srt")


def test_srt_blank_line_inside_cue() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nhoi\n\nlosse regel\n"
    with pytest.raises(ImportFileError, match="line 5: expected a cue number") as info:
        read_subtitles(srt.encode(), "srt", "a.srt")
    assert "empty line" in info.value.hint


def test_vtt_bad_time_and_missing_time() -> None:
    with pytest.raises(ImportFileError, match="line 3: cannot read the cue time"):
        read_subtitles(b"WEBVTT\n\n00:01.x00 --> 00:02.000\nhoi\n", "vtt", "a.vtt")
    with pytest.raises(ImportFileError, match="line 3: expected a cue time"):
        read_subtitles(b"WEBVTT\n\nzomaar tekst\n", "vtt", "a.vtt")


def test_no_cue_text() -> None:
    with pytest.raises(ImportFileError, match="no cue text"):
        read_subtitles(b"WEBVTT\n\n00:01.000 --> 00:02.000\n<i></i>\n", "vtt", "a.vtt")
    with pytest.raises(ImportFileError, match="empty"):
        read_subtitles(b"", "srt", "a.srt")


def test_parse_time() -> None:
    assert parse_time("00:01:02,500") == 62.5
    assert parse_time("01:02.5") == 62.5
    assert parse_time("1:00:00.000") == 3600.0
    assert parse_time("00:01:x2") is None
    assert parse_time("00:60:00") is None


# --- properties ------------------------------------------------------------------------------

_WORDS = st.text(
    alphabet=st.characters(
        exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="<>&{}\ufeff"
    ),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "" and "-->" not in s and match_label(s.strip()) is None)
_NAMES = st.sampled_from(["Interviewer", "Respondent", "Mevrouw de Vries", "R1", "Jan"])


def _stamp(seconds: int, sep: str) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}{sep}000"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), _NAMES), _WORDS), min_size=1, max_size=8))
def test_property_voice_cues_spans_are_exact(cues: list[tuple[str | None, str]]) -> None:
    lines = ["WEBVTT", ""]
    for i, (speaker, words) in enumerate(cues):
        voice = f"<v {speaker}>" if speaker else ""
        lines += [f"{_stamp(i, '.')} --> {_stamp(i + 1, '.')}", voice + words, ""]
    doc = read_subtitles("\n".join(lines).encode("utf-8"), "vtt", "h.vtt")
    assert normalise(doc.text) == doc.text
    # Expected turns: consecutive cues of one speaker (None = previous speaker) merged;
    # unnamed cues before the first named speaker are a turn without a speaker.
    expected: list[tuple[str, str]] = []
    current = ""
    for speaker, words in cues:
        current = speaker or current
        cleaned = " ".join(normalise(words).split())
        if expected and expected[-1][0] == current:
            expected[-1] = (current, expected[-1][1] + " " + cleaned)
        else:
            expected.append((current, cleaned))
    assert [(t.speaker, doc.text[t.start : t.end]) for t in doc.turns] == expected
    previous_end = 0
    for turn in doc.turns:
        assert previous_end <= turn.covers_from <= turn.start <= turn.end
        previous_end = turn.end
    covered = "".join(doc.text[t.covers_from : t.end] for t in doc.turns)
    assert "".join(covered.split()) == "".join(doc.text.split())  # nothing outside a turn


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["vtt", "srt"]))
def test_property_never_crashes(text: str, fmt: str) -> None:
    data = (("WEBVTT\n\n" if fmt == "vtt" else "") + text).encode("utf-8")
    try:
        doc = read_subtitles(data, fmt, "h." + fmt)
    except ImportFileError:
        return
    assert normalise(doc.text) == doc.text
    for turn in doc.turns:
        assert doc.text[turn.start : turn.end].strip() == doc.text[turn.start : turn.end]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.lists(_WORDS, min_size=1, max_size=3)),
        min_size=1,
        max_size=6,
    )
)
def test_property_srt_spans(cues: list[tuple[int, list[str]]]) -> None:
    blocks = [
        f"{i}\n{_stamp(start, ',')} --> {_stamp(start + 1, ',')}\n" + "\n".join(lines)
        for i, (start, lines) in enumerate(cues, start=1)
    ]
    doc = read_subtitles("\n\n".join(blocks).encode("utf-8"), "srt", "h.srt")
    assert normalise(doc.text) == doc.text
    assert doc.turns
    for turn in doc.turns:
        content = doc.text[turn.start : turn.end]
        assert content and content == content.strip()
        assert doc.text[: turn.start].endswith(": " if turn.speaker else "] ")
