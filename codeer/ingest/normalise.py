"""Turning file bytes into the one normalised text a document stores.

Every document's text goes through :func:`decode` (bytes -> str) and :func:`normalise`
(NFC, ``\\n`` line ends, no BOM) exactly once; plain-text formats then lose their YAML
front matter via :func:`split_front_matter`. Nothing else is changed, because every
coding is addressed by character offsets into the stored text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from codeer.errors import ImportFileError

# Control characters that do belong in text files; every other C0/C1 control counts
# towards the "this is a binary file" share.
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
# The Cc category is exactly U+0000-U+001F and U+007F-U+009F.
_CONTROLS = re.compile(
    "["
    + "".join(
        re.escape(chr(c))
        for c in [*range(0x20), *range(0x7F, 0xA0)]
        if chr(c) not in _TEXT_CONTROLS
    )
    + "]"
)
# Above this share of control characters a file is binary, not a damaged transcript.
_BINARY_SHARE = 0.05

_SAVE_AS_UTF8 = "open it in a text editor and save it as UTF-8"

# Opening and closing lines of a YAML front matter block ("..." is YAML's document end).
_FM_OPEN = re.compile(r"---[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line number of byte *offset* (LF-counted; CR-only files count as 1)."""
    return data.count(b"\n", 0, offset) + 1


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    # A regex, not a loop over unicodedata.category: a 20 MB file is checked in
    # milliseconds instead of seconds.
    return len(_CONTROLS.findall(text)) / len(text)


def _binary_error(where: str) -> ImportFileError:
    return ImportFileError(
        "this is a binary file, not text",
        where=where,
        hint="import .txt, .md, .docx, .odt, .vtt or .srt files; export other formats "
        "to one of these first",
    )


