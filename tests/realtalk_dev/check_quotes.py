#!/usr/bin/env python3
"""Check the realtalk tuning set: every gold quote is one coded sentence, exactly once.

Standalone (standard library only). Usage:

    python tests/realtalk_dev/check_quotes.py [FOLDER]

The files here come in several shapes (I:/R: interviews, a council debate with the
speaker on a line of its own, a magazine interview with one-off labels and an
unlabelled intro, a focus group, a transcription-service export with timestamps),
so this script has its own small turn reader instead of assuming I:/R: turns.

Checks, per line of gold.jsonl (each failure is an error):
  * valid JSON with exactly the keys document, quote, code;
  * code is one of verbinden, vertrouwen, verantwoordelijkheid;
  * the document exists next to gold.jsonl;
  * the quote occurs exactly once in the file (as a substring);
  * the quote is one whole sentence of a turn of a coded speaker, that is not of a
    questioner (I, Interviewer, Redactie, Gespreksleider), not of the chair
    (De voorzitter) and not of unlabelled narration or header text;
  * no duplicate (document, quote, code) rows.

Prints words, coded-speaker sentences and gold lines per file and per theme.
Exits with status 1 if any check fails.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "# Fictief: alle personen en plaatsen zijn verzonnen."
CODES = ("verbinden", "vertrouwen", "verantwoordelijkheid")
# Speakers whose turns are context only: the people asking, and the chair who only chairs.
NOT_CODED = {"I", "Interviewer", "Redactie", "Gespreksleider", "De voorzitter"}

TIMESTAMPED = re.compile(r"^\[\d\d:\d\d:\d\d\]\s+([^:]{1,40}):\s+(.*)$")
LABEL_ONLY = re.compile(r"^([A-Z][^:.?!]{0,60}):$")
# A short label before the first colon; no sentence punctuation may precede it, so a
# header such as "Verslag van ..., agendapunt 7: ..." is not taken for a speaker.
INLINE = re.compile(r"^([A-Z][^:.?!]{0,40}):\s+(.*)$")


def read_turns(text: str) -> list[tuple[str | None, str]]:
    """Return (speaker, paragraph text) pairs; speaker None means narration or header.

    A file with timestamped lines is read as an export: only those lines are turns.
    Otherwise a label alone on a line (debate style) opens a turn that runs over the
    following lines until the next label; an inline label (`Label: text`) covers only
    its own paragraph, and unlabelled paragraphs in such files are narration.
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if any(TIMESTAMPED.match(line) for line in lines):
        return [(m.group(1), m.group(2)) for line in lines if (m := TIMESTAMPED.match(line))]
    turns: list[tuple[str | None, str]] = []
    current: str | None = None
    for line in lines:
        if m := LABEL_ONLY.match(line):
            current = m.group(1)
        elif m := INLINE.match(line):
            turns.append((m.group(1), m.group(2)))
            current = None
        else:
            turns.append((current, line))
    return turns


def split_sentences(turn: str) -> list[str]:
    """Split a turn at . ? ! followed by whitespace (the unit of the gold)."""
    return [part for part in re.split(r"(?<=[.?!])\s+", turn.strip()) if part]


def coded_sentences(text: str) -> list[str]:
    """All sentences of speakers who are coded (not questioners, chair or narration)."""
    return [
        sentence
        for speaker, turn in read_turns(text)
        if speaker is not None and speaker not in NOT_CODED
        for sentence in split_sentences(turn)
    ]


def check_row(row: object, texts: dict[str, str]) -> list[str]:
    """Return the problems with one gold row (empty when it is fine)."""
    if not isinstance(row, dict) or set(row) != {"document", "quote", "code"}:
        return ["keys are not exactly document, quote, code"]
    doc, quote, code = row["document"], row["quote"], row["code"]
    problems = [] if code in CODES else [f"unknown code {code!r}"]
    if doc not in texts:
        return [*problems, f"no such document {doc!r}"]
    n = texts[doc].count(quote)
    if n != 1:
        problems.append(f"quote occurs {n}x in {doc}: {quote!r}")
    elif quote not in coded_sentences(texts[doc]):
        problems.append(f"not one whole sentence of a coded speaker in {doc}: {quote!r}")
    return problems


def main(folder: Path = HERE) -> int:
    """Run all checks on FOLDER, print counts, return the exit status."""
    errors: list[str] = []
    texts: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")):
        texts[path.name] = path.read_text(encoding="utf-8")
        if texts[path.name].splitlines()[0] != HEADER:
            errors.append(f"{path.name}: first line is not the fiction header")
        if "..." in texts[path.name]:
            errors.append(f"{path.name}: contains '...', which breaks the sentence split")

    per_code: Counter = Counter()
    per_doc: dict[str, Counter] = defaultdict(Counter)
    coded: dict[str, set[str]] = defaultdict(set)
    seen: set[tuple[str, str, str]] = set()
    gold = (folder / "gold.jsonl").read_text(encoding="utf-8")
    for lineno, line in enumerate(gold.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"gold.jsonl:{lineno}: invalid JSON ({exc})")
            continue
        problems = check_row(row, texts)
        errors.extend(f"gold.jsonl:{lineno}: {p}" for p in problems)
        if problems:
            continue
        key = (row["document"], row["quote"], row["code"])
        if key in seen:
            errors.append(f"gold.jsonl:{lineno}: duplicate row")
        seen.add(key)
        per_code[row["code"]] += 1
        per_doc[row["document"]][row["code"]] += 1
        coded[row["document"]].add(row["quote"])

    print("gold lines per theme:")
    for code in CODES:
        print(f"  {code:22s} {per_code[code]:4d}")
    print(f"  {'total':22s} {sum(per_code.values()):4d}")
    print()
    print(f"{'document':32s} {'words':>5s} {'sent':>5s} {'coded':>5s} {'share':>5s}  vb  vt  vw")
    tot_words = tot_sent = tot_coded = 0
    for doc, text in texts.items():
        n_words = len(text.split()) - len(HEADER.split())
        n_sent = len(coded_sentences(text))
        n_coded = len(coded[doc])
        tot_words, tot_sent, tot_coded = tot_words + n_words, tot_sent + n_sent, tot_coded + n_coded
        c = per_doc[doc]
        print(
            f"{doc:32s} {n_words:5d} {n_sent:5d} {n_coded:5d} {n_coded / max(n_sent, 1):5.2f}"
            f" {c['verbinden']:3d} {c['vertrouwen']:3d} {c['verantwoordelijkheid']:3d}"
        )
    share = tot_coded / max(tot_sent, 1)
    print(f"{'total':32s} {tot_words:5d} {tot_sent:5d} {tot_coded:5d} {share:5.2f}")

    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"FAILED ({len(errors)} errors)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
