"""Exporting REFI-QDA: the bundled example project as .qdpx (valid, reproducible, a round
trip through import), the codebook as .qdc both ways, and what QualCoder's importer needs.

All people, places and municipalities in the example transcripts are fictional.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from codeer.coding.codebook import default_codebook_path, load_codebook, store_codebook
from codeer.exchange.qdpx_export import export_qdpx
from codeer.exchange.qdpx_import import import_qdpx
from codeer.exchange.refi import schema_path
from codeer.ingest.importer import import_paths
from codeer.store.project import Project, now

REPO = Path(__file__).resolve().parent.parent
NS = "{urn:QDA-XML:project:1.0}"


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The bundled transcripts imported, the shipped codebook stored, two coders' manual
    codings (one an accepted suggestion with a memo) and a document memo."""
    folder = tmp_path_factory.mktemp("example") / "project"
    with Project.init(folder) as project:
        report = import_paths(project, [REPO / "transcripts"])
        assert report.ok
        con = project.con
        with project.transaction():
            book = store_codebook(con, load_codebook(), now())
        turns = con.execute(
            "SELECT t.document_id, t.start, t.end FROM turns t WHERE t.role = 'respondent'"
            " ORDER BY t.document_id, t.idx"
        ).fetchall()
        keys = ["korte_lijnen", "vertrouwen", "regie_en_betrokken_blijven", "werkdruk_wachtlijsten"]
        with project.transaction():
            for i, turn in enumerate(turns[::3]):
                coder = "anna" if i % 2 else "bram"
                status = "accepted" if i % 3 == 0 else "manual"
                cur = con.execute(
                    "INSERT INTO codings (document_id, start, end, code, status, coder, evidence,"
                    " codebook_id, memo, created_at, decided_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)",
                    (turn[0], turn[1], turn[2], keys[i % 4], status, coder, book,
                     "twijfel" if i == 2 else None, f"2024-02-{i % 28 + 1:02d}T10:00:00+00:00",
                     "2024-03-01T10:00:00+00:00"),
                )  # fmt: skip
                if i in (2, 5):
                    con.execute(
                        "INSERT INTO memos (document_id, coding_id, coder, text, created_at)"
                        " VALUES (?, ?, ?, ?, '2024-03-02T08:00:00+00:00')",
                        (turn[0], cur.lastrowid, coder, f"Memo {i}: 🙂 zie ook de wijk"),
                    )
            con.execute(
                "INSERT INTO memos (document_id, coding_id, coder, text, created_at)"
                " VALUES (?, NULL, 'anna', 'Over het hele gesprek.', '2024-03-03T08:00:00+00:00')",
                (turns[0][0],),
            )
    return folder


def qde(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read("project.qde"))


def test_export_is_valid_reproducible_and_holds_the_exact_text(example, tmp_path):
    with Project.open(example) as project:
        summary = export_qdpx(project, tmp_path / "studie.qdpx")
        again = tmp_path / "again"
        again.mkdir()
        export_qdpx(project, again / "studie.qdpx")
        documents = {r["name"]: r["text"] for r in project.con.execute("SELECT * FROM documents")}
        codings = project.con.execute(
            "SELECT COUNT(*) FROM codings WHERE status IN ('accepted', 'manual')"
        ).fetchone()[0]
    data = (tmp_path / "studie.qdpx").read_bytes()
    assert data == (again / "studie.qdpx").read_bytes()  # GUIDs and zip times are stable
    with zipfile.ZipFile(tmp_path / "studie.qdpx") as archive:
        xml = archive.read("project.qde")
        xmlschema.XMLSchema(str(schema_path("project"))).validate(xml)
        root = ET.fromstring(xml)
        for source in root.iter(f"{NS}TextSource"):
            path = source.get("plainTextPath").removeprefix("internal://")
            assert archive.read(f"sources/{path}").decode("utf-8") == documents[source.get("name")]
    assert (summary.sources, summary.codings, summary.users, summary.notes) == (
        len(documents),
        codings,
        2,
        3,
    )
    assert summary.codes == len(load_codebook().codes)
    codes = root.find(f"{NS}CodeBook/{NS}Codes")
    assert [c.get("name") for c in codes] == [
        "Verbinden",
        "Vertrouwen",
        "Verantwoordelijkheid",
        "Context",
    ]
    lines = codes.find(f"{NS}Code[@name='Verbinden']/{NS}Code[@name='Korte lijnen']")
    description = lines.find(f"{NS}Description").text
    assert "Inclusion: " in description and description.endswith("codeer key: korte_lijnen")


def test_round_trip_keeps_sources_codes_codings_positions_and_memos(example, tmp_path):
    first = tmp_path / "one" / "studie.qdpx"
    second = tmp_path / "two" / "studie.qdpx"
    first.parent.mkdir()
    second.parent.mkdir()
    with Project.open(example) as project:
        export_qdpx(project, first)
    with Project.init(tmp_path / "copy") as copy:
        report = import_qdpx(copy, first)
        assert report.ok and {o.convention for o in report.outcomes} == {"codepoints"}
        export_qdpx(copy, second)
        codebook = copy.con.execute("SELECT content FROM codebooks").fetchone()[0]
    # The same GUIDs by design, so the files are equal byte for byte.
    assert first.read_bytes() == second.read_bytes()
    assert "korte_lijnen" in codebook


