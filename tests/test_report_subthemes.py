"""Sub-theme summaries in the report and ``subthemes.md``: same codings, same cases.

The trust project (tests/test_cluster_fixtures.py) has 30 accepted fragments of
'vertrouwen' in 12 gemeenten (plus one document without a gemeente) and 4 of 'verbinden',
too few to cluster.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from codeer.report import build as report_build
from codeer.report import write_outputs, write_report
from codeer.report.build import FALLBACK_BANNER
from codeer.store.codings import select_codings
from codeer.synthesis.matrix import case_matrix
from codeer.synthesis.model import ClusterError
from tests.factories import add_coding
from tests.test_cluster_fixtures import build_trust_project

SELF_CONTAINED_ATTRS = {"src", "href", "srcset", "poster", "data", "action"}


class Sections(HTMLParser):
    """Headings and text with the ids of the <section>s around them; external links."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.headings: list[tuple[str, str, tuple[str, ...]]] = []  # (tag, text, sections)
        self.text: dict[str, list[str]] = {}  # section id -> text inside it (nested too)
        self.external: list[str] = []
        self._heading: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.stack.append(attrs.get("id") or "")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._heading_text = tag, []
        for name in set(attrs) & SELF_CONTAINED_ATTRS:
            value = attrs[name] or ""
            if not value.startswith(("#", "data:image/png;base64,")):
                self.external.append(value)
        if tag in ("script", "link", "iframe"):
            self.external.append(tag)

    def handle_endtag(self, tag):
        if tag == "section":
            self.stack.pop()
        if tag == self._heading:
            text = "".join(self._heading_text)
            self.headings.append((tag, text, tuple(self.stack)))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._heading_text.append(data)
        for section in self.stack:
            self.text.setdefault(section, []).append(data)

    def inside(self, section: str) -> str:
        return "".join(self.text.get(section, []))


@pytest.fixture
def trust(tmp_path):
    project, _ = build_trust_project(tmp_path / "p")
    yield project
    project.close()


def run_count(project) -> int:
    return project.con.execute("SELECT COUNT(*) FROM cluster_runs").fetchone()[0]


def test_html_report_has_the_subthemes_under_their_theme(trust, tmp_path):
    (path,), ctx = write_report(trust, tmp_path / "r.html")
    doc = Sections()
    doc.feed(path.read_text(encoding="utf-8"))
    assert doc.external == []  # still one self-contained file

    summary = ctx.extra["summaries"]["vertrouwen"]
    assert summary.k >= 2 and summary.status == ctx.status == "accepted"
    subthemes = [h for h in doc.headings if "subthemas-vertrouwen" in h[2]]
    assert subthemes[0][:2] == ("h4", "Subthema's")
    assert subthemes[0][2][-2:] == ("thema-vertrouwen", "subthemas-vertrouwen")
    numbered = [text for tag, text, _ in subthemes if tag == "h5"]
    assert numbered == [f"{s.number}. {s.label}" for s in summary.subthemes]
    text = doc.inside("subthemas-vertrouwen")
    assert "Over dit thema zijn 30 fragmenten gecodeerd, afkomstig uit 12 van de 13" in text
    assert f"clusterrun #{summary.run_id}" in text
    for sub in summary.subthemes:
        assert f"Komt voor in {sub.n_cases} van de 13 gemeenten" in text

    # Too few fragments: one line, no sub-theme headings, no failure.
    small = doc.inside("subthemas-verbinden").strip()
    assert small.endswith(
        "Te weinig fragmenten om subthema's te onderscheiden: 4 verschillende "
        "tekstfragmenten, minstens 6 nodig."
    )
    assert not [h for h in doc.headings if "subthemas-verbinden" in h[2] and h[0] == "h5"]
    # The method section explains where the sub-themes come from.
    assert "Subthema's" in doc.inside("werkwijze")


