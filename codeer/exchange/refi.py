"""What REFI-QDA export and import share: namespaces, GUIDs, schemas, zip writing, codes.

GUIDs are UUID 5 values from codeer's own namespace and a name that says what the thing
is (``user:anna``, ``code:vertrouwen``), so exporting the same project twice gives the
same file, and a project imported and exported again keeps its GUIDs.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from codeer import __version__
from codeer.coding.codebook import CodeMeaning
from codeer.store.files import write_atomic

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"codeer {__version__}"
# Fixed namespace for codeer's UUID 5 GUIDs; never change it (GUIDs would change).
GUID_NAMESPACE = uuid.UUID("6f1c0a52-4c43-5d1e-9a57-636f64656572")
# 1980-01-01 is the earliest time a zip entry can hold: a fixed stamp, reproducible files.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_KEY_LINE = re.compile(r"^codeer key: ([a-z][a-z0-9_]*)$", re.MULTILINE)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SECTION = re.compile(r"^(Inclusion|Exclusion|Examples):[ \t]*", re.MULTILINE)


def guid(kind: str, *parts: object) -> str:
    """A stable GUID for *kind* (user, code, source, ...) named by *parts*."""
    name = "\x1f".join([kind, *(str(part) for part in parts)])
    return str(uuid.uuid5(GUID_NAMESPACE, name))


def schema_path(kind: str) -> Path:
    """The packaged XSD: *kind* ``project`` or ``codebook``."""
    name = {"project": "Project-mrt2019.xsd", "codebook": "Codebook-mrt2019.xsd"}[kind]
    return Path(str(resources.files("codeer") / "data" / "refi" / name))


def xml_datetime(stamp: str | None) -> str | None:
    """codeer's ISO time as an xsd:dateTime in UTC (``2024-05-01T10:00:00Z``)."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def codeer_datetime(value: str | None) -> str | None:
    """An xsd:dateTime from another tool as codeer stores times (ISO, UTC), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def xml_safe(text: str) -> str:
    """*text* without the control characters XML 1.0 cannot hold (a page break, \\v).

    Only names and descriptions pass here; a document's text goes to its own file whole.
    """
    return _NOT_XML.sub(" ", text)


def xml_bytes(root: ET.Element) -> bytes:
    """The element as an indented UTF-8 XML document."""
    for element in root.iter():
        if element.text:
            element.text = xml_safe(element.text)
        for key, value in element.attrib.items():
            element.attrib[key] = xml_safe(value)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    """Write a zip with fixed timestamps, whole or not at all (:mod:`codeer.store.files`)."""

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w") as archive:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)

    write_atomic(path, write)


@dataclass
class RefiCode(CodeMeaning):
    """A code as REFI-QDA carries it: codeer's meaning of a code, without its patterns."""

    def description(self) -> str:
        """Definition, criteria and examples as one readable text (the REFI Description)."""
        parts = [self.definition] if self.definition else []
        if self.inclusion:
            parts.append(f"Inclusion: {self.inclusion}")
        if self.exclusion:
            parts.append(f"Exclusion: {self.exclusion}")
        if self.examples:
            parts.append("Examples:\n" + "\n".join(f"- {example}" for example in self.examples))
        parts.append(f"codeer key: {self.key}")
        return "\n\n".join(parts)


def parse_description(text: str) -> dict[str, Any]:
    """The parts of a Description written by :meth:`RefiCode.description` (or free text).

    Text before any ``Inclusion:``/``Exclusion:``/``Examples:`` line is the definition.
    """
    key_match = _KEY_LINE.search(text)
    text = _KEY_LINE.sub("", text).strip()
    result: dict[str, Any] = {"key": key_match.group(1) if key_match else None}
    pieces = _SECTION.split(text)
    result["definition"] = pieces[0].strip()
    for name, body in zip(pieces[1::2], pieces[2::2], strict=True):
        body = body.strip()
        if name == "Examples":
            lines = [line.strip() for line in body.splitlines() if line.strip()]
            result["examples"] = [line[2:] if line.startswith("- ") else line for line in lines]
        else:
            result[name.lower()] = body
    return result


def codes_from_codebook(codebook: Any) -> list[RefiCode]:
    """REFI codes from a loaded :class:`codeer.coding.codebook.Codebook`, in file order."""
    return [
        RefiCode(c.key, c.label, c.parent, c.definition, c.inclusion, c.exclusion, list(c.examples))
        for c in codebook.codes.values()
    ]


def codes_from_store(con: sqlite3.Connection, used: set[str] | None = None) -> list[RefiCode]:
    """The newest stored codebook's codes, plus older or unknown codes named in *used*.

    A code a coding uses but no stored codebook defines becomes a top-level code whose
    label is its key, so every exported coding has a code to point at.
    """
    import json

    newest = con.execute("SELECT MAX(id) FROM codebooks").fetchone()[0]
    rows = con.execute(
        "SELECT key, label, parent, definition, data, codebook_id FROM codes"
        " ORDER BY codebook_id = ? DESC, codebook_id DESC, rowid",
        (newest,),
    ).fetchall()
    codes: dict[str, RefiCode] = {}
    for row in rows:
        if row["key"] in codes or (row["codebook_id"] != newest and row["key"] not in (used or ())):
            continue
        data = json.loads(row["data"] or "{}")
        codes[row["key"]] = RefiCode(
            row["key"],
            row["label"],
            row["parent"],
            row["definition"] or "",
            data.get("inclusion") or "",
            data.get("exclusion") or "",
            [str(e) for e in data.get("examples") or []],
        )
    for key in sorted((used or set()) - set(codes)):
        codes[key] = RefiCode(key, key)
    for code in codes.values():
        if code.parent not in codes:
            code.parent = None  # a parent from another codebook version: keep the code on top
    return list(codes.values())


def code_elements(parent: ET.Element, codes: list[RefiCode]) -> dict[str, str]:
    """Nest ``Code`` elements under *parent* (children inside parents); key -> GUID.

    Tags are written without a namespace: the root element carries ``xmlns``, so the
    same builder serves the project and the codebook schema.
    """
    guids: dict[str, str] = {}

    def add(into: ET.Element, parent_key: str | None) -> None:
        for code in codes:
            if code.parent != parent_key:
                continue
            guids[code.key] = guid("code", code.key)
            element = ET.SubElement(
                into,
                "Code",
                {"guid": guids[code.key], "name": code.label, "isCodable": "true"},
            )
            ET.SubElement(element, "Description").text = code.description()
            add(element, code.key)

    add(parent, None)
    return guids
