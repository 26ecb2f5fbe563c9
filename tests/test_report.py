"""``codeer report`` and ``write_outputs``: a self-contained HTML file, Markdown, files.

The HTML is parsed with the standard library: no external src/href, every image a data:
URI holding a PNG, Dutch text intact and escaped.
"""

from __future__ import annotations

import base64
import csv
from html.parser import HTMLParser
from pathlib import Path

from openpyxl import load_workbook

from codeer.report import build as report_build
from codeer.report import write_outputs, write_report
from codeer.report.model import Paragraph, Raw, Section
from codeer.store.project import Project
from tests.test_matrix_data import build_small

TRICKY = "’s-Hertogenbosch & <Zuid>"


class Collect(HTMLParser):
    """Every tag with its attributes, plus the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Collect:
    parser = Collect()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def project_with_tricky_name(folder: Path, reviewed: bool = True) -> Path:
    project = build_small(folder, reviewed=reviewed)
    with project.transaction() as con:  # a Dutch place name with markup characters
        con.execute(
            "UPDATE attributes SET value = ? WHERE key = 'gemeente' AND value = 'Cedam'", (TRICKY,)
        )
    project.close()
    return folder


def test_html_is_self_contained_and_dutch_safe(cli, tmp_path):
    folder = project_with_tricky_name(tmp_path / "p")
    out = tmp_path / "rapport.html"
    result = cli("--project", folder, "report", "-o", out)
    assert result.exit_code == 0, result.stderr
    raw = out.read_text(encoding="utf-8")
    doc = parse(out)
    assert ("html", {"lang": "nl"}) in doc.tags
    assert ("meta", {"charset": "utf-8"}) in doc.tags
    for tag, attrs in doc.tags:
        for name in set(attrs) & {"src", "href", "srcset", "poster", "data", "action"}:
            value = attrs[name] or ""
            assert not value.lower().startswith(("http:", "https:", "//", "file:")), (tag, value)
            if name == "href":
                assert value.startswith("#"), value  # only in-page links
        assert tag not in ("script", "link", "iframe")
    images = [attrs["src"] for tag, attrs in doc.tags if tag == "img"]
    assert len(images) >= 3  # per-theme heatmaps and matrix heatmaps
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:4] == b"\x89PNG"
    text = "".join(doc.text)
    assert "Ik vertrouw mijn collega’s en ideeën." in text
    assert TRICKY in text  # round-trips through escaping
    assert "<Zuid>" not in raw and "&lt;Zuid&gt;" in raw
    for heading in ("Overzicht", "Thema: Vertrouwen", "Matrices", "Framework-matrix", "Werkwijze"):
        assert heading in text
    # Half reviewed: a banner says so, with how much (issue 13).
    assert "Let op: nog niet alle suggesties zijn beoordeeld" in text
    assert "3 van 6 suggesties beoordeeld (50%)" in text  # A1, B1 accepted; A3 rejected


def test_unreviewed_report_uses_suggestions_with_banner(cli, tmp_path):
    folder = project_with_tricky_name(tmp_path / "raw", reviewed=False)
    out = tmp_path / "r.html"
    result = cli("--project", folder, "report", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "uses the suggestions" in result.stderr
    text = "".join(parse(out).text)
    assert "Let op: er zijn nog geen beoordeelde coderingen" in text
    assert "--status all" in text
    explicit = tmp_path / "accepted.html"
    cli("--project", folder, "report", "-o", explicit, "--status", "accepted")
    # Nothing reviewed: the numbers are zeros, and the banner says 0% is reviewed.
    accepted = "".join(parse(explicit).text)
    assert "geen beoordeelde coderingen" not in accepted
    assert "nog niet alle suggesties zijn beoordeeld" in accepted and "(0%)" in accepted


def test_markdown_with_figures_next_to_it(cli, tmp_path):
    folder = project_with_tricky_name(tmp_path / "p")
    out = tmp_path / "paper" / "rapport.md"
    result = cli("--project", folder, "report", "-o", out, "--by", "ses")
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Rapport")
    assert "| Code | laag | hoog | Totaal |" in text
    assert "> “Ik vertrouw mijn collega’s en ideeën.”" in text or "ideeën" in text
    figures = sorted((tmp_path / "paper" / "rapport_figuren").glob("*.png"))
    assert figures and f"](rapport_figuren/{figures[0].name})" in text


def test_theme_hook_adds_sections(tmp_path):
    project = build_small(tmp_path / "p")

    def summaries(ctx, theme):
        blocks = [
            Paragraph(f"samenvatting ({ctx.status})"),
            Raw(f'<p class="pre">klaar: {theme}</p>', f"*klaar: {theme}*"),
        ]
        return [Section(f"Subthema's van {theme}", blocks)]

    report_build.THEME_HOOKS.append(summaries)
    try:
        paths, _ = write_report(project, tmp_path / "r.html")
        md, _ = write_report(project, tmp_path / "r.md")
    finally:
        report_build.THEME_HOOKS.remove(summaries)
    html = paths[0].read_text(encoding="utf-8")
    assert "Subthema&#x27;s van vertrouwen" in html and "samenvatting (accepted)" in html
    assert '<p class="pre">klaar: vertrouwen</p>' in html
    markdown = md[0].read_text(encoding="utf-8")
    assert "#### Subthema's van verbinden" in markdown and "*klaar: verbinden*" in markdown
    project.close()


def test_write_outputs_for_codeer_run(tmp_path):
    project = build_small(tmp_path / "p")
    written = write_outputs(project, tmp_path / "out", status="accepted")
    names = {p.name for p in written}
    assert {"report.html", "report.md", "matrices.xlsx", "matrix-count.csv"} <= names
    assert all(p.exists() for p in written)
    book = load_workbook(tmp_path / "out" / "matrices.xlsx")
    assert len(book.sheetnames) == len([n for n in names if n.endswith(".csv")])
    assert book.sheetnames[:2] == ["count (themes) by gemeente", "presence (themes) by gemeente"]
    assert "count by gemeente" in book.sheetnames  # every code
    rows = list(csv.reader((tmp_path / "out" / "matrix-count.csv").open(encoding="utf-8")))
    assert rows[0][0] == "code" and rows[0][-1] == "Total" and rows[-1][0] == "Total"
    assert rows[1] == ["vertrouwen", "3", "2", "0", "5"]  # themes; B1 by two coders once
    project.close()
    assert Project.open(tmp_path / "p").schema_version() > 0
