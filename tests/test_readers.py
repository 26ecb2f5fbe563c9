"""File readers: .txt, .md, .docx, .odt and dispatch. All names and texts are fictional;
Word and OpenDocument files are built here with python-docx and odfpy."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest

from codeer.errors import ImportFileError
from codeer.ingest.readers import SUPPORTED, read_file

# --- plain text and Markdown --------------------------------------------------------------


def test_txt_is_stored_exactly_after_normalisation(tmp_path: Path) -> None:
    raw = "\ufeffI: Goedemorgen.  \r\n\r\nR: Goedemorgen, ik ben de coördinator.\r\n\r\n"
    path = tmp_path / "gesprek.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = read_file(path)
    assert doc.text == "I: Goedemorgen.  \n\nR: Goedemorgen, ik ben de coördinator.\n\n"
    assert doc.format == "txt"
    assert doc.attributes == {}
    assert doc.turns is None


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_txt_every_encoding(tmp_path: Path, codec: str) -> None:
    text = "I: Wat doet u?\nR: Ik ben coördinator, één dag per week – zo’n 8 uur.\n"
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(codec))
    assert read_file(path).text == text


def test_txt_nfd_becomes_nfc(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(unicodedata.normalize("NFD", "R: Één coördinator.\n"), encoding="utf-8")
    assert read_file(path).text == "R: Één coördinator.\n"


def test_md_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "Interview_03.MD"
    path.write_text(
        "---\r\ngemeente: Zandhoven\r\nleeftijd: 45\r\n---\r\n# Interview 3\r\n\r\nI: Welkom.\r\n",
        encoding="utf-8",
    )
    doc = read_file(path)
    assert doc.format == "md"
    assert doc.attributes == {"gemeente": "Zandhoven", "leeftijd": "45"}
    assert doc.text == "# Interview 3\n\nI: Welkom.\n"


def test_txt_only_front_matter_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("---\ngemeente: Zandhoven\n---\n\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no text"):
        read_file(path)


def test_txt_empty_and_binary(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    with pytest.raises(ImportFileError, match="empty") as info:
        read_file(empty)
    assert info.value.where == str(empty)
    binary = tmp_path / "foto.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    with pytest.raises(ImportFileError, match="binary"):
        read_file(binary)


def test_front_matter_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "kapot.md"
    path.write_text("---\ngemeente: Zandhoven\nrol: wijkteam: zorg\n---\nI: hoi\n")
    with pytest.raises(ImportFileError) as info:
        read_file(path)
    assert info.value.where == str(path)
    assert "line 3" in info.value.message


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "gesprek.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(ImportFileError) as info:
        read_file(path)
    for ext in SUPPORTED:
        assert ext in info.value.hint
    assert ".pdf" in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="cannot read"):
        read_file(tmp_path / "weg.txt")


def test_dispatch_to_subtitles(tmp_path: Path) -> None:
    path = tmp_path / "opname.SRT"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nI: Hallo.\n")
    doc = read_file(path)
    assert doc.format == "srt"
    assert doc.turns is not None and doc.turns[0].speaker == "I"


# --- Word ---------------------------------------------------------------------------------


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def _tracked(paragraph, tag: str, text: str) -> None:
    """Append a tracked insertion (w:ins) or deletion (w:del) run to *paragraph*."""
    from docx.oxml import OxmlElement

    wrapper = OxmlElement(f"w:{tag}")
    wrapper.set(_w("id"), "1")
    wrapper.set(_w("author"), "Fictief")
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if tag == "del" else "w:t")
    t.text = text
    run.append(t)
    wrapper.append(run)
    paragraph._p.append(wrapper)


def _make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Interview 7 – wijkteam Zandhoven", level=1)
    document.add_paragraph("I: Goedemiddag, wat is uw rol?")
    document.add_paragraph("")  # empty paragraphs are dropped
    document.add_paragraph("   ")
    para = document.add_paragraph("R: Ik ben coördinator.")
    run = para.add_run()
    run.add_break()  # a soft line break (Shift+Enter)
    para.add_run("Al één jaar.\tSinds mei.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Naam"
    table.cell(0, 1).text = "Rol"
    table.cell(1, 0).text = "Jansen"
    table.cell(1, 1).text = ""
    merged = document.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1))
    merged.cell(0, 0).text = "Samengevoegd"
    edited = document.add_paragraph("I: Dat is ")
    _tracked(edited, "del", "niet ")
    _tracked(edited, "ins", "heel ")
    edited.add_run("mooi.")
    document.add_paragraph("R: Dank u.")
    document.save(str(path))


def test_docx_paragraphs_tables_breaks(tmp_path: Path) -> None:
    path = tmp_path / "Interview_07.DOCX"
    _make_docx(path)
    doc = read_file(path)
    assert doc.format == "docx"
    assert doc.turns is None
    assert doc.attributes == {}
    assert doc.text == (
        "Interview 7 – wijkteam Zandhoven\n\n"
        "I: Goedemiddag, wat is uw rol?\n\n"
        "R: Ik ben coördinator.\nAl één jaar.\tSinds mei.\n\n"
        "Naam\n\nRol\n\nJansen\n\n"
        "Samengevoegd\n\n"
        "I: Dat is heel mooi.\n\n"
        "R: Dank u."
    )


def test_docx_damaged_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "kapot.docx"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ImportFileError) as info:
        read_file(path)
    assert "not a valid Word file" in info.value.message
    assert ".doc" in info.value.hint and ".docx" in info.value.hint
    assert info.value.where == str(path)


def test_docx_truncated_zip(tmp_path: Path) -> None:
    good = tmp_path / "goed.docx"
    _make_docx(good)
    path = tmp_path / "half.docx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ImportFileError, match="not a valid Word file"):
        read_file(path)


def test_docx_zip_without_word_content(tmp_path: Path) -> None:
    path = tmp_path / "geen_word.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hallo.txt", "geen Word")
    with pytest.raises(ImportFileError, match="not a valid Word file"):
        read_file(path)


def test_doc_renamed_to_docx(tmp_path: Path) -> None:
    path = tmp_path / "oud.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(ImportFileError, match=r"\.doc") as info:
        read_file(path)
    assert "save it as .docx" in info.value.hint


def test_docx_without_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "leeg.docx"
    document = docx.Document()
    document.add_paragraph("  ")
    document.save(str(path))
    with pytest.raises(ImportFileError, match="no text"):
        read_file(path)


def test_docx_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "leeg.docx"
    path.write_bytes(b"")
    with pytest.raises(ImportFileError, match="empty"):
        read_file(path)


# --- OpenDocument ---------------------------------------------------------------------------


def _make_odt(path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, LineBreak, List, ListItem, Note, NoteBody, NoteCitation, P, S, Span
    from odf.text import Tab as TabElement

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Interview 9"))
    document.text.addElement(P(text="I: Hoe   gaat het?"))  # plain spaces collapse
    document.text.addElement(P(text=""))
    para = P(text="R: Goed,")
    para.addElement(S(c=2))
    para.addElement(Span(text="de coördinator"))
    para.addElement(LineBreak())
    para.addText("zei")
    para.addElement(TabElement())
    para.addText("één ding.")
    note = Note(noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Voetnoot"))
    note.addElement(body)
    para.addElement(note)
    document.text.addElement(para)
    items = List()
    item = ListItem()
    item.addElement(P(text="eerste punt"))
    items.addElement(item)
    document.text.addElement(items)
    table = Table(name="T")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    row = TableRow()
    for value in ("Naam", "Rol"):
        cell = TableCell()
        cell.addElement(P(text=value))
        row.addElement(cell)
    table.addElement(row)
    document.text.addElement(table)
    document.text.addElement(P(text="I: Dank u."))
    document.save(str(path))


def test_odt_paragraphs_and_spacing(tmp_path: Path) -> None:
    path = tmp_path / "Interview_09.odt"
    _make_odt(path)
    doc = read_file(path)
    assert doc.format == "odt"
    assert doc.turns is None
    assert doc.text == (
        "Interview 9\n\n"
        "I: Hoe gaat het?\n\n"
        "R: Goed,  de coördinator\nzei\téén ding.\n\n"
        "eerste punt\n\n"
        "Naam\n\nRol\n\n"
        "I: Dank u."
    )


def test_odt_damaged(tmp_path: Path) -> None:
    path = tmp_path / "kapot.odt"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    with pytest.raises(ImportFileError) as info:
        read_file(path)
    assert "not a valid OpenDocument" in info.value.message
    assert info.value.hint


def test_odt_truncated(tmp_path: Path) -> None:
    good = tmp_path / "goed.odt"
    _make_odt(good)
    path = tmp_path / "half.odt"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ImportFileError, match="not a valid OpenDocument"):
        read_file(path)


def test_odt_spreadsheet_renamed(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet

    path = tmp_path / "tabel.odt"
    OpenDocumentSpreadsheet().save(str(path))
    with pytest.raises(ImportFileError, match="not an OpenDocument text file") as info:
        read_file(path)
    assert "spreadsheet" in info.value.message
