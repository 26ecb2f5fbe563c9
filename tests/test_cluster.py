"""Clustering coded fragments into sub-themes: recovery, determinism, storage, CLI."""

from __future__ import annotations

import json

import pytest
from sklearn.metrics import adjusted_rand_score
from typer.testing import CliRunner

from codeer.cli.main import app
from codeer.synthesis.cluster import cluster_project
from codeer.synthesis.cluster_features import split_compound
from codeer.synthesis.cluster_method import auto_k_bounds
from codeer.synthesis.cluster_store import list_runs, load_assignments, load_run
from codeer.synthesis.model import ClusterError
from tests.factories import add_codebook, add_coding, add_document, new_project
from tests.test_cluster_fixtures import blank_pipeline, build_trust_project


@pytest.fixture(scope="module")
def nlp():
    return blank_pipeline()


@pytest.fixture()
def trust(tmp_path):
    project, truth = build_trust_project(tmp_path / "p")
    yield project, truth
    project.close()


def _by_theme(results):
    return {r.theme: r for r in results}


def _ari(result, truth) -> float:
    known = [truth[(f.document, f.start, f.end)] for f in result.fragments]
    return adjusted_rand_score(known, result.assignments)


@pytest.mark.parametrize("k", ["auto", 3])
def test_known_subthemes_are_recovered(trust, nlp, k):
    project, truth = trust
    result = _by_theme(cluster_project(project, k=k, nlp=nlp))["vertrouwen"]
    assert len(result.fragments) == 30  # sub-codes included, the suggestion not
    assert _ari(result, truth) >= 0.6
    labels = " | ".join(c.label for c in result.clusters)
    assert "toestemming" in labels
    assert "expertise" in labels or "deskundigheid" in labels
    assert "gezin" in labels or "ouders" in labels


def test_labels_name_what_the_cluster_shares(trust, nlp):
    project, truth = trust
    result = _by_theme(cluster_project(project, k=3, nlp=nlp))["vertrouwen"]
    for cluster in result.clusters:
        members = [i for i, c in enumerate(result.assignments) if c == cluster.number]
        majority = max(
            set(truth_of := [truth[_key(result.fragments[i])] for i in members]), key=truth_of.count
        )
        expected = {
            "privacy": {"toestemming", "delen", "gegevens", "informatie", "privacy"},
            "expertise": {"expertise", "deskundigheid", "kennis"},
            "ouders": {"gezin", "ouders", "luisteren"},
        }[majority]
        assert expected & set(cluster.lemmas), (majority, cluster.label)


def _key(fragment):
    return (fragment.document, fragment.start, fragment.end)


def test_same_seed_same_result_and_stored(trust, nlp):
    project, _ = trust
    first = _by_theme(cluster_project(project, seed=7, nlp=nlp))["vertrouwen"]
    second = _by_theme(cluster_project(project, seed=7, nlp=nlp))["vertrouwen"]
    assert first.assignments == second.assignments
    assert [c.label for c in first.clusters] == [c.label for c in second.clusters]
    assert first.run_id != second.run_id
    stored = load_assignments(project.con, first.run_id)
    assert [(a["document"], a["start"], a["end"], a["cluster"]) for a in stored] == [
        (f.document, f.start, f.end, c)
        for f, c in zip(first.fragments, first.assignments, strict=True)
    ]
    run = load_run(project.con, first.run_id)
    assert run["theme"] == "vertrouwen" and run["seed"] == 7 and run["k_requested"] == "auto"
    assert run["k"] == first.k and run["n_fragments"] == 30
    assert run["codebook_hash"] and run["codebook_id"] == 1
    assert [c["label"] for c in run["clusters"]] == [c.label for c in first.clusters]
    assert "silhouette" in run["params"] and run["params"]["features"]["tfidf_terms"] > 0
    events = project.con.execute("SELECT COUNT(*) FROM events WHERE action = 'cluster'")
    assert events.fetchone()[0] == 4  # two themes, twice


def test_clusters_are_numbered_by_size_and_quotes_come_from_different_cases(trust, nlp):
    project, _ = trust
    result = _by_theme(cluster_project(project, k=3, nlp=nlp, store=False))["vertrouwen"]
    sizes = [c.size for c in result.clusters]
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) == 30
    assert result.run_id is None and list_runs(project.con) == []
    for cluster in result.clusters:
        cases = [q.case for q in cluster.quotes]
        assert 1 <= len(cases) <= 3 and len(set(cases)) == len(cases)
        assert set(cases) <= set(cluster.cases)
        spread_cases = sum(cluster.spread["positionering"].values())
        assert spread_cases == cluster.n_cases


