#!/usr/bin/env python
"""Build the generated example transcripts in ``transcripts/``.

Writes (deterministically, byte-identical on every run):
  zuidermeer.docx   transcription-service Word export ("Spreker 1 00:00:05" / "Naam 00:01:23" lines)
  ravenswoude.docx  duo interview with Int: / R1: / R2: labels
  eemsterveld.odt   OpenDocument text with all-caps labels (ONDERZOEKER: / DE COÖRDINATOR:)
  dijkerhout.vtt    WebVTT with <v Naam> voice tags, long turns split over consecutive cues
  kempenrade.srt    SubRip with "Naam: text" in the cue text (continuation cues carry no label)

The texts live in this script. All persons, organisations and places are fictional.

Usage:  python tools/make_examples.py
Needs:  python-docx, odfpy
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "transcripts"
FICTION = "Fictief interview. Alle personen, organisaties en plaatsen zijn verzonnen."
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def words(text: str) -> int:
    return len(text.split())


def clock(seconds: int, hours: bool = True) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}" if hours else f"{h * 60 + m}:{s:02d}"


def split_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def chunk_sentences(text: str, max_words: int = 28) -> list[str]:
    """Group sentences into cue-sized chunks (never splitting a sentence)."""
    chunks, cur = [], []
    for sent in split_sentences(text):
        if cur and words(" ".join(cur + [sent])) > max_words:
            chunks.append(" ".join(cur))
            cur = []
        cur.append(sent)
    if cur:
        chunks.append(" ".join(cur))
    return chunks


def normalise_zip(path: Path, pin=None) -> None:
    """Rewrite a zip container with fixed timestamps so the output is reproducible;
    *pin(name, data)* may rewrite an entry's bytes (dates a library stamps inside)."""
    src = zipfile.ZipFile(path)
    entries = [(info, src.read(info.filename)) for info in src.infolist()]
    src.close()
    if pin is not None:
        entries = [(info, pin(info.filename, data)) for info, data in entries]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for info, data in entries:
            new = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            new.compress_type = info.compress_type
            new.external_attr = 0o644 << 16
            dst.writestr(new, data)
    path.write_bytes(buf.getvalue())


def parse_turns(block: str) -> list[tuple[str, str]]:
    """'Label: text' lines separated by blank lines -> [(label, text)]."""
    turns = []
    for para in block.strip().split("\n\n"):
        para = " ".join(line.strip() for line in para.strip().splitlines())
        label, _, text = para.partition(": ")
        turns.append((label.strip(), text.strip()))
    return turns


# ---------------------------------------------------------------------------
# texts
# ---------------------------------------------------------------------------

