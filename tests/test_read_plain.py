"""`codeer read --plain` through the real CLI: one command per line, every step stored.

The interviews are fictional; names of people and places are made up.
"""

from __future__ import annotations

from pathlib import Path

from codeer.review.document_plain import PROMPT
from tests.test_review_support import build, rows

HEAD = "[{n}/4] R (respondent), turn 2 · read {read}/4"


def test_plain_session_exact_output(tmp_path: Path, cli) -> None:
    folder, _ = build(tmp_path, documents=1)
    commands = "j\nc korte\nc nope\nv\nj 2\nc werkdruk\nm let op\nx\nu\ng 9\nzz\nq\n"
    result = cli("-p", folder, "read", "interview-00", "--coder", "anna", "--plain",
                 input=commands)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    s2 = "  We hebben korte lijntjes met de intern begeleider."
    s4 = "  De werkdruk is hoog en de wachtlijst groeit."
    expected = [
        "Reading interview-00.txt as anna. Type ? for help.",
        "[1/4] I (interviewer), turn 1 · read 1/4",
        "  Hoe werken jullie samen met de scholen in de wijk?",
        PROMPT + HEAD.format(n=2, read=2),
        s2,
        "  Codes: verbinden: suggested 0.90",
        PROMPT + "Coded this sentence as korte_lijnen.",
        HEAD.format(n=2, read=2),
        s2,
        "  Codes: verbinden: suggested 0.90; korte_lijnen: manual",
        PROMPT + "No code matches 'nope'.",
        HEAD.format(n=2, read=2),
        s2,
        "  Codes: verbinden: suggested 0.90; korte_lijnen: manual",
        PROMPT + "Span started here: move, then c codes from here to the cursor (v again clears).",
        HEAD.format(n=2, read=2) + " · in marked span",
        s2,
        "  Codes: verbinden: suggested 0.90; korte_lijnen: manual",
        PROMPT + HEAD.format(n=4, read=3) + " · in marked span",
        s4,
        "  Codes: werkdruk: suggested 0.70",
        PROMPT + "Coded 3 sentences as werkdruk.",
        HEAD.format(n=4, read=3),
        s4,
        "  Codes: werkdruk: suggested 0.70; werkdruk: manual",
        PROMPT + "Memo stored on your coding werkdruk.",
        HEAD.format(n=4, read=3),
        s4,
        "  Codes: werkdruk: suggested 0.70; werkdruk: manual +memo",
        "  Memo: let op",
        PROMPT + "Rejected werkdruk.",
        HEAD.format(n=4, read=3),
        s4,
        "  Codes: werkdruk: rejected; werkdruk: manual +memo",
        "  Memo: let op",
        PROMPT + "Undid reject of werkdruk.",
        HEAD.format(n=4, read=3),
        s4,
        "  Codes: werkdruk: suggested 0.70; werkdruk: manual +memo",
        "  Memo: let op",
        PROMPT + "No sentence 9: this document has 1 to 4.",
        PROMPT + "Unknown command 'zz'; type ? for help.",
        PROMPT + "Stopped: 3 of 4 sentences of interview-00.txt read by anna.",
    ]
    assert result.stdout.splitlines() == expected
    got = rows(folder, "SELECT code, status, start, end FROM codings WHERE coder = 'anna'")
    assert [tuple(r) for r in got] == [
        ("korte_lijnen", "manual", 57, 107),
        ("werkdruk", "manual", 57, 208),
    ]
    assert (
        rows(folder, "SELECT memo FROM codings WHERE code = 'werkdruk' AND coder = 'anna'")[0][
            "memo"
        ]
        == "let op"
    )


def test_plain_is_chosen_without_a_terminal_and_end_of_input_quits(tmp_path: Path, cli) -> None:
    folder, _ = build(tmp_path, documents=1)
    result = cli("-p", folder, "read", "interview-00", "--coder", "anna", input="\n\n")
    assert result.exit_code == 0
    assert "Not a terminal: reading in plain line mode (--plain)." in result.stderr
    assert (
        result.stdout.splitlines()[-1]
        == "Stopped: 3 of 4 sentences of interview-00.txt read by anna."
    )


def test_read_errors(tmp_path: Path, cli) -> None:
    folder, _ = build(tmp_path, documents=1)
    missing = cli("-p", folder, "read", "nergens", "--plain", input="q\n")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: no document named 'nergens'")
    machine = cli("-p", folder, "read", "interview-00", "--coder", "codeer", "--plain")
    assert machine.exit_code == 1 and "machine coder" in machine.stderr


def test_transcript_escape_sequences_are_shown_not_sent(tmp_path: Path, cli) -> None:
    from tests.factories import add_document, new_project

    text = "Een zin met \x1b[31mrood\x1b[0m erin."
    with new_project(tmp_path / "p") as project:
        add_document(project, "e.txt", text)
    result = cli("-p", tmp_path / "p", "read", "e", "--plain", input="q\n")
    assert "\x1b" not in result.stdout
    assert "  Een zin met \\x1b[31mrood\\x1b[0m erin." in result.stdout.splitlines()
