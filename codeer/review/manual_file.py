"""`codeer add --from FILE.jsonl`: manual codings from a file, one JSON object per line.

Each line is ``{"document": ..., "start": ..., "end": ..., "code": ...}`` with optional
``"coder"`` and ``"memo"``; offsets are code-point offsets into the stored text. Every
line is its own step (one transaction, one ``manual.add`` event), so a bad line is
reported with its file and line number while the other lines still land, and an
interrupted run keeps exactly the lines stored so far. Blank lines are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from codeer.errors import CodeerError
from codeer.review.manual import ADD_ACTION, Added, ManualError, add_manual
from codeer.store.documents import resolve_document
from codeer.store.project import Project

REQUIRED = ("document", "start", "end", "code")
OPTIONAL = ("coder", "memo")
FIELDS_HINT = 'one object per line: {"document": NAME, "start": N, "end": N, "code": KEY}'


@dataclass(frozen=True)
class AddRequest:
    """One manual coding asked for: the document by name or stem, span, code, coder."""

    document: str
    start: int
    end: int
    code: str
    coder: str | None = None
    memo: str | None = None


@dataclass
class AddOutcome:
    """What became of one line: stored, already there, or an error (with its place)."""

    where: str
    request: AddRequest | None
    added: Added | None = None
    error: CodeerError | None = None


def parse_line(text: str, where: str) -> AddRequest:
    """One JSONL line as an :class:`AddRequest`; a malformed one raises with *where*."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManualError(f"not valid JSON ({exc.msg})", where=where, hint=FIELDS_HINT) from None
    if not isinstance(data, dict):
        raise ManualError("not a JSON object", where=where, hint=FIELDS_HINT)
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise ManualError(
            f"unknown field {unknown[0]!r}",
            where=where,
            hint=f"the fields are {', '.join(REQUIRED + OPTIONAL)}",
        )
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise ManualError(f"missing field {missing[0]!r}", where=where, hint=FIELDS_HINT)
    for key in ("document", "code", *OPTIONAL):
        if key in data and data[key] is not None and not isinstance(data[key], str):
            raise ManualError(f"{key} must be a string, not {data[key]!r}", where=where)
    for key in ("start", "end"):
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ManualError(
                f"{key} must be a whole number, not {value!r}",
                where=where,
                hint="offsets count characters (code points) from 0",
            )
    return AddRequest(
        data["document"], data["start"], data["end"], data["code"],
        data.get("coder"), data.get("memo"),
    )  # fmt: skip


def add_request(project: Project, request: AddRequest, coder: str) -> Added:
    """Store one request (its own coder, else *coder*) as one ``manual.add`` step."""
    doc = resolve_document(project.con, request.document)
    return add_manual(
        project,
        doc["id"],
        request.start,
        request.end,
        request.code,
        request.coder or coder,
        memo=request.memo,
        action=ADD_ACTION,
    )


def _decoded(line: str | bytes, number: int, where: str) -> str:
    if isinstance(line, str):
        return line
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise ManualError("not UTF-8 text", where=where, hint="save the file as UTF-8") from None
    return text.removeprefix("\ufeff") if number == 1 else text


def add_from_lines(
    project: Project, lines: Iterable[str | bytes], source: str, coder: str
) -> Iterator[AddOutcome]:
    """Add every line of a JSONL file; yields one outcome per non-blank line, in order.

    Lines may be bytes (decoded as UTF-8 one by one, so one bad line does not stop the
    rest). The caller decides what to print; an outcome with ``error`` stored nothing.
    """
    for number, line in enumerate(lines, start=1):
        where = f"{source}:{number}"
        request = None
        try:
            text = _decoded(line, number, where)
            if not text.strip():
                continue
            request = parse_line(text, where)
            yield AddOutcome(where, request, added=add_request(project, request, coder))
        except CodeerError as exc:
            if not exc.where:
                exc.where = where
            yield AddOutcome(where, request, error=exc)