ZUIDERMEER = """
Spreker 1: Goed, dan begin ik de opname. Kunt u zich even voorstellen en iets vertellen over de wijk?

Hanneke Vos: Ja. Ik ben Hanneke Vos, ik ben coördinator van het sociaal team in Zuidermeer, en ik werk vooral in Duinrand. Dat is, ja, hoe zeg je dat netjes, een welgestelde wijk. Vrijstaande huizen, veel ouders met een eigen bedrijf of een drukke baan. Het sociaal team is een breed team en we zijn sinds het begin in 2015 onderdeel van de gemeente.
Wat veel mensen niet weten is dat er in zo'n wijk ook genoeg speelt. Alleen zie je het minder. Het zit achter de voordeur.

Spreker 1: Wat voor vragen komen er binnen?

Hanneke Vos: Bij jeugd gaat het veel over prestatiedruk. Kinderen die vastlopen op het gymnasium, angstklachten, somberheid, soms zelfbeschadiging. En over scheidingen, die zijn hier vaak heel juridisch. Twee advocaten, en het kind zit ertussen. Bij volwassenen is het vooral mantelzorg en eenzaamheid bij ouderen.

Spreker 1: En hoe komen die gezinnen bij jullie?

Hanneke Vos: Eerlijk gezegd vaak via school. De middelbare school hier belt ons best snel. We hebben een vaste medewerker die elke week op het Duinrand College spreekuur houdt, en de zorgcoördinator kent haar goed. Die loopt gewoon even binnen met een leerling. Dat werkt heel goed.
Maar ouders zelf komen minder. Die hebben vaak het idee dat wij er zijn voor mensen met problemen, en zij hebben geen problemen, zij hebben een kind dat even niet lekker gaat. Dat is een andere manier van kijken. Dus we moeten ook wel een beetje onze woorden kiezen.

Spreker 1: Wat bedoelt u met woorden kiezen?

Hanneke Vos: Nou, als je zegt: ik kom van het sociaal team, dan gaat de deur dicht. Als je zegt: ik ben de jeugdconsulent van de school, dan gaat hij open. Het is hetzelfde, maar het voelt anders. En je moet laten zien dat je weet waar je het over hebt. Deze ouders vertrouwen je pas als ze merken dat je deskundig bent. Dat je niet alleen een folder meegeeft.

Spreker 1: Jullie bieden zelf ook hulp?

Hanneke Vos: Ja, we zijn een actief team. We hebben twee GZ-psychologen in het team, dat is vrij uniek. Dus we kunnen zelf kortdurende behandeling doen bij angst en somberheid. Dat scheelt wachtlijsten, want de wachttijd bij de jeugd-GGZ is hier ook zes maanden.
En het scheelt een overdracht. Het gezin hoeft niet opnieuw zijn verhaal te doen. Degene die het gesprek begint, maakt het ook af, tenzij het echt te zwaar wordt.

Spreker 1: En als het te zwaar wordt?

Hanneke Vos: Dan verwijzen we, maar we blijven erbij. We hebben met de twee grote aanbieders afgesproken dat wij na de intake bij hen een driegesprek doen, met de ouders erbij. En dat we elke drie maanden even bellen. Niet om te controleren, maar om te weten hoe het gaat, en of er nog iets anders speelt in het gezin. Want vaak is er meer dan het kind. Dat is eigenlijk onze afspraak: wij houden de regie over het hele gezin, de aanbieder doet de behandeling.

Spreker 1: Houden de aanbieders zich daaraan?

Hanneke Vos: De meeste wel. Er is er één waar het lastig is, die sturen nooit iets terug. Daar heb ik het een paar keer over gehad met de contractmanager van de gemeente. Dat is het voordeel als je bij de gemeente zit, die zit twee bureaus verderop. Maar heel eerlijk: ik weet niet of dat nou zo veel uitmaakt in deze wijk. Hier zijn mensen mondig, die regelen het zelf ook wel als het moet.

Spreker 1: Hoe is de samenwerking met huisartsen?

Hanneke Vos: Wisselend. Er is een grote praktijk met een POH-jeugd, daar hebben we maandelijks overleg mee. Korte lijnen, dat gaat prima. En er zijn een paar kleinere praktijken die alles zelf doen en liever direct naar een particuliere psycholoog verwijzen. Die kennen ons nauwelijks.

Spreker 1: En met welzijn, met jongerenwerk?

Hanneke Vos: Er is weinig jongerenwerk in Duinrand. Er is niet echt een hangplek of zo. De jongeren zitten op de hockeyclub, zeg maar. We hebben wel contact met de sportverenigingen, die zien soms dingen. Een trainer die merkt dat een jongen ineens niet meer komt. Maar dat is nog heel pril. Daar zijn geen afspraken over.

Spreker 1: Hoe gaat u om met privacy?

Hanneke Vos: Dat is hier een heel belangrijk onderwerp. Ouders willen echt weten wat er met hun gegevens gebeurt. Sommigen vragen om inzage in het dossier, sommigen laten een jurist meekijken. Dus we werken met een toestemmingsformulier, en we zijn heel duidelijk aan het begin: dit delen we met school, dit niet. Als we daarvan afwijken, dan zeggen we dat eerst tegen de ouders. Altijd. Anders ben je het vertrouwen in één keer kwijt.

Spreker 1: Wat is de grootste uitdaging?

Hanneke Vos: Eh. Dat we te laat in beeld komen. We zijn goed in wat we doen, denk ik, maar we worden pas gebeld als het al flink mis is. Meer preventie dus. We willen bijvoorbeeld ouderavonden op scholen doen over stress bij pubers. Dat is laagdrempelig, en dan kennen ouders ons gezicht.
En de werkdruk natuurlijk. Hoewel die bij ons nog meevalt vergeleken met collega's in andere wijken. We hebben een korte wachttijd, twee weken.

Spreker 1: Hebt u het gevoel dat de gemeente achter het team staat?

Hanneke Vos: Ja, wel. De wethouder heeft het team echt omarmd. Er is een visie voor tien jaar, en we weten wat we moeten doen. Dat geeft rust. We hebben samen met de scholen en de huisartsen een gezamenlijke visie opgeschreven, over wat we onder preventie verstaan. Dat heeft lang geduurd, maar iedereen staat er nu achter.

Spreker 1: Dank u wel, dit was heel helder.

Hanneke Vos: Graag gedaan.
"""

