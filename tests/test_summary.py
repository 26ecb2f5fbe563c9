"""Cross-case summaries: every number equals what the stored data and the matrix say."""

from __future__ import annotations

import re

import pytest
from scipy.stats import fisher_exact
from typer.testing import CliRunner

from codeer.cli.main import app
from codeer.store.codings import select_codings
from codeer.synthesis.cluster_store import load_assignments
from codeer.synthesis.matrix import case_matrix
from codeer.synthesis.summary import summarise_project, summary_html, summary_markdown
from tests.factories import add_codebook, add_coding, add_document, new_project
from tests.test_cluster_fixtures import blank_pipeline, build_trust_project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project, _ = build_trust_project(tmp_path_factory.mktemp("summary") / "p")
    summaries = summarise_project(project, nlp=blank_pipeline())
    yield project, {s.theme: s for s in summaries}
    project.close()


def test_case_counts_equal_the_stored_assignments(built):
    project, summaries = built
    trust = summaries["vertrouwen"]
    # Derive the counts independently: stored assignments + select_codings attributes.
    gemeente = {
        row.document: row.attributes.get("gemeente", row.document)
        for row in select_codings(project.con, status="accepted")
    }
    cases_per_cluster: dict[int, set[str]] = {}
    for row in load_assignments(project.con, trust.run_id):
        cases_per_cluster.setdefault(row["cluster"], set()).add(gemeente[row["document"]])
    assert {s.number: s.n_cases for s in trust.subthemes} == {
        n: len(c) for n, c in cases_per_cluster.items()
    }
    n_documents = project.con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert trust.n_cases_total == n_documents == 13  # 12 gemeenten + 1 document without
    text = summary_markdown([trust])
    for sub in trust.subthemes:
        assert (
            f"Komt voor in {sub.n_cases} van de 13 gemeenten ({sub.n_fragments} fragmenten)" in text
        )


def test_theme_counts_equal_the_presence_matrix(built):
    project, summaries = built
    matrix = case_matrix(project, by=("gemeente",), value="presence", level="top")
    for theme, summary in summaries.items():
        assert summary.n_cases_theme == int(matrix.row_totals[theme])
        row = matrix.data.loc[theme]
        assert sorted(row[row > 0].index) == summary.theme_cases


def test_concentration_uses_fisher_and_warns_about_small_numbers(built):
    _, summaries = built
    trust = summaries["vertrouwen"]
    privacy = next(s for s in trust.subthemes if "toestemming" in s.label)
    contrast = privacy.contrasts[0]
    assert (contrast.attribute, contrast.value) == ("positionering", "buiten")
    assert (contrast.with_in_group, contrast.group_size) == (5, 5)
    assert (contrast.with_in_rest, contrast.rest_size) == (0, 8)
    table = [[5, 0], [0, 8]]
    assert contrast.p_value == pytest.approx(fisher_exact(table)[1])
    text = summary_markdown([trust])
    assert "Vaker in gemeenten met positionering ‘buiten’ (5 van de 5)" in text
    assert "Fisher, p < 0,001" in text
    assert "met N=13 gemeenten is dit indicatief, niet toetsend" in text
    english = summary_markdown([trust], "en")
    assert "Occurs in" in english and "with N=13 municipalities this is indicative" in english


def test_small_theme_text(built):
    _, summaries = built
    text = summary_markdown([summaries["verbinden"]])
    assert "Over dit thema zijn 4 fragmenten gecodeerd, afkomstig uit 4 van de 13 gemeenten" in text
    assert "te weinig fragmenten" in text and "###" not in text


def test_html_is_escaped(tmp_path):
    project = new_project(tmp_path / "h")
    add_codebook(project, [("x<y>", None)])
    text = 'R: Ouders & <script>alert("x")</script> school.'
    doc = add_document(project, "a&b.txt", text, {"gemeente": "A<B"})
    add_coding(project, doc, 3, len(text), "x<y>", status="accepted", coder="anna")
    summaries = summarise_project(project, nlp=blank_pipeline(), lang="en")
    html = summary_html(summaries, "en")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "A&lt;B, a&amp;b.txt" in html and 'id="theme-x&lt;y&gt;"' in html
    markdown = summary_markdown(summaries, "en")
    assert re.search(r"(?<!\\)<script", markdown) is None and "\\<script>" in markdown
    project.close()


def test_heading_levels_for_embedding_in_a_report(built):
    _, summaries = built
    trust = summaries["vertrouwen"]
    html = summary_html([trust], level=3, theme_heading=False)
    assert "<h2>" not in html and html.count("<h3>") == trust.k
    markdown = summary_markdown([trust], level=4, theme_heading=False)
    assert "## Thema" not in markdown and markdown.count("\n#### ") == trust.k
    default = summary_markdown([trust])
    assert default.startswith("## Thema: Vertrouwen") and default.count("\n### ") == trust.k


def test_cli_summary(built):
    project, _ = built
    runner = CliRunner()
    result = runner.invoke(
        app, ["--project", str(project.folder), "summary", "--code", "vertrouwen", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## Theme: Vertrouwen")
    assert "Quotes" not in result.stderr


def test_documents_without_the_attribute_are_one_case_as_in_the_matrix(tmp_path):
    project, _ = build_trust_project(tmp_path / "p")
    book = project.con.execute("SELECT MAX(id) FROM codebooks").fetchone()[0]
    for name in ("notitie_a.txt", "notitie_b.txt"):
        text = "R: Ouders vertrouwen ons pas als we eerlijk zeggen wat we doen."
        doc_id = add_document(project, name, text, {"ses": "hoog"})
        add_coding(project, doc_id, 3, len(text), "vertrouwen", status="accepted", coder="anna",
                   codebook_id=book)  # fmt: skip
    summaries = {s.theme: s for s in summarise_project(project, nlp=blank_pipeline())}
    matrix = case_matrix(project, by=("gemeente",), value="presence", level="top")
    trust = summaries["vertrouwen"]
    assert "(none)" in trust.theme_cases
    assert trust.n_cases_theme == int(matrix.row_totals["vertrouwen"])
    assert trust.n_cases_total == len(matrix.data.columns) == 13  # 12 gemeenten + (none)
    project.close()
