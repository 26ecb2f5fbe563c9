"""A codebook of thousands of codes (hostile or just large) gives a readable report.

Before, a 20,000-code codebook made `codeer report` run for minutes at 16 GB: one section,
one heatmap per theme, and a dense 20,000 x 20,000 co-occurrence matrix. The text is
fictional.
"""

from __future__ import annotations

from codeer.report import write_report
from codeer.synthesis.matrix import cooccurrence_matrix
from tests.factories import add_codebook, add_coding, add_document, new_project


def big_project(folder, n_codes: int = 3000):
    project = new_project(folder)
    add_codebook(project, [(f"c{i}", None) for i in range(n_codes)])
    text = "Wij bellen de school elke week. Dat geeft vertrouwen."
    doc = add_document(project, "a.txt", text, {"gemeente": "Fictiedam"})
    add_coding(project, doc, 0, 31, "c7", status="manual", coder="anna", score=None)
    add_coding(project, doc, 32, len(text), "c9", status="manual", coder="anna", score=None)
    return project


def test_report_of_a_huge_codebook_names_empty_themes_once(tmp_path):
    project = big_project(tmp_path / "p")
    written, _ctx = write_report(project, tmp_path / "r.md")
    path = written[0]
    text = path.read_text(encoding="utf-8")
    assert text.count("### Thema:") == 2  # c7 and c9 have codings; the rest is one list
    assert "2998 thema's zonder coderingen: C0, C1, C2" in text
    assert "en 2948 andere thema's." in text
    assert "2998 rijen zonder coderingen zijn weggelaten." in text
    assert len(text) < 50_000
    project.close()


def test_cooccurrence_of_a_huge_codebook_keeps_the_codes_that_occur(tmp_path):
    project = big_project(tmp_path / "p")
    matrix = cooccurrence_matrix(project, within="document", level="top")
    assert list(matrix.data.index) == ["c7", "c9"]
    assert matrix.data.loc["c7", "c9"] == 1
    project.close()
