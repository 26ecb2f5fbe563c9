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
FOLDERS = [REPO / "transcripts", *sorted(REPO.glob("tests/heldout*")), REPO / "tests/realshapes"]


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