RAVENSWOUDE = """
Int: Fijn dat jullie met z'n tweeën willen praten. Willen jullie je even voorstellen?

R1: Ja, ik ben Dennis, ik ben coördinator van het jeugd- en gezinsteam in Ravenswoude, en dit is...

R2: Fatma. Ik ben jeugd- en gezinswerker, en ik ben de contactpersoon voor de scholen in de Bloemenbuurt.

Int: De Bloemenbuurt, dat is jullie werkgebied?

R1: Ja, een van de twee. De Bloemenbuurt is een naoorlogse wijk, veel portiekflats, veel armoede ook. We zijn onderdeel van de gemeente, we zijn een afdeling onder het sociaal domein. En we zijn een actief team, dus we doen veel zelf.

R2: Ja, echt veel. Ik heb zelf op dit moment twaalf gezinnen waar ik de hulp geef. Opvoedondersteuning, maar ook gewoon helpen met de administratie, meegaan naar school.

Int: Hoe ziet de samenwerking met de scholen eruit?

R2: Ik zit drie ochtenden per week op de scholen. Op de Regenboog en op de Klimop. Ik heb daar gewoon een bureautje naast de IB'er. R1: ja precies Int: oké, en wat doe je daar dan?

R2: Alles eigenlijk. Ik sta 's ochtends bij de deur als de kinderen binnenkomen. Ouders kennen me. Ze zeggen: hé Fatma, mag ik even wat vragen? En dan gaat het over een brief van de Belastingdienst, of over een zoon die niet wil slapen. Dat is laagdrempelig. Ze hoeven niet te bellen naar een nummer, ze zien me gewoon.

R1: En dat is bewust zo opgezet hoor. We hebben met de scholen en het samenwerkingsverband een convenant gesloten. Daarin staat dat er op elke school een vast gezicht is vanuit het team. En dat we samen met de school één plan maken voor een kind, niet een plan van school en een plan van ons.

Int: Werkt dat?

R1: Meestal. Ik zou zeggen... op de basisscholen werkt het heel goed. De intern begeleiders vertrouwen ons, en wij vertrouwen hen. Als de IB'er zegt: dit kind heeft meer nodig, dan nemen we dat serieus, daar gaan we niet eerst nog eens een maand over doen.

R2: Ja. En andersom ook. Als ik zeg: die moeder heeft echt even rust nodig, dan stuurt de school geen boze brief over te laat komen. Dan weten ze: Fatma is ermee bezig.

Int: En het voortgezet onderwijs?

R1: Moeilijker. De kinderen gaan naar scholen in de stad, verspreid over wel tien scholen. Daar hebben we niet overal een contactpersoon. En de zorgcoördinatoren daar kennen ons niet. Dus als een kind van de basisschool naar de middelbare gaat, dan verdwijnt het soms gewoon uit beeld.

R2: Dat vind ik echt jammer. Je hebt zes jaar een band opgebouwd met een gezin, en dan...

R1: ... dan begint het opnieuw. Ja. We proberen nu wel een warme overdracht te doen. Dat ik in groep acht met de ouders een afspraak maak met de mentor van de nieuwe school. Maar dat lukt niet altijd.

Int: Jullie noemden de ouders. Hoe is de relatie met de gezinnen?

R2: Goed, denk ik. Maar het is wel iets wat je moet verdienen. Veel van onze gezinnen hebben slechte ervaringen. Met de toeslagen, met jeugdbescherming, soms zijn er kinderen uit huis geplaatst bij familie. Dus als jij zegt: ik kom van de gemeente, dan denken ze: oei.

R1: Ja, dat is het nadeel van bij de gemeente zitten. Dat moet je wel eerlijk zeggen. De gemeente is voor sommige mensen de vijand.

R2: Dus ik zeg altijd heel duidelijk wat ik doe en wat ik niet doe. Ik ben er niet om te controleren. Ik ben er om te helpen. En als ik me zorgen maak over de veiligheid, dan zeg ik dat eerst tegen de ouders, niet achter hun rug. Dat waarderen ze. Ook als het moeilijk is.

Int: En de huisartsen?

R1: Daar hebben we geen goede lijn mee. Eerlijk is eerlijk. Er zit één huisartsenpraktijk in de wijk, die is overbelast, die nemen nauwelijks de telefoon op. We hebben geprobeerd een POH-jeugd te regelen, maar daar was geen geld voor.

R2: Ik heb een keer een uur in de wacht gehangen voor één vraag.

R1: Ja. Dus daar is weinig contact. Dat is echt een zwakke plek.

Int: Hoe zit het met welzijn en jongerenwerk?

R2: Heel goed. Het jongerenwerk zit in hetzelfde gebouw, De Schakel. We lunchen samen. Dat klinkt gek, maar daar gebeurt het. Dan zegt de jongerenwerker: die jongen van familie zus, die zit niet lekker. En dan weet ik: ik moet de moeder even bellen.

R1: We hebben ook een wijknetwerk, elke zes weken, met de wijkagent, de woningcorporatie, het maatschappelijk werk, het opbouwwerk. Daar bespreken we geen casussen, maar wel wat we zien in de wijk. Signalen.

Int: Wie heeft de regie als er veel partijen bij een gezin zijn?

R1: Wij. Dat is afgesproken in het convenant. Het jeugd- en gezinsteam heeft de casusregie. Dus als er vijf partijen zijn, dan ben ik of is Fatma de spil. En we bewaken dat afspraken worden nagekomen. Als een aanbieder niet terugbelt, dan bel ik de aanbieder.

R2: Ik vind dat ook echt onze verantwoordelijkheid. Je kunt niet zeggen: ik heb verwezen, klaar. Dan laat je een gezin vallen.

Int: En de werkdruk?

R1: Hoog, maar behapbaar. We hebben geen wachtlijst, want we hebben gezegd: liever minder doen maar wel meteen. Dat was een keuze van de gemeente, die hebben extra formatie gegeven voor de Bloemenbuurt. Omdat ze zagen dat het hier nodig is.

R2: Nou, behapbaar... Ik vind het soms best veel.

R1: Ja, oké. Het is veel. Maar het is niet zoals in andere gemeenten, waar ze honderd gezinnen op een lijst hebben.

Int: Als jullie één ding mochten wensen?

R2: Een POH-jeugd. Echt.

R1: Ja, en dat het beleid zo blijft. Dat we niet over twee jaar weer gereorganiseerd worden. Want dit werkt omdat mensen elkaar kennen. Als je dat weggooit, ben je jaren kwijt.

Int: Dank jullie wel.
"""

