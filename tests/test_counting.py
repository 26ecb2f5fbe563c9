"""The counting rule of issue 13 in every output, and ``--coder`` for one coder's view.

Two coders (anna and bram) accept the same fragment: it counts once per code in the
matrices (count, presence, words, share), co-occurrence, the framework matrix, the
clustering, the summary and the report. ``--coder NAME`` keeps one coder's codings.
The two interviews and the municipalities Aldam and Berkum are fictional.
"""

from __future__ import annotations

import pytest

from codeer.report import write_report
from codeer.synthesis.cluster import cluster_project
from codeer.synthesis.matrix import case_matrix, cooccurrence_matrix
from codeer.synthesis.matrix_data import MatrixError
from codeer.synthesis.matrix_framework import framework_matrix
from codeer.synthesis.model import ClusterError
from codeer.synthesis.summary import summarise_project
from tests.factories import add_codebook, add_coding, add_document, new_project
from tests.test_cluster_fixtures import blank_pipeline
from tests.test_report import parse

TRUST = "Ik vertrouw de ouders echt."  # 5 words
CALL = " We bellen de school vaak."  # 5 words
TEXT = TRUST + CALL
S1 = (0, len(TRUST))
S2 = (len(TRUST) + 1, len(TEXT))


def build(folder):
    """Aldam and Berkum, one interview each, two sentences (units) each.

    vertrouwen: Aldam S1 by anna and bram (one fragment), Berkum S1 by bram only.
    verbinden: Aldam S2 by anna only (manual), Berkum S2 by anna and bram.
    """
    project = new_project(folder)
    book = add_codebook(project, [("vertrouwen", None), ("verbinden", None)])
    docs = {}
    for name, gemeente in (("aldam.txt", "Aldam"), ("berkum.txt", "Berkum")):
        doc = add_document(project, name, TEXT, {"gemeente": gemeente})
        docs[gemeente] = doc
        with project.transaction() as con:
            turn = con.execute("SELECT id FROM turns WHERE document_id = ?", (doc,)).fetchone()[0]
            for start, end in (S1, S2):
                con.execute(
                    "INSERT INTO units (document_id, turn_id, start, end) VALUES (?, ?, ?, ?)",
                    (doc, turn, start, end),
                )
    plan = [
        ("Aldam", S1, "vertrouwen", "anna", "accepted"),
        ("Aldam", S1, "vertrouwen", "bram", "accepted"),
        ("Berkum", S1, "vertrouwen", "bram", "accepted"),
        ("Aldam", S2, "verbinden", "anna", "manual"),
        ("Berkum", S2, "verbinden", "anna", "accepted"),
        ("Berkum", S2, "verbinden", "bram", "accepted"),
    ]
    for gemeente, (start, end), code, coder, status in plan:
        add_coding(project, docs[gemeente], start, end, code, status=status, coder=coder,
                   codebook_id=book)  # fmt: skip
    return project


@pytest.fixture
def project(tmp_path):
    project = build(tmp_path / "p")
    yield project
    project.close()


def cells(matrix) -> dict[str, list]:
    return {key: list(row) for key, row in matrix.data.iterrows()}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("count", {"vertrouwen": [1, 1], "verbinden": [1, 1]}),
        ("presence", {"vertrouwen": [1, 1], "verbinden": [1, 1]}),
        ("words", {"vertrouwen": [5, 5], "verbinden": [5, 5]}),
        ("share", {"vertrouwen": [50.0, 50.0], "verbinden": [50.0, 50.0]}),
    ],
)
def test_matrix_counts_a_fragment_once_whatever_the_coders(project, value, expected):
    matrix = case_matrix(project, by=("gemeente",), value=value)
    assert list(matrix.data.columns) == ["Aldam", "Berkum"]
    assert cells(matrix) == expected


@pytest.mark.parametrize(
    ("coder", "value", "expected"),
    [
        ("anna", "count", {"vertrouwen": [1, 0], "verbinden": [1, 1]}),
        ("bram", "count", {"vertrouwen": [1, 1], "verbinden": [0, 1]}),
        ("anna", "presence", {"vertrouwen": [1, 0], "verbinden": [1, 1]}),
        ("bram", "words", {"vertrouwen": [5, 5], "verbinden": [0, 5]}),
        ("anna", "share", {"vertrouwen": [50.0, 0.0], "verbinden": [50.0, 50.0]}),
    ],
)
def test_matrix_coder_view(project, coder, value, expected):
    matrix = case_matrix(project, by=("gemeente",), value=value, coder=coder)
    assert cells(matrix) == expected
    assert matrix.settings["coder"] == coder


def test_cooccurrence_counts_once_and_per_coder(project):
    per_doc = cooccurrence_matrix(project, within="document")
    assert cells(per_doc) == {"vertrouwen": [2, 2], "verbinden": [2, 2]}
    per_unit = cooccurrence_matrix(project, within="unit")
    assert cells(per_unit) == {"vertrouwen": [2, 0], "verbinden": [0, 2]}
    anna = cooccurrence_matrix(project, within="document", coder="anna")
    assert cells(anna) == {"vertrouwen": [1, 1], "verbinden": [1, 2]}