def test_suggestions_go_along_only_when_asked(tmp_path):
    from tests.factories import add_codebook, add_coding, add_document, new_project

    with new_project(tmp_path / "p") as project:
        doc = add_document(project, "fictief.txt", "R: We hebben korte lijntjes.")
        add_codebook(project, [("verbinden", None), ("korte_lijnen", "verbinden")])
        add_coding(project, doc, 3, 28, "korte_lijnen", score=0.8)
        assert export_qdpx(project, tmp_path / "a.qdpx").codings == 0
        assert export_qdpx(project, tmp_path / "b.qdpx", suggestions=True).codings == 1
    selection = qde(tmp_path / "b.qdpx").find(f".//{NS}PlainTextSelection")
    assert selection.get("name") == "We hebben korte lijntjes."
    assert selection.find(f"{NS}Description").text == (
        "codeer suggestion korte_lijnen, score 0.80: test [lemma:test]"
    )


def test_qdc_both_ways_keeps_hierarchy_and_definitions(tmp_path, cli):
    qdc = tmp_path / "wijkteams.qdc"
    result = cli("export", "qdc", qdc, "--codebook", default_codebook_path())
    assert result.exit_code == 0, result.stderr
    xmlschema.XMLSchema(str(schema_path("codebook"))).validate(str(qdc))
    out = tmp_path / "terug.yaml"
    result = cli("codebook", "import", qdc, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert cli("codebook", "check", out).exit_code == 0
    original, back = load_codebook(), load_codebook(out)
    assert list(back.codes) == list(original.codes)
    for key, code in original.codes.items():
        again = back.codes[key]
        assert (again.label, again.parent, again.definition) == (
            code.label,
            code.parent,
            code.definition,
        )
        assert (again.inclusion, again.exclusion, again.examples) == (
            code.inclusion,
            code.exclusion,
            code.examples,
        )
        assert again.patterns == []  # patterns are codeer's own: documented as lost
    stdout = cli("codebook", "import", qdc)
    assert stdout.stdout.startswith("# Imported from wijkteams.qdc by codeer.")


def test_qdc_from_another_tool_gets_keys_from_names(tmp_path, cli):
    qdc = tmp_path / "ander.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        '<Codes><Code guid="d9e4b0a6-2c1e-4b55-9a4b-5a6f0c6f1a01" name="Samenwerking"'
        ' isCodable="false"><Description>Alles over partners.</Description>'
        '<Code guid="d9e4b0a6-2c1e-4b55-9a4b-5a6f0c6f1a02" name="Met de school (PO/VO)"'
        ' isCodable="true"/><Code guid="d9e4b0a6-2c1e-4b55-9a4b-5a6f0c6f1a03"'
        ' name="Met de school (PO/VO)" isCodable="true"/></Code>'
        '<Code guid="d9e4b0a6-2c1e-4b55-9a4b-5a6f0c6f1a04" name="2e lijn" isCodable="true"/>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    out = tmp_path / "ander.yaml"
    assert cli("codebook", "import", qdc, "-o", out).exit_code == 0
    assert cli("codebook", "check", out).exit_code == 0
    book = load_codebook(out)
    assert [(c.key, c.parent) for c in book.codes.values()] == [
        ("samenwerking", None),
        ("met_de_school_po_vo", "samenwerking"),
        ("met_de_school_po_vo_2", "samenwerking"),
        ("code_2e_lijn", None),
    ]
    assert book.codes["samenwerking"].definition == "Alles over partners."
    bad = tmp_path / "kapot.qdc"
    bad.write_text("<CodeBook", encoding="utf-8")
    result = cli("codebook", "import", bad)
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {bad}: not a readable XML")


def test_cli_export_and_import(example, tmp_path, cli):
    path = tmp_path / "studie.qdpx"
    result = cli("--project", example, "export", "qdpx", path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"Wrote {path}: 10 sources, 29 codes, ")
    assert cli("init", tmp_path / "nieuw").exit_code == 0
    result = cli("--project", tmp_path / "nieuw", "import", path)
    assert result.exit_code == 0, result.stderr
    assert (
        result.stderr.splitlines()[-1]
        == f"Done: {path} made by codeer 0.1.0: 10 sources, 29 codes."
    )
    segments = cli("--project", tmp_path / "nieuw", "segments", "--format", "jsonl")
    rows = [json.loads(line) for line in segments.stdout.splitlines()]
    assert rows and {row["status"] for row in rows} == {"manual"}
    assert {row["coder"] for row in rows} == {"anna", "bram"}


def test_what_qualcoders_importer_relies_on(example, tmp_path):
    """QualCoder (a PyQt app, not installable here) reads a .qdpx as checked below; see
    docs/exchange.md for the list and why each point matters."""
    path = tmp_path / "studie.qdpx"
    with Project.open(example) as project:
        export_qdpx(project, path)
        texts = {r["name"]: r["text"] for r in project.con.execute("SELECT * FROM documents")}
        coded = {
            (r["name"], r["start"], r["end"], r["coder"])
            for r in project.con.execute(
                "SELECT d.name, c.start, c.end, c.coder FROM codings c JOIN documents d"
                " ON d.id = c.document_id WHERE c.status IN ('accepted', 'manual')"
            )
        }
        attributes = {
            (r["name"], r["key"], r["value"])
            for r in project.con.execute(
                "SELECT d.name, a.key, a.value FROM attributes a JOIN documents d"
                " ON d.id = a.document_id"
            )
        }
    archive = zipfile.ZipFile(path)
    folders = {name.split("/")[0] for name in archive.namelist() if "/" in name}
    assert folders == {"sources"}  # it looks for 'sources' or 'Sources' next to the .qde
    assert [n for n in archive.namelist() if n.endswith(".qde")] == ["project.qde"]
    root = ET.fromstring(archive.read("project.qde"))
    assert all(e.tag.startswith(NS) for e in root.iter())  # it matches namespaced tags
    assert root.get("origin")  # it calls origin.upper(): a missing origin crashes it
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    codes = {c.get("guid") for c in root.iter(f"{NS}Code")}
    assert all(c.get("name") and c.get("isCodable") == "true" for c in root.iter(f"{NS}Code"))
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{NS}Variable")}
    sources = {s.get("guid"): s for s in root.iter(f"{NS}TextSource")}
    found = set()
    for source in sources.values():
        # It reads sources/<what follows 'internal:/'> and shifts positions when the first
        # line ends in CRLF (NVivo's habit): our files have LF only.
        member = "sources" + source.get("plainTextPath").split("internal:/")[1]
        fulltext = archive.read(member).decode("utf-8")
        assert "\r" not in fulltext and fulltext == texts[source.get("name")]
        for selection in source.iter(f"{NS}PlainTextSelection"):
            assert selection.get("creationDateTime")
            # The coder of every coding in a selection is the selection's creatingUser.
            coder = users[selection.get("creatingUser")]
            pos0, pos1 = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for coding in selection.findall(f"{NS}Coding"):
                first = coding[0]  # it takes the first child as the CodeRef
                assert first.tag == f"{NS}CodeRef" and first.get("targetGUID") in codes
                assert users[coding.get("creatingUser")] == coder
            found.add((source.get("name"), pos0, pos1, coder))
    assert found == coded  # Python slicing of fulltext: the positions are code points
    # Document attributes: a Case without a name and with exactly one SourceRef.
    got = set()
    for case in root.iter(f"{NS}Case"):
        refs = case.findall(f"{NS}SourceRef")
        assert case.get("name") is None and len(refs) == 1
        name = sources[refs[0].get("targetGUID")].get("name")
        for value in case.findall(f"{NS}VariableValue"):
            key = variables[value.find(f"{NS}VariableRef").get("targetGUID")]
            got.add((name, key, value.find(f"{NS}TextValue").text))
    assert got == attributes
    # Notes: a date (it calls .replace on it), a name and a text file it can open.
    for note in root.iter(f"{NS}Note"):
        assert note.get("creationDateTime") and note.get("name")
        text = archive.read("sources" + note.get("plainTextPath").split("internal:/")[1])
        assert text.decode("utf-8").strip()


def test_export_qdc_from_the_project(example, project, tmp_path, cli):
    qdc = tmp_path / "project.qdc"
    result = cli("--project", example, "export", "qdc", qdc)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Wrote {qdc}: 29 codes.\n"
    xmlschema.XMLSchema(str(schema_path("codebook"))).validate(str(qdc))
    empty = cli("--project", project, "export", "qdc", tmp_path / "leeg.qdc")
    assert empty.exit_code == 1
    assert empty.stderr.startswith("Error: there is no codebook to export")
    assert not (tmp_path / "leeg.qdc").exists()


def test_control_characters_in_a_fragment_still_give_valid_xml(tmp_path):
    from tests.factories import add_codebook, add_coding, add_document, new_project

    with new_project(tmp_path / "p") as project:
        text = "R: Eerste pagina.\x0cTweede pagina."  # a page break, as Word exports it
        doc = add_document(project, "fictief.txt", text)
        add_codebook(project, [("verbinden", None)])
        add_coding(project, doc, 3, len(text), "verbinden", status="manual", coder="anna")
        export_qdpx(project, tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        xmlschema.XMLSchema(str(schema_path("project"))).validate(archive.read("project.qde"))
        [member] = [n for n in archive.namelist() if n.startswith("sources/")]
        assert archive.read(member).decode("utf-8") == text  # the text itself stays whole