EEMSTERVELD = """
ONDERZOEKER: Dank u wel dat u mee wilt werken. Wilt u kort vertellen wie u bent en over welk team we het hebben?

DE COÖRDINATOR: Ja. Ik ben coördinator van buurtteam Eemsterveld-Noord. Eemsterveld is een grote gemeente, we hebben negen buurtteams. Eemsterveld-Noord is de wijk rond de oude haven. Veel sociale huur, veel mensen met een laag inkomen, en in de laatste jaren ook veel statushouders. De buurtteams zijn georganiseerd in een coöperatie, dus we zijn niet van de gemeente. De gemeente koopt ons in voor vijf jaar.

ONDERZOEKER: Wat doet het buurtteam?

DE COÖRDINATOR: Alles eigenlijk. Het is een breed team. Jeugd, maar ook schulden, huisvesting, eenzaamheid, psychische problemen. We bieden zelf hulp, we zijn actief, zo'n tachtig procent van de vragen handelen we zelf af. En alleen als het echt specialistisch moet, verwijzen we door.

ONDERZOEKER: Hoe is de verhouding met de gemeente?

DE COÖRDINATOR: Eh. Zakelijk. Dat zijn ze, opdrachtgever, en wij zijn opdrachtnemer. Er is een contractmanager en er zijn prestatie-indicatoren. Dat is op zich prima. Maar je merkt dat er wantrouwen is, van twee kanten. De gemeente denkt: kost het niet te veel? En wij denken: ze begrijpen niet wat we doen. Het ontbreekt aan een gedeelde visie, vind ik. We praten over cijfers, niet over de wijk.

ONDERZOEKER: Kunt u daar een voorbeeld van geven?

DE COÖRDINATOR: Vorig jaar heeft de gemeente besloten dat we minder trajecten langer dan een jaar mogen hebben. Zonder met ons te overleggen. In een wijk als deze, met gezinnen met, ja, problemen op alle fronten, is een jaar soms gewoon niet genoeg. Nou, dat hebben we moeten uitvechten. Het is uiteindelijk goed gekomen, maar het heeft veel energie gekost.

ONDERZOEKER: En de samenwerking met scholen?

DE COÖRDINATOR: Dat is... moeizaam. Ik zeg het eerlijk. Er zijn vijf basisscholen in Noord, en we hebben geen vaste contactpersoon per school. Daar is geen formatie voor. Dus de intern begeleiders weten niet goed wie ze moeten bellen. Ze bellen het algemene nummer en dan komen ze bij de intake. Dat is, ja, niet hoe je het wilt. Wij kennen de IB'ers ook niet allemaal persoonlijk.

ONDERZOEKER: Hoe komt dat?

DE COÖRDINATOR: Deels door het verloop. Ik heb in drie jaar bijna het halve team zien vertrekken. Nieuwe mensen moeten het netwerk weer opbouwen, en dat kost tijd. En deels omdat het samenwerkingsverband een eigen schoolmaatschappelijk werk heeft, ingekocht bij een andere organisatie. Dus er zitten twee partijen op hetzelfde terrein. Niemand weet precies wie waarvoor is. Soms doen we dubbel werk, soms doet niemand iets.

ONDERZOEKER: Wordt daar iets aan gedaan?

DE COÖRDINATOR: We zijn in gesprek. Er is nu een werkgroep. Maar eerlijk gezegd vertrouwen de scholen het schoolmaatschappelijk werk meer dan ons, omdat die er al langer zitten. Dat snap ik ook. Wij moeten ons nog bewijzen.

ONDERZOEKER: En met welzijn?

DE COÖRDINATOR: Dat gaat juist heel goed. De welzijnsorganisatie is lid van dezelfde coöperatie. We zitten in hetzelfde gebouw, we hebben samen een wijkkamer. De opbouwwerkers kennen iedereen in de wijk, en die brengen mensen naar ons toe. Een buurvrouw die zegt: mijn buurman komt al weken niet buiten. Dan gaan we samen langs. Die lijntjes zijn kort.

ONDERZOEKER: En de huisartsen?

DE COÖRDINATOR: Er zijn twee gezondheidscentra. Met het ene werken we nauw samen, daar zit een POH-GGZ en een POH-jeugd, en we hebben om de week een multidisciplinair overleg. Dat is echt goed. Met het andere centrum, eh, daar is eigenlijk geen contact. Die verwijzen direct door naar de tweede lijn.

ONDERZOEKER: U zei dat u zelf veel hulp biedt. Hoe bepaalt u wat een gezin nodig heeft?

DE COÖRDINATOR: We werken met een brede intake. We vragen niet: wat wilt u? We vragen: wat is er aan de hand, wat gaat goed, wat wilt u dat er anders wordt? Vaak blijkt dan dat de vraag waarmee iemand binnenkomt niet de echte vraag is. Iemand komt voor een kind dat slecht slaapt, en dan blijkt dat er een huisuitzetting dreigt. Dan moet je daar eerst mee aan de slag. Anders helpt geen enkele opvoedcursus.

ONDERZOEKER: Is er een wachtlijst?

DE COÖRDINATOR: Ja. Zo'n zes tot acht weken. Voor spoed niet, dat pakken we meteen op. Maar het is te lang. En de specialistische jeugdhulp heeft nog veel langere wachtlijsten. Dan hou je een gezin vast, je doet wat je kunt, maar je weet eigenlijk dat het niet genoeg is.

ONDERZOEKER: Blijft u betrokken bij een gezin als het naar specialistische hulp gaat?

DE COÖRDINATOR: Dat is de afspraak. We blijven regievoerder. Maar ik merk dat sommige collega's het gezin toch loslaten als de aanbieder begint, door de werkdruk. Dan denken ze: die zijn nu in goede handen. En dan gaat er iets mis, en dan wijst iedereen naar elkaar. Ik probeer mijn team erop te wijzen: het blijft jouw gezin. Je bent verantwoordelijk tot het klaar is.

ONDERZOEKER: Hoe gaat het met Veilig Thuis?

DE COÖRDINATOR: Wisselend. Ze zijn overbelast, net als wij. Soms krijgen we een overdracht per mail zonder dat er iemand belt. Dan zit je met een dossier en een gezin dat niet weet waarom je komt. Dat is geen warme overdracht, dat is een koude. En dan begin je met een achterstand qua vertrouwen.

ONDERZOEKER: Wat zou u willen veranderen?

DE COÖRDINATOR: Dichter bij de gemeente. Niet per se in dienst, maar dat we echt samen optrekken. Een beleidsmedewerker die eens een dag meeloopt. En vaste contactpersonen op de scholen. En dat we met alle ketenpartners, dus school, huisarts, Veilig Thuis, één keer per jaar om tafel gaan om de samenwerkingsafspraken door te lopen. Als ik dat heb, dan... ja, dan kunnen we een stuk meer.

ONDERZOEKER: Dank u wel.

DE COÖRDINATOR: Graag gedaan.
"""

