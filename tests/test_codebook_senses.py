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
        # issue 11: self-confidence, confidence in an outcome, institutional trust
        ("Veel jongeren hebben weinig zelfvertrouwen.", "vertrouwen"),
        ("Het zelfvertrouwen van ouders groeit als ze zich gehoord voelen.", "vertrouwen"),
        ("Ik heb er alle vertrouwen in dat de aanbesteding goed uitpakt.", "vertrouwen"),
        ("Het vertrouwen in de politiek is laag.", "vertrouwen"),
        ("Burgers hebben weinig vertrouwen in de overheid.", "vertrouwen"),
        ("Ik heb vertrouwen in de toekomst.", "vertrouwen"),
        # codebook 1.4: a council's trust in its college, a job title, privacy as a topic
        ("Mijn fractie heeft het vertrouwen in dit college verloren.", "vertrouwen"),
        ("Wij dienen een motie van wantrouwen in tegen de wethouder.", "vertrouwen"),
        ("Ik ben ook vertrouwenspersoon voor collega's binnen de stichting.", "vertrouwen"),
        ("Ik heb er best vertrouwen in, hoor.", "vertrouwen"),
        ("We moesten een e-learning over de privacywet doen.", "vertrouwen"),
        # the legal responsibility of the state, not a professional taking it
        (
            "Sinds 2015 zijn de gemeenten verantwoordelijk voor de jeugdzorg.",
            "verantwoordelijkheid",
        ),
        ("De gemeente is wettelijk verantwoordelijk voor de toegang.", "verantwoordelijkheid"),
        ("De minister is verantwoordelijk voor het beleid.", "verantwoordelijkheid"),
        # everyday phrases that need company
        ("Wij zijn betrokken bij het project.", "verantwoordelijkheid"),
        ("Ik wist niet wat er aan de hand was.", "verantwoordelijkheid"),
        ("De hulpvraag van het gezin was niet duidelijk.", "verantwoordelijkheid"),
        ("We houden de school op de hoogte.", "vertrouwen"),
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
        ("De ouders hebben vertrouwen in ons.", "vertrouwen"),
        ("Het gaat om vertrouwen in elkaars deskundigheid.", "vertrouwen"),
        ("Ik voel me verantwoordelijk voor die kinderen.", "verantwoordelijkheid"),
        ("Wij blijven betrokken bij het gezin, ook na de verwijzing.", "verantwoordelijkheid"),
        ("We zoeken uit wat er echt aan de hand is in dat gezin.", "verantwoordelijkheid"),
        ("Je moet ouders op de hoogte houden van wat er gaat gebeuren.", "vertrouwen"),
        ("Die moeder heeft het vertrouwen in ons team verloren.", "vertrouwen"),
        ("We delen niets zonder toestemming, dat hoort bij privacy.", "vertrouwen"),
    ],
)
def test_the_theme_sense_is_still_found(themes_of, sentence, theme):
    assert theme in themes_of(sentence)
