#!/usr/bin/env python
"""Check the gold coding in examples_quotes.jsonl against the bundled transcripts.

Standalone script (not a pytest test):

    python tests/gold/check_quotes.py [--transcripts DIR] [--gold FILE]

For every gold line it checks that
  * the document is listed in transcripts/metadata.csv and exists,
  * the code is one of verbinden / vertrouwen / verantwoordelijkheid,
  * the quote occurs inside ONE text unit of the source:
      .txt / .md      the whole file text (quotes may contain "\\n" from hard line breaks)
      .docx           one paragraph
      .odt            one paragraph (text:p)
      .vtt            one cue payload, with <v Name> ... </v> tags removed
      .srt            one cue text (lines after the timing line, joined with "\\n")
  * the quote occurs exactly once in the whole document (warning if more often).
It also reports duplicates and counts per code and per document. Exit status 1 on errors.

This script deliberately does not use codeer's importer: it is an independent check.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODES = {"verbinden", "vertrouwen", "verantwoordelijkheid"}


def units(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx

        return [p.text for p in docx.Document(str(path)).paragraphs]
    if suffix == ".odt":
        from odf import teletype
        from odf import text as odftext
        from odf.opendocument import load

        return [teletype.extractText(p) for p in load(str(path)).getElementsByType(odftext.P)]
    raw = path.read_text(encoding="utf-8-sig")
    if suffix == ".vtt":
        out = []
        for block in re.split(r"\n\s*\n", raw.strip()):
            lines = block.splitlines()
            for i, line in enumerate(lines):
                if "-->" in line:
                    payload = "\n".join(lines[i + 1 :])
                    out.append(re.sub(r"</?v[^>]*>", "", payload))
                    break
        return out
    if suffix == ".srt":
        out = []
        for block in re.split(r"\n\s*\n", raw.strip()):
            lines = block.splitlines()
            for i, line in enumerate(lines):
                if "-->" in line:
                    out.append("\n".join(lines[i + 1 :]))
                    break
        return out
    return [raw]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--transcripts", type=Path, default=ROOT / "transcripts")
    ap.add_argument(
        "--gold", type=Path, default=Path(__file__).resolve().parent / "examples_quotes.jsonl"
    )
    args = ap.parse_args()

    with open(args.transcripts / "metadata.csv", encoding="utf-8", newline="") as f:
        listed = {row["document"] for row in csv.DictReader(f)}

    cache: dict[str, list[str]] = {}
    errors, warnings = [], []
    seen = Counter()
    per_code, per_doc = Counter(), Counter()
    per_doc_code: Counter = Counter()

    for lineno, line in enumerate(args.gold.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {lineno}: invalid JSON ({exc})")
            continue
        if set(rec) != {"document", "quote", "code"}:
            errors.append(f"line {lineno}: keys must be document, quote, code (got {sorted(rec)})")
            continue
        doc, quote, code = rec["document"], rec["quote"], rec["code"]
        if code not in CODES:
            errors.append(f"line {lineno}: unknown code {code!r}")
        if doc not in listed:
            errors.append(f"line {lineno}: {doc} not in metadata.csv")
        path = args.transcripts / doc
        if not path.exists():
            errors.append(f"line {lineno}: {path} does not exist")
            continue
        if doc not in cache:
            cache[doc] = units(path)
        if not quote or quote != quote.strip():
            errors.append(f"line {lineno}: quote is empty or has surrounding whitespace")
        hits_in_unit = sum(1 for u in cache[doc] if quote in u)
        total = sum(u.count(quote) for u in cache[doc])
        if hits_in_unit == 0:
            errors.append(
                f"line {lineno}: quote not found within one paragraph/cue of {doc}: {quote[:70]!r}"
            )
        elif total > 1:
            warnings.append(f"line {lineno}: quote occurs {total}x in {doc}: {quote[:70]!r}")
        key = (doc, quote, code)
        seen[key] += 1
        if seen[key] == 2:
            errors.append(f"line {lineno}: duplicate gold line {key}")
        per_code[code] += 1
        per_doc[doc] += 1
        per_doc_code[(doc, code)] += 1

    print(
        f"{sum(per_code.values())} gold codings, "
        f"{len({(d, q) for d, q, _ in seen})} distinct quotes"
    )
    print("per code:", ", ".join(f"{c}={per_code[c]}" for c in sorted(CODES)))
    print(f"{'document':<20} {'total':>5} {'verb':>5} {'vert':>5} {'vera':>5}")
    for doc in sorted(per_doc):
        print(
            f"{doc:<20} {per_doc[doc]:>5} {per_doc_code[(doc, 'verbinden')]:>5} "
            f"{per_doc_code[(doc, 'vertrouwen')]:>5} "
            f"{per_doc_code[(doc, 'verantwoordelijkheid')]:>5}"
        )
    for w in warnings:
        print("WARNING", w)
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
