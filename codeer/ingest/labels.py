"""Recognising speaker labels and timestamps at the start of a transcript line.

A label is what a transcriber writes before a turn: ``I:``, ``R2:``, ``Interviewer:``,
``Mevrouw Jansen (wijkteam):``, ``DE VOORZITTER:``, optionally with a timestamp before
or after it (``[00:01:23] Naam:``, ``Naam (00:12:03):``). Labels are judged on their
form only here; the turn parser decides, with the whole document in view, whether a
*weak* label (one capitalised word that might be an ordinary word) really is a speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# h:mm:ss, hh:mm:ss, m:ss, mm:ss, with optional fraction (. or , as in SRT)
TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TIME_RE = re.compile(rf"^{TIME}$")
_STAMP = rf"(?:\[{TIME}\]|\({TIME}\)|{TIME})"

# Words that name the interviewer or respondent role (compared in lower case, no digits).
ROLE_WORDS = {
    "i", "int", "iv", "interviewer", "interviewster", "interviewers", "vraag", "v", "q",
    "onderzoeker", "onderzoekster", "researcher", "moderator", "gespreksleider",
    "verslaggever", "verslaggeefster", "journalist", "presentator", "presentatrice",
    "r", "resp", "respondent", "respondente", "geïnterviewde", "geinterviewde", "antwoord",
    "a", "deelnemer", "participant", "p", "spreker", "speaker", "coördinator", "coordinator",
    "s", "informant",
}  # fmt: skip

# Name particles and titles that may stand inside a name label.
PARTICLES = {
    "van", "de", "der", "den", "het", "ten", "ter", "te", "'t", "in", "op", "la", "le", "du",
    "von",
}  # fmt: skip
TITLES = {
    "mevrouw", "meneer", "mevr.", "mw.", "dhr.", "mr.", "dr.", "prof.", "ir.", "drs.", "mevr",
    "dhr", "heer",
}  # fmt: skip
# Offices that stand in labels of debates and hearings, written in lower case after an
# article or before a name: "De voorzitter:", "De heer Peters (CDA):", "Minister De Jong:".
OFFICES = {
    "voorzitter", "griffier", "minister", "staatssecretaris", "wethouder", "burgemeester",
    "gedeputeerde", "commissaris", "kamerlid", "raadslid", "ondervoorzitter", "secretaris",
    "heer", "interviewer", "verslaggever", "presentator", "moderator", "spreker",
}  # fmt: skip

# Capitalised words that start sentences or headings ("Kijk: ...", "Conclusie: ...") and
# are never speaker names.
NOT_NAMES = {
    "kijk", "nou", "ja", "nee", "dus", "maar", "en", "want", "goed", "oké", "oke", "ok",
    "zie", "let", "voorbeeld", "bijvoorbeeld", "punt", "vraagje", "conclusie", "samengevat",
    "tip", "noot", "opmerking", "let op", "datum", "plaats", "tijd", "duur", "locatie",
    "gemeente", "onderwerp", "titel", "bron", "thema", "transcript", "transcriptie", "opname",
    "dat", "dit", "die", "het", "de", "een", "wat", "waar", "wie", "hoe", "waarom", "toen",
    "daarom", "namelijk", "eerst", "ten", "stel", "nb", "ps", "ik", "we", "wij", "jij", "u",
    "zij", "ze", "hij", "er", "als", "of", "dan", "zo", "ook", "nog", "al", "echt", "precies",
    "inderdaad", "welnu", "kortom", "tja", "hm", "hmm", "eh", "ehm", "uh", "mm", "mmm",
    # headings and list words of reports and notes
    "belangrijk", "advies", "aanbeveling", "aanbevelingen", "stelling", "casus", "situatie",
    "toelichting", "samenvatting", "achtergrond", "aanleiding", "doel", "doelen", "resultaat",
    "resultaten", "uitkomst", "methode", "opzet", "probleem", "oplossing", "stap", "actie",
    "actiepunt", "actiepunten", "afspraak", "afspraken", "besluit", "agenda", "agendapunt",
    "vervolg", "vragen", "aandachtspunt", "aandachtspunten", "kern", "citaat", "quote",
    "definitie", "bijlage", "inhoud", "inleiding", "context", "opmerkingen", "notitie",
    "memo", "waarschuwing", "update", "voordeel", "nadeel", "voordelen", "nadelen", "risico",
    "kansen", "pluspunt", "minpunt", "feit", "feiten", "cijfers", "bronnen", "literatuur",
    "vraagstelling", "onderzoeksvraag", "deelvraag", "hypothese", "observatie", "analyse",
    "reactie", "toevoeging", "correctie", "aanvulling", "disclaimer", "lees", "meer",
    # adverbs and pronouns a sentence can start with before a colon
    "eerlijk", "eigenlijk", "vooral", "daarnaast", "verder", "wel", "niet", "alleen", "soms",
    "vaak", "altijd", "nooit", "daarna", "vervolgens", "uiteindelijk", "zeker", "natuurlijk",
    "uiteraard", "gelukkig", "helaas", "tot", "slot", "mijn", "onze", "ons", "jouw", "uw",
    "zijn", "haar", "hun", "hier", "daar", "nu", "straks", "vandaag", "gisteren", "morgen",
    "één", "twee", "drie", "vier", "vijf", "eerste", "tweede", "derde", "laatste",
    "opvallend", "kortweg", "ofwel", "oftewel", "anders", "zoals", "behalve", "plus", "min",
    "waarbij", "hierbij", "daarbij", "hiervoor", "daarvoor", "ps.", "n.b.", "nb.",
    # more sentence openers before a colon: "Met andere woorden: ...", "Kort gezegd: ..."
    "samenvattend", "nogmaals", "concreet", "kort", "simpel", "praktisch", "letterlijk",
    "neem", "denk", "zeg", "luister", "weet", "vergeet", "onthoud", "maw",
    "met", "voor", "na", "bij", "over", "zonder", "door", "volgens", "naast", "tijdens",
    "vanwege", "dankzij", "ondanks", "sinds", "vanaf", "om", "omdat", "doordat", "hoewel",
    "ofschoon", "terwijl", "zodat", "zodra", "toch", "vroeger", "tegenwoordig", "inmiddels",
    "intussen", "ondertussen", "kijkend", "gezien",
}  # fmt: skip

# Lower-case words that make "Word word:" a clause rather than a label ("Twee dingen
# zijn belangrijk:", "Mijn punt is:"): verbs, pronouns and function words.
CLAUSE_WORDS = {
    "is", "zijn", "was", "waren", "ben", "bent", "heb", "hebt", "heeft", "hebben", "had",
    "wordt", "worden", "werd", "kan", "kun", "kunt", "kunnen", "moet", "moeten", "wil",
    "willen", "zal", "zullen", "gaat", "gaan", "doe", "doet", "doen", "zeg", "zegt", "zeggen",
    "ik", "je", "jij", "we", "wij", "ze", "zij", "hij", "u", "het", "dat", "dit", "die",
    "er", "niet", "geen", "wel", "ook", "nog", "maar", "en", "of", "als", "dan", "want",
    "om", "voor", "met", "naar", "bij", "uit", "over", "tot", "door", "aan", "zo", "heel",
    "veel", "weinig", "altijd", "nooit", "mijn", "onze", "hun", "wat", "hoe", "waar",
}  # fmt: skip

# Horizontal white space: Word puts a no-break space before a colon or between a title
# and a name ("Interviewer\u00a0:", "Mevrouw\u00a0Jansen:").
_H = "[ \t\u00a0\u202f]"
_WORD = r"[^\W\d_][\w'’\-.]*"
_LABEL_BODY = re.compile(
    rf"""
    (?P<body>
        {_WORD}(?:{_H}+(?:{_WORD}|\d{{1,2}})){{0,4}}         # 1-5 words (a number may follow)
        (?:{_H}*\([^()\n]{{1,40}}\))?                           # optional (role / organisation)
    )
    """,
    re.VERBOSE,
)
_CODE_RE = re.compile(r"^[A-Z]{1,3}\d{0,2}$")
_BOLD = re.compile(r"\*\*|__")
_DASH = rf"{_H}+[-–—]{_H}+"
# The colon after a label (also inside or after Markdown bold: "**Naam:**", "**Naam**:").
_COLON = re.compile(rf"{_H}*(?:\*\*|__)?{_H}*:(?:\*\*|__)?(?=\s|$)")


@dataclass(frozen=True)
class LabelMatch:
    """A label found at the start of a line.

    ``content`` is the offset (in the line) where the turn text begins; ``strong`` is
    False for a lone capitalised word that could be an ordinary word; ``bare`` marks a
    label alone on its line without colon or timestamp (``Interviewer`` / ``Spreker 2``).
    """

    speaker: str
    content: int
    timestamp: float | None
    strong: bool
    bare: bool = False


def parse_time(value: str) -> float:
    """``'01:02:03,5'`` -> 3723.5 seconds; ``'4:54'`` -> 294.0 (m:ss)."""
    value = value.strip("[]() ").replace(",", ".")
    parts = value.split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _label_strength(label: str) -> bool | None:
    """True if *label* surely names a speaker, False if it might, None if it cannot.

    Sure: role words and codes (``R1``, ``Interviewer``), all capitals (``DE VOORZITTER``),
    names of two or more capitalised words (``Jan de Vries``), an office with or without a
    name (``De voorzitter``, ``Minister De Jong``, ``De heer Peters (CDA)``). Might be: one
    capitalised word (``Janine``, ``Oka``), or a short description with lower-case words
    (``Intern begeleider``); the turn parser decides those with the whole document in view.
    """
    core = re.sub(r"\s*\([^()]*\)\s*$", "", label).strip()
    if not core:
        return None
    words = core.split()
    lower = [word.lower().rstrip(".") for word in words]
    bare = re.sub(r"\s*\d+$", "", core).strip().lower().rstrip(".")
    if len(words) == 1 and bare in NOT_NAMES:
        return None
    if bare in ROLE_WORDS or (lower[0] in ROLE_WORDS and len(words) <= 2):
        return True
    if _CODE_RE.match(core) or (core.isupper() and len(core) > 1):  # R1, DE VOORZITTER
        return True
    article = lower[0] in {"de", "het", "een"}
    if lower[0] in NOT_NAMES and not (article and len(words) >= 2):
        return None
    if not words[0][0].isupper():
        return None
    office = loose = False
    for i, (word, low) in enumerate(zip(words, lower, strict=True)):
        if i == 0 or (word.isdigit() and i == len(words) - 1):
            office = office or low in OFFICES
            continue
        if low in OFFICES:
            office = True
        elif word.lower() in TITLES or low in PARTICLES or word[0].isupper():
            continue
        elif low in CLAUSE_WORDS or not word[0].isalpha():
            return None
        else:
            loose = True  # "Intern begeleider", "Medewerker wijkteam"
    if article and not office:
        return None  # "Het punt:", "De vraag is:": a clause, not a speaker
    if office and not loose:
        return True
    if loose:
        return False if len(words) <= 4 else None
    return len(words) > 1


def _content_start(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] in " \t\u00a0\u202f":
        pos += 1
    return pos


def match_label(line: str) -> tuple[str, int] | None:
    """If *line* starts with a speaker label, return (label as written, content offset).

    The content offset is where the turn text begins after the label, its colon and any
    spaces. Weak labels (one capitalised word) are accepted here; use
    :func:`match_label_full` to see the strength and a timestamp.
    """
    found = match_label_full(line)
    if found is None or found.content == 0:
        return None
    return found.speaker, found.content


def _prefix(line: str) -> tuple[int, bool, float | None]:
    """Where a label may begin in *line*: after indentation, Markdown bold and a timestamp.

    Returns (position, bold, timestamp in seconds or None).
    """
    pos = _content_start(line, 0)
    bold = _BOLD.match(line, pos)  # Markdown: **Naam:** or **Naam**:
    if bold:
        pos = bold.end()
    timestamp = None
    stamp = re.match(rf"{_STAMP}{_H}*", line[pos:])
    if stamp:
        timestamp = parse_time(stamp.group(0).strip())
        pos += stamp.end()
    return pos, bool(bold), timestamp


def _speaker(label: str) -> str:
    """The label with its white space made plain (a no-break space is a space)."""
    return " ".join(label.split())


def match_label_full(line: str) -> LabelMatch | None:
    """Find a label (with optional timestamp before or after it) at the start of *line*."""
    pos, bold, timestamp = _prefix(line)
    body = _LABEL_BODY.match(line, pos)
    if not body:
        return None
    label = body.group("body").rstrip()
    end = pos + len(label)
    # A stamp after the label: "Naam (00:12:03):" or "Naam [00:12:03]:"
    after = re.match(rf"{_H}*(\[{TIME}\]|\({TIME}\))", line[end:])
    if after and timestamp is None:
        timestamp = parse_time(after.group(1))
        end += after.end()
    colon = _COLON.match(line, end)
    if not colon or (bold and not re.search(r"\*\*|__", colon.group(0))):
        return None
    strength = _label_strength(label)
    if strength is None:
        return None
    content = _content_start(line, colon.end())
    return LabelMatch(_speaker(label), content, timestamp, strength or timestamp is not None)


def match_known(line: str, known: list[str]) -> LabelMatch | None:
    """A label the caller named (``--interviewer``, ``--speaker``), exactly as written.

    Matched case-insensitively at the start of the line (after Markdown bold or a
    timestamp), followed by a colon; whatever its form (``De voorzitter``,
    ``mw. dr. A. de Wit (GGD)``). The longest name wins.
    """
    if not known:
        return None
    pos, _bold, timestamp = _prefix(line)
    folded = line[pos:].casefold()
    for name in sorted(known, key=len, reverse=True):
        name = name.strip()
        if not name or not folded.startswith(name.casefold()):
            continue
        colon = _COLON.match(line, pos + len(name))
        if colon:
            content = _content_start(line, colon.end())
            return LabelMatch(_speaker(line[pos : pos + len(name)]), content, timestamp, True)
    return None


_LABEL_LIKE = re.compile(rf"^{_H}*(?:\*\*|__)?([^\W\d_][^:\n]{{0,48}}?)(?:\*\*|__)?{_H}*:(?=\s|$)")


def label_like(line: str) -> str | None:
    """The text before a colon at the start of *line* if it could be meant as a label
    (at most six words), whether or not it was taken as one."""
    found = _LABEL_LIKE.match(line)
    if found is None:
        return None
    text = found.group(1).strip()
    return text if text and len(text.split()) <= 6 else None


def match_heading(line: str) -> LabelMatch | None:
    """A label line with no colon and no text: ``Naam 00:01:23``, ``00:01:23 Naam``,
    ``[00:01:23] Naam``, ``Naam [00:01:23]`` (transcription-service Word exports).
    A lone ``Naam:`` line is handled by :func:`match_label_full` (empty content)."""
    text = line.strip()
    if not text or len(text) > 80:
        return None
    text = text.strip("*_ ")  # **Spreker 1** 00:00:05
    head = re.match(rf"^{_STAMP}(?:{_DASH}|{_H}+)(?P<label>.+)$", text)
    tail = re.match(rf"^(?P<label>.+?)(?:{_DASH}|{_H}+)(?P<stamp>{_STAMP})$", text)
    if head:
        stamp = re.match(_STAMP, text).group(0)
        label = head.group("label")
    elif tail:
        stamp = tail.group("stamp")
        label = tail.group("label")
    else:
        return None
    label = label.strip().rstrip(":").strip("*_ ")
    if not _LABEL_BODY.fullmatch(label) or _label_strength(label) is None:
        return None
    return LabelMatch(_speaker(label), len(line), parse_time(stamp), True)


def match_bare(line: str) -> LabelMatch | None:
    """A label alone on its line with no colon and no timestamp (transcription services:
    ``Interviewer`` / ``Spreker 2`` / ``Jan de Vries``, the text on the next lines).

    Strong only for role words and codes; a name is weak and counts only when the document
    uses it like this at least twice (a lone line ``Samenwerking Met Scholen`` is a heading).
    """
    text = line.strip().strip("*_").strip()
    if not text or len(text) > 60 or ":" in text or not _LABEL_BODY.fullmatch(text):
        return None
    strength = _label_strength(text)
    if strength is None:
        return None
    core = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip()
    bare = re.sub(r"\s*\d+$", "", core).strip().lower().rstrip(".")
    role_or_code = bare in ROLE_WORDS or bool(_CODE_RE.match(core))
    return LabelMatch(_speaker(text), len(line), None, role_or_code and strength, bare=True)


def is_timestamp_line(line: str) -> float | None:
    """A line holding only a timestamp (``00:01:23`` or ``[00:01:23]``); its seconds."""
    text = line.strip().strip("[]()")
    if _TIME_RE.match(text):
        return parse_time(text)
    return None


def inline_label_re(labels: set[str]) -> re.Pattern[str] | None:
    """A pattern for labels that may start a second turn inside a line (``R1: ja I: oké``).

    Only short code labels (I, R1) and role words already used as labels in the document
    qualify: a name followed by a colon inside a sentence is too often just a sentence.
    """
    usable = sorted(
        (
            lab
            for lab in labels
            if _CODE_RE.match(lab) or lab.lower().rstrip("0123456789 ") in ROLE_WORDS
        ),
        key=len,
        reverse=True,
    )
    if not usable:
        return None
    alternatives = "|".join(re.escape(lab) for lab in usable)
    return re.compile(rf"(?<=\s)(?P<label>{alternatives}){_H}*:(?=\s)")
