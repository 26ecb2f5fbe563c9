"""Codebook -> explained suggestions, stored per sentence unit of every respondent turn.

``code_project`` streams the respondent turns of all documents through ``nlp.pipe``,
splits them into sentence units, matches the codebook in each unit and synchronises the
machine's suggestions with what is stored (:mod:`codeer.coding.suggestion_store`), each
document whole or not at all:

- a suggestion that is still wanted stays (its score/evidence updated if they changed);
- a new one is added (or a retracted one revived);
- one no longer wanted is marked ``retracted`` (never deleted);
- a suggestion some coder has decided on, and every row of a human coder, is left alone.

Running twice with the same codebook changes nothing.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from codeer.coding.codebook import Codebook, load_codebook, store_codebook
from codeer.coding.evidence import valence_index
from codeer.coding.lexicon import FUNCTION_WORDS, RESPONSE_WORDS
from codeer.coding.suggestion_store import CodeResult, DocumentBatch, Suggestion, store_document
from codeer.store.project import Project, now


class Suggester:
    """Turns spaCy docs into sentence units with suggestions for one codebook."""

    def __init__(self, codebook: Codebook, nlp):
        from codeer.coding.evidence import Cues
        from codeer.coding.matching import CodebookMatcher
        from codeer.coding.nlp import SimplemmaLemmatizer

        self.codebook = codebook
        self.threshold = float(codebook.settings["threshold"])
        self.window = int(codebook.settings["negation_window"])
        self.matcher = CodebookMatcher(codebook, SimplemmaLemmatizer().lemma, nlp.vocab)
        self.cues = Cues(nlp.vocab.strings)
        self.q_threshold = float(codebook.settings["question_threshold"])
        self.q_score = float(codebook.settings["question_score"])
        # Only a top-level code with patterns of its own is a theme a question can pass
        # on; a pure grouping (such as "context") is not something to code a sentence with.
        # A theme can also be kept out of it (``from_question: false``).
        self.passable = {
            key
            for key, code in codebook.codes.items()
            if code.parent is None and code.patterns and code.from_question
        }
        self._top = {key: code.path[0] for key, code in codebook.codes.items()}
        self._ancestors = {key: code.path[:-1] for key, code in codebook.codes.items()}

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
                top = self._top[s.code]
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
        self,
        doc,
        offset: int = 0,
        text: str | None = None,
        question: dict | None = None,
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
            suggestions = self._suggest(matches, found, (start, end), unit, offset) if found else []
            if question and _says_something(matches.text[unit[0] - offset : unit[1] - offset]):
                themes = {self._top[s.code] for s in suggestions}
                for top, record in sorted(question.items()):
                    if top not in themes:
                        suggestions.append(
                            Suggestion(*unit, top, round(self.q_score, 3), "neutral", [record])
                        )
            units.append((*unit, suggestions))
        return units

    def _suggest(self, matches, found, bounds, unit, offset: int) -> list[Suggestion]:
        """Suggestions for one unit: codes whose evidence scores at least the threshold."""
        codes = self.codebook.codes
        lowers, lemmas, idxs, lengths, text = (
            matches.lowers, matches.lemmas, matches.idxs, matches.lengths, matches.text
        )  # fmt: skip
        window, cues = self.window, self.cues
        result: dict[str, Suggestion] = {}
        for key, evidence in found.items():
            factor = codes[key].weight
            best: dict[str, float] = {}  # the same pattern twice is one piece of evidence
            for ev in evidence:
                best[ev.pattern] = max(best.get(ev.pattern, 0.0), ev.weight)
            score = 1.0 - math.prod([1.0 - min(1.0, w * factor) for w in best.values()])
            if score + 1e-9 < self.threshold:
                continue
            records = []
            overall = "neutral"  # any negative evidence wins, then positive
            for ev in evidence:
                record = ev.to_dict(offset)
                val, cue = valence_index(lowers, lemmas, ev.tokens, window, bounds, cues)
                if cue is not None:
                    record["valence"] = val
                    record["cue"] = text[idxs[cue] : idxs[cue] + lengths[cue]]
                    if overall != "negative":
                        overall = val
                records.append(record)
            result[key] = Suggestion(*unit, key, round(min(1.0, score), 3), overall, records)
        # A sub-code's suggestion already counts for its parents: drop the ancestors.
        ancestors = {a for key in result for a in self._ancestors[key]}
        return [s for key, s in sorted(result.items()) if key not in ancestors]


def _says_something(sentence: str) -> bool:
    """False for an answer's sentence of only backchannels, fillers and function words.

    "Ja, precies." or "Eh, dat is een lastige." answer the question without saying
    anything the question's theme could be coded on; "Wij." (to "Wie houdt de regie?")
    does, so a sentence needs one response word to count as saying nothing.
    """
    words = _WORD.findall(sentence.lower())
    if not any(word in RESPONSE_WORDS for word in words):
        return True
    return any(word not in RESPONSE_WORDS and word not in FUNCTION_WORDS for word in words)


_WORD = re.compile(r"\w+")


def code_project(
    project: Project,
    codebook: Codebook | Path | None = None,
    n_process: int = 1,
    progress: Callable[[int, int], None] | None = None,
    model: str | None = None,
) -> CodeResult:
    """Suggest codes for every respondent sentence of every document in *project*.

    *codebook* is a loaded :class:`Codebook` (commands load it once and pass it down), a
    path to load, or None for the shipped wijkteams codebook; a malformed codebook raises
    CodebookError before anything is written. *progress* is called with
    (documents done, documents total) after each document.
    """
    from codeer.coding.nlp import load_pipeline, pipeline_info

    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    nlp = load_pipeline(model)
    suggester = Suggester(codebook, nlp)
    con = project.con
    with project.transaction():
        book_id = store_codebook(con, codebook, now())
    result = CodeResult(codebook_id=book_id, codebook=codebook.source)
    result.pipeline = pipeline_info(nlp)["name"]

    documents = [row["id"] for row in con.execute("SELECT id FROM documents ORDER BY id")]
    asked: dict[int, dict] = {}  # question turn id -> the themes it asks about
    # What each text sent to spaCy is, in order: nlp.pipe yields one doc per text in the
    # same order (also with n_process > 1), so this is cheaper than as_tuples=True.
    pending: deque[Piece] = deque()

    def texts() -> Iterator[str]:
        for piece in pipeline_pieces(con, documents, suggester.q_threshold > 0):
            pending.append(piece)
            yield piece.text

    position = {doc_id: i for i, doc_id in enumerate(documents)}
    collected: dict[int, tuple[list, list]] = {}
    flushed = 0
    batch = DocumentBatch(project)

    def flush_before(limit: int) -> None:
        # Results arrive in document order, so every document before *limit* is complete;
        # documents without respondent turns have no results but are synced too.
        nonlocal flushed
        while flushed < limit:
            doc_id = documents[flushed]
            units, suggestions = collected.pop(doc_id, ([], []))
            asked.clear()
            batch.begin()
            store_document(con, doc_id, book_id, units, suggestions, result)
            batch.done(len(units) + len(suggestions))
            flushed += 1
            if progress:
                progress(flushed, len(documents))

    current: int | None = None
    size = 64 if n_process <= 1 else 256
    try:
        for doc in nlp.pipe(texts(), batch_size=size, n_process=max(1, n_process)):
            # The turn text is known: spaCy would rebuild doc.text token by token.
            doc_id, turn_id, offset, text, question = pending.popleft()
            if doc_id != current:
                flush_before(position[doc_id])
                current = doc_id
            if question == QUESTION:
                asked[turn_id] = suggester.question_themes(doc, offset, text)
                continue
            units, suggestions = collected.setdefault(doc_id, ([], []))
            context = asked.get(question) if question is not None else None
            for start, stop, found in suggester.process(doc, offset, text, context):
                units.append((turn_id, start, stop))
                suggestions.extend(found)
        flush_before(len(documents))
    except BaseException as error:
        batch.abort(error)
        raise
    batch.commit()

    with project.transaction():
        project.log("code", {k: v for k, v in result.to_dict().items() if k != "codebook_id"})
    return result


QUESTION = -1  # marks a question turn in the stream (its own "question" slot)


class Piece(NamedTuple):
    """One text ``code_project`` sends through the pipeline, and where it comes from."""

    document: int
    turn: int
    start: int  # offset of the text in the stored document text
    text: str
    question: int | None  # QUESTION, or the id of the question turn this answer answers


def pipeline_pieces(con, documents: list[int], with_questions: bool) -> Iterator[Piece]:
    """The texts ``code_project`` runs through spaCy, in its order (the benchmark's too).

    Every respondent turn of the *documents*, each answer preceded once by the
    interviewer's question it answers when *with_questions* (see :func:`_stream`).
    """
    turns = _turns_by_document(con, documents)
    for doc_id in documents:
        if not any(role == "respondent" for _id, role, _s, _e in turns[doc_id]):
            continue
        text = con.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        for turn_id, start, end, question in _stream(turns.pop(doc_id), text, with_questions):
            yield Piece(doc_id, turn_id, start, text[start:end], question)


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