def test_markdown_report_has_the_subthemes_in_the_theme_section(trust, tmp_path):
    (path, *_), ctx = write_report(trust, tmp_path / "r.md")
    text = path.read_text(encoding="utf-8")
    summary = ctx.extra["summaries"]["vertrouwen"]
    trust_part = text[text.index("### Thema: Vertrouwen") : text.index("### Thema: Verbinden")]
    assert "#### Subthema's" in trust_part
    assert trust_part.count("\n##### ") == summary.k
    assert "\n##### 1. " in trust_part and "> “" in trust_part.split("#### Subthema's")[1]
    small_part = text[text.index("### Thema: Verbinden") : text.index("## Matrices")]
    assert "#### Subthema's\n\nTe weinig fragmenten om subthema's te onderscheiden" in small_part
    assert "#####" not in small_part


def test_report_summaries_count_the_report_codings_and_cases(trust, tmp_path):
    # A second coder on an already coded span: two coding rows, one fragment to cluster.
    row = next(r for r in select_codings(trust.con, status="accepted") if r.code == "vertrouwen")
    doc_id = trust.con.execute("SELECT id FROM documents WHERE name = ?", (row.document,))
    add_coding(
        trust, doc_id.fetchone()[0], row.start, row.end, "vertrouwen", status="manual", coder="bo"
    )
    (path,), ctx = write_report(trust, tmp_path / "r.html")
    presence = case_matrix(trust, by=ctx.by, value="presence", status=ctx.status, level="top")
    spans: dict[str, set] = {}
    for r in select_codings(trust.con, status=ctx.status):
        spans.setdefault(r.code_path[0], set()).add((r.document, r.start, r.end))
    for theme, summary in ctx.extra["summaries"].items():
        assert summary.n_cases_theme == int(presence.row_totals[theme])
        assert summary.n_fragments == len(spans[theme])
        assert summary.n_cases_total == len(presence.data.columns)
    # The second coder's coding of the same span counts once, in the matrix as in the
    # clustering (issue 13), so the report has nothing to reconcile.
    assert int(ctx.count_top.row_totals["vertrouwen"]) == 30
    doc = Sections()
    doc.feed(path.read_text(encoding="utf-8"))
    theme = doc.inside("thema-vertrouwen")
    assert "30 gecodeerde fragmenten; het thema komt voor in 12 van 13 cases" in theme
    assert "hierboven beslaan" not in theme
    assert "afkomstig uit 12 van de 13 gemeenten" in theme


def test_unreviewed_project_summarises_the_suggestions_once(trust, tmp_path):
    with trust.transaction() as con:  # nothing reviewed: every coding is a suggestion
        con.execute("UPDATE codings SET status = 'suggested', coder = 'codeer'")
    before = run_count(trust)
    written = write_outputs(trust, tmp_path / "out")
    path = tmp_path / "out" / "subthemes.md"
    assert path in written
    # HTML, Markdown and subthemes.md come from one computation: one run per theme.
    assert run_count(trust) - before == 2
    statuses = trust.con.execute("SELECT DISTINCT status FROM cluster_runs").fetchall()
    assert [r[0] for r in statuses] == ["all"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Subthema's per thema")
    assert FALLBACK_BANNER in text and "--status all" in text
    assert "## Thema: Vertrouwen" in text and "## Thema: Verbinden" in text
    assert "afkomstig uit 13 van de 13 gemeenten" in text  # the suggestion in losse_notitie
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "#### Subthema's" in report and "er zijn nog geen beoordeelde coderingen" in report


def test_subthemes_md_names_the_command_that_remakes_it(trust):
    _, ctx = report_build.build_report(trust, alpha=0.01)
    text = report_build.subthemes_markdown(ctx)
    assert "`codeer summary --status accepted --by gemeente --alpha 0.01`." in text
    assert ctx.extra["summaries"]["vertrouwen"].alpha == 0.01


def test_a_clustering_error_is_one_line_not_a_failed_report(trust, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ClusterError("no clustering today", hint="try again")

    monkeypatch.setattr("codeer.synthesis.summary.summarise_project", broken)
    (path, *_), ctx = write_report(trust, tmp_path / "r.md")
    text = path.read_text(encoding="utf-8")
    line = "Subthema's konden niet worden bepaald: no clustering today - try again"
    assert text.count(line) == 2  # one per theme
    assert ctx.extra["summaries"] == {}
    assert "### Thema: Vertrouwen" in text and "## Matrices" in text


def test_theme_hooks_start_with_the_subthemes():
    assert report_build.THEME_HOOKS[0] is report_build.subtheme_sections
