"""Text from transcripts made safe for where it is shown: spreadsheets, terminals, Markdown.

A transcript is input we do not control: a respondent's line can begin with ``=`` (a
formula when a spreadsheet opens the CSV), hold terminal escape sequences (which recolour
or retitle the terminal, or hide text), or HTML (which a Markdown viewer would run). The
stored text never changes; only what is written for a spreadsheet, a terminal or a
Markdown viewer is neutralised, each the way its reader needs:

- :func:`spreadsheet_cell`: a cell starting with ``= + - @``, tab or carriage return gets a
  leading single quote, as OWASP recommends against CSV injection; ``--raw`` skips it.
- :func:`terminal_text`: control characters (C0 but newline and tab, DEL, C1) and the
  bidirectional overrides are shown as ``\\x1b``-style escapes instead of acting.
- :func:`markdown_text`: ``&``, ``<`` and ``>`` become HTML entities, so no tag forms.
"""

from __future__ import annotations

import re
from typing import Any

# OWASP's list: a cell a spreadsheet reads as a formula (or DDE) starts with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# C0 controls except tab (09) and newline (0a), DEL, C1 controls, and the Unicode
# bidirectional embeddings, overrides and isolates (text that displays reordered).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# A plain number ("-2", "+3,5") is no formula: it stays as it is, so it still sums.
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def needs_quote(value: Any) -> bool:
    """True for a text a spreadsheet would read as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and _NUMBER.fullmatch(value) is None
    )


def spreadsheet_cell(value: Any) -> Any:
    """*value* with a leading ``'`` when a spreadsheet would take it for a formula.

    Numbers stay numbers, also written as text ("-2"): only text that could be a formula
    is quoted.
    """
    return "'" + value if needs_quote(value) else value


def spreadsheet_row(values: list[Any], raw: bool = False) -> list[Any]:
    """A CSV row with every cell passed through :func:`spreadsheet_cell` (unless *raw*)."""
    return list(values) if raw else [spreadsheet_cell(v) for v in values]


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_text(text: Any) -> str:
    """*text* for a terminal: control characters shown as ``\\x1b`` instead of acting."""
    return _CONTROL.sub(_visible, str(text))


def markdown_text(text: Any) -> str:
    """*text* for Markdown with ``&``, ``<`` and ``>`` as entities: no raw HTML can form."""
    return re.sub("[&<>]", lambda m: _MARKDOWN_HTML[m.group(0)], str(text))


# md_escape (codeer.synthesis.summary_text) writes "\\<" before a tag-like "<": an escaped
# "<" behind an even run of backslashes (each "\\\\" is an escaped backslash).
_ESCAPED_LT = re.compile(r"(?<!\\)((?:\\\\)*)\\<")


def entity_lt(markdown: str) -> str:
    """Markdown whose ``\\<`` escapes become ``&lt;``: also safe where a viewer ignores them."""
    return _ESCAPED_LT.sub(r"\1&lt;", markdown)