DIJKERHOUT = """
Interviewer: Kunt u om te beginnen uitleggen hoe de toegang tot jeugdhulp in Dijkerhout is georganiseerd?

Wim Bakker: Ja. Wij hebben in Dijkerhout geen wijkteam. Dat is een bewuste keuze geweest. We zijn een kleine gemeente, nog geen vijftienduizend inwoners, verspreid over vier dorpen. Het idee was dat een apart team te duur en te log zou zijn. Dus we werken met een loket, het Zorgloket, in het gemeentehuis. Daar zitten drie consulenten jeugd en vier voor de Wmo.

Interviewer: En u bent?

Wim Bakker: Ik coördineer het Zorgloket. Ik ben zelf ambtenaar. Maar de consulenten jeugd zijn ingehuurd via een detacheringsbureau, dus die vallen formeel buiten de gemeente. Dat is een beetje een rare constructie, dat geef ik toe.

Interviewer: Wat voor wijk of dorp is het waar u het meest over kunt vertellen?

Wim Bakker: Dan neem ik Oudebrink. Dat is het grootste dorp, vrij welvarend. Veel mensen die in de stad werken en hier wonen vanwege de rust. Weinig armoede, weinig criminaliteit. Een hechte gemeenschap, maar wel een beetje gesloten. Men lost het liever zelf op.

Interviewer: Hoe komen gezinnen bij het loket terecht?

Wim Bakker: Vooral via de huisarts. De huisarts verwijst en wij geven de beschikking af. Eigenlijk zijn wij in veel gevallen een administratieve stap. We zien het gezin niet eens altijd. Dat vind ik zelf eerlijk gezegd niet ideaal. We weten niet wat er echt speelt. We tekenen een beschikking voor iets waar een huisarts naar heeft gekeken in tien minuten.

Interviewer: Heeft u contact met de huisartsen?

Wim Bakker: Weinig. Er zijn drie praktijken. Eén keer per jaar is er een overleg. Verder mailen we. Ik ken de huisartsen wel van gezicht, het is een dorp, maar we bellen niet even over een gezin. Daar is ook geen cultuur voor. Zij doen hun ding, wij doen het onze.

Interviewer: En met de scholen?

Wim Bakker: Er is een zorgadviesteam op de basisscholen waar soms een consulent aanschuift. Maar de scholen regelen veel zelf, met het samenwerkingsverband. Ik denk dat de meeste leerkrachten niet weten dat het Zorgloket bestaat. Als ik eerlijk ben. Er is geen vast gezicht. We zijn niet aanwezig in de dorpen, we zitten in het gemeentehuis.

Interviewer: Is dat een probleem, denkt u?

Wim Bakker: In Oudebrink... misschien minder dan je zou denken. De meeste gezinnen hebben het goed, en die hebben een netwerk. Oma, de buren, de voetbalclub. Maar de gezinnen die het niet goed hebben, die vallen tussen wal en schip. Die vinden de weg naar het loket niet. Die komen pas in beeld als het echt escaleert, bij de politie of bij Veilig Thuis.

Interviewer: Hoe gaat het dan verder?

Wim Bakker: Dan moeten wij snel iets regelen, en dan is er vaak een wachtlijst bij de aanbieder. Dan zit je met een crisis en geen plek. Dan ga ik zelf bellen met aanbieders om te kijken of er toch iets kan. Dat lukt soms, omdat ik mensen ken. Maar het is improviseren.

Interviewer: Wie houdt de regie over zo'n gezin?

Wim Bakker: Eh, dat is een goede vraag. Officieel de consulent. Maar de consulent heeft honderdvijftig dossiers en komt er niet aan toe. Dus in de praktijk... ja, de aanbieder, denk ik. Of niemand. Dat is eerlijk gezegd een zwakke plek. Er is niemand die het gezin echt volgt. We krijgen een eindverslag als het traject klaar is, dat is het.

Interviewer: Wat vinden de consulenten daarvan?

Wim Bakker: Die vinden het ook niet fijn. Ze zijn opgeleid als jeugdhulpverlener, en nu zijn ze vooral bezig met formulieren en beschikkingen. Het verloop is hoog. Dat is jammer, want iemand die hier vijf jaar zit, kent de dorpen en kent de mensen. Nu hebben we elk jaar weer nieuwe gezichten.

Interviewer: Is er in de dorpen jongerenwerk of welzijnswerk?

Wim Bakker: Er is een stichting welzijn die ouderenwerk doet en een jongerenwerker voor de hele gemeente, twintig uur. Die zien we eigenlijk nooit. Nou, nooit... een keer per jaar op een bijeenkomst van de gemeente. We weten niet goed wat ze doen en zij weten niet wat wij doen. Er zijn ook geen afspraken over hoe we elkaar zouden kunnen vinden. Dat is een gemiste kans, denk ik, want de jongerenwerker ziet de jongeren die bij ons nooit binnenkomen.

Interviewer: En privacy? Hoe gaat dat?

Wim Bakker: Dat is streng geregeld. We delen niets met school zonder toestemming. Sommige ouders zijn er wel wantrouwig over. Die willen niet dat de gemeente weet dat hun kind bij de psycholoog loopt. Ik snap dat, in een klein dorp kent iedereen iedereen. Dus ook binnen het gemeentehuis houden we dat strikt gescheiden.

Interviewer: Speelt er discussie over een wijkteam?

Wim Bakker: Ja, de gemeenteraad wil het er nu toch over hebben. Er zijn signalen dat we te veel specialistische zorg inkopen en te weinig preventie doen. De kosten lopen op. En ik denk dat een klein team in de dorpen wel zou helpen. Dat je er gewoon bent, dat mensen je kennen. Maar het moet dan wel een stabiele keuze zijn, niet weer voor twee jaar.

Interviewer: Dank u wel.

Wim Bakker: Graag.
"""

