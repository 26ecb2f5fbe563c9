#!/usr/bin/env python3
"""Check the held-out gold set: every quote must occur verbatim in its file.

Standalone (standard library only). Usage:

    python tests/heldout/check_quotes.py [FOLDER]

FOLDER is a held-out set (tests/heldout, tests/heldout2, ...; default: this one's).

Checks, per line of gold.jsonl:
  * valid JSON with exactly the keys document, quote, code;
  * code is one of verbinden, vertrouwen, verantwoordelijkheid;
  * the document exists next to this script;
  * the quote occurs character-for-character inside a respondent (R:) turn;
  * no duplicate (document, quote, code) rows.
Warnings (not errors): a quote that occurs more than once in its file.

Prints counts per code, per document, and how many respondent sentences are
coded and uncoded (sentences split at . ? ! followed by whitespace or end of turn).
Exits with status 1 if any check fails.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS = (500, 3000)  # expected length of a transcript (a warning outside it)
CODES = ("verbinden", "vertrouwen", "verantwoordelijkheid")
HEADER = "# Fictief interview: alle personen en plaatsen zijn verzonnen."


def respondent_turns(text: str) -> list[str]:
    turns = []
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if para.startswith("R:"):
            turns.append(para[2:].strip())
    return turns


def split_sentences(turn: str) -> list[str]:
    parts = re.split(r"(?<=[.?!])\s+", turn.strip())
    return [p for p in parts if p]


def main(folder: Path = HERE) -> int:
    gold = folder / "gold.jsonl"
    errors: list[str] = []
    warnings: list[str] = []
    texts: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts[path.name] = text
        if text.splitlines()[0] != HEADER:
            errors.append(f"{path.name}: first line is not the fiction header")
        n_words = len(text.split()) - len(HEADER.split())
        if not WORDS[0] <= n_words <= WORDS[1]:
            warnings.append(f"{path.name}: {n_words} words (expected {WORDS[0]}-{WORDS[1]})")

    per_code: Counter = Counter()
    per_doc: dict[str, Counter] = defaultdict(Counter)
    coded: dict[str, set] = defaultdict(set)
    seen: set = set()
    for lineno, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"gold.jsonl:{lineno}: invalid JSON ({exc})")
            continue
        if set(row) != {"document", "quote", "code"}:
            errors.append(f"gold.jsonl:{lineno}: keys {sorted(row)}")
            continue
        doc, quote, code = row["document"], row["quote"], row["code"]
        if code not in CODES:
            errors.append(f"gold.jsonl:{lineno}: unknown code {code!r}")
        if doc not in texts:
            errors.append(f"gold.jsonl:{lineno}: no such document {doc!r}")
            continue
        key = (doc, quote, code)
        if key in seen:
            errors.append(f"gold.jsonl:{lineno}: duplicate row")
        seen.add(key)
        text = texts[doc]
        if quote not in text:
            errors.append(f"gold.jsonl:{lineno}: quote not found in {doc}: {quote!r}")
            continue
        if not any(quote in turn for turn in respondent_turns(text)):
            errors.append(f"gold.jsonl:{lineno}: quote not inside an R: turn: {quote!r}")
        if text.count(quote) > 1:
            warnings.append(f"gold.jsonl:{lineno}: quote occurs {text.count(quote)}x in {doc}")
        per_code[code] += 1
        per_doc[doc][code] += 1
        coded[doc].add(quote)

    print("codes per theme:")
    for code in CODES:
        print(f"  {code:22s} {per_code[code]:3d}")
    print(f"  {'total':22s} {sum(per_code.values()):3d}")
    print()
    print(f"{'document':34s} {'words':>5s} {'sent':>5s} {'coded':>5s} {'none':>5s}  vb  vt  vw")
    tot_sent = tot_coded = 0
    for doc, text in texts.items():
        sents = [s for t in respondent_turns(text) for s in split_sentences(t)]
        n_coded = sum(1 for s in sents if s in coded[doc])
        unmatched = coded[doc] - set(sents)
        for q in sorted(unmatched):
            warnings.append(f"{doc}: quote is not one whole sentence by the simple splitter: {q!r}")
        tot_sent += len(sents)
        tot_coded += n_coded
        c = per_doc[doc]
        n_words = len(text.split()) - len(HEADER.split())
        print(
            f"{doc:34s} {n_words:5d} {len(sents):5d} {n_coded:5d} {len(sents) - n_coded:5d}"
            f" {c['verbinden']:3d} {c['vertrouwen']:3d} {c['verantwoordelijkheid']:3d}"
        )
    print(f"{'total':34s} {'':5s} {tot_sent:5d} {tot_coded:5d} {tot_sent - tot_coded:5d}")

    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"FAILED ({len(errors)} errors)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
