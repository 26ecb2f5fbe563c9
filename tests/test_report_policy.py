"""The report never overstates (issue 13), checked on the report of the bundled project.

The report of ``codeer run transcripts`` (fictional interviews) is read twice: as the
HTML text parsed with :mod:`html.parser` (always), and as the DOM headless Chromium
renders (when /usr/bin/chromium is there). Both must follow the policy:

- "vaker" / "minder vaak" (and "more/less common") never next to a p-value >= alpha;
- sub-theme labels only of real words from the transcripts, no stop words, no stumps;
- no absolute machine path anywhere (/tmp/, /home/, /root/, /work/, C:\\);
- no plural after the number 1 ("1 documenten");
- a banner whenever a number counts undecided suggestions or not all is reviewed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from codeer.pipeline import run_pipeline
from codeer.report import write_outputs
from codeer.report.overview import file_name, report_title
from codeer.review.decisions import decide
from codeer.store.project import Project
from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ALPHA = 0.05
_PLURAL_TEXT = """
    documenten waarden cases coderingen fragmenten tekstfragmenten gemeenten suggesties
    beslissingen codes versies memo's citaten subthema's eenheden beurten
"""
PLURALS = _PLURAL_TEXT.split()
PATH = re.compile(r"(/tmp/|/home/|/root/|/work/|\b[A-Za-z]:\\)")
CLAIM = re.compile(r"\b(vaker|minder vaak|more common|less common)\b", re.I)
P_VALUE = re.compile(r"\bp\s*([<=≥>])\s*(\d+(?:[.,]\d+)?)")


class ReportText(HTMLParser):
    """Visible text, sub-theme labels (h5 in a "subthemas-" section) and banners."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.labels: list[str] = []
        self.banners: list[str] = []
        self._sections: list[str] = []
        self._in: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag == "section":
            self._sections.append(attrs.get("id") or "")
        if tag == "h5" and any(s.startswith("subthemas-") for s in self._sections):
            self._in.append("label")
            self.labels.append("")
        if tag == "div" and "banner" in (attrs.get("class") or ""):
            self._in.append("banner")
            self.banners.append("")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1
        if tag == "section" and self._sections:
            self._sections.pop()
        if (tag, self._in[-1:]) in (("h5", ["label"]), ("div", ["banner"])):
            self._in.pop()

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._in and self._in[-1] == "label":
            self.labels[-1] += data
        elif self._in and self._in[-1] == "banner":
            self.banners[-1] += data


def read(html: str) -> ReportText:
    parser = ReportText()
    parser.feed(html)
    return parser


def policy_violations(
    text: str, labels: list[str], words: set[str], alpha: float = ALPHA
) -> list[str]:
    """Everything in *text* and *labels* that breaks the policy (empty: all well)."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    found = []
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
        if not CLAIM.search(sentence):
            continue
        for sign, number in P_VALUE.findall(sentence):
            value = float(number.replace(",", "."))
            # "p < 0,001" claims p is below the number; "p = 0,440" that it is the number.
            if (sign == "<" and value > alpha) or (sign != "<" and value >= alpha):
                found.append(f"claim at p {sign} {number}: {sentence}")
    for label in labels:
        for word in re.sub(r"^\d+\.\s*", "", label).replace(" / ", " ").split():
            low = word.lower()
            if low in STOP_WORDS or len(low) < 3 or low not in words:
                found.append(f"label word {word!r} in {label!r}")
    if match := PATH.search(text):
        found.append(
            f"machine path {match.group(0)!r}: …{text[match.start() - 40 : match.end() + 40]}…"
        )
    for match in re.finditer(rf"(?<![\d,.])1 ({'|'.join(map(re.escape, PLURALS))})\b", text):
        found.append(f"plural after 1: {text[match.start() - 30 : match.end() + 10]!r}")
    return found


def transcript_words(folder: Path) -> set[str]:
    with Project.open(folder) as project:
        texts = [r[0] for r in project.con.execute("SELECT text FROM documents")]
    return {w.lower() for text in texts for w in re.findall(r"[^\W\d_]+", text)}


def chromium_dom(path: Path, screenshot: Path | None = None) -> str:
    """The DOM headless Chromium renders for *path*, offline (every host unresolvable)."""
    common = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
              "--host-resolver-rules=MAP * ~NOTFOUND"]  # fmt: skip
    if screenshot is not None:
        subprocess.run(
            [*common, f"--screenshot={screenshot}", "--window-size=1280,2400", path.as_uri()],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    done = subprocess.run(
        [*common, "--dump-dom", path.as_uri()], check=True, capture_output=True, timeout=180
    )
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The outputs of ``codeer run transcripts`` (nothing reviewed), and a half-reviewed copy."""
    out = tmp_path_factory.mktemp("policy") / "out"
    run_pipeline(REPO / "transcripts", out)
    reviewed = out.parent / "reviewed"
    shutil.copytree(out, reviewed)
    with Project.open(reviewed) as project:
        ids = [r[0] for r in project.con.execute(
            "SELECT id FROM codings WHERE status = 'suggested' ORDER BY id")]  # fmt: skip
        for n, suggestion in enumerate(ids[:200]):
            decide(project, suggestion, "anna", "accept" if n % 4 else "reject")
        write_outputs(project, reviewed / "report")
    return out, reviewed / "report", len(ids)


