"""Dutch word lists codeer relies on, kept in one place to be read and extended.

Separable-verb particles, function and light words and diminutive endings for the
matcher (codeer.coding.matching); negation, appraisal and clause-break cues for valence
(codeer.coding.evidence).
"""

from __future__ import annotations

# Particles of Dutch separable verbs (scheidbare werkwoorden).
# fmt: off
PARTICLES = (
    "samen", "terug", "door", "mee", "aan", "af", "bij", "in", "na", "om", "op", "over", "toe",
    "uit", "voor", "weg", "los", "vast", "neer", "rond", "tegen", "binnen", "achter", "open",
    "thuis", "dicht", "bijeen", "langs",
)
# fmt: on
SEPARABLE_WINDOW = 8  # tokens between a verb and its particle
# A phrase with one of these is a fixed expression ("kat uit de boom", "wie wat doet"):
# matched in its written order with at most two tokens between words. A phrase of
# content words only ("verantwoordelijkheid nemen") may come in any order.
# fmt: off
FUNCTION_WORDS = frozenset((
    "de", "het", "een", "in", "op", "aan", "van", "met", "te", "je", "u", "wat", "wie", "er",
    "om", "naar", "bij", "dat", "die", "dit", "als", "voor", "uit", "ons", "hun", "en", "of",
    "zo", "hoe", "waar", "niet",
))
# fmt: on
ORDERED_STEP = 3
# Frequent verbs and adverbs: in a phrase they never make it a candidate on their own
# ("duidelijk zijn" is looked at when "duidelijk" occurs, not for every "is").
LIGHT_WORDS = frozenset((
    "zijn", "hebben", "worden", "gaan", "komen", "doen", "maken", "nemen", "houden",
    "krijgen", "weten", "zeggen", "vinden", "kijken", "zitten", "staan", "kunnen", "moeten",
    "willen", "mogen", "laten", "blijven", "echt", "gewoon", "goed", "heel", "ook", "nog",
    "zelf", "elkaar", "geen", "wel", "meer", "veel", "ander", "zelfde", "dezelfde", "één",
    "elke", "keer", "per", "tijd", "mens", "ouder", "gezin", "school", "kind", "samen",
    "ik", "we", "wij", "ze", "zij", "hij", "mijn", "onze", "dan", "al", "maar", "dus",
    "gemeente", "team", "wijk", "week", "jaar", "iets", "alles", "iedereen",
))  # fmt: skip
DIMINUTIVES = ("etje", "pje", "kje", "tje", "je")
# Words of an answer that say nothing of their own: backchannels, fillers, bare yes/no/
# always and remarks about the question itself ("Ja, precies.", "Eh, dat is een lastige.",
# "Goede vraag."). A sentence made of these and function words only does not take over
# the theme of the interviewer's question (codeer.coding.suggest); researchers leave it uncoded.
RESPONSE_WORDS = frozenset((
    "ja", "jawel", "jazeker", "nee", "neen", "nou", "eh", "ehm", "euh", "uh", "uhm", "hm",
    "hmm", "mm", "oef", "tja", "tsja", "goh", "oh", "ah", "oké", "oke", "okay", "ok",
    "precies", "inderdaad", "klopt", "zeker", "absoluut", "altijd", "nooit", "soms",
    "natuurlijk", "prima", "sorry", "haha", "echt", "serieus", "wel", "hoor", "hè", "zeg",
    "is", "was", "goed", "goede", "lastig", "lastige", "moeilijk", "moeilijke", "vraag",
    "heikel", "heikele", "punt", "interessant", "interessante", "mooi", "mooie",
))  # fmt: skip

# What a transcriber writes for sounds and silences, "(gelach)", "[onverstaanbaar]": a
# sentence of only these says nothing a theme could be coded on.
NONVERBAL_WORDS = frozenset((
    "gelach", "lacht", "lachen", "lachend", "grinnikt", "gniffelt", "glimlacht", "stilte",
    "pauze", "onverstaanbaar", "onhoorbaar", "zucht", "zuchten", "hoest", "kucht", "knikt",
    "applaus", "geroezemoes", "inaudible", "laughs", "laughter",
))  # fmt: skip

# Negation proper: the mention is denied, absent or insufficient.
# fmt: off
NEGATION_CUES = frozenset((
    "niet", "geen", "nooit", "weinig", "nauwelijks", "onvoldoende", "amper", "nergens",
    "niemand", "niets", "niks", "zonder", "gebrek", "ontbreken", "ontbreekt", "ontbrak",
    "tekort", "tekortschieten", "tekortkoming", "missen", "mist", "gemis", "onvoldoende",
    "ontoereikend", "allerminst", "noch", "evenmin",
))
# fmt: on
# Negative appraisal: the mention is there but goes badly.
# fmt: off
NEGATIVE_CUES = frozenset((
    "moeizaam", "stroef", "lastig", "moeilijk", "slecht", "slechter", "slechtst", "helaas",
    "probleem", "problemen", "frustrerend", "frustratie", "frustreren", "gebrekkig",
    "wantrouwen", "achteruit", "schuren", "verdwijnen", "kwijt", "kwijtraken", "beschadigen",
    "beschadigd", "schade", "zorgelijk", "ingewikkeld", "matig", "traag",
))
# fmt: on
# Positive appraisal (only when there is no negative cue).
# fmt: off
POSITIVE_CUES = frozenset((
    "goed", "beter", "best", "prima", "fijn", "prettig", "sterk", "makkelijk", "gemakkelijk",
    "snel", "mooi", "waardevol", "helpen", "helpt", "top", "uitstekend", "fantastisch",
    "positief", "soepel", "waarderen", "tevreden", "groeien",
))
# fmt: on
# Where a clause ends: a cue on the other side is about something else.
CLAUSE_BREAKS = frozenset({",", ";", ":", "maar", "want", "echter", "terwijl", "—", "–", "-"})


def rank(forms) -> int:
    """How good a phrase word is as its anchor: 0 content, 1 light, 2 function word."""
    if any(f in FUNCTION_WORDS for f in forms):
        return 2
    return 1 if any(f in LIGHT_WORDS for f in forms) else 0


def undiminish(word: str) -> list[str]:
    """Possible stems of a diminutive: lijntje -> lijn, belletje -> bel, kopje -> kop."""
    stems = []
    for suffix in DIMINUTIVES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            stems.append(stem)
            if suffix == "etje" and len(stem) > 3 and stem[-1] == stem[-2]:
                stems.append(stem[:-1])
            break
    return stems
