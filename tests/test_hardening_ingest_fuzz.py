"""Issue 12: property tests over the readers, the turn parser and the metadata reader.

Whatever the input, the answer is a result or a CodeerError with one line; never another
exception. Bounded for CI: about a hundred examples each, the whole file in seconds.
All generated text is made up; no real people or places.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codeer.errors import CodeerError
from codeer.ingest.metadata import read_metadata
from codeer.ingest.readers import read_data
from codeer.ingest.turns import parse_turns

FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
# Characters XML 1.0 can hold, without \r (an XML parser turns it into \n).
xml_text = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\r\ufffe\uffff",
        min_codepoint=0x09,
    ).filter(lambda ch: ch in "\t\n" or ord(ch) >= 0x20),
    max_size=60,
)
# Lines that look like transcripts: labels, timestamps, colons, cue arrows, quotes.
pieces = st.sampled_from(
    [
        "I: ",
        "R: ",
        "R1: ",
        "Interviewer: ",
        "De voorzitter:",
        "Jan de Vries (wijkteam): ",
        "[00:01:23] ",
        "00:01:02,500 --> 00:01:05,000",
        "00:01.000 --> 00:02.000",
        "WEBVTT",
        "<v Anna>",
        "</v>",
        "1",
        "---",
        "gemeente: x",
        "ja",
        "Kijk: dat is zo.",
        "**Anna**: ",
        "\n",
        "\n\n",
        " ",
        "\t",
        ":",
        '"',
        "&amp;",
        "é",
        "\u200b",
        "\ufeff",
    ]
)
transcript_text = st.lists(pieces | st.text(max_size=8), max_size=40).map("".join)


def check(call) -> object | None:
    """Run *call*: a result, or a CodeerError whose message is one line."""
    try:
        return call()
    except CodeerError as error:
        assert "\n" not in error.one_line(), error.one_line()
        return None


@FUZZ
@given(
    text=transcript_text,
    encoding=st.sampled_from(ENCODINGS),
    suffix=st.sampled_from([".txt", ".md"]),
)
def test_text_files_in_any_encoding(text, encoding, suffix):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    doc = check(lambda: read_data(Path("x" + suffix), data))
    if doc is not None:
        assert doc.text == unicodedata.normalize("NFC", doc.text)
        assert "\r" not in doc.text


@FUZZ
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".md", ".vtt", ".srt"]))
def test_any_bytes(data, suffix):
    check(lambda: read_data(Path("x" + suffix), data))


@FUZZ
@given(text=transcript_text, suffix=st.sampled_from([".vtt", ".srt"]))
def test_subtitles(text, suffix):
    doc = check(lambda: read_data(Path("x" + suffix), text.encode("utf-8")))
    if doc is not None:
        for turn in doc.turns:
            assert 0 <= turn.start <= turn.end <= len(doc.text)


@FUZZ
@given(text=transcript_text, known=st.lists(st.sampled_from(["I", "De voorzitter", "Anna", ""])))
def test_turn_parser(text, known):
    turns = check(lambda: parse_turns(text, known))
    for turn in turns or []:
        assert 0 <= turn.start <= turn.end <= len(text)


def _docx(paragraphs: list[str]) -> bytes:
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs
    )
    return _zip(
        {
            "_rels/.rels": RELS,
            "word/document.xml": f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
        }
    )


def _odt(paragraphs: list[str]) -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
    return _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": f"<office:document-content {ns}><office:body><office:text>{body}"
            "</office:text></office:body></office:document-content>",
        }
    )


def _zip(members: dict[str, str]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@FUZZ
@given(paragraphs=st.lists(xml_text, max_size=8))
def test_docx_keeps_every_paragraph(paragraphs):
    doc = check(lambda: read_data(Path("x.docx"), _docx(paragraphs)))
    expected = "\n\n".join(unicodedata.normalize("NFC", p) for p in paragraphs if p.strip())
    if doc is None:
        assert not expected.strip()
    else:
        assert doc.text == expected


@FUZZ
@given(paragraphs=st.lists(xml_text, max_size=8))
def test_odt_keeps_every_paragraph(paragraphs):
    doc = check(lambda: read_data(Path("x.odt"), _odt(paragraphs)))
    # ODF collapses runs of space, tab and line feed into one space and trims them.
    collapsed = [re.sub(r"[ \t\n]+", " ", p).strip(" ") for p in paragraphs]
    expected = "\n\n".join(unicodedata.normalize("NFC", p) for p in collapsed if p.strip())
    if doc is None:
        assert not expected.strip()
    else:
        assert doc.text == expected


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".docx", ".odt"]))
def test_office_files_from_any_bytes(data, suffix):
    check(lambda: read_data(Path("x" + suffix), b"PK\x03\x04" + data))


csv_cells = st.lists(
    st.sampled_from(["a", "b", " ", ",", ";", "\t", '"', "\n", "'", "é", ".", "document", "a.txt"]),
    max_size=6,
).map("".join)


@FUZZ
@given(
    cells=st.lists(st.lists(csv_cells, min_size=1, max_size=4), min_size=0, max_size=5),
    separator=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_metadata_csv(tmp_path_factory, cells, separator, encoding):
    path = tmp_path_factory.mktemp("meta") / "metadata.csv"
    text = "\n".join(separator.join(row) for row in [["document", "x"], *cells])
    path.write_bytes(text.encode(encoding, "replace"))
    rows = check(lambda: read_metadata(path))
    for row in rows or []:
        assert row.document and row.where.startswith("metadata.csv:")
