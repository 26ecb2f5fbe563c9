"""``codeer speakers``, ``speakers set``, ``--speaker`` and the metadata ``speakers`` column.

All people and places here are fictional.
"""

from __future__ import annotations

import json
from pathlib import Path

from codeer.review.decisions import decide
from codeer.store.project import Project

DEBATE = (
    "De voorzitter:\nIk open de vergadering.\n\n"
    "Mevrouw Van den Hil (VVD):\nWij hebben vertrouwen in het wijkteam. Korte lijnen werken.\n\n"
    "De voorzitter:\nDank u. Het woord is aan de wethouder.\n\n"
    "Wethouder Brandsma:\nIk deel dat vertrouwen. Wij houden de regie.\n"
)
INTERVIEW = (
    "Interviewer: Hoe werkt u samen?\n\n"
    "Coördinator: Wij hebben elke week overleg met de school. Dat geeft vertrouwen.\n\n"
    "Notitie: Het gesprek werd kort onderbroken.\n\n"
    "Interviewer: Wie neemt de regie?\n\n"
    "Coördinator: Ik houd de regie, ook na een verwijzing.\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def speaker_rows(cli, project: Path, *args: str) -> list[dict]:
    result = cli("--project", project, "speakers", "--format", "jsonl", *args)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_speakers_lists_labels_roles_and_what_was_read_as_text(cli, project, tmp_path):
    write(tmp_path / "t", "debat.txt", DEBATE)
    write(tmp_path / "t", "gesprek.txt", INTERVIEW)
    assert cli("--project", project, "import", tmp_path / "t").exit_code == 0
    rows = speaker_rows(cli, project)
    assert rows == [
        {"kind": "speaker", "document": "debat.txt", "speaker": "De voorzitter",
         "role": "interviewer", "turns": 2, "given": ""},  # the chair leads the debate
        {"kind": "speaker", "document": "debat.txt", "speaker": "Mevrouw Van den Hil (VVD)",
         "role": "respondent", "turns": 1, "given": ""},
        {"kind": "speaker", "document": "debat.txt", "speaker": "Wethouder Brandsma",
         "role": "respondent", "turns": 1, "given": ""},
        {"kind": "speaker", "document": "gesprek.txt", "speaker": "Interviewer",
         "role": "interviewer", "turns": 2, "given": ""},
        {"kind": "speaker", "document": "gesprek.txt", "speaker": "Coördinator",
         "role": "respondent", "turns": 2, "given": ""},
        {"kind": "not_a_label", "document": "gesprek.txt", "line": 5, "label": "Notitie",
         "reason": "an ordinary word or clause before a colon"},
    ]  # fmt: skip
    only = speaker_rows(cli, project, "--document", "debat")
    assert {row["document"] for row in only} == {"debat.txt"}


def test_speaker_option_and_sidecar_give_roles_exactly_as_written(cli, project, tmp_path):
    folder = tmp_path / "t"
    write(folder, "debat.txt", DEBATE)
    write(folder, "gesprek.txt", INTERVIEW)
    write(
        folder,
        "metadata.csv",
        'document,gemeente,speakers\ngesprek,Wolderveen,"Coördinator=other"\n',
    )
    result = cli("--project", project, "import", folder, "--speaker", "De voorzitter=interviewer")
    assert result.exit_code == 0, result.stderr
    rows = [r for r in speaker_rows(cli, project) if r["kind"] == "speaker"]
    roles = {(r["document"], r["speaker"]): (r["role"], r["given"]) for r in rows}
    assert roles[("debat.txt", "De voorzitter")] == ("interviewer", "import")
    assert roles[("debat.txt", "Wethouder Brandsma")] == ("respondent", "")
    assert roles[("gesprek.txt", "Coördinator")] == ("other", "import")
    with Project.open(project) as p:  # the column is not an attribute
        keys = {r[0] for r in p.con.execute("SELECT key FROM attributes")}
    assert keys == {"gemeente"}


def test_a_malformed_speaker_option_is_one_error_line(cli, project, tmp_path):
    write(tmp_path / "t", "debat.txt", DEBATE)
    result = cli("--project", project, "import", tmp_path / "t", "--speaker", "De voorzitter")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: --speaker: speaker role 'De voorzitter' is not LABEL=ROLE - write e.g. "
        "'De voorzitter=interviewer'; roles: interviewer, respondent, other"
    ]


