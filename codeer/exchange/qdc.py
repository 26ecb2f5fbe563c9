"""Codebooks to and from REFI-QDA: the ``.qdc`` file and the ``CodeBook`` of a project.

Export writes every code as a ``Code`` nested under its parent, its label as the name and
its definition, inclusion and exclusion criteria and examples as the ``Description``
(with a ``codeer key:`` line, so a round trip keeps the keys). Import reads the nesting
back as parents and the Description back into its parts; a code from another tool gets a
key made from its name. Patterns, weights and settings are codeer's own and do not
travel: an imported codebook describes codes but suggests nothing until patterns are added.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from codeer.errors import CodebookError
from codeer.exchange.refi import (
    CODEBOOK_NS,
    ORIGIN,
    RefiCode,
    code_elements,
    parse_description,
    xml_bytes,
)
from codeer.store.files import write_bytes_atomic

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def local(tag: str) -> str:
    """An element's tag without its namespace (tools differ in the version they write)."""
    return tag.rsplit("}", 1)[-1]


def children(element: ET.Element, name: str) -> list[ET.Element]:
    """Direct children called *name*, whatever their namespace."""
    return [child for child in element if local(child.tag) == name]


def child_text(element: ET.Element, name: str) -> str:
    """Text of the first direct child called *name* ('' when absent or empty)."""
    found = children(element, name)
    return (found[0].text or "") if found else ""


def codebook_xml(codes: list[RefiCode]) -> bytes:
    """A REFI-QDA codebook document (``.qdc``) holding *codes*."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": ORIGIN})
    code_elements(ET.SubElement(root, "Codes"), codes)
    return xml_bytes(root)


def export_qdc(codes: list[RefiCode], path: Path) -> None:
    """Write *codes* to *path* as a ``.qdc`` file (atomically)."""
    if not codes:
        raise CodebookError(
            "there is no codebook to export",
            hint="run `codeer code` first, or pass --codebook FILE.yaml",
        )
    write_bytes_atomic(path, codebook_xml(codes))


def make_key(name: str, taken: set[str]) -> str:
    """A codeer key (lower case letters, digits, _) from a code name, unique in *taken*."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "code"
    if not key[0].isalpha():
        key = f"code_{key}"
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}_{number}", number + 1
    return candidate


def read_codes(codes_element: ET.Element) -> list[tuple[str, RefiCode]]:
    """(GUID, code) for every ``Code`` under a ``Codes`` element, parents before children."""
    result: list[tuple[str, RefiCode]] = []
    taken: set[str] = set()

    def walk(element: ET.Element, parent: str | None) -> None:
        for code in children(element, "Code"):
            name = (code.get("name") or "").strip() or "code"
            parts = parse_description(child_text(code, "Description"))
            key = parts["key"]
            if not key or not _KEY.match(key) or key in taken:
                key = make_key(name, taken)
            taken.add(key)
            refi = RefiCode(
                key,
                name,
                parent,
                parts.get("definition", ""),
                parts.get("inclusion", ""),
                parts.get("exclusion", ""),
                parts.get("examples", []),
            )
            result.append((code.get("guid") or "", refi))
            walk(code, key)

    walk(codes_element, None)
    return result


def parse_qdc(path: Path) -> list[RefiCode]:
    """The codes of a ``.qdc`` file; CodebookError when it is not a REFI codebook."""
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise CodebookError(f"file not found: {path}", hint="check the path") from None
    except (ET.ParseError, OSError) as exc:
        raise CodebookError(
            f"not a readable XML file ({exc})",
            where=str(path),
            hint="export the codebook again as REFI-QDA (.qdc) from its tool",
        ) from None
    codes = children(root, "Codes") if local(root.tag) == "CodeBook" else []
    if not codes:
        raise CodebookError(
            "no REFI-QDA CodeBook with Codes in this file",
            where=str(path),
            hint="a .qdc file starts with <CodeBook> and holds a <Codes> element",
        )
    return [code for _, code in read_codes(codes[0])]


def codes_to_yaml(codes: list[RefiCode], name: str, source: str = "") -> str:
    """codeer's YAML codebook for *codes*; it passes ``codeer codebook check``."""
    import yaml

    entries: list[dict[str, Any]] = []
    for code in codes:
        entry: dict[str, Any] = {"key": code.key, "label": code.label}
        if code.parent:
            entry["parent"] = code.parent
        for field in ("definition", "inclusion", "exclusion"):
            if getattr(code, field):
                entry[field] = getattr(code, field)
        if code.examples:
            entry["examples"] = list(code.examples)
        entries.append(entry)
    header = (
        f"# Imported from {source} by codeer.\n" if source else "# Written by codeer.\n"
    ) + "# REFI-QDA codebooks carry no patterns: add them for `codeer code` to suggest codes.\n"
    body = yaml.safe_dump(
        {"name": name, "codes": entries}, allow_unicode=True, sort_keys=False, width=100
    )
    return header + body


def import_qdc(path: Path, name: str | None = None) -> str:
    """The YAML codebook text for the ``.qdc`` file at *path*."""
    codes = parse_qdc(Path(path))
    return codes_to_yaml(codes, name or Path(path).stem, source=Path(path).name)
