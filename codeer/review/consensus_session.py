"""A consensus session: the queue of disputed units and what every key does.

The Textual app (:mod:`codeer.review.consensus_app`) and the plain line mode
(:mod:`codeer.review.consensus_plain`) are thin views over this class, like the review
session. Every action returns a short message; each decision is committed before the
session moves on.

Keys: ``1``-``9`` take that coder's codes; ``b`` both (every code some coder gave); ``o``
only the codes all agreed on; ``c KEY[,KEY]`` these codes; ``0`` no code applies; space
skips; ``u`` undoes the decider's last decision.
"""

from __future__ import annotations

from codeer.review import consensus
from codeer.review.consensus import Dispute
from codeer.review.decisions import ReviewError, check_coder
from codeer.review.items import CodebookCodes
from codeer.store.project import Project


class ConsensusSession(CodebookCodes):
    """One person deciding the disputed units between the compared coders."""

    def __init__(
        self,
        project: Project,
        decider: str,
        coders: list[str],
        *,
        unit: str = "sentence",
        code: str | None = None,
    ):
        self.project = project
        self.decider = check_coder(decider)
        self.coders = coders
        self.disputes: list[Dispute] = consensus.find_disputes(
            project.con, coders, unit=unit, code=code
        )
        done = consensus.decided_units(project.con)
        self.decided = [(d.document_id, d.start, d.end) in done for d in self.disputes]
        self.index: int | None = self._next(None)

    # -- navigation -------------------------------------------------------------------

    def _next(self, after: int | None) -> int | None:
        """The first undecided position after *after*, wrapping round to skipped ones."""
        n = len(self.disputes)
        start = 0 if after is None else after + 1
        for i in [*range(start, n), *range(0, min(start, n))]:
            if not self.decided[i]:
                return i
        return None

    @property
    def current(self) -> Dispute | None:
        return self.disputes[self.index] if self.index is not None else None

    @property
    def done(self) -> bool:
        return self.index is None

    def progress(self) -> str:
        """``3 of 10 decided · item 4``."""
        text = f"{sum(self.decided)} of {len(self.disputes)} decided"
        return text + (f" · item {self.index + 1}" if self.index is not None else "")

    def done_message(self) -> str:
        if not self.disputes:
            return f"No disagreements between {', '.join(self.coders)}."
        return f"All {len(self.disputes)} disagreements have a consensus."

    def coder_lines(self) -> list[str]:
        """``1 anna: verbinden, vertrouwen`` for each coder of the current unit."""
        item = self.current
        if item is None:
            return []
        lines = []
        for n, coder in enumerate(self.coders, start=1):
            codes = item.codes.get(coder)
            shown = "(not seen)" if codes is None else (", ".join(sorted(codes)) or "(no code)")
            lines.append(f"{n} {coder}: {shown}")
        return lines

    # -- the keys ---------------------------------------------------------------------

    def choose(self, codes: list[str]) -> str:
        """Store *codes* as the consensus of the current unit and move on."""
        item = self.current
        if item is None:
            return "Nothing left to decide."
        consensus.decide(self.project, item, codes, self.decider)
        self.decided[self.index] = True
        self.index = self._next(self.index)
        return f"Consensus: {', '.join(sorted(set(codes))) or 'no code'}."

    def take_coder(self, number: int) -> str:
        """Take the codes of coder *number* (1-based)."""
        item = self.current
        if item is None:
            return "Nothing left to decide."
        if not 1 <= number <= len(self.coders):
            return f"There is no coder {number}; 1-{len(self.coders)}."
        codes = item.codes.get(self.coders[number - 1])
        if codes is None:
            return f"{self.coders[number - 1]} has not seen this unit."
        return self.choose(sorted(codes))

    def both(self) -> str:
        item = self.current
        return self.choose(item.all_codes) if item else "Nothing left to decide."

    def agreed(self) -> str:
        item = self.current
        return self.choose(item.agreed_codes) if item else "Nothing left to decide."

    def set_codes(self, text: str) -> str:
        """``KEY[,KEY]``: each must be a code of a stored codebook (key or unique match)."""
        keys = []
        for term in (t.strip() for t in text.replace(" ", ",").split(",")):
            if not term:
                continue
            found = self.find_codes(term)
            if not found:
                raise ReviewError(f"no code matches {term!r}", hint="type ? for help")
            if found[0].key != term and len(found) > 1:
                options = ", ".join(c.key for c in found[:8])
                raise ReviewError(f"{term!r} matches several codes: {options}")
            keys.append(found[0].key)
        if not keys:
            return "Give one or more code keys (0 for no code)."
        return self.choose(keys)

    def no_code(self) -> str:
        return self.choose([])

    def skip(self) -> str:
        if self.index is None:
            return "Nothing left to decide."
        before = self.index
        self.index = self._next(before)
        return "Skipped; this is the only open unit." if self.index == before else "Skipped."

    def undo(self) -> str:
        detail = consensus.undo(self.project, self.decider)
        if detail is None:
            return "Nothing to undo."
        key = (detail["document_id"], *detail["span"])
        for i, d in enumerate(self.disputes):
            if (d.document_id, d.start, d.end) == key:
                self.decided[i] = False
                self.index = i
                break
        return f"Undid the consensus {', '.join(detail['codes']) or 'no code'}."