def _decode_bom(data: bytes, where: str) -> str | None:
    """Decode a file that starts with a byte order mark; None when there is none."""
    # UTF-32 first: its LE mark begins with the UTF-16 LE mark.
    for bom, codec, name in (
        (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
        (codecs.BOM_UTF8, "utf-8", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(codec)
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"the file starts with a {name} byte order mark but is not valid {name} "
                    f"(byte {exc.start + len(bom)})",
                    where=where,
                    hint=_SAVE_AS_UTF8,
                ) from None
    return None


def decode(data: bytes, where: str) -> str:
    """Decode the raw bytes of a text file.

    A byte order mark decides the encoding (UTF-8, UTF-16 LE/BE, UTF-32). Without one the
    file must be strict UTF-8, else it is read as Windows-1252 (what Word and Notepad on
    Dutch Windows write). The result may still start with U+FEFF and contain ``\\r\\n``;
    :func:`normalise` takes care of that.

    Raises:
        ImportFileError: the file is empty or only whitespace, binary, mixes UTF-8 with
            another encoding, or is in neither UTF-8 nor Windows-1252.
    """
    text = _decode_bom(data, where)
    if text is None:
        if b"\x00" in data:
            # NUL bytes never occur in UTF-8 or cp1252 text; UTF-16 without a BOM is not
            # guessed (too easily confused with binary data) but recognised for the hint.
            if _looks_like_utf16(data):
                raise ImportFileError(
                    "the file looks like UTF-16 text without a byte order mark",
                    where=where,
                    hint=_SAVE_AS_UTF8,
                )
            raise _binary_error(where)
        text = _decode_no_bom(data, where)
    if not text.replace("\ufeff", "").strip():
        raise ImportFileError(
            "the file is empty", where=where, hint="check that you picked the right file"
        )
    if "\x00" in text or _control_share(text) > _BINARY_SHARE:
        raise _binary_error(where)
    return text


def _decode_no_bom(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    # Valid UTF-8 letters or quotes before the first bad byte mean the file mixes encodings
    # (e.g. pasted from two sources); reading it all as cp1252 would garble the UTF-8 part.
    if _looks_like_utf8(data[:bad]):
        raise ImportFileError(
            f"line {_line_of(data, bad)}: the file is UTF-8 up to here, but this line is "
            "not (mixed encodings)",
            where=where,
            hint=_SAVE_AS_UTF8,
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        # Bytes cp1252 leaves undefined: binary data, or an encoding we do not guess.
        if _control_share(data.decode("latin-1")) > _BINARY_SHARE:
            raise _binary_error(where) from None
        raise ImportFileError(
            f"line {_line_of(data, exc.start)}: the file is neither UTF-8 nor Windows-1252 "
            f"text (byte 0x{data[exc.start]:02X})",
            where=where,
            hint=_SAVE_AS_UTF8,
        ) from None


def _looks_like_utf16(data: bytes) -> bool:
    """Mostly-ASCII UTF-16: (nearly) every high byte of a code unit is NUL."""
    if len(data) < 4 or len(data) % 2:
        return False
    even, odd = data[0::2], data[1::2]
    return any(
        high.count(0) >= 0.9 * len(high) and low.count(0) == 0
        for high, low in ((even, odd), (odd, even))
    )


def _looks_like_utf8(prefix: bytes) -> bool:
    """Whether a valid UTF-8 prefix holds characters a UTF-8 Dutch text would have.

    cp1252 text can contain byte pairs that happen to be valid UTF-8 ("É’" is U+0252), but
    they decode to rare characters; UTF-8 Dutch text has accented Latin letters and
    typographic punctuation.
    """
    chars = {ch for ch in prefix.decode("utf-8") if not ch.isascii()}
    return bool(chars) and all(
        "\u00a0" <= ch <= "\u017f" or "\u2000" <= ch <= "\u206f" or ch == "€" for ch in chars
    )


def normalise(text: str) -> str:
    """The stored form of a text: BOM removed at the start, ``\\n`` line ends, NFC.

    Idempotent: ``normalise(normalise(t)) == normalise(t)``.
    """
    # All leading BOMs go (a file re-saved with a BOM twice has two), so this is idempotent.
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def split_front_matter(text: str, where: str) -> tuple[dict[str, str], str]:
    """Split YAML front matter off the start of a normalised text.

    Front matter is a block that starts with a ``---`` line at the very first line and
    ends with a ``---`` (or ``...``) line. Its top-level keys become attributes with the
    values as written (``45`` stays ``"45"``, ``ja`` stays ``"ja"``; empty and ``null``
    become ``""``). Returns ``(attributes, rest)`` where *rest* is everything after the
    closing line, unchanged; without front matter ``({}, text)``.

    Raises:
        ImportFileError: the block is not closed, not valid YAML, not a mapping, has
            a repeated key, or has a nested value (a list or mapping).
    """
    opening = _FM_OPEN.match(text)
    if not opening:
        return {}, text
    closing = _FM_CLOSE.search(text, opening.end())
    if not closing:
        raise ImportFileError(
            "line 1: the front matter that starts here is never closed",
            where=where,
            hint="end the front matter with a line '---', or remove the first line '---'",
        )
    block = text[opening.end() : closing.start()]
    rest_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    return _parse_front_matter(block, where), text[rest_start:]


def _parse_front_matter(block: str, where: str) -> dict[str, str]:
    import yaml  # only needed for files that have front matter

    # The YAML starts on line 2 of the file; marks count from 0.
    def line(mark: yaml.Mark | None) -> int:
        return (mark.line if mark is not None else 0) + 2

    try:
        # Only scalars are taken below, so an alias cannot multiply anything; deep
        # nesting makes the composer recurse until Python's stack runs out.
        node = yaml.compose(block, Loader=yaml.SafeLoader)
    except RecursionError:
        raise ImportFileError(
            "the front matter is nested too deeply",
            where=where,
            hint="write one 'key: value' per line",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise ImportFileError(
            f"line {line(mark)}: the front matter is not valid YAML: {problem}",
            where=where,
            hint="write one 'key: value' per line; quote values that contain ': ' or '#'",
        ) from None
    except yaml.YAMLError as exc:
        raise ImportFileError(
            f"the front matter is not valid YAML: {exc}", where=where, hint="check its syntax"
        ) from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise ImportFileError(
            f"line {line(node.start_mark)}: the front matter must be 'key: value' lines",
            where=where,
            hint="write one 'key: value' per line",
        )
    attributes: dict[str, str] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise ImportFileError(
                f"line {line(key_node.start_mark)}: a front matter key must be plain text",
                where=where,
                hint="write one 'key: value' per line",
            )
        key = key_node.value
        if key in attributes:
            raise ImportFileError(
                f"line {line(key_node.start_mark)}: the front matter key '{key}' is repeated",
                where=where,
                hint="give each key once",
            )
        if not isinstance(value_node, yaml.ScalarNode):
            raise ImportFileError(
                f"line {line(value_node.start_mark)}: the front matter value of '{key}' is "
                "a list or mapping; attributes must be single values",
                where=where,
                hint=f"write '{key}' as one value, e.g. {key}: waarde1, waarde2",
            )
        # Scalars are kept as written rather than typed by YAML, so "08" or "nee"
        # survive unchanged; only an unquoted empty/null value means "no value".
        value = value_node.value
        if value_node.style is None and value in _NULLS:
            value = ""
        attributes[key] = value
    return attributes
