"""Codebook -> explained suggestions, stored per sentence unit of every respondent turn.

``code_project`` streams the respondent turns of all documents through ``nlp.pipe``,
splits them into sentence units, matches the codebook in each unit and synchronises the
machine's suggestions with what is stored, one transaction per document:

- a suggestion that is still wanted stays (its score/evidence updated if they changed);
- a new one is added (or a retracted one revived);
- one no longer wanted is marked ``retracted`` (never deleted);
- a suggestion some coder has decided on, and every row of a human coder, is left alone.

Running twice with the same codebook changes nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from codeer.codebook import Codebook, load_codebook, store_codebook
from codeer.codings import MACHINE_CODER
from codeer.store import Project, now


@dataclass
class CodeResult:
    """What one coding run did."""

    documents: int = 0
    units: int = 0
    added: int = 0
    retracted: int = 0
    unchanged: int = 0
    updated: int = 0
    suggestions: int = 0  # current suggestions of this run, all documents
    codebook_id: int | None = None
    codebook: str = ""
    pipeline: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Suggestion:
    """One suggested code for one unit."""

    start: int
    end: int
    code: str
    score: float
    valence: str
    evidence: list[dict[str, Any]] = field(default_factory=list)


class Suggester:
    """Turns spaCy docs into sentence units with suggestions for one codebook."""

    def __init__(self, codebook: Codebook, nlp):
        from codeer.evidence import Cues
        from codeer.matching import CodebookMatcher
        from codeer.nlp import SimplemmaLemmatizer

        self.codebook = codebook
        self.threshold = float(codebook.settings["threshold"])
        self.window = int(codebook.settings["negation_window"])
        self.matcher = CodebookMatcher(codebook, SimplemmaLemmatizer().lemma, nlp.vocab)
        self.cues = Cues(nlp.vocab.strings)
        self.q_threshold = float(codebook.settings["question_threshold"])
        self.q_score = float(codebook.settings["question_score"])
        # Only a top-level code with patterns of its own is a theme a question can pass
        # on; a pure grouping (such as "context") is not something to code a sentence with.
        self.passable = {
            key for key, code in codebook.codes.items() if code.parent is None and code.patterns
        }

    def question_themes(self, doc, offset: int = 0, text: str | None = None) -> dict:
        """Themes an interviewer's question asks about: top-level code -> evidence record.

        A theme counts when some sentence of the question gets a suggestion under it with
        at least ``question_threshold``; the record holds the question's strongest words.
        """
        if self.q_threshold <= 0:
            return {}
        found: dict[str, tuple[float, dict[str, Any]]] = {}
        for _start, _end, suggestions in self.process(doc, offset, text):
            for s in suggestions:
                top = self.codebook.codes[s.code].path[0]
                if s.score + 1e-9 < self.q_threshold or top not in self.passable:
                    continue
                if top in found and found[top][0] >= s.score:
                    continue
                best = max(s.evidence, key=lambda record: record["weight"])
                record = {
                    "pattern": f"question: {best['pattern']}",
                    "words": best["words"],
                    "start": best["start"],
                    "end": best["end"],
                    "via": "question",
                    "weight": self.q_score,
                }
                found[top] = (s.score, record)
        return {top: record for top, (_score, record) in found.items()}

    def process(
        self, doc, offset: int = 0, text: str | None = None, question: dict | None = None
    ) -> list[tuple[int, int, list[Suggestion]]]:
        """(start, end, suggestions) for every sentence unit of *doc*.

        Offsets are shifted by *offset* (where the doc's text starts in the document), so
        they point into the stored document text. *question* holds the themes of the
        interviewer's question before this turn (see :meth:`question_themes`): each one is
        suggested for every unit that has no suggestion under that theme of its own.
        """
        matches = self.matcher.match_doc(doc, text)
        units = []
        spaces, idxs, lengths = matches.spaces, matches.idxs, matches.lengths
        for start, end, found in matches.sentences:
            first, last = start, end - 1  # trim white-space tokens (line breaks) at the edges
            while first <= last and spaces[first]:
                first += 1
            while last >= first and spaces[last]:
                last -= 1
            if first > last:
                continue
            unit = (idxs[first] + offset, idxs[last] + lengths[last] + offset)
            suggestions = (
                self._suggest(doc, matches, found, (start, end), unit, offset) if found else []
            )
            if question:
                themes = {self.codebook.codes[s.code].path[0] for s in suggestions}
                for top, record in sorted(question.items()):
                    if top not in themes:
                        suggestions.append(
                            Suggestion(*unit, top, round(self.q_score, 3), "neutral", [record])
                        )
            units.append((*unit, suggestions))
        return units

    def _suggest(self, doc, matches, found, bounds, unit, offset: int) -> list[Suggestion]:
        """Suggestions for one unit: codes whose evidence scores at least the threshold."""
        from codeer.evidence import combine, valence_near

        result: dict[str, Suggestion] = {}
        for key, evidence in found.items():
            code = self.codebook.codes[key]
            best: dict[str, float] = {}  # the same pattern twice is one piece of evidence
            for ev in evidence:
                best[ev.pattern] = max(best.get(ev.pattern, 0.0), ev.weight)
            score = 1.0 - math.prod(1.0 - min(1.0, w * code.weight) for w in best.values())
            if score + 1e-9 < self.threshold:
                continue
            records, valences = [], []
            for ev in evidence:
                val = valence_near(
                    doc, matches.lowers, matches.lemmas, ev.tokens, self.window, bounds, self.cues
                )
                valences.append(val)
                record = ev.to_dict(offset)
                if val.valence != "neutral":
                    record["valence"] = val.valence
                    record["cue"] = val.cue
                records.append(record)
            overall = combine(valences).valence
            result[key] = Suggestion(*unit, key, round(min(1.0, score), 3), overall, records)
        # A sub-code's suggestion already counts for its parents: drop the ancestors.
        ancestors = {a for key in result for a in self.codebook.codes[key].path[:-1]}
        return [s for key, s in sorted(result.items()) if key not in ancestors]


def code_project(
    project: Project,
    codebook_path: Path | None = None,
    n_process: int = 1,
    progress: Callable[[int, int], None] | None = None,
    model: str | None = None,
) -> CodeResult:
    """Suggest codes for every respondent sentence of every document in *project*.

    *codebook_path* defaults to the shipped wijkteams codebook; a malformed codebook
    raises CodebookError before anything is written. *progress* is called with
    (documents done, documents total) after each document.
    """
    from codeer.nlp import load_pipeline, pipeline_info

    codebook = load_codebook(codebook_path)
    nlp = load_pipeline(model)
    suggester = Suggester(codebook, nlp)
    con = project.con
    with project.transaction():
        book_id = store_codebook(con, codebook, now())
    result = CodeResult(codebook_id=book_id, codebook=codebook.source)
    result.pipeline = pipeline_info(nlp)["name"]

    documents = [row["id"] for row in con.execute("SELECT id FROM documents ORDER BY id")]
    turns = _turns_by_document(con, documents)

    in_flight: dict[int, str] = {}  # texts of documents being processed (not all at once)
    asked: dict[int, dict] = {}  # question turn id -> the themes it asks about
    asking = suggester.q_threshold > 0

    def texts() -> Iterator[tuple[str, tuple[int, int, int, int, int | None]]]:
        for doc_id in documents:
            if not any(role == "respondent" for _id, role, _s, _e in turns[doc_id]):
                continue
            text = con.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
            in_flight[doc_id] = text
            for turn_id, start, end, question in _stream(turns.pop(doc_id), text, asking):
                yield text[start:end], (doc_id, turn_id, start, end, question)

    position = {doc_id: i for i, doc_id in enumerate(documents)}
    collected: dict[int, tuple[list, list]] = {}
    flushed = 0

    def flush_before(limit: int) -> None:
        # Results arrive in document order, so every document before *limit* is complete;
        # documents without respondent turns have no results but are synced too.
        nonlocal flushed
        while flushed < limit:
            doc_id = documents[flushed]
            units, suggestions = collected.pop(doc_id, ([], []))
            in_flight.pop(doc_id, None)
            asked.clear()
            _sync_document(project, doc_id, book_id, units, suggestions, result)
            flushed += 1
            if progress:
                progress(flushed, len(documents))

    current: int | None = None
    batch = 64 if n_process <= 1 else 256
    for doc, (doc_id, turn_id, offset, end, question) in nlp.pipe(
        texts(), as_tuples=True, batch_size=batch, n_process=max(1, n_process)
    ):
        if doc_id != current:
            flush_before(position[doc_id])
            current = doc_id
        # The turn text is known: spaCy would rebuild doc.text token by token.
        text = in_flight[doc_id][offset:end]
        if question == QUESTION:
            asked[turn_id] = suggester.question_themes(doc, offset, text)
            continue
        units, suggestions = collected.setdefault(doc_id, ([], []))
        context = asked.get(question) if question is not None else None
        for start, stop, found in suggester.process(doc, offset, text, context):
            units.append((turn_id, start, stop))
            suggestions.extend(found)
    flush_before(len(documents))

    with project.transaction():
        project.log("code", {k: v for k, v in result.to_dict().items() if k != "codebook_id"})
    return result


QUESTION = -1  # marks a question turn in the stream (its own "question" slot)


def _turns_by_document(con, documents: list[int]) -> dict[int, list[tuple[int, str, int, int]]]:
    """Per document, in order: (turn id, role, start, end) of its non-empty turns."""
    result: dict[int, list[tuple[int, str, int, int]]] = {d: [] for d in documents}
    for row in con.execute(
        "SELECT id, document_id, role, start, end FROM turns WHERE end > start"
        " ORDER BY document_id, start"
    ):
        if row["document_id"] in result:
            result[row["document_id"]].append((row["id"], row["role"], row["start"], row["end"]))
    return result


def _stream(
    turns: list[tuple[int, str, int, int]], text: str, with_questions: bool
) -> Iterator[tuple[int, int, int, int | None]]:
    """(turn id, start, end, question) for one document, to run through the pipeline.

    Respondent turns carry the id of the interviewer's question before them (or None);
    that question comes first in the stream, once, with ``QUESTION`` in the last slot. A
    short interviewer turn without a question mark ("Ja.", "Hm-hm, oke") is a backchannel:
    the answer after it still answers the question before it.
    """
    question: tuple[int, int, int] | None = None
    streamed = False
    for turn_id, role, start, end in turns:
        if role != "respondent":
            said = text[start:end]
            if with_questions and ("?" in said or len(said.split()) >= 4):
                question, streamed = (turn_id, start, end), False
            continue
        if question is not None and not streamed:
            streamed = True
            yield (*question, QUESTION)
        yield turn_id, start, end, question[0] if question else None


def _sync_document(
    project: Project,
    doc_id: int,
    book_id: int,
    units: list[tuple[int, int, int]],
    suggestions: list[Suggestion],
    result: CodeResult,
) -> None:
    """Store one document's units and bring its machine suggestions up to date."""
    con = project.con
    with project.transaction():
        wanted_units = {(start, end): turn_id for turn_id, start, end in units}
        for row in con.execute("SELECT id, start, end FROM units WHERE document_id = ?", (doc_id,)):
            if (row["start"], row["end"]) not in wanted_units:
                con.execute("DELETE FROM units WHERE id = ?", (row["id"],))
        con.executemany(
            "INSERT OR IGNORE INTO units (document_id, turn_id, start, end) VALUES (?, ?, ?, ?)",
            [(doc_id, turn_id, start, end) for (start, end), turn_id in wanted_units.items()],
        )
        result.units += len(wanted_units)
        result.documents += 1

        existing: dict[tuple[int, int, str], Any] = {}
        for row in con.execute(
            "SELECT c.*, EXISTS (SELECT 1 FROM codings d WHERE d.suggestion_id = c.id) AS decided"
            " FROM codings c WHERE c.document_id = ? AND c.coder = ?"
            " AND c.status IN ('suggested', 'retracted') ORDER BY c.status DESC, c.id",
            (doc_id, MACHINE_CODER),
        ):
            # DESC puts 'suggested' before 'retracted': keep the live row per key.
            existing.setdefault((row["start"], row["end"], row["code"]), row)

        stamp = now()
        wanted = set()
        inserts = []
        for s in suggestions:
            key = (s.start, s.end, s.code)
            if key in wanted:
                continue
            wanted.add(key)
            result.suggestions += 1
            evidence = json.dumps(s.evidence, ensure_ascii=False)
            row = existing.get(key)
            if row is None:
                inserts.append(
                    (doc_id, s.start, s.end, s.code, MACHINE_CODER, s.score, s.valence,
                     evidence, book_id, stamp)
                )  # fmt: skip
            elif row["decided"]:
                result.unchanged += 1  # a coder decided on it: never touch it
            elif row["status"] == "retracted":
                _update(con, row["id"], s, evidence, book_id)
                result.added += 1
            elif (row["score"], row["valence"], row["evidence"]) != (s.score, s.valence, evidence):
                _update(con, row["id"], s, evidence, book_id)
                result.updated += 1
            else:
                if row["codebook_id"] != book_id:
                    con.execute(
                        "UPDATE codings SET codebook_id = ? WHERE id = ?", (book_id, row["id"])
                    )
                result.unchanged += 1
        con.executemany(
            "INSERT INTO codings (document_id, start, end, code, status, coder, score,"
            " valence, evidence, codebook_id, created_at)"
            " VALUES (?, ?, ?, ?, 'suggested', ?, ?, ?, ?, ?, ?)",
            inserts,
        )
        result.added += len(inserts)
        for key, row in existing.items():
            if key not in wanted and row["status"] == "suggested" and not row["decided"]:
                con.execute("UPDATE codings SET status = 'retracted' WHERE id = ?", (row["id"],))
                result.retracted += 1


def _update(con, coding_id: int, s: Suggestion, evidence: str, book_id: int) -> None:
    con.execute(
        "UPDATE codings SET status = 'suggested', score = ?, valence = ?, evidence = ?,"
        " codebook_id = ? WHERE id = ?",
        (s.score, s.valence, evidence, book_id, coding_id),
    )
