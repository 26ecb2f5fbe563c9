"""Importing .qdpx files as other tools write them: positions in code points or UTF-16
units, CRLF counted as one or two, BOMs, inline text, cases, notes, bad files.

All people, places and municipalities in these texts are fictional.
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codeer.errors import ImportFileError
from codeer.exchange.positions import PositionMap, Selection, detect_convention
from codeer.exchange.qdpx_import import import_qdpx
from codeer.ingest.normalise import normalise
from codeer.store.project import Project

U_ANNA = "11111111-1111-4111-8111-111111111111"
C_TRUST = "22222222-2222-4222-8222-222222222222"
C_LINES = "{33333333-3333-4333-8333-333333333333}"  # braces, as some tools write them
S_ONE = "44444444-4444-4444-8444-444444444444"
V_GEM = "55555555-5555-4555-8555-555555555555"
N_ONE = "66666666-6666-4666-8666-666666666666"

# Fictional interview: an emoji outside the BMP, a flag (two astral code points), an
# accented letter written decomposed (e + combining acute: NFC changes it), CRLF line ends.
LINES = [
    "I: Hoe gaat het met de samenwerking? 🙂",
    "R: Goed 👍🏽, we hebben korte lijntjes met de school in Fictiefdorp 🇳🇱.",
    "I: En het vertrouwen?",
    "R: Het vertrouwen in elkaars expertise groeit, ook bij de cafe\u0301 in de wijk.",
]
RAW = "\r\n".join(LINES) + "\r\n"
WANTED = ["korte lijntjes", "vertrouwen in elkaars expertise"]


def units(raw: str, index: int, convention: str) -> int:
    """Position of raw index *index* as a tool using *convention* would write it."""
    before = raw[:index]
    count = len(before.encode("utf-16-le")) // 2 if convention.startswith("utf16") else len(before)
    return count - before.count("\r\n") if convention.endswith("crlf1") else count


def qdpx(
    path: Path,
    raw: str,
    convention: str,
    *,
    origin: str = "TestTool 1.0",
    names: bool = True,
    bom: bool = False,
    inline: bool = False,
    extra_sources: str = "",
) -> Path:
    """A .qdpx as another tool would write it, with one coding per WANTED fragment."""
    selections = []
    for i, fragment in enumerate(WANTED):
        start = raw.index(fragment)
        end = start + len(fragment)
        code = C_LINES if i == 0 else C_TRUST
        name = f" name={quoteattr(fragment[:8] + '...')}" if names else ""
        selections.append(
            f'<PlainTextSelection guid="7777777{i}-0000-4000-8000-000000000000"{name}'
            f' startPosition="{units(raw, start, convention)}"'
            f' endPosition="{units(raw, end, convention)}" creatingUser="{U_ANNA}"'
            f' creationDateTime="2024-03-01T10:00:00Z"><Description>memo {i}</Description>'
            f'<Coding guid="8888888{i}-0000-4000-8000-000000000000" creatingUser="{U_ANNA}">'
            f'<CodeRef targetGUID="{code}"/></Coding>'
            + (f'<NoteRef targetGUID="{N_ONE}"/>' if i == 0 else "")
            + "</PlainTextSelection>"
        )
    text_attr = "" if inline else f' plainTextPath="internal://{S_ONE.upper()}.txt"'
    content = f"<PlainTextContent>{_escape(raw)}</PlainTextContent>" if inline else ""
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Fictief" origin="{origin}">
<Users><User guid="{U_ANNA}" name="Anna"/></Users>
<CodeBook><Codes>
<Code guid="{C_TRUST}" name="Vertrouwen" isCodable="true"><Description>Trust.</Description>
<Code guid="{C_LINES}" name="Korte lijnen!" isCodable="true"/></Code>
</Codes></CodeBook>
<Variables><Variable guid="{V_GEM}" name="gemeente" typeOfVariable="Text"/></Variables>
<Cases><Case guid="99999999-0000-4000-8000-000000000000" name="Fictiefdorp">
<VariableValue><VariableRef targetGUID="{V_GEM}"/><TextValue>Fictiefdorp</TextValue></VariableValue>
<SourceRef targetGUID="{S_ONE}"/></Case></Cases>
<Sources><TextSource guid="{S_ONE}" name="interview fictiefdorp"{text_attr}>{content}
{"".join(selections)}</TextSource>{extra_sources}</Sources>
<Notes><Note guid="{N_ONE}" name="Twijfel" creatingUser="{U_ANNA}"
 creationDateTime="2024-03-02T09:00:00Z">
<PlainTextContent>Korte lijnen of overleg?</PlainTextContent></Note></Notes>
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
        if not inline:
            data = raw.encode("utf-8")
            archive.writestr(
                f"Sources/{S_ONE.upper()}.txt", (b"\xef\xbb\xbf" if bom else b"") + data
            )
    return path


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "&#13;")


@pytest.fixture
def store(tmp_path: Path):
    project = Project.init(tmp_path / "project")
    yield project
    project.close()


def imported_fragments(project: Project) -> dict[str, str]:
    text = project.con.execute("SELECT text FROM documents").fetchone()[0]
    rows = project.con.execute("SELECT code, start, end FROM codings ORDER BY start")
    return {row["code"]: text[row["start"] : row["end"]] for row in rows}


@pytest.mark.parametrize(
    ("convention", "origin"),
    [
        ("codepoints", "QualCoder 3.6"),
        ("codepoints-crlf1", "ATLAS.ti 24"),
        ("codepoints-crlf1", "MAXQDA 2024"),
        ("utf16", "NVivo 14"),
        ("utf16-crlf1", "Some .NET tool"),
    ],
)
@pytest.mark.parametrize("names", [True, False])
def test_each_position_convention_lands_on_the_same_text(
    tmp_path, store, convention, origin, names
):
    path = qdpx(tmp_path / "x.qdpx", RAW, convention, origin=origin, names=names)
    report = import_qdpx(store, path)
    assert report.ok
    [outcome] = report.outcomes
    assert outcome.codings == 2 and outcome.dropped == 0
    assert imported_fragments(store) == {
        "korte_lijnen": "korte lijntjes",
        "vertrouwen": "vertrouwen in elkaars expertise",
    }
    text = store.con.execute("SELECT text FROM documents").fetchone()[0]
    assert text == normalise(RAW)  # CRLF -> LF and the decomposed é composed, as any import
    assert "café" in text and "\r" not in text


def test_bom_and_inline_text_and_everything_else_that_comes_along(tmp_path, store):
    path = qdpx(tmp_path / "bom.qdpx", RAW, "codepoints", bom=True)
    report = import_qdpx(store, path)
    assert imported_fragments(store)["korte_lijnen"] == "korte lijntjes"
    con = store.con
    assert dict(con.execute("SELECT key, value FROM attributes").fetchall()) == {
        "gemeente": "Fictiefdorp",
        "case": "Fictiefdorp",
    }
    rows = con.execute("SELECT coder, status, memo FROM codings ORDER BY start").fetchall()
    assert [tuple(r) for r in rows] == [("Anna", "manual", "memo 0"), ("Anna", "manual", "memo 1")]
    memo = con.execute("SELECT coder, text, coding_id, created_at FROM memos").fetchone()
    assert tuple(memo)[:2] == ("Anna", "Korte lijnen of overleg?") and memo["coding_id"]
    assert memo["created_at"] == "2024-03-02T09:00:00+00:00"
    turns = con.execute("SELECT speaker, role FROM turns ORDER BY idx").fetchall()
    assert [tuple(t) for t in turns][:2] == [("I", "interviewer"), ("R", "respondent")]
    keys = [r[0] for r in con.execute("SELECT key FROM codes ORDER BY rowid")]
    assert keys == ["vertrouwen", "korte_lijnen"]
    assert report.codes == 2

    inline_store = Project.init(tmp_path / "inline")
    import_qdpx(inline_store, qdpx(tmp_path / "inline.qdpx", RAW, "utf16", inline=True))
    assert imported_fragments(inline_store)["vertrouwen"] == "vertrouwen in elkaars expertise"
    inline_store.close()


def test_importing_twice_adds_nothing(tmp_path, store):
    path = qdpx(tmp_path / "x.qdpx", RAW, "codepoints")
    import_qdpx(store, path)
    again = import_qdpx(store, path)
    assert [(o.status, o.codings, o.memos) for o in again.outcomes] == [("unchanged", 0, 0)]
    assert store.con.execute("SELECT COUNT(*) FROM codings").fetchone()[0] == 2
    assert store.con.execute("SELECT COUNT(*) FROM memos").fetchone()[0] == 1


def test_sources_codeer_cannot_read_are_skipped_one_line_each(tmp_path, store, cli):
    extra = (
        '<AudioSource guid="aaaaaaaa-0000-4000-8000-000000000000" name="opname.m4a"'
        ' path="internal://opname.m4a"/>'
        '<TextSource guid="bbbbbbbb-0000-4000-8000-000000000000" name="verslag"'
        ' richTextPath="relative:///verslag.docx"/>'
    )
    path = qdpx(tmp_path / "x.qdpx", RAW, "codepoints", extra_sources=extra)
    folder = store.folder
    store.close()
    result = cli("--project", folder, "import", path)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("imported  interview fictiefdorp (2 codings, 1 memos")
    assert lines[1] == "skipped   opname.m4a: a AudioSource: codeer imports text only"
    assert lines[2].startswith("skipped   verslag: its plain text (relative:///verslag.docx)")
    assert lines[3].startswith(f"Done: {path} made by TestTool 1.0: 3 sources, 2 codes")


def test_a_damaged_qdpx_is_one_error_line_and_nothing_is_written(tmp_path, project, cli):
    bad = tmp_path / "kapot.qdpx"
    bad.write_bytes(b"not a zip at all")
    result = cli("--project", project, "import", bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: not a .qdpx (zip) file")
    with zipfile.ZipFile(tmp_path / "leeg.qdpx", "w") as archive:
        archive.writestr("readme.txt", "fictional")
    with (
        pytest.raises(ImportFileError, match=r"holds no project\.qde"),
        Project.open(project) as opened,
    ):
        import_qdpx(opened, tmp_path / "leeg.qdpx")
    with Project.open(project) as opened:
        assert opened.con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0


def test_selections_outside_the_text_are_counted_not_stored(tmp_path, store):
    short = "R: korte lijntjes.\n"
    xml_path = tmp_path / "short.qdpx"
    with zipfile.ZipFile(xml_path, "w") as archive:
        archive.writestr(
            "project.qde",
            f'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
            f'<Code guid="{C_TRUST}" name="T" isCodable="true"/></Codes></CodeBook><Sources>'
            f'<TextSource guid="{S_ONE}" name="kort.txt" plainTextPath="internal://k.txt">'
            f'<PlainTextSelection guid="{N_ONE}" startPosition="3" endPosition="999">'
            f'<Coding guid="{U_ANNA}"><CodeRef targetGUID="{C_TRUST}"/></Coding>'
            f"</PlainTextSelection></TextSource></Sources></Project>",
        )
        archive.writestr("sources/k.txt", short)
    [outcome] = import_qdpx(store, xml_path).outcomes
    assert (outcome.codings, outcome.dropped) == (0, 1)


TEXTS = st.lists(
    st.sampled_from(["a", "é", "e\u0301", " ", "\r\n", "\n", "🙂", "👍🏽", "woord", "R: ", "."]),
    min_size=1,
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(raw=TEXTS, data=st.data())
def test_a_span_maps_to_the_same_normalised_text_under_every_convention(raw, data):
    """Positions between whole characters map onto the normalised text of that span."""
    boundaries = [
        i
        for i in range(len(raw) + 1)
        if raw[i - 1 : i + 1] != "\r\n" and not unicodedata.combining(raw[i : i + 1] or "a")
    ]
    start = data.draw(st.sampled_from(boundaries))
    end = data.draw(st.sampled_from([b for b in boundaries if b >= start]))
    expected = normalise(raw[start:end])
    for convention in ("codepoints", "codepoints-crlf1", "utf16", "utf16-crlf1"):
        mapped = PositionMap(raw, convention)
        assert mapped.text == normalise(raw)  # the same text any import stores
        span = mapped.span(units(raw, start, convention), units(raw, end, convention))
        assert span is not None
        assert mapped.text[span[0] : span[1]] == expected


def test_detection_prefers_the_interpretation_that_quotes_the_name():
    raw = "😀😀 vertrouwen\r\nen nog meer vertrouwen"
    start = raw.rindex("vertrouwen")
    for convention in ("codepoints", "codepoints-crlf1", "utf16", "utf16-crlf1"):
        position = units(raw, start, convention)
        selection = Selection(position, position + len("vertrouwen"), "vertrouwen")
        assert detect_convention(raw, [selection]) == convention


def test_a_qdpx_and_transcripts_in_one_import(tmp_path, project, cli):
    path = qdpx(tmp_path / "x.qdpx", RAW, "codepoints")
    transcript = tmp_path / "fictief.txt"
    transcript.write_text("I: Hoe gaat het?\nR: Goed, dank je.\n", encoding="utf-8")
    result = cli("--project", project, "import", path, transcript)
    assert result.exit_code == 0, result.stderr
    names = cli("--project", project, "documents", "--format", "csv").stdout.splitlines()
    assert [line.split(",")[0] for line in names[1:]] == ["fictief.txt", "interview fictiefdorp"]


def test_a_qdpx_source_bomb_is_refused_and_the_other_files_still_land(tmp_path, project, cli):
    """A source that unpacks past --max-size is refused like a .docx bomb (issue 12), and a
    failed .qdpx does not stop the transcripts named with it."""
    bomb = tmp_path / "bom.qdpx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "project.qde",
            f'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>'
            f'<TextSource guid="{S_ONE}" name="groot.txt" plainTextPath="internal://g.txt"/>'
            f"</Sources></Project>",
        )
        archive.writestr("sources/g.txt", "R: ja\n" * 600_000)  # 3.6 MB of text, fictional
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text("I: Vraag?\nR: Antwoord.\n", encoding="utf-8")
    result = cli("--project", project, "import", bomb, folder / "a.txt", "--max-size", "1")
    assert result.exit_code == 1
    assert "sources/g.txt unpacks to" in result.stderr and "--max-size" in result.stderr
    assert "imported  a.txt" in result.stderr
    with Project.open(project) as opened:
        names = [r[0] for r in opened.con.execute("SELECT name FROM documents")]
    assert names == ["a.txt"]