KEMPENRADE = """
Interviewer: Goedemiddag. Kun je jezelf en het team even voorstellen?

Ingrid: Ja. Ik ben Ingrid, en ik ben coördinator van het CJG-team in Kempenrade. Kempenrade is een kleine gemeente, rond de achttienduizend inwoners. Ik werk vooral in de wijk Heidepark. Dat is een gewone wijk, niet rijk, niet arm, een mix. Ons CJG is onderdeel van de gemeente, we zijn een team binnen de afdeling Samenleving.

Interviewer: Wat doet het CJG-team?

Ingrid: We zijn de toegang voor jeugd en gezin, maar we bieden ook zelf hulp. Opvoedondersteuning, gezinscoaching, en we hebben een jongerencoach. Ik denk dat we de helft van de gezinnen zelf helpen zonder dat er iets ingekocht hoeft te worden. Dat vindt de gemeente ook belangrijk, vanwege de kosten, maar vooral omdat gezinnen dan niet opnieuw hoeven te beginnen bij een vreemde.

Interviewer: Hoe is de samenwerking met de scholen?

Ingrid: Goed. Echt goed. We hebben een vast spreekuur op alle vijf de basisscholen. En de IB'ers en wij hebben een app-groep. Als er iets is, dan stuur je een berichtje, en dan bel je even. Geen namen in de app natuurlijk, dat is afgesproken. Maar het is wel heel laagdrempelig.

Interviewer: Hoe is die band zo ontstaan?

Ingrid: Door er te zijn. Simpel. Ik ben in het begin gewoon langs alle scholen gegaan, koffie gedronken, gevraagd wat ze nodig hebben. En niet meteen met een folder aankomen. Luisteren. Ik denk dat de scholen daardoor het gevoel hebben dat we er voor hen zijn, en niet andersom.
Wat ook helpt is dat we dingen afmaken. Als een IB'er iets vraagt, dan krijgt ze binnen een week antwoord. Dat hebben we met elkaar afgesproken, en dat houden we vol. Ik denk dat ze weten dat ze op ons kunnen rekenen.

Interviewer: En het voortgezet onderwijs?

Ingrid: Er is één middelbare school in Kempenrade. Daar heeft onze jongerencoach een kamer. Dat gaat prima. De leerlingen lopen gewoon binnen. Sommigen vertellen haar meer dan hun ouders. Dan is het wel zoeken, want je wilt die band met de jongere niet kwijt, maar soms moet je ook ouders betrekken. Dan bespreek je met de jongere: hoe gaan we dit samen aan je ouders vertellen?

Interviewer: Hoe is het contact met de huisartsen?

Ingrid: Wisselend, eerlijk gezegd. We hebben twee huisartsen. De ene is heel betrokken, die belt mij zelf. De andere verwijst alles rechtstreeks door, en daar horen we niks van. We hebben het er met de gemeente over gehad. Er komt nu een POH-jeugd, gefinancierd door de gemeente, die voor de helft bij ons op kantoor zit. Daar verwacht ik veel van.

Interviewer: En met welzijn?

Ingrid: Het welzijnswerk is klein hier, één opbouwwerker en een vrijwilligerscentrale. Maar we zitten wel samen aan tafel in het sociaal overleg. Eens per maand, met de wijkagent erbij. Het is een klein dorp eigenlijk, je komt elkaar ook tegen bij de supermarkt.

Interviewer: Wie houdt de regie als een gezin specialistische hulp nodig heeft?

Ingrid: Wij. Dat staat in onze werkwijze. Als we verwijzen, blijft de gezinscoach de regiehouder. We hebben met de aanbieders afgesproken dat er elke drie maanden een evaluatie is, met de ouders erbij. Niet iedereen houdt zich daaraan, maar de meeste wel. En als een aanbieder niks van zich laat horen, dan bel ik zelf.

Interviewer: Hoe gaat u om met wachtlijsten?

Ingrid: Bij ons zelf is er nauwelijks een wachtlijst. Een week of twee. Maar bij de jeugd-GGZ is het vreselijk. Vier, vijf maanden. Dan blijft onze gezinscoach in de tussentijd betrokken. Dat moet je wel, anders verlies je het gezin. Ouders zeggen dan: jullie laten ons niet in de steek. Dat is veel waard.

Interviewer: Hoe werkt het met toestemming en informatie delen?

Ingrid: We bespreken het bij de start. We vragen de ouders: met wie mogen we contact hebben? En we leggen uit waarom. De meeste ouders vinden het prima. Een paar niet, en dat respecteren we. Dan werk je wat omslachtiger, maar dat is het waard.

Interviewer: En Veilig Thuis?

Ingrid: Daar hebben we goede afspraken mee. Als er een melding is in Kempenrade, dan belt de medewerker van Veilig Thuis ons eerst, en dan gaan we vaak samen op huisbezoek. Dan weet het gezin meteen wie er na Veilig Thuis blijft. Het gekke is: veel ouders zijn eerst boos, maar na een paar weken zeggen ze dat ze blij zijn dat iemand het gezien heeft. Je moet wel heel eerlijk zijn over wat er gaat gebeuren. Geen verrassingen.

Interviewer: Wat is het belangrijkste probleem?

Ingrid: De werkdruk loopt op. Er komen steeds meer complexe gezinnen, met scheidingen, met schulden. En we moeten ook steeds meer verantwoorden aan de gemeente. Formulieren, registratie. Dat gaat af van de tijd met gezinnen. Maar het voordeel van bij de gemeente zitten is dat ik dat ook gewoon kan zeggen tegen de wethouder. Die luistert.

Interviewer: Dank je wel, Ingrid.

Ingrid: Graag gedaan.
"""