def test_small_theme_is_one_cluster(trust, nlp):
    project, _ = trust
    result = _by_theme(cluster_project(project, code="verbinden", nlp=nlp))["verbinden"]
    assert result.k == 1 and "fewer than 6" in result.note
    assert set(result.assignments) == {1} and result.clusters[0].size == 4


def test_auto_k_bounds():
    assert auto_k_bounds(6) == (2, 2, 2)
    assert auto_k_bounds(30) == (2, 4, 2)
    assert auto_k_bounds(200) == (2, 11, 4)
    assert auto_k_bounds(5000) == (2, 12, 100)


def test_five_fragments_make_one_cluster(tmp_path, nlp):
    project = new_project(tmp_path / "five")
    add_codebook(project, [("werkdruk", None)])
    texts = [
        "De wachtlijst is lang.",
        "Veel administratie.",
        "Te weinig collega's.",
        "Beschikkingen kosten tijd.",
        "De werkvoorraad groeit.",
    ]
    for i, text in enumerate(texts):
        doc = add_document(project, f"d{i}.txt", text, {"gemeente": f"G{i}"})
        add_coding(project, doc, 0, len(text), "werkdruk", status="manual", coder="anna")
    (result,) = cluster_project(project, nlp=nlp)
    assert result.k == 1 and result.clusters[0].n_cases == 5
    (forced,) = cluster_project(project, k=9, nlp=nlp)
    assert forced.k == 5  # never more clusters than fragments
    project.close()


def test_errors(trust, nlp):
    project, _ = trust
    with pytest.raises(ClusterError, match="unknown code"):
        cluster_project(project, code="bestaat_niet", nlp=nlp)
    with pytest.raises(ClusterError, match="--k"):
        cluster_project(project, k="veel", nlp=nlp)
    with pytest.raises(ClusterError, match="unknown status"):
        cluster_project(project, status="ok", nlp=nlp)
    with pytest.raises(ClusterError, match="no document has the attribute 'gemente'"):
        cluster_project(project, by="gemente", nlp=nlp)
    assert cluster_project(project, status="rejected", nlp=nlp) == []


def test_status_all_adds_the_undecided_suggestion(trust, nlp):
    project, _ = trust
    result = _by_theme(cluster_project(project, status="all", nlp=nlp, store=False))
    fragment_docs = {f.document for f in result["vertrouwen"].fragments}
    assert "losse_notitie.txt" in fragment_docs
    # A document without a gemeente is in the case "(none)", as in the matrices.
    assert "(none)" in result["vertrouwen"].theme_cases
    assert "losse_notitie.txt" not in result["vertrouwen"].theme_cases


def test_compound_splitting_is_conservative():
    vocabulary = frozenset({"privacy", "regel", "toestemming", "formulier", "wijk", "team"})
    assert split_compound("privacyregels", vocabulary) == ["privacy", "regel"]
    assert split_compound("toestemmingsformulier", vocabulary) == ["toestemming", "formulier"]
    assert split_compound("wijkteam", vocabulary) == ["wijk", "team"]
    assert split_compound("luisteren", vocabulary) == []
    assert split_compound("deskundigheid", vocabulary) == []


def test_cli_json_lists_every_fragment(trust):
    project, _ = trust
    folder = str(project.folder)
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "--project",
            folder,
            "cluster",
            "--code",
            "vertrouwen",
            "--k",
            "3",
            "--seed",
            "1",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    (theme,) = json.loads(result.stdout)
    assert theme["theme"] == "vertrouwen" and theme["k"] == 3 and theme["run"] >= 1
    assert len(theme["fragments"]) == 30
    assert set(theme["fragments"][0]) >= {"document", "start", "end", "cluster"}
    assert sum(c["size"] for c in theme["clusters"]) == 30
    table = runner.invoke(app, ["--project", folder, "cluster", "--code", "vertrouwen"])
    assert table.exit_code == 0 and "toestemming" in table.stdout
    md = runner.invoke(app, ["--project", folder, "cluster", "--format", "md"])
    assert md.exit_code == 0 and md.stdout.count("## ") == 2
    bad = runner.invoke(app, ["--project", folder, "cluster", "--k", "0"])
    assert bad.exit_code == 2
    unknown = runner.invoke(app, ["--project", folder, "cluster", "--code", "nope"])
    assert unknown.exit_code == 1 and "Error: unknown code 'nope'" in unknown.stderr
