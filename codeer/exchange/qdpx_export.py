"""Writing a project as a REFI-QDA project (``.qdpx``): ``project.qde`` plus ``sources/``.

What goes where (docs/exchange.md has the full table):

- every document -> a ``TextSource`` whose ``plainTextPath`` names a UTF-8 file in
  ``sources/`` holding exactly the stored text, so positions are the stored offsets
  (Unicode code points, ``\\n`` line ends);
- every coder -> a ``User``; the codebook -> nested ``Code`` elements;
- every accepted or manual coding (and with ``suggestions`` every undecided suggestion)
  -> a ``Coding`` inside a ``PlainTextSelection``, one selection per span and coder
  (QualCoder takes a coding's coder from its selection);
- document attributes -> ``Variables`` plus one ``Case`` per document holding the values
  and one ``SourceRef`` (the shape MAXQDA writes and QualCoder reads as document
  attributes);
- memos -> ``Notes`` (text in ``sources/``), linked by a ``NoteRef`` from the coded
  selection they belong to, else from their document.

GUIDs come from content (document names, spans, keys, coder names) and zip entries have
a fixed time, so the same project exported twice gives identical bytes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from codeer.exchange.refi import (
    ORIGIN,
    PROJECT_NS,
    code_elements,
    codes_from_store,
    guid,
    write_zip,
    xml_bytes,
    xml_datetime,
)
from codeer.store.codings import CodingRow, document_attributes, evidence_text, select_codings
from codeer.store.project import Project

NAME_LENGTH = 100  # characters of the coded text kept in a selection's name


@dataclass
class ExportSummary:
    """What an export wrote (for the CLI's one-line report)."""

    path: Path
    sources: int
    codes: int
    codings: int
    users: int
    notes: int


def _attrs(**values: str | None) -> dict[str, str]:
    return {key: value for key, value in values.items() if value is not None}


def export_qdpx(project: Project, path: Path, *, suggestions: bool = False) -> ExportSummary:
    """Write *project* to *path* as a ``.qdpx``; the project's name is the file's stem."""
    path = Path(path)
    con = project.con
    # "all" is exactly "accepted" plus the undecided suggestions, in one query.
    codings = select_codings(con, status="all" if suggestions else "accepted")
    memos = con.execute(
        "SELECT m.id, m.coder, m.text, m.created_at, d.name AS document,"
        " c.start, c.end FROM memos m LEFT JOIN documents d ON d.id = m.document_id"
        " LEFT JOIN codings c ON c.id = m.coding_id ORDER BY m.created_at, m.id"
    ).fetchall()
    users = sorted({row.coder for row in codings} | {memo["coder"] for memo in memos})
    user_guid = {name: guid("user", name) for name in users}

    root = ET.Element("Project", {"xmlns": PROJECT_NS, "name": path.stem, "origin": ORIGIN})
    if users:
        users_element = ET.SubElement(root, "Users")
        for name in users:
            ET.SubElement(users_element, "User", {"guid": user_guid[name], "name": name})
    codes = codes_from_store(con, {row.code for row in codings})
    code_guid: dict[str, str] = {}
    if codes:
        code_guid = code_elements(ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes"), codes)

    documents = con.execute("SELECT id, name, text FROM documents ORDER BY name").fetchall()
    _cases(root, documents, document_attributes(con))

    by_document: dict[str, list[CodingRow]] = defaultdict(list)
    for row in codings:
        by_document[row.document].append(row)
    notes = _note_targets(memos)
    members: list[tuple[str, bytes]] = []
    written = 0
    source_elements: dict[str, ET.Element] = {}
    if documents:
        sources = ET.SubElement(root, "Sources")
        for doc in documents:
            source_guid = guid("source", doc["name"])
            source = ET.SubElement(
                sources,
                "TextSource",
                {
                    "guid": source_guid,
                    "name": doc["name"],
                    "plainTextPath": f"internal://{source_guid}.txt",
                },
            )
            source_elements[doc["name"]] = source
            members.append((f"sources/{source_guid}.txt", doc["text"].encode("utf-8")))
            written += _selections(
                source, doc["name"], by_document[doc["name"]], user_guid, code_guid, notes
            )
    # What no selection took (document memos, memos on a suggestion nobody accepted)
    # hangs on its document, or on the project, so no memo is left unlinked.
    for (document, _span), leftover in sorted(notes.items(), key=str):
        owner = source_elements.get(document, root) if document else root
        for note in leftover:
            ET.SubElement(owner, "NoteRef", {"targetGUID": note})
    if memos:
        notes_element = ET.Element("Notes")
        # Notes come before a project-level NoteRef in the schema's order.
        position = next((i for i, e in enumerate(root) if e.tag == "NoteRef"), len(root))
        root.insert(position, notes_element)
        for memo in memos:
            note_guid = _note_guid(memo)
            title = f"Memo by {memo['coder']}"
            if memo["document"]:
                title += f" on {memo['document']}"
            ET.SubElement(
                notes_element,
                "Note",
                _attrs(
                    guid=note_guid,
                    name=title,
                    plainTextPath=f"internal://{note_guid}.txt",
                    creatingUser=user_guid[memo["coder"]],
                    creationDateTime=xml_datetime(memo["created_at"]),
                ),
            )
            members.append((f"sources/{note_guid}.txt", memo["text"].encode("utf-8")))
    write_zip(path, [("project.qde", xml_bytes(root)), *sorted(members)])
    return ExportSummary(path, len(documents), len(codes), written, len(users), len(memos))


def _cases(root: ET.Element, documents: list, attributes: dict[int, dict[str, str]]) -> None:
    keys = sorted({key for values in attributes.values() for key in values})
    if not keys:
        return
    variables = ET.SubElement(root, "Variables")
    for key in keys:
        ET.SubElement(
            variables,
            "Variable",
            {"guid": guid("variable", key), "name": key, "typeOfVariable": "Text"},
        )
    cases = ET.SubElement(root, "Cases")
    for doc in documents:
        values = attributes.get(doc["id"])
        if not values:
            continue
        case = ET.SubElement(cases, "Case", {"guid": guid("case", doc["name"])})
        for key in sorted(values):
            value = ET.SubElement(case, "VariableValue")
            ET.SubElement(value, "VariableRef", {"targetGUID": guid("variable", key)})
            ET.SubElement(value, "TextValue").text = values[key]
        ET.SubElement(case, "SourceRef", {"targetGUID": guid("source", doc["name"])})


def _note_guid(memo) -> str:
    return guid("note", memo["document"] or "", memo["coder"], memo["created_at"], memo["text"])


def _note_targets(memos: list) -> dict[tuple, list[str]]:
    """(document, (start, end, coder) or None) -> GUIDs of the notes to link there."""
    targets: dict[tuple, list[str]] = defaultdict(list)
    for memo in memos:
        span = (memo["start"], memo["end"], memo["coder"]) if memo["start"] is not None else None
        targets[(memo["document"], span)].append(_note_guid(memo))
    return targets


def _selections(
    source: ET.Element,
    document: str,
    rows: list[CodingRow],
    user_guid: dict[str, str],
    code_guid: dict[str, str],
    notes: dict[tuple, list[str]],
) -> int:
    """Add one PlainTextSelection per (span, coder) with its Codings; return codings written."""
    groups: dict[tuple[int, int, str], list[CodingRow]] = defaultdict(list)
    for row in rows:
        groups[(row.start, row.end, row.coder)].append(row)
    written = 0
    first: dict[tuple[int, int], ET.Element] = {}
    for (start, end, coder), group in sorted(groups.items()):
        name = group[0].text
        if len(name) > NAME_LENGTH:
            name = name[:NAME_LENGTH] + "…"
        selection = ET.SubElement(
            source,
            "PlainTextSelection",
            _attrs(
                guid=guid("selection", document, start, end, coder),
                name=name,
                startPosition=str(start),
                endPosition=str(end),
                creatingUser=user_guid[coder],
                creationDateTime=xml_datetime(min(row.created_at for row in group)),
            ),
        )
        description = _description(group)
        if description:
            ET.SubElement(selection, "Description").text = description
        seen: set[str] = set()
        for row in sorted(group, key=lambda r: (r.code, r.id)):
            if row.code in seen:
                continue
            seen.add(row.code)
            coding = ET.SubElement(
                selection,
                "Coding",
                _attrs(
                    guid=guid("coding", document, start, end, coder, row.code),
                    creatingUser=user_guid[coder],
                    creationDateTime=xml_datetime(row.created_at),
                ),
            )
            ET.SubElement(coding, "CodeRef", {"targetGUID": code_guid[row.code]})
            written += 1
        # A memo on a suggestion belongs to the selection of its span: the memo writer's
        # own selection, else (below) the first selection of that span.
        for note in notes.pop((document, (start, end, coder)), []):
            ET.SubElement(selection, "NoteRef", {"targetGUID": note})
        first.setdefault((start, end), selection)
    for key in [k for k in notes if k[0] == document and k[1] and k[1][:2] in first]:
        for note in notes.pop(key):
            ET.SubElement(first[key[1][:2]], "NoteRef", {"targetGUID": note})
    return written


def _description(group: list[CodingRow]) -> str:
    """The selection's Description: the coders' memos, and for suggestions their evidence."""
    lines: list[str] = []
    for row in sorted(group, key=lambda r: (r.code, r.id)):
        if row.status == "suggested":
            score = f", score {row.score:.2f}" if row.score is not None else ""
            evidence = evidence_text(row.evidence)
            lines.append(f"codeer suggestion {row.code}{score}: {evidence}".rstrip(": "))
        if row.memo and row.memo not in lines:
            lines.append(row.memo)
    return "\n".join(lines)