def test_set_role_recodes_units_and_keeps_decisions(cli, project, tmp_path):
    write(tmp_path / "t", "debat.txt", DEBATE)
    assert cli("--project", project, "import", tmp_path / "t").exit_code == 0
    assert cli("--project", project, "code").exit_code == 0
    with Project.open(project) as p:
        chair = p.con.execute(
            "SELECT start, end FROM turns WHERE speaker = 'De voorzitter' ORDER BY idx"
        ).fetchall()
        units_before = p.con.execute("SELECT COUNT(*) FROM units").fetchone()[0]
        sid = p.con.execute(
            "SELECT id FROM codings WHERE status = 'suggested' ORDER BY start LIMIT 1"
        ).fetchone()[0]
        decide(p, sid, "anna", "accept")
        decision = (
            "SELECT id, start, end, code, status, suggestion_id FROM codings WHERE coder = 'anna'"
        )
        before = [tuple(r) for r in p.con.execute(decision)]
    result = cli("--project", project, "speakers", "set", "De voorzitter", "respondent")
    assert result.exit_code == 0, result.stderr
    assert "'De voorzitter' is now respondent: 2 turn(s) in 1 document(s) changed." in result.stderr
    with Project.open(project) as p:
        units_after = p.con.execute("SELECT COUNT(*) FROM units").fetchone()[0]
        in_chair = p.con.execute(
            "SELECT COUNT(*) FROM units WHERE "
            + " OR ".join(f"(start >= {a} AND end <= {b})" for a, b in chair)
        ).fetchone()[0]
        after = [tuple(r) for r in p.con.execute(decision)]
        suggestion = p.con.execute("SELECT status FROM codings WHERE id = ?", (sid,)).fetchone()
        stored = p.con.execute("SELECT document_id, speaker, role FROM speaker_roles").fetchall()
    assert units_after == units_before + 3  # the chair's three sentences are answers now
    assert in_chair == 3
    assert len(before) == 1 and after == before  # the decision is untouched
    assert suggestion[0] == "suggested"  # and so is the suggestion it decides
    assert [tuple(r) for r in stored] == [(None, "De voorzitter", "respondent")]


def test_set_role_on_text_read_as_text_segments_the_document_again(cli, project, tmp_path):
    write(tmp_path / "t", "gesprek.txt", INTERVIEW)
    assert cli("--project", project, "import", tmp_path / "t").exit_code == 0
    result = cli(
        "--project", project, "speakers", "set", "Notitie", "other", "--document", "gesprek"
    )
    assert result.exit_code == 0, result.stderr
    assert "gesprek.txt: segmented again with 'Notitie' as a speaker." in result.stderr
    rows = speaker_rows(cli, project)
    assert ("Notitie", "other", 1) in {
        (r.get("speaker"), r.get("role"), r.get("turns")) for r in rows
    }
    assert not [r for r in rows if r["kind"] == "not_a_label"]
    # A later re-import of a changed file keeps the role given for this document.
    write(tmp_path / "t", "gesprek.txt", INTERVIEW + "\nInterviewer: Dank u.\n")
    assert cli("--project", project, "import", tmp_path / "t", "--replace").exit_code == 0
    rows = speaker_rows(cli, project)
    assert ("Notitie", "other") in {(r.get("speaker"), r.get("role")) for r in rows}


def test_set_role_of_an_unknown_label_is_an_error(cli, project, tmp_path):
    write(tmp_path / "t", "gesprek.txt", INTERVIEW)
    assert cli("--project", project, "import", tmp_path / "t").exit_code == 0
    result = cli("--project", project, "speakers", "set", "Onbekend", "respondent")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no turn is labelled 'Onbekend'")


def test_csv_is_exact_and_formula_safe(cli, project, tmp_path):
    write(tmp_path / "t", "=1+1.txt", "Interviewer: Vraag?\n\nJan de Vries: Antwoord.\n")
    assert cli("--project", project, "import", tmp_path / "t").exit_code == 0
    result = cli("--project", project, "speakers", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "document,speaker,role,turns,given\n"
        "'=1+1.txt,Interviewer,interviewer,1,\n"
        "'=1+1.txt,Jan de Vries,respondent,1,\n"
    )
