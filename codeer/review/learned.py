"""What the learned model (``codeer learn``) says about a suggestion, short enough to show.

`codeer learn` stores on every undecided suggestion of a theme it has a model for
``learned_score`` (the probability) and ``learned``, why (JSON, see
:meth:`codeer.coding.learn_features.LinearModel.explain`)::

    {"model": "verbinden v3", "p": 0.82,
     "up": [["word:samenwerken", 0.41], ["chars:school", 0.2]],
     "down": [["word:zelfvertrouwen", -0.55]]}

and on its own proposals (coder ``codeer-learn``) an evidence record
``{"via": "learned", "nearest": [{"document", "start", "end", "text"}, ...]}``: the
accepted fragments most like the proposal. The review screen, its plain mode and the
document view show these as one line (:meth:`Explanation.line`) and, for a proposal, the
nearest examples (:func:`nearest_examples`). A value that is not what `learn` writes (a
hand-edited or damaged project) shows nothing rather than stopping the review.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# An accepted example can be a whole widened turn: shown cut after this many characters.
EXAMPLE_CHARS = 200


@dataclass(frozen=True)
class Explanation:
    """The model's probability for a suggestion and the features that moved it most."""

    model: str  # "verbinden v3": theme and model version
    p: float
    up: list[tuple[str, float]]
    down: list[tuple[str, float]]

    def line(self, label: str = "model") -> str:
        """``model verbinden v3: 0.82  + samenwerken (0.41), + chars:school (0.20)  - ...``.

        A lemma is shown as the word itself; the other features keep their kind
        (``chars:``, ``pattern:``, ``role:``, ``question``, ``no evidence``), which
        docs/codebook.md explains. *label* is the first word.
        """
        return f"{self.heading(label)} {self.details()}"

    def heading(self, label: str = "model") -> str:
        """``model verbinden v3:`` (what a screen shows in bold)."""
        return f"{label} {self.model}:"

    def details(self) -> str:
        """``0.82  + samenwerken (0.41), + chars:school (0.20)  - zelfvertrouwen (-0.55)``."""
        text = f"{self.p:.2f}"
        for sign, parts in (("+", self.up), ("-", self.down)):
            # A part that rounds to 0.00 moved nothing worth reading (a rare place name).
            shown = [f"{sign} {_feature(n)} ({w:.2f})" for n, w in parts if abs(w) >= 0.005]
            if shown:
                text += "  " + ", ".join(shown)
        return text


@dataclass(frozen=True)
class Example:
    """An accepted fragment the model found most like a proposal."""

    document: str
    text: str

    def line(self) -> str:
        """``interview-03.txt: We werken goed samen met de school.`` (long text cut)."""
        text = " ".join(self.text.split())  # a turn's line breaks: one line
        if len(text) > EXAMPLE_CHARS:
            text = text[: EXAMPLE_CHARS - 1].rstrip() + "…"
        return f"{self.document}: {text}"


def _feature(name: str) -> str:
    return name.removeprefix("word:")


def _parts(value: Any) -> list[tuple[str, float]]:
    parts = []
    for entry in value if isinstance(value, list) else []:
        if (
            isinstance(entry, list | tuple)
            and len(entry) == 2
            and isinstance(entry[1], int | float)
            and not isinstance(entry[1], bool)
        ):
            parts.append((str(entry[0]), float(entry[1])))
    return parts


def parse_explanation(raw: str | None, score: float | None = None) -> Explanation | None:
    """The stored ``learned`` JSON as an :class:`Explanation` (None when there is none).

    *score* (``learned_score``) stands in for a missing ``p``.
    """
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    p = data.get("p", score)
    if not isinstance(p, int | float) or isinstance(p, bool):
        return None
    return Explanation(
        str(data.get("model", "")), float(p), _parts(data.get("up")), _parts(data.get("down"))
    )


def nearest_examples(evidence: Any) -> list[Example]:
    """The ``nearest`` examples of a learned proposal's evidence (the parsed JSON list)."""
    examples = []
    for record in evidence if isinstance(evidence, list) else []:
        if not isinstance(record, dict) or record.get("via") != "learned":
            continue
        nearest = record.get("nearest")
        for entry in nearest if isinstance(nearest, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("text"), str):
                examples.append(Example(str(entry.get("document", "")), entry["text"]))
    return examples