def test_the_report_text_follows_the_policy(bundled):
    out, _, _ = bundled
    words = transcript_words(out)
    html = (out / "report.html").read_text(encoding="utf-8")
    report = read(html)
    assert len(report.labels) >= 5  # the bundled themes are split into sub-themes
    assert policy_violations("".join(report.text), report.labels, words) == []
    # The whole file, images left out (base64 may hold "/tmp/" by chance), has no path.
    assert PATH.search(re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)) is None
    for name in ("report.md", "subthemes.md"):
        markdown = (out / name).read_text(encoding="utf-8")
        assert policy_violations(markdown, [], words) == [], name
    # Nothing reviewed: the numbers count suggestions, and the banner says so.
    assert report.banners and "0 van" in report.banners[0] and "(0%)" in report.banners[0]
    assert report.banners[0].startswith("Let op")


def test_a_half_reviewed_project_says_how_much_is_reviewed(bundled):
    _, folder, suggested = bundled
    report = read((folder / "report.html").read_text(encoding="utf-8"))
    percent = 200 * 100 // suggested
    (banner,) = report.banners
    assert "nog niet alle suggesties zijn beoordeeld" in banner
    assert f"200 van {suggested} suggesties beoordeeld ({percent}%)" in banner
    text = (folder / "subthemes.md").read_text(encoding="utf-8")
    assert f"200 van {suggested} suggesties beoordeeld" in text


def test_title_is_the_codebook_name_not_the_folder(bundled):
    out, _, _ = bundled
    report = read((out / "report.html").read_text(encoding="utf-8"))
    assert "".join(report.text).lstrip().startswith("Rapport: wijkteams")
    assert "uit wijkteams.yaml, geladen" in "".join(report.text)
    with Project.open(out) as project:
        assert report_title(project) == "Rapport: wijkteams"
        assert report_title(project, "  Wijkteams   Noord ") == "Wijkteams Noord"
    assert file_name(r"C:\Users\onderzoeker\codeboek.yaml") == "codeboek.yaml"
    assert file_name("/home/anna/codeboeken/wijk.yml") == "wijk.yml"


def test_cli_title(bundled, cli, tmp_path):
    out, _, _ = bundled
    target = tmp_path / "r.html"
    result = cli("--project", out, "report", "-o", target, "--title", "Netwerken in de wijk")
    assert result.exit_code == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert "<title>Netwerken in de wijk</title>" in html
    assert "<h1>Netwerken in de wijk</h1>" in html


def test_the_checker_catches_what_it_should():
    words = {"korte", "lijntjes", "school"}
    bad = (
        "Vaker in gemeenten met SES ‘laag’ (3 van de 4) dan in de overige (2 van de 6; "
        "Fisher, p = 0,440). Geladen uit /tmp/x/wijkteams.yaml. Er is 1 documenten."
    )
    found = policy_violations(bad, ["1. korte lijntjes / lijk / de"], words)
    assert len(found) == 5, found
    fine = (
        "Vaker in gemeenten met X (5 van de 5) dan in de overige (0 van de 8; Fisher, p < 0,001)."
    )
    assert policy_violations(fine, ["1. korte lijntjes / school"], words) == []


@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium (/usr/bin/chromium) absent")
def test_the_rendered_report_follows_the_policy(bundled):
    out, reviewed, _ = bundled
    words = transcript_words(out)
    for path in (out / "report.html", reviewed / "report.html"):
        dom = read(chromium_dom(path, screenshot=path.with_suffix(".png")))
        assert dom.labels and dom.banners, path
        assert policy_violations("".join(dom.text), dom.labels, words) == [], path
        assert path.with_suffix(".png").stat().st_size > 10_000