def test_framework_quotes_a_fragment_once_and_per_coder(project):
    frame = framework_matrix(project, by=("gemeente",))
    assert [len(q) for q in frame.data["vertrouwen"]] == [1, 1]
    (quote,) = frame.data.loc["Aldam", "vertrouwen"]
    assert (quote.text, quote.start, quote.end) == (TRUST, *S1)
    anna = framework_matrix(project, by=("gemeente",), coder="anna")
    assert [len(q) for q in anna.data["vertrouwen"]] == [1, 0]
    bram = framework_matrix(project, by=("gemeente",), coder="bram")
    assert [len(q) for q in bram.data["verbinden"]] == [0, 1]


def test_cluster_and_summary_count_a_fragment_once(project):
    nlp = blank_pipeline()
    clusters = {r.theme: r for r in cluster_project(project, nlp=nlp, store=False)}
    assert len(clusters["vertrouwen"].fragments) == 2  # three codings, two fragments
    assert clusters["vertrouwen"].clusters[0].size == 2
    summaries = {s.theme: s for s in summarise_project(project, nlp=nlp, store=False)}
    assert summaries["vertrouwen"].n_fragments == 2
    assert summaries["vertrouwen"].n_cases_theme == 2
    assert summaries["verbinden"].n_fragments == 2


def test_cluster_and_summary_coder_view(project):
    nlp = blank_pipeline()
    anna = {r.theme: r for r in cluster_project(project, nlp=nlp, store=False, coder="anna")}
    assert [f.document for f in anna["vertrouwen"].fragments] == ["aldam.txt"]
    assert anna["vertrouwen"].to_dict()["coder"] == "anna"
    summaries = summarise_project(project, nlp=nlp, store=False, coder="bram")
    by_theme = {s.theme: s for s in summaries}
    assert by_theme["vertrouwen"].n_fragments == 2 and by_theme["verbinden"].n_fragments == 1
    assert by_theme["verbinden"].theme_cases == ["Berkum"]


def test_report_numbers_count_once_and_per_coder(project, tmp_path):
    (path,), ctx = write_report(project, tmp_path / "r.html")
    text = "".join(parse(path).text)
    assert int(ctx.count_top.row_totals["vertrouwen"]) == 2
    assert "2 gecodeerde fragmenten; het thema komt voor in 2 van 2 cases (gemeente)." in text
    assert "van alle codeurs, elk fragment één keer per code" in text
    (path,), ctx = write_report(project, tmp_path / "anna.html", coder="anna")
    text = "".join(parse(path).text)
    assert ctx.coder == "anna" and int(ctx.count_top.row_totals["vertrouwen"]) == 1
    assert "1 gecodeerd fragment; het thema komt voor in 1 van 2 cases (gemeente)." in text
    assert "alleen codeur anna (--coder anna)" in text
    summary = ctx.extra["summaries"]["vertrouwen"]
    assert summary.coder == "anna" and summary.n_fragments == 1


def test_consensus_is_a_coder_view(project):
    doc = project.con.execute("SELECT id FROM documents WHERE name = 'berkum.txt'").fetchone()[0]
    add_coding(project, doc, *S1, "verbinden", status="manual", coder="consensus")
    matrix = case_matrix(project, by=("gemeente",), coder="consensus")
    assert cells(matrix) == {"vertrouwen": [0, 0], "verbinden": [0, 1]}


def test_unknown_coder_is_an_error_not_zeros(project):
    with pytest.raises(MatrixError, match="no codings by coder 'bob'") as caught:
        case_matrix(project, by=("gemeente",), coder="bob")
    assert "anna, bram" in caught.value.one_line()
    with pytest.raises(ClusterError, match="no codings by coder 'bob'"):
        cluster_project(project, nlp=blank_pipeline(), coder="bob")


def test_cli_coder_option(project, cli):
    folder = project.folder
    result = cli("--project", folder, "matrix", "--coder", "anna", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "code,Aldam,Berkum,Total\nvertrouwen,1,0,1\nverbinden,1,1,2\nTotal,2,1,3\n"
    )
    every = cli("--project", folder, "matrix", "-f", "csv")
    assert every.stdout == (
        "code,Aldam,Berkum,Total\nvertrouwen,1,1,2\nverbinden,1,1,2\nTotal,2,2,4\n"
    )
    bad = cli("--project", folder, "matrix", "--coder", "bob")
    assert bad.exit_code == 1 and "Error: no codings by coder 'bob'" in bad.stderr
    cluster = cli("--project", folder, "cluster", "--coder", "bram", "--format", "json")
    assert cluster.exit_code == 0, cluster.stderr
    assert '"coder": "bram"' in cluster.stdout
    summary = cli("--project", folder, "summary", "--coder", "anna", "--alpha", "0.01")
    assert summary.exit_code == 0, summary.stderr
    assert "Alleen de coderingen van codeur anna." in summary.stdout
