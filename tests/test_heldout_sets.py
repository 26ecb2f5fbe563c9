"""Every evaluation set's gold file is intact: each quote is a whole respondent sentence.

The sets are fictional (see each folder's README); this guards them against edits that
would silently change the evaluation figures in docs/codebook.md.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SETS = sorted(p for p in TESTS.glob("heldout*") if (p / "gold.jsonl").exists())


def checker():
    spec = importlib.util.spec_from_file_location("check_quotes", TESTS / "heldout/check_quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_held_out_sets():
    assert len(SETS) >= 4


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_gold_quotes_are_whole_respondent_sentences(folder, capsys):
    assert checker().main(folder) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "OK" in out and "quote is not one whole sentence" not in out
