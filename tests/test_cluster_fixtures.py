"""Fixture data for the cluster and summary tests: fragments with a known sub-theme.

Fictional coordinators of neighbourhood teams in twelve fictional municipalities talk
about trust (vertrouwen) in three clearly different ways: trust in each other's expertise,
privacy and consent when sharing data, and the relationship of trust with parents. The
known grouping is the sub-theme each fragment was written for. (No tests in this module;
it only provides data and a project builder.)
"""

# ruff: noqa: E501  (one fragment per line reads best)

from __future__ import annotations

from pathlib import Path

from codeer.store.project import Project
from tests.factories import add_codebook, add_coding, add_document, new_project

EXPERTISE = [
    "Ja, de intern begeleider weet gewoon wat wij kunnen, en wij vertrouwen op haar deskundigheid bij leerproblemen.",
    "We hebben echt vertrouwen in de expertise van de jeugdverpleegkundige, dus we hoeven niet alles dubbel te checken.",
    "Eh, de huisarts kent onze deskundigheid inmiddels en verwijst daarom sneller door naar het wijkteam.",
    "Je moet weten wat de ander kan; als je elkaars expertise kent, durf je een casus los te laten.",
    "Nou, het jongerenwerk heeft veel kennis van de straat en die deskundigheid nemen wij serieus.",
    "In het begin twijfelde de school aan onze deskundigheid, maar nu vragen ze ons juist om advies.",
    "Wij hebben geleerd elkaars vakmanschap en expertise te respecteren, de specialist en de generalist vullen elkaar aan.",
    "Het gaat om vertrouwen in elkaars professionaliteit: ik weet dat de collega van welzijn zijn vak verstaat.",
    "De school ziet nu wat onze kennis toevoegt, en wij zien wat hun expertise in de klas is.",
    "Dat vertrouwen in elkaars kennis en kunde groeit pas als je een paar keer samen een gezin hebt begeleid.",
]
PRIVACY = [
    "Zonder toestemming van de ouders mogen we eigenlijk geen gegevens delen met school, dat is de privacywet.",
    "Die AVG maakt het lastig, want de intern begeleider wil informatie en wij moeten eerst toestemming vragen.",
    "We werken met een toestemmingsformulier, ouders tekenen welke gegevens we met wie mogen delen.",
    "Eh, gegevens delen met de huisarts gaat pas als het gezin daar toestemming voor geeft.",
    "Privacy is echt een drempel; soms weet je iets maar mag je die informatie niet delen met de partner.",
    "We hebben met de scholen afspraken gemaakt over welke gegevens we delen en hoe we het dossier beveiligen.",
    "Bij zorgen over veiligheid mag je zonder toestemming informatie delen, maar dat wegen we zorgvuldig af.",
    "Het privacyreglement van de gemeente schrijft precies voor welke gegevens in het systeem mogen.",
    "Ouders moeten weten welke informatie we uitwisselen, dus we vragen altijd eerst hun toestemming.",
    "De privacyregels rond het delen van gegevens zijn streng, de jurist van de gemeente kijkt mee.",
]
PARENTS = [
    "Ouders moeten het gevoel hebben dat ze bij ons terecht kunnen zonder dat er meteen een melding volgt.",
    "Het kost tijd voordat een moeder ons vertrouwt, je moet echt eerst luisteren naar haar verhaal.",
    "Veel gezinnen zijn bang dat hun kinderen uit huis worden geplaatst, dus dat wantrouwen moet je eerst wegnemen.",
    "Als je thuis bij het gezin aan de keukentafel zit en luistert, bouw je een band op met de ouders.",
    "Wij zijn eerlijk tegen ouders over wat we gaan doen, dan voelen ze zich serieus genomen.",
    "Een vader zei tegen mij: jullie zijn de eerste die echt naar ons gezin luisteren.",
    "Die vertrouwensband met het gezin is de basis, zonder die band komt er niks van de hulp terecht.",
    "Ouders die slechte ervaringen hebben met jeugdzorg houden de deur dicht, je moet geduld hebben met het gezin.",
    "We komen bij het gezin thuis en nemen de tijd, zodat ouders zich gehoord voelen.",
    "Door open te zijn over onze zorgen groeit het vertrouwen van de ouders in het wijkteam.",
]
SUBTHEMES = {"expertise": EXPERTISE, "privacy": PRIVACY, "ouders": PARENTS}

