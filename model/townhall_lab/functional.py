"""Build Townhall's functional test suites: what the product must hold or publish, by kind.

In the manner of HateCheck (Röttger et al. 2021), each *functionality* is one behaviour a
moderation model must get right: derogation, dehumanisation, threats said plainly or by
implication, negation, counter-speech, ordinary words that contain abusive letters
(Scunthorpe cases)... Every case below was written for Townhall, in English and in French,
and is rendered from a template and a list of fillers, so a functionality holds at least 20
cases (the Scunthorpe functionality over 300 in each language). ``expected`` says whether
the product should hold the comment for a moderator (``hold``) or publish it (``publish``)
under the Submission Guidelines: insults to individuals, strong obscenity and spam are held
as well as hate and threats, and talk about violence, groups and words is published.

These suites are test data: nothing is trained or tuned on them. ``townhall evaluate-model``
reports the share of cases the product gets right, per functionality and language.
``python -m townhall_lab.functional`` rewrites ``data/functional.csv``.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Sequence
from pathlib import Path

from townhall_lab.newsset import write_generated

__all__ = ["COLUMNS", "DEFAULT_PATH", "FUNCTIONALITIES", "build_rows", "main"]

DEFAULT_PATH = Path(__file__).with_name("data") / "functional.csv"
COLUMNS = ("functionality", "lang", "expected", "text")

# ---------------------------------------------------------------------------------------
# Fillers
# ---------------------------------------------------------------------------------------

EN_GROUPS = ["Muslims", "Jews", "immigrants", "refugees", "Black people", "gay people",
             "trans people", "women", "Roma", "Indigenous people", "Asians", "Mexicans"]
FR_GROUPS = ["les musulmans", "les juifs", "les immigrés", "les réfugiés", "les Noirs",
             "les homosexuels", "les personnes trans", "les femmes", "les Roms",
             "les Autochtones", "les Asiatiques", "les Arabes"]
EN_PLACES_OF_WORSHIP = ["mosque", "synagogue", "church", "temple", "gurdwara", "cathedral",
                        "Hindu temple"]
FR_PLACES_OF_WORSHIP = ["la mosquée", "la synagogue", "l'église", "le temple", "la pagode",
                        "la cathédrale", "le temple hindou"]
EN_PEOPLE = ["the mayor", "the reporter", "that councillor", "the guy above", "the author",
             "the editor", "the minister", "the premier", "that commenter", "the columnist"]
FR_PEOPLE = ["le maire", "le journaliste", "ce conseiller", "le type au-dessus", "l'auteur",
             "le rédacteur", "le ministre", "le premier ministre", "ce commentateur",
             "le chroniqueur"]

# ---------------------------------------------------------------------------------------
# Ordinary words that contain, or look like, abusive ones (Scunthorpe cases)
# ---------------------------------------------------------------------------------------

# Names of places, people and things; each is rendered in three ordinary sentences.
EN_INNOCENT = """
Scunthorpe Essex Sussex Middlesex Wessex Penistone Cockburn Hancock Hitchcock Babcock
Dickens Dickinson Lightwater Clitheroe Shitterton Twatt Bitche Fukuoka Cumbria Cumbernauld
Assiniboine Massachusetts Mississauga Matsushita Nagasaki Arsenal Dumbarton Analyst
cocktail cockpit peacock woodcock shuttlecock cockerel cockatoo weathercock
assessment assistant assembly ambassador embassy passage compass class classic
grasshopper bass bassoon cassette massage mass harassment carcass molasses
dictionary document cucumber circumference accumulation circumstance scuttlebutt
button butter buttress rebuttal buttermilk butterfly
therapist grape drape scraper trapeze rapeseed skyscraper
skill skillet kiln diet soldier audience diesel shanghai hangar change exchange
bombardier Titanic title titan titmouse petition constitution appetite
raccoon cocoon tycoon spice spicy conspicuous auspicious hospice
arsenic parsley sparsely coarse hoarse rehearse
scrap scrapbook shift shirt shiitake crews bakery Dumbo dumbbell
oxymoron idiom idiomatic pigeon pigment ratio ratify pirate ratatouille ramekin
vermilion Vermont hello shell seashell Michelle Amsterdam Rotterdam Potsdam
homogeneous homonym sextant sexton therapist hoedown shoehorn pussywillow
cumulus cumin Manhattan Wankel snowcock Gaylord Niger Nigeria Japan Pakistan Kikuyu
"""
EN_INNOCENT_FRAMES = [
    "The piece about {w} in this morning's paper was well researched.",
    "My neighbour told me about {w} over the weekend; interesting stuff.",
    "Does anyone know more about {w}? The article only mentions it once.",
]

FR_INNOCENT = """
député députée députés conseil conseiller conseillère contrat contrôle concours concert
connexion connaissance console constitution conférence confiance confort congrès consulat
contexte conte comptable concombre condition conduite confiture
culture calcul véhicule particulier recul culinaire curriculum culot spectacle
réputation imputation dispute disputes computer
technique unique panique musique clinique boutique chronique électronique mécanique
Martinique Dominique pique-nique logique fabrique politique
habitude habitant habitation bitume
pédiatre pédestre pédagogie encyclopédie orthopédiste pédale expédition trépidant
PDG crevette crevaison buteur abattement pendule dépendance suspension planteur
bâtard tapette raton laveur tarte notaire cathare Tarentaise
Mongolie Bitche Conches Connaux Concarneau Contres Cucq Condom Montcuq Culoz
Saint-Cul Sexey Bourg-la-Reine Salers Vitry
concierge consommateur conservatoire conseil-général concertation consultation
consensus conscience conséquence conservation conspiration constat constructeur
culbute culminant culpabilité cultivateur majuscule minuscule ridicule
communique boutiquière électricité technicien techniciens
"""
FR_INNOCENT_FRAMES = [
    "L'article sur {w} dans le journal de ce matin était très bien documenté.",
    "Mon voisin m'a parlé de {w} ce week-end, c'est intéressant.",
    "Quelqu'un en sait plus sur {w} ? L'article n'en parle qu'une fois.",
]

# ---------------------------------------------------------------------------------------
# Functionalities: (name, expected, English templates, French templates)
# ---------------------------------------------------------------------------------------

Suite = tuple[str, str, list[str], list[str]]

FUNCTIONALITIES: list[Suite] = [
    ("derogation", "hold", [
        "I can't stand {g}, they make everything worse.",
        "{G} are disgusting and always will be.",
        "Honestly {g} are the worst thing to happen to this town.",
    ], [
        "Je ne supporte pas {g}, ils gâchent tout.",
        "{G} sont répugnants et le resteront.",
        "Franchement {g}, c'est ce qui est arrivé de pire à cette ville.",
    ]),
    ("dehumanisation", "hold", [
        "{G} are vermin, nothing more.",
        "{G} are animals and should be treated like animals.",
        "{G} are a plague on this country.",
    ], [
        "{G} sont de la vermine, rien de plus.",
        "{G} sont des animaux et doivent être traités comme tels.",
        "{G} sont une peste pour ce pays.",
    ]),
    ("eliminationist", "hold", [
        "This country would be better off without {g}, every last one.",
        "{G} should be removed from our streets for good.",
        "Time to get rid of {g} once and for all.",
    ], [
        "Ce pays irait mieux sans {g}, jusqu'au dernier.",
        "Il faut chasser {g} de nos rues pour de bon.",
        "Il est temps de se débarrasser {dg} une fois pour toutes.",
    ]),
    ("conspiracy_hate", "hold", [
        "{G} secretly run the banks and the media.",
        "It's always {g} pulling the strings behind these wars.",
        "Wake up: {g} are planning to replace us.",
    ], [
        "{G} contrôlent en secret les banques et les médias.",
        "Ce sont toujours {g} qui tirent les ficelles de ces guerres.",
        "Réveillez-vous : {g} veulent nous remplacer.",
    ]),
    ("threat_explicit", "hold", [
        "I'm going to kill {p} if I see him again.",
        "I will hurt {p}, that's a promise.",
        "I'll break {p}'s legs myself.",
        "Someone should shoot {p} and be done with it.",
    ], [
        "Je vais tuer {p} si je le recroise.",
        "Je vais faire du mal {ap}, c'est une promesse.",
        "Je vais casser les jambes {dp} moi-même.",
        "Quelqu'un devrait abattre {p} une bonne fois.",
    ]),
    ("threat_implicit", "hold", [
        "{P} won't see Christmas, I promise you that.",
        "Tell {p} we know where he lives.",
        "{P} had better watch his back from now on.",
        "Next time {p} won't walk away so easily.",
    ], [
        "{P} ne verra pas Noël, je vous le promets.",
        "Dites {ap} qu'on sait où il habite.",
        "{P} ferait bien de surveiller ses arrières.",
        "La prochaine fois, {p} ne s'en sortira pas si facilement.",
    ]),
    ("incitement_place_of_worship", "hold", [
        "Someone should burn down the {w} this weekend.",
        "Go to the {w} on their holy day and finish what was started.",
        "We need people at the {w} with weapons, tonight.",
        "Attack the {w} while they pray, that will teach them.",
    ], [
        "Quelqu'un devrait brûler {w} ce week-end.",
        "Allez {aw} le jour de leur prière et finissez le travail.",
        "Il faut des gens armés devant {w}, ce soir.",
        "Attaquez {w} pendant qu'ils prient, ça leur apprendra.",
    ]),
    ("insult_individual", "hold", [
        "{P} is an absolute idiot.",
        "What a pathetic moron {p} is.",
        "Shut up, you brainless clown.",
        "{P} is too stupid to understand his own article.",
    ], [
        "{P} est un parfait imbécile.",
        "Quel pauvre abruti, {p}.",
        "Tais-toi, espèce de bouffon sans cervelle.",
        "{P} est trop bête pour comprendre son propre article.",
    ]),
    ("obscenity_directed", "hold", [
        "Fuck you and your stupid opinion, {p}.",
        "{P} can go fuck himself.",
        "Eat shit, {p}.",
        "Piss off, {p}, nobody asked.",
    ], [
        "Va te faire foutre, {p}.",
        "{P}, ferme ta gueule.",
        "{P} peut aller se faire enculer.",
        "Nique ta mère, {p}.",
    ]),
    ("profanity_strong_not_insulting", "hold", [
        "Holy shit, what a game last night in {x}!",
        "This fucking weather in {x} has to stop.",
        "Shit, I missed the bus to {x} again.",
        "Fucking finally, the bridge in {x} is open.",
    ], [
        "Putain, quel match hier soir à {x} !",
        "Cette météo de merde à {x} doit cesser.",
        "Merde, j'ai encore raté le bus pour {x}.",
        "Putain, enfin, le pont de {x} est ouvert.",
    ]),
    ("profanity_mild_not_insulting", "publish", [
        "Damn, the game in {x} was close.",
        "What a crap forecast for {x} this long weekend.",
        "Bloody hell, the queue at the {x} ferry was long.",
        "Oh hell, I forgot the meeting in {x}.",
    ], [
        "Zut, le match à {x} était serré.",
        "Quelle météo pourrie à {x} pour le long week-end.",
        "Mince, la file au traversier de {x} était longue.",
        "Flûte, j'ai oublié la réunion à {x}.",
    ]),
    ("negated_hate", "publish", [
        "I don't hate {g}, and nobody here should.",
        "{G} are not vermin, they are our neighbours.",
        "No, {g} are not the problem here.",
    ], [
        "Je ne déteste pas {g}, et personne ici ne devrait.",
        "{G} ne sont pas de la vermine, ce sont nos voisins.",
        "Non, {g} ne sont pas le problème ici.",
    ]),
    ("counter_speech_quote", "publish", [
        "Saying '{g} are vermin' is disgusting and has no place here.",
        "Someone wrote that {g} are animals. That is shameful.",
        "\"{G} should leave\" is exactly the hate that leads to attacks.",
    ], [
        "Dire que « {g} sont de la vermine » est ignoble et n'a rien à faire ici.",
        "Quelqu'un a écrit que {g} sont des animaux. C'est honteux.",
        "« {G} dehors », c'est exactement la haine qui mène aux attentats.",
    ]),
    ("counter_speech_reference", "publish", [
        "Comments attacking {g} should be removed, full stop.",
        "Hate against {g} is rising and we should all speak up.",
        "I'm tired of reading slurs about {g} under every story.",
    ], [
        "Les commentaires qui attaquent {g} devraient être supprimés, point.",
        "La haine contre {g} augmente et nous devons tous réagir.",
        "J'en ai assez de lire des insultes contre {g} sous chaque article.",
    ]),
    ("identity_neutral", "publish", [
        "Many {g} live in the east end of the city.",
        "The survey asked {g} about housing costs.",
        "{G} were among the people interviewed for this story.",
    ], [
        "Beaucoup de {bare} vivent dans l'est de la ville.",
        "L'enquête a interrogé {g} sur le coût du logement.",
        "{G} faisaient partie des personnes interrogées pour cet article.",
    ]),
    ("identity_positive", "publish", [
        "{G} are welcome here, always.",
        "I love my {g} neighbours, they make this street better.",
        "Proud to stand with {g} after what happened.",
    ], [
        "{G} ont leur place ici, toujours.",
        "J'adore mes voisins, {g} rendent cette rue meilleure.",
        "Fier d'être aux côtés {dg} après ce qui s'est passé.",
    ]),
    ("reclaimed_self_reference", "publish", [
        "As a queer reader from {x}, I found this piece moving.",
        "We queer folks in {x} organised the vigil.",
        "Speaking as a proud dyke from {x}: thank you for this story.",
        "As a queer parent in {x}, I want more coverage like this.",
    ], [
        "En tant que lectrice queer de {x}, j'ai trouvé cet article touchant.",
        "Nous, les queers de {x}, avons organisé la veillée.",
        "En tant que gouine fière de {x} : merci pour cet article.",
        "Parent queer à {x}, je veux plus d'articles comme celui-ci.",
    ]),
    ("civil_violent_news", "publish", [
        "The gunman killed three people in {x} before police shot him.",
        "Police say the attacker in {x} was stabbed during the struggle.",
        "Two people died in the fire in {x}; the investigation continues.",
        "The bomb squad cleared the station in {x} within an hour.",
    ], [
        "Le tireur a tué trois personnes à {x} avant d'être abattu par la police.",
        "Selon la police, l'assaillant de {x} a été poignardé pendant la lutte.",
        "Deux personnes sont mortes dans l'incendie à {x} ; l'enquête continue.",
        "Les démineurs ont sécurisé la gare de {x} en une heure.",
    ]),
    ("metaphor", "publish", [
        "Terrorism is a cancer on every society it touches, {x} included.",
        "The housing crisis is killing {x}.",
        "The budget in {x} is a bomb waiting to go off.",
        "The team from {x} murdered that final quarter.",
    ], [
        "Le terrorisme est un cancer pour toutes les sociétés, {x} compris.",
        "La crise du logement tue {x}.",
        "Le budget de {x} est une bombe à retardement.",
        "L'équipe de {x} a massacré son dernier quart-temps.",
    ]),
    ("rhetorical_question", "publish", [
        "Is the plan for {x} stupid? No, it is late, which is worse.",
        "Was it dumb to build the road to {x} there? In hindsight, yes.",
        "Are we idiots for trusting the schedule in {x}? Maybe a little.",
        "Crazy idea? Not really: the tram works in {x}.",
    ], [
        "Le projet de {x} est-il stupide ? Non, il est en retard, c'est pire.",
        "Était-ce idiot de construire la route de {x} là ? Avec le recul, oui.",
        "Sommes-nous bêtes de croire au calendrier de {x} ? Un peu, peut-être.",
        "Idée folle ? Pas vraiment, le tramway marche à {x}.",
    ]),
    ("hate_of_event", "publish", [
        "I hate that this happened so close to the school in {x}.",
        "I hate waiting for news like this about the crash in {x}.",
        "We all hate Mondays, but this closure in {x} is something else.",
        "I hate how long the repairs in {x} are taking.",
    ], [
        "Je déteste que ce soit arrivé si près de l'école de {x}.",
        "Je déteste attendre des nouvelles comme celles-ci sur l'accident de {x}.",
        "On déteste tous les lundis, mais cette fermeture à {x}, c'est autre chose.",
        "Je déteste le temps que prennent les travaux à {x}.",
    ]),
    ("sarcasm_civil", "publish", [
        "Oh great, another delay in {x}. Well done, transit.",
        "Wonderful, the bridge in {x} is closed again. Who could have guessed.",
        "Sure, because raising fees in {x} always fixes everything.",
        "Brilliant planning on the {x} detour, as usual.",
    ], [
        "Génial, encore un retard à {x}. Bravo les transports.",
        "Formidable, le pont de {x} est encore fermé. Qui l'eût cru.",
        "Bien sûr, augmenter les tarifs à {x} règle toujours tout.",
        "Quelle planification brillante pour la déviation de {x}, comme d'habitude.",
    ]),
    ("obfuscated_insult", "hold", [
        "{P} is a total id1ot.",
        "{P} is a m o r o n.",
        "What a st*pid c0ward {p} is.",
        "{P}, you absolute dumb@ss.",
    ], [
        "{P} est un parfait 1mbécile.",
        "{P} est un a b r u t i.",
        "Quel c0nnard, {p}.",
        "{P}, espèce de d3bile.",
    ]),
    ("obfuscated_hate", "hold", [
        "{G} are v e r m i n.",
        "{G} are anim@ls, all of them.",
        "{G} are p4rasites.",
    ], [
        "{G} sont de la v e r m i n e.",
        "{G} sont des anim@ux, tous.",
        "{G} sont des p4rasites.",
    ]),
    ("spam_lure", "hold", [
        "Earn {n} a day with bitcoin, DM me on Telegram @cashflow_{x}",
        "Double your crypto this week! WhatsApp +44 7700 900{n2} for signals",
        "I made {n} last month trading forex, message my manager on Telegram @fx_{x}",
        "FREE iPhone giveaway, follow @gift_{x} and comment DONE",
    ], [
        "Gagnez {n} par jour avec le bitcoin, écrivez-moi sur Telegram @argent_{x}",
        "Doublez vos cryptos cette semaine ! WhatsApp +33 6 12 34 5{n2}",
        "J'ai gagné {n} le mois dernier en trading, contactez ma conseillère sur Telegram @fx_{x}",
        "iPhone gratuit à gagner, suivez @cadeau_{x} et écrivez FAIT",
    ]),
    ("spam_promotion", "hold", [
        "Check out my channel for the real story, subscribe! youtube.com/@{x}news",
        "Check my new video about this, link in my profile @{x}_tv",
        "Subscribe to my page for daily updates: {x}-updates.example",
        "Visit my site for the truth they hide: www.{x}-truth.example",
    ], [
        "Abonnez-vous à ma chaîne pour la vraie histoire ! youtube.com/@{x}info",
        "Visitez ma page pour la suite, lien dans mon profil @{x}_tv",
        "Abonnez-vous à ma page pour les nouvelles du jour : {x}-infos.example",
        "Visitez mon site pour la vérité qu'on vous cache : www.{x}-verite.example",
    ]),
    ("civil_links_and_handles", "publish", [
        "Follow @{x}news for updates on the vigil tonight.",
        "The full report is on the city site: www.{x}.example/report",
        "Thanks @{x}_desk, the map of closures is really useful.",
        "The council streams its meetings at {x}.example/live if you want to watch.",
    ], [
        "Suivez @{x}info pour les mises à jour sur la veillée de ce soir.",
        "Le rapport complet est sur le site de la ville : www.{x}.example/rapport",
        "Merci @{x}_redac, la carte des fermetures est très utile.",
        "Le conseil diffuse ses séances sur {x}.example/direct si vous voulez suivre.",
    ]),
]

# Neutral fillers for templates without a group or person: words that change the
# sentence a little without changing its meaning.
EN_X = ["Halifax", "Moncton", "Kingston", "Regina", "Nanaimo", "Windsor", "Sudbury", "Whitehorse",
        "Brandon", "Corner Brook"]
FR_X = ["Gatineau", "Rimouski", "Sherbrooke", "Trois-Rivières", "Moncton", "Lyon", "Lille",
        "Caraquet", "Saguenay", "Nantes"]
SPAM_X = ["alpha", "nova", "prime", "star", "kings", "max", "zen", "boss"]
MONEY = {"en": ["$500", "$300", "$1,000", "$250", "$800"],
         "fr": ["500 €", "300 €", "1 000 €", "250 €", "800 €"]}


def _de(group: str) -> str:
    """French "de" before a plural group: "des musulmans", "des Autochtones"."""
    return "des " + group[4:] if group.startswith("les ") else "de " + group


def _to(noun_phrase: str) -> str:
    """French "à" before a noun phrase: "au maire", "à la mosquée", "à l'auteur"."""
    return "au " + noun_phrase[3:] if noun_phrase.startswith("le ") else "à " + noun_phrase


def _fill(template: str, lang: str, index: int) -> str:
    groups = EN_GROUPS if lang == "en" else FR_GROUPS
    people = EN_PEOPLE if lang == "en" else FR_PEOPLE
    places = EN_PLACES_OF_WORSHIP if lang == "en" else FR_PLACES_OF_WORSHIP
    fillers = SPAM_X if "@" in template or ".example" in template else (
        EN_X if lang == "en" else FR_X)
    group = groups[index % len(groups)]
    person = people[index % len(people)]
    de_person = ("du " + person[3:] if person.startswith("le ")
                 else "de " + person)
    values = {
        "ap": _to(person),
        "g": group, "G": group[:1].upper() + group[1:], "dg": _de(group),
        "bare": group[4:] if group.startswith("les ") else group,
        "p": person, "P": person[:1].upper() + person[1:], "dp": de_person,
        "w": places[index % len(places)],
        "aw": _to(places[index % len(places)]),
        "x": fillers[index % len(fillers)],
        "n": MONEY[lang][index % len(MONEY[lang])],
        "n2": f"{100 + index:03d}"[-3:],
    }
    return template.format(**values)


def _innocent_rows(lang: str) -> list[dict[str, str]]:
    words = (EN_INNOCENT if lang == "en" else FR_INNOCENT).split()
    frames = EN_INNOCENT_FRAMES if lang == "en" else FR_INNOCENT_FRAMES
    seen: set[str] = set()
    rows = []
    for word, frame in itertools.product(dict.fromkeys(words), frames):
        text = frame.format(w=word)
        if text not in seen:
            seen.add(text)
            rows.append({"functionality": "scunthorpe", "lang": lang, "expected": "publish",
                         "text": text})
    return rows


def build_rows(cases_per_functionality: int = 24) -> list[dict[str, str]]:
    """Render every functionality in both languages, then the Scunthorpe cases."""
    rows: list[dict[str, str]] = []
    for name, expected, english, french in FUNCTIONALITIES:
        for lang, templates in (("en", english), ("fr", french)):
            seen: set[str] = set()
            # Template by template in turn, each with the next filler: every template gets
            # about the same number of cases.
            for index in range(10 * cases_per_functionality):
                if len(seen) == cases_per_functionality:
                    break
                template = templates[index % len(templates)]
                text = _fill(template, lang, index // len(templates))
                if text in seen:
                    continue
                seen.add(text)
                rows.append({"functionality": name, "lang": lang, "expected": expected,
                             "text": text})
    for lang in ("en", "fr"):
        rows += _innocent_rows(lang)
    return rows


def read_rows(path: Path = DEFAULT_PATH) -> list[dict[str, str]]:
    """Return the committed suites."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main(argv: Sequence[str] | None = None) -> int:
    """Write the suites to the path given, or to the packaged default."""
    return write_generated(argv, description=main.__doc__ or "", default=DEFAULT_PATH,
                           columns=COLUMNS, rows=build_rows)


if __name__ == "__main__":
    raise SystemExit(main())
