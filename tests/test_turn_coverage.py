"""No text outside a turn (issue 10): every non-blank character of every stored text lies
in some turn's span or in its label, for every transcript this project ships or tests
with. Generated transcripts are covered by the property tests in test_turns.py and
test_subtitles.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from codeer.ingest.importer import import_paths
from codeer.store.project import Project
from tests.test_realshapes import uncovered

REPO = Path(__file__).resolve().parent.parent
FOLDERS = [
    REPO / "transcripts",
    *sorted(REPO.glob("tests/heldout*")),
    REPO / "tests/realshapes",
    REPO / "tests/realtalk_dev",
]


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_turns_cover_every_character(tmp_path, folder):
    with Project.init(tmp_path / "p") as project:
        report = import_paths(project, [folder])
        assert report.count("failed") == 0, [o.error for o in report.outcomes if o.error]
        assert report.count("imported") >= 1
        assert uncovered(project) == ""
        # Turns are in order and never overlap, labels included.
        for doc in project.con.execute("SELECT id FROM documents"):
            spans = project.con.execute(
                "SELECT COALESCE(MIN(head, start), start), start, end FROM turns"
                " WHERE document_id = ? ORDER BY idx",
                (doc[0],),
            ).fetchall()
            previous = 0
            for head, start, end in spans:
                assert previous <= head <= start <= end
                previous = end


def test_realtalk_dev_shapes_find_their_questioner(tmp_path: Path, cli):
    """Six shapes of real material imported together with no flags: each document's
    questioner is the interviewer, and the transcription export's header is no turn."""
    folder = tmp_path / "p"
    assert cli("-p", folder, "init").exit_code == 0
    assert cli("-p", folder, "import", REPO / "tests/realtalk_dev").exit_code == 0
    rows = cli("-p", folder, "speakers", "--format", "csv").stdout.splitlines()[1:]
    asking = sorted(r.split(",")[:2] for r in rows if r.split(",")[2] == "interviewer")
    assert asking == [
        ["borgerwaarde_raadsdebat.txt", "De voorzitter"],
        ["focusgroep_zevenbuur.txt", "Gespreksleider"],
        ["koudenbroek_wijkteam.txt", "I"],
        ["ravelsdonk_jeugdteam.txt", "I"],
        ["vakblad_heukelrode.txt", "Redactie"],
        ["wiltersveen_cjg_export.txt", "Interviewer"],
    ]
    export = [r for r in rows if r.startswith("wiltersveen_cjg_export.txt,Interviewer,")]
    assert export == ["wiltersveen_cjg_export.txt,Interviewer,interviewer,16,"]