# Twelve fictional municipalities: (name, ses, positionering). Privacy talk is put in the
# five "buiten" municipalities so the summary has a group concentration to find.
GEMEENTEN = [
    ("Aalsterwolde", "laag", "buiten"),
    ("Bremerveen", "laag", "buiten"),
    ("Dorpshaven", "midden", "buiten"),
    ("Eikendaal", "hoog", "buiten"),
    ("Feldwijk", "hoog", "buiten"),
    ("Grootmeer", "laag", "binnen"),
    ("Heuvelrode", "laag", "binnen"),
    ("IJsselkamp", "midden", "binnen"),
    ("Kortenoord", "midden", "binnen"),
    ("Lindewoude", "hoog", "binnen"),
    ("Moerdam", "hoog", "binnen"),
    ("Noordveld", "midden", "binnen"),
]

VERBINDEN = [
    "We zitten elke week met school aan tafel, korte lijntjes.",
    "Ik ken de wijkagent bij naam en bel hem gewoon op.",
    "We lopen mee op het schoolplein zodat ouders ons zien.",
    "Het jongerenwerk en wij delen een kantoor in de wijk.",
]


def gemeente_for(subtheme: str, index: int) -> str:
    """Which fictional municipality fragment *index* of *subtheme* comes from."""
    if subtheme == "privacy":
        return GEMEENTEN[index % 5][0]
    offset = 5 if subtheme == "expertise" else 6
    return GEMEENTEN[offset + index % 6][0]


def build_trust_project(folder: Path) -> tuple[Project, dict[tuple[str, int, int], str]]:
    """A project with the trust fragments coded 'accepted'; returns it and the truth.

    The truth maps (document, start, end) to the sub-theme each fragment was written
    for. Fragments of one municipality form one document (an interview), each fragment
    its own coding; half of them under sub-codes of 'vertrouwen', to check that a theme
    includes its sub-codes. 'verbinden' gets four fragments (one cluster).
    """
    project = new_project(folder)
    book = add_codebook(
        project,
        [
            ("vertrouwen", None),
            ("vertrouwen_partners", "vertrouwen"),
            ("vertrouwen_ouders", "vertrouwen"),
            ("verbinden", None),
        ],
    )
    pieces: dict[str, list[tuple[str, str, str]]] = {g[0]: [] for g in GEMEENTEN}
    for subtheme, texts in SUBTHEMES.items():
        for i, text in enumerate(texts):
            pieces[gemeente_for(subtheme, i)].append((subtheme, text, "vertrouwen"))
    for i, text in enumerate(VERBINDEN):
        pieces[GEMEENTEN[i * 3][0]].append(("verbinden", text, "verbinden"))
    truth: dict[tuple[str, int, int], str] = {}
    for name, ses, positie in GEMEENTEN:
        text, spans = "", []
        for subtheme, piece, code in pieces[name]:
            text += "R: " if not text else "\nR: "
            spans.append((subtheme, len(text), len(text) + len(piece), code))
            text += piece
        doc = f"interview_{name.lower()}.txt"
        doc_id = add_document(
            project, doc, text, {"gemeente": name, "ses": ses, "positionering": positie}
        )
        for n, (subtheme, start, end, code) in enumerate(spans):
            if code == "vertrouwen" and n % 2:
                code = "vertrouwen_ouders" if subtheme == "ouders" else "vertrouwen_partners"
            add_coding(
                project, doc_id, start, end, code, status="accepted", coder="anna", codebook_id=book
            )
            if subtheme != "verbinden":
                truth[(doc, start, end)] = subtheme
    # One document without a gemeente: the case (none); one suggestion that must not count.
    extra = add_document(project, "losse_notitie.txt", "R: Geen codering hier.", {"ses": "laag"})
    add_coding(project, extra, 3, 22, "vertrouwen", status="suggested")
    return project, truth


def blank_pipeline():
    """A real spaCy pipeline without a model (lemmas come from simplemma in the features)."""
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    return nlp
