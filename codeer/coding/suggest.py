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
from typing import Any

from codeer.coding.codebook import Codebook, load_codebook, store_codebook
from codeer.coding.evidence import valence_index
from codeer.coding.lexicon import FUNCTION_WORDS, NONVERBAL_WORDS, RESPONSE_WORDS
from codeer.coding.pieces import MAX_PIECE, QUESTION, Piece, pipeline_pieces
from codeer.coding.suggestion_store import CodeResult, DocumentBatch, Suggestion, store_document
from codeer.errors import CodeerError
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
        self.q_sentences = int(codebook.settings["question_sentences"])
        self.q_long = int(codebook.settings["question_long_answer"])
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
        opening = None  # an opening bracket the sentencizer left at the previous one's end
        for start, end, found in matches.sentences:
            first, last = start, end - 1  # trim white-space tokens (line breaks) at the edges
            if opening is not None:
                first, opening = opening, None
            while first <= last and spaces[first]:
                first += 1
            while last >= first and spaces[last]:
                last -= 1
            # "Meestal. (gelach) Als ...": spaCy's sentencizer ends the sentence after "(";
            # the bracket opens the next one.
            while last > first and lengths[last] == 1 and matches.text[idxs[last]] in _OPENING:
                opening, last = last, last - 1
                while last > first and spaces[last]:
                    last -= 1
            if first > last:
                continue
            unit = (idxs[first] + offset, idxs[last] + lengths[last] + offset)
            suggestions = self._suggest(matches, found, (start, end), unit, offset) if found else []
            units.append((*unit, suggestions))
        if question:
            self._pass_question(units, question, matches.text, offset)
        return units

    def _pass_question(self, units: list, question: dict, text: str, offset: int) -> None:
        """Give the question's themes to the first sentences of the answer that say something.

        Up to ``question_sentences`` of them, or only the first when the answer is longer
        than ``question_long_answer`` sentences: the answer's opening answers the question,
        a long answer drifts to other things (issue 11: a question about trust made 13
        sentences of one answer "trust"; 0 for either setting means no limit).
        """
        budget = self.q_sentences or len(units)
        if self.q_long and len(units) > self.q_long:
            budget = 1
        for start, end, suggestions in units:
            if budget <= 0:
                break
            if not _says_something(text[start - offset : end - offset]):
                continue
            budget -= 1
            themes = {self._top[s.code] for s in suggestions}
            for top, record in sorted(question.items()):
                if top not in themes:
                    suggestions.append(
                        Suggestion(start, end, top, round(self.q_score, 3), "neutral", [record])
                    )

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
    words = [word for word in _WORD.findall(sentence.lower()) if word not in NONVERBAL_WORDS]
    if not words:
        return False  # "(gelach)", "[onverstaanbaar]"
    if not any(word in RESPONSE_WORDS for word in words):
        return True
    return any(word not in RESPONSE_WORDS and word not in FUNCTION_WORDS for word in words)


_WORD = re.compile(r"\w+")
_OPENING = frozenset("([")  # brackets that open what follows them


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

    limit = min(MAX_PIECE, int(nlp.max_length) - 1)

    def texts() -> Iterator[str]:
        for piece in pipeline_pieces(con, documents, suggester.q_threshold > 0, limit):
            pending.append(piece)
            yield piece.text

    position = {doc_id: i for i, doc_id in enumerate(documents)}
    failed: dict[int, str] = {}  # document id -> why it could not be coded
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
            if doc_id in failed:
                name = con.execute("SELECT name FROM documents WHERE id = ?", (doc_id,))
                result.failed.append(f"{name.fetchone()[0]}: {failed[doc_id]}")
            else:
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
            if doc_id in failed:
                continue
            try:
                if question == QUESTION:
                    # A long question comes in pieces: each adds the themes it asks about.
                    themes = asked.setdefault(turn_id, {})
                    for top, record in suggester.question_themes(doc, offset, text).items():
                        themes.setdefault(top, record)
                    continue
                units, suggestions = collected.setdefault(doc_id, ([], []))
                context = asked.get(question) if question is not None else None
                for start, stop, found in suggester.process(doc, offset, text, context):
                    units.append((turn_id, start, stop))
                    suggestions.extend(found)
            except CodeerError:
                raise  # the codebook's fault (a regex out of time): it concerns every document
            except Exception as error:
                # One document that trips something must not block the others: it keeps
                # what it had, and the run reports it.
                failed[doc_id] = f"{type(error).__name__}: {error}".splitlines()[0]
                collected.pop(doc_id, None)
        flush_before(len(documents))
    except BaseException as error:
        batch.abort(error)
        raise
    batch.commit()

    with project.transaction():
        project.log("code", {k: v for k, v in result.to_dict().items() if k != "codebook_id"})
    return result