# ---------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------

def parse_turns_keep_paragraphs(block: str) -> list[tuple[str, list[str]]]:
    turns = []
    for para in block.strip().split("\n\n"):
        lines = [line.strip() for line in para.strip().splitlines()]
        label, _, first = lines[0].partition(": ")
        turns.append((label.strip(), [first.strip()] + lines[1:]))
    return turns


def build_zuidermeer_paragraphs(path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Transcript interview sociaal team Zuidermeer")
    doc.add_paragraph(FICTION)
    doc.add_paragraph("Datum opname: 14-05-2024")
    t = 5
    for speaker, paras in parse_turns_keep_paragraphs(ZUIDERMEER):
        doc.add_paragraph(f"{speaker} {clock(t)}")
        for p in paras:
            doc.add_paragraph(p)
        t += max(4, round(sum(words(p) for p in paras) / 2.6))
    doc.core_properties.author = "Transcriptiebureau (fictief)"
    doc.save(path)
    normalise_zip(path)


def build_ravenswoude(path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Duo-interview jeugd- en gezinsteam Ravenswoude, wijk Bloemenbuurt")
    doc.add_paragraph(FICTION)
    doc.add_paragraph("Int = interviewer, R1 = coördinator, R2 = jeugd- en gezinswerker")
    for para in RAVENSWOUDE.strip().split("\n\n"):
        doc.add_paragraph(" ".join(line.strip() for line in para.strip().splitlines()))
    doc.core_properties.author = "onderzoeker (fictief)"
    doc.save(path)
    normalise_zip(path)


def build_eemsterveld(path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    doc = OpenDocumentText()
    doc.text.addElement(P(text="INTERVIEW BUURTTEAM EEMSTERVELD-NOORD"))
    doc.text.addElement(P(text=FICTION))
    for para in EEMSTERVELD.strip().split("\n\n"):
        doc.text.addElement(P(text=" ".join(line.strip() for line in para.strip().splitlines())))
    doc.save(str(path))
    normalise_zip(path, _pin_odf_meta)


def _pin_odf_meta(name: str, data: bytes) -> bytes:
    """odfpy stamps the creation date and its generator in meta.xml: pin them."""
    if name != "meta.xml":
        return data
    s = data.decode("utf-8")
    s = re.sub(r"<meta:creation-date>[^<]*</meta:creation-date>",
               "<meta:creation-date>2024-01-01T00:00:00</meta:creation-date>", s)
    s = re.sub(r"<dc:date>[^<]*</dc:date>", "<dc:date>2024-01-01T00:00:00</dc:date>", s)
    s = re.sub(r"<meta:generator>[^<]*</meta:generator>",
               "<meta:generator>codeer make_binary.py</meta:generator>", s)
    return s.encode("utf-8")


def vtt_time(sec: float) -> str:
    ms = int(round(sec * 1000))
    h, ms = divmod(ms, 3600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def build_dijkerhout(path: Path) -> None:
    out = ["WEBVTT", "", "NOTE", FICTION,
           "Gesprek met de coördinator van het Zorgloket Dijkerhout (geen wijkteam).", ""]
    t = 1.0
    n = 1
    for speaker, text in parse_turns(DIJKERHOUT):
        for chunk in chunk_sentences(text):
            dur = max(1.5, words(chunk) / 2.6)
            out += [str(n), f"{vtt_time(t)} --> {vtt_time(t + dur)}", f"<v {speaker}>{chunk}</v>", ""]
            t += dur + 0.4
            n += 1
    path.write_text("\n".join(out), encoding="utf-8", newline="\n")


def build_kempenrade(path: Path) -> None:
    out = ["1", "00:00:00,000 --> 00:00:04,000", f"[{FICTION}]", ""]
    t = 4.5
    n = 2
    for speaker, text in parse_turns(KEMPENRADE):
        for i, chunk in enumerate(chunk_sentences(text)):
            dur = max(1.5, words(chunk) / 2.6)
            start, end = vtt_time(t).replace(".", ","), vtt_time(t + dur).replace(".", ",")
            cue = f"{speaker}: {chunk}" if i == 0 else chunk
            out += [str(n), f"{start} --> {end}", cue, ""]
            t += dur + 0.4
            n += 1
    path.write_text("\n".join(out), encoding="utf-8", newline="\n")


def main() -> None:
    build_zuidermeer_paragraphs(HERE / "zuidermeer.docx")
    build_ravenswoude(HERE / "ravenswoude.docx")
    build_eemsterveld(HERE / "eemsterveld.odt")
    build_dijkerhout(HERE / "dijkerhout.vtt")
    build_kempenrade(HERE / "kempenrade.srt")
    for name in ["zuidermeer.docx", "ravenswoude.docx", "eemsterveld.odt", "dijkerhout.vtt", "kempenrade.srt"]:
        print("wrote", HERE / name)


if __name__ == "__main__":
    main()
