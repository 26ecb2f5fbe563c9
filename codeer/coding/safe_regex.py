"""Codebook regular expressions that cannot hang codeer.

Python's ``re`` backtracks without limit: ``(a+)+$`` on a sentence of 34 a's runs for
minutes and ignores Ctrl-C. Codebook patterns therefore run on the ``regex`` package,
which accepts every ``re`` pattern, is immune to many such cases and takes a *timeout*:

- ``codeer codebook check`` (and every load) compiles each pattern and probes it on
  strings of 1,000 of its own characters (:func:`problem`): a pattern that does not
  finish in :data:`PROBE_TIMEOUT` is reported with its line and field;
- while coding, every search has :data:`MATCH_TIMEOUT` seconds per text; a pattern that
  runs out stops the run with one clear error (:class:`RegexTimeout`).
"""

from __future__ import annotations

import regex

FLAGS = regex.IGNORECASE | regex.VERSION0  # VERSION0: the ``re`` dialect
PROBE_TIMEOUT = 0.25  # a pattern linear on 1,000 characters needs well under 10 ms
PROBE_LENGTH = 1000
MATCH_TIMEOUT = 3.0  # per text (a turn, or a piece of a long one) and pattern
_PROBE_CHARS = "a0 .é-"  # classes such as \w \d \s . are pumped with these


class RegexTimeout(Exception):
    """A codebook regex ran out of time on a text (caught and reported by the matcher)."""


def compile_pattern(value: str) -> regex.Pattern[str]:
    """A codebook regex, compiled the way the matcher runs it (case-insensitive)."""
    return regex.compile(value, FLAGS)


def problem(value: str) -> str | None:
    """What is wrong with a codebook regex, or None: invalid, or catastrophically slow."""
    try:
        pattern = compile_pattern(value)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        return f"invalid regular expression: {exc}"
    for probe in _probes(value):
        try:
            pattern.search(probe, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            return (
                "this regular expression backtracks catastrophically (it did not finish on "
                f"{len(probe)} characters in {PROBE_TIMEOUT} s): avoid nested repeats such as "
                "(a+)+ or (a|aa)*, and alternatives that match the same text"
            )
    return None


def _probes(value: str) -> list[str]:
    """Long strings a backtracking pattern chokes on: its own characters and words, pumped.

    Each ends in a character nothing expects (NUL), so that an anchored or trailing
    part fails only after every way of splitting the run has been tried.
    """
    chars = [c for c in dict.fromkeys(value) if c.isalnum() or c in " -_'.,"][:12]
    units = list(dict.fromkeys([*chars, *_PROBE_CHARS]))
    words = [w for w in regex.findall(r"\w{2,}", value)][:6]
    units += [f"{w} " for w in words] + [w for w in words]
    return [unit * (PROBE_LENGTH // len(unit)) + "\x00" for unit in units]


def finditer(pattern: regex.Pattern[str], text: str):
    """``pattern.finditer(text)`` that raises :class:`RegexTimeout` after MATCH_TIMEOUT s."""
    try:
        yield from pattern.finditer(text, timeout=MATCH_TIMEOUT)
    except TimeoutError:
        raise RegexTimeout(pattern.pattern) from None


def search(pattern: regex.Pattern[str], text: str):
    """``pattern.search(text)`` that raises :class:`RegexTimeout` after MATCH_TIMEOUT s."""
    try:
        return pattern.search(text, timeout=MATCH_TIMEOUT)
    except TimeoutError:
        raise RegexTimeout(pattern.pattern) from None
