"""Reading a ``.qdpx`` into plain data: what the file says, before anything is stored.

Tools differ in details this reader absorbs: the namespace version, the ``sources`` or
``Sources`` folder, GUIDs in braces or upper case, text inline (``PlainTextContent``) or in
a file (``plainTextPath``), document attributes as ``VariableValue`` in the source, in an
unnamed ``Case`` with one ``SourceRef`` (MAXQDA) or in named cases (NVivo, ATLAS.ti).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from codeer.errors import ImportFileError
from codeer.exchange.qdc import child_text, children, local, read_codes
from codeer.exchange.refi import RefiCode
from codeer.ingest.limits import DEFAULT_LIMITS, Limits, read_member

_HINT = "export the project again as REFI-QDA (.qdpx) from its tool"


def norm_guid(value: str | None) -> str:
    """A GUID as compared here: no braces, lower case ('' for None)."""
    return (value or "").strip().strip("{}").lower()


@dataclass
class RefiSelection:
    """A ``PlainTextSelection``: positions as written, its codings, notes and memo."""

    start: int
    end: int
    name: str
    description: str
    user: str  # GUID of the creating user
    created: str | None
    codings: list[tuple[str, str, str | None]] = field(default_factory=list)  # code, user, time
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiSource:
    """A text source (or a PDF's text representation) with its selections."""

    guid: str
    name: str
    data: bytes | None  # the plain text as stored in the file
    skipped: str = ""  # why it cannot be imported ('' when it can)
    selections: list[RefiSelection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class RefiNote:
    """A ``Note`` (a memo) with its text."""

    guid: str
    name: str
    text: str
    user: str
    created: str | None


@dataclass
class RefiProject:
    """Everything codeer imports from a ``.qdpx``."""

    name: str
    origin: str
    users: dict[str, str]  # GUID -> name
    codes: list[tuple[str, RefiCode]]  # (GUID, code), parents first
    sources: list[RefiSource]
    notes: dict[str, RefiNote]
    project_notes: list[str]


def read_qdpx(path: Path, limits: Limits = DEFAULT_LIMITS) -> RefiProject:
    """Parse the ``.qdpx`` at *path*; ImportFileError when it is not a readable one.

    Only ``project.qde`` and the text sources are unpacked, each counted against
    *limits* (a zip bomb is refused, as in a .docx).
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ImportFileError("no such file", where=str(path), hint="check the path") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(
            f"not a .qdpx (zip) file: {exc}", where=str(path), hint=_HINT
        ) from None
    with archive:
        names = {name.lower(): name for name in archive.namelist()}
        qde = names.get("project.qde") or next(
            (name for key, name in names.items() if key.endswith(".qde") and "/" not in key), None
        )
        if qde is None:
            raise ImportFileError("the .qdpx holds no project.qde", where=str(path), hint=_HINT)
        where = str(path)

        def unpack(name: str) -> bytes:
            return read_member(archive, name, limits, where, [limits.max_bytes])

        try:
            root = ET.fromstring(unpack(qde))
        except ET.ParseError as exc:
            raise ImportFileError(
                f"project.qde is not valid XML ({exc})", where=str(path), hint=_HINT
            ) from None
        if local(root.tag) != "Project":
            raise ImportFileError(
                f"project.qde has <{local(root.tag)}> where <Project> belongs",
                where=str(path),
                hint=_HINT,
            )
        return _project(root, lambda ref: _member(unpack, names, ref))


def _member(unpack, names: dict[str, str], ref: str | None) -> bytes | None:
    """The bytes an ``internal://`` path points at (in ``sources/``), or None."""
    if not ref or not ref.lower().startswith("internal://"):
        return None
    inner = ref[len("internal://") :].lstrip("/")
    for candidate in (f"sources/{inner}", inner):
        name = names.get(str(PurePosixPath(candidate)).lower())
        if name is not None:
            return unpack(name)
    return None


def _project(root: ET.Element, read) -> RefiProject:
    users = {
        norm_guid(user.get("guid")): user.get("name") or user.get("id") or "imported"
        for element in children(root, "Users")
        for user in children(element, "User")
    }
    codes: list[tuple[str, RefiCode]] = []
    for book in children(root, "CodeBook"):
        for codes_element in children(book, "Codes"):
            codes = [(norm_guid(g), code) for g, code in read_codes(codes_element)]
    variables = {
        norm_guid(v.get("guid")): v.get("name") or "variable"
        for element in children(root, "Variables")
        for v in children(element, "Variable")
    }
    sources: list[RefiSource] = []
    for element in children(root, "Sources"):
        for source in element:
            sources.append(_source(source, read, variables))
    _case_attributes(root, variables, {s.guid: s for s in sources})
    notes: dict[str, RefiNote] = {}
    for element in children(root, "Notes"):
        for note in children(element, "Note"):
            data = read(note.get("plainTextPath"))
            text = data.decode("utf-8", "replace") if data is not None else ""
            text = (child_text(note, "PlainTextContent") or text).lstrip("\ufeff").strip()
            notes[norm_guid(note.get("guid"))] = RefiNote(
                norm_guid(note.get("guid")),
                note.get("name") or "",
                text,
                norm_guid(note.get("creatingUser") or note.get("modifyingUser")),
                note.get("creationDateTime") or note.get("modifiedDateTime"),
            )
    project_notes = [norm_guid(ref.get("targetGUID")) for ref in children(root, "NoteRef")]
    return RefiProject(
        root.get("name") or "",
        root.get("origin") or "",
        users,
        codes,
        sources,
        notes,
        project_notes,
    )


def _source(element: ET.Element, read, variables: dict[str, str]) -> RefiSource:
    kind = local(element.tag)
    name = element.get("name") or element.get("guid") or "source"
    source_guid = norm_guid(element.get("guid"))
    if kind == "PDFSource":
        # A PDF's codings on text live in its plain-text Representation: import that.
        representations = children(element, "Representation")
        if not representations:
            return RefiSource(source_guid, name, None, "a PDF without a text representation")
        source = _source(representations[0], read, variables)
        source.guid, source.name = source_guid, name
        source.attributes.update(_values(element, variables))
        return source
    if kind != "TextSource":
        return RefiSource(source_guid, name, None, f"a {kind}: codeer imports text only")
    inline = children(element, "PlainTextContent")
    path = element.get("plainTextPath")
    data = (inline[0].text or "").encode("utf-8") if inline else read(path)
    skipped = ""
    if data is None:
        where = path or element.get("richTextPath") or "no plainTextPath"
        skipped = f"its plain text ({where}) is not inside the .qdpx"
    source = RefiSource(source_guid, name, data, skipped)
    for selection in children(element, "PlainTextSelection"):
        try:
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        except (TypeError, ValueError):
            continue  # the schema requires both; a selection without them marks nothing
        found = RefiSelection(
            start,
            end,
            selection.get("name") or "",
            child_text(selection, "Description").strip(),
            norm_guid(selection.get("creatingUser") or selection.get("modifyingUser")),
            selection.get("creationDateTime") or selection.get("modifiedDateTime"),
        )
        for coding in children(selection, "Coding"):
            refs = children(coding, "CodeRef")
            if refs:
                user = norm_guid(coding.get("creatingUser")) or found.user
                time = coding.get("creationDateTime") or found.created
                found.codings.append((norm_guid(refs[0].get("targetGUID")), user, time))
        found.notes = [norm_guid(ref.get("targetGUID")) for ref in children(selection, "NoteRef")]
        source.selections.append(found)
    source.notes = [norm_guid(ref.get("targetGUID")) for ref in children(element, "NoteRef")]
    source.attributes.update(_values(element, variables))
    return source


def _values(element: ET.Element, variables: dict[str, str]) -> dict[str, str]:
    """``VariableValue`` children as {variable name: value as text}."""
    result: dict[str, str] = {}
    for value in children(element, "VariableValue"):
        refs = children(value, "VariableRef")
        name = variables.get(norm_guid(refs[0].get("targetGUID"))) if refs else None
        texts = [
            (child.text or "").strip() for child in value if local(child.tag).endswith("Value")
        ]
        if name and texts and texts[0]:
            result[name] = texts[0]
    return result


def _case_attributes(
    root: ET.Element, variables: dict[str, str], sources: dict[str, RefiSource]
) -> None:
    """Give each source the variable values of the cases that refer to it.

    A named case (a person, a gemeente) also gives its sources the attribute ``case``.
    """
    for element in children(root, "Cases"):
        for case in children(element, "Case"):
            values = _values(case, variables)
            if case.get("name"):
                values.setdefault("case", case.get("name"))
            for ref in children(case, "SourceRef"):
                source = sources.get(norm_guid(ref.get("targetGUID")))
                if source is not None:
                    for key, value in values.items():
                        source.attributes.setdefault(key, value)
