"""The shipped codebook keeps theme words in other senses out of the themes.

"verbinding" of a bus or a phone line, "verantwoording afleggen" to the funder and an
appointment at the dentist's are not connection, responsibility or agreements; the same
words in their theme sense still are. All sentences are fictional.
"""

from __future__ import annotations

import pytest

from codeer.coding.codebook import load_codebook
from codeer.coding.nlp import load_pipeline
from codeer.coding.suggest import Suggester


@pytest.fixture(scope="module")
def themes_of():
    nlp = load_pipeline()
    suggester = Suggester(load_codebook(None), nlp)

    def themes(sentence: str) -> set[str]:
        found = set()
        for _start, _end, suggestions in suggester.process(nlp(sentence)):
            found.update(suggester.codebook.codes[s.code].path[0] for s in suggestions)
        return found

    return themes


@pytest.mark.parametrize(
    "sentence, theme",
    [
        ("Die busverbinding is trouwens een drama.", "verbinden"),
        ("Sorry, de verbinding viel net even weg.", "verbinden"),
        ("Elk kwartaal leggen we verantwoording af aan de gemeenteraad.", "verantwoordelijkheid"),
        ("Ik heb om drie uur een afspraak bij de tandarts.", "verantwoordelijkheid"),
        ("Onze hond heeft een afspraak om half vijf.", "verantwoordelijkheid"),
        ("Veel mensen spreken de taal nog niet goed.", "vertrouwen"),
        ("Nee, serieus.", "vertrouwen"),
    ],
)
def test_other_senses_are_not_the_theme(themes_of, sentence, theme):
    assert theme not in themes_of(sentence)


@pytest.mark.parametrize(
    "sentence, theme",
    [
        ("We leggen echt verbinding met de scholen in de wijk.", "verbinden"),
        ("We zitten in hetzelfde gebouw als het consultatiebureau.", "verbinden"),
        ("Wij dragen de verantwoordelijkheid voor die gezinnen.", "verantwoordelijkheid"),
        ("We hebben goede afspraken gemaakt over wie wat doet.", "verantwoordelijkheid"),
        ("Dan wijst iedereen naar elkaar en gebeurt er niks.", "verantwoordelijkheid"),
        ("Met de school spreken we inmiddels dezelfde taal.", "vertrouwen"),
        ("Een ouder moet voelen dat je aan zijn kant staat.", "vertrouwen"),
    ],
)
def test_the_theme_sense_is_still_found(themes_of, sentence, theme):
    assert theme in themes_of(sentence)
