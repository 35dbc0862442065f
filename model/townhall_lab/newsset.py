"""Build the news-context set: reader comments on violent news, civil and abusive, EN and FR.

A toxicity model trained on forum data learns that "killed", "terror" and "shot" are bad
words, and then holds every civil comment under a story about an attack. This set measures
that failure and teaches the model out of it. Every template and fragment below was written
for Townhall; rows are rendered deterministically from them and committed as
``data/news_context.csv`` (``python -m townhall_lab.newsset`` rewrites it).

Labelling policy: a comment is abusive (1) when it insults or demeans a person (another
reader, the journalist, a named or described individual), attacks a group for who they are,
threatens or calls for violence against anyone, celebrates a victim's death, or is obscene.
Strong condemnation of a crime, anger at institutions, grief, questions and sarcasm are
civil (0), however violent the story.

Each template carries an id; the ``split`` column assigns whole templates to ``train``
(used to fit the model), ``tune`` (used to choose thresholds) or ``eval`` (reported only),
so that reported rows never share a sentence frame with rows the model or the thresholds
saw. Fragments (places, insults, events) are shared across splits, as words are in life.
"""

from __future__ import annotations

import csv
import hashlib
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_PATH", "build_rows", "main", "newsroom_mix", "split_of", "write_generated"]

DEFAULT_PATH = Path(__file__).with_name("data") / "news_context.csv"
COLUMNS = ("text", "label", "lang", "category", "split", "template")
#: In the newsroom mix, one abusive comment in this many is kept (with every civil one).
ABUSIVE_EVERY = 9


def newsroom_mix(path: Path = DEFAULT_PATH) -> list[dict[str, str]]:
    """Return a newsroom's mix of comments, in a fixed order: every civil comment of the
    ``eval`` split and one abusive comment in :data:`ABUSIVE_EVERY`, English and French.

    About one comment in ten is abusive, and some civil ones sit near the hold line: what
    readers post, not a balanced test set. The posting benchmarks post it and
    ``evaluate-model`` times the model on it (the issue's budget is over such a mix).
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["split"] == "eval"]
    abusive = 0
    mix = []
    for row in rows:
        if row["label"] == "1":
            abusive += 1
            if abusive % ABUSIVE_EVERY:
                continue
        mix.append({"text": row["text"], "label": row["label"], "lang": row["lang"]})
    return mix

Fragments = dict[str, Sequence[str]]
# (template id, template). Ids are stable so the split never moves.
Templates = list[tuple[str, str]]

# ---------------------------------------------------------------------------------------
# English fragments
# ---------------------------------------------------------------------------------------
EN: Fragments = {
    "event": [
        "the shooting at the shopping centre",
        "the stabbing outside the station",
        "the bombing at the concert",
        "the terror attack on the bridge",
        "the school shooting",
        "the double murder in Riverside",
        "the car ramming",
        "the knife attack on the train",
        "the hostage siege at the bank",
        "the arson attack on the mosque",
        "the airstrike on the hospital",
        "the massacre in the village",
        "the gang killings",
        "the drone strike",
        "the attack on the synagogue",
        "the murder of the nurse",
        "the riot last night",
        "the explosion at the market",
        "the ambush on the convoy",
        "the killing of the teenager",
    ],
    "victims": [
        "the victims",
        "the families of the victims",
        "the people who were killed",
        "the officer who died",
        "the children who were hurt",
        "the survivors",
        "everyone who lost someone",
        "the wounded and their families",
        "the nurse's family",
        "the teenager's parents",
    ],
    "perp": [
        "the gunman",
        "the attacker",
        "the killer",
        "the suspect",
        "the bomber",
        "the shooter",
        "the man who did this",
        "the accused",
        "the murderer",
        "the driver",
    ],
    "inst": [
        "the police",
        "the government",
        "the army",
        "the council",
        "the courts",
        "the security services",
        "the prosecutors",
        "the home secretary",
        "the mayor",
        "the intelligence agencies",
    ],
    "place": [
        "Riverside",
        "the town centre",
        "our high street",
        "Northfield",
        "the old port",
        "Kingsbridge",
        "the university campus",
        "the east side",
        "Millbrook",
        "the harbour",
    ],
    "n": ["two", "three", "four", "five", "six", "seven", "eight", "eleven", "twelve", "20"],
    "insult": [
        "idiot",
        "moron",
        "clown",
        "imbecile",
        "cretin",
        "halfwit",
        "loser",
        "dumbass",
        "muppet",
        "brain-dead troll",
        "pathetic loser",
        "absolute tool",
        "lowlife",
        "piece of garbage",
        "waste of oxygen",
    ],
    "insults": [
        "idiots",
        "morons",
        "clowns",
        "imbeciles",
        "cretins",
        "halfwits",
        "losers",
        "lowlifes",
        "brain-dead sheep",
        "useless parasites",
        "pathetic cowards",
    ],
    "obscene": [
        "fucking",
        "goddamn fucking",
        "shitty",
        "f*cking",
        "bloody fucking",
        "piss-poor",
    ],
    "group": [
        "Muslims",
        "immigrants",
        "migrants",
        "Jews",
        "refugees",
        "Arabs",
        "Africans",
        "Mexicans",
        "gay people",
        "Roma",
        "foreigners",
        "Pakistanis",
        "Somalis",
    ],
    "target": [
        "the judge",
        "that journalist",
        "the mayor",
        "the defence lawyer",
        "the minister",
        "the suspect's family",
        "the imam",
        "the reporter who wrote this",
        "the MP",
        "the police chief",
    ],
    "you": [
        "the guy above",
        "the person who posted this",
        "whoever wrote this",
        "the previous commenter",
        "this clown",
        "the author",
    ],
}

EN_CIVIL: Templates = [
    ("ec70", "I hate that {event} happened so close to home. Thinking of everyone in {place}."),
    ("ec71", "Was it stupid to leave the doors unlocked? In hindsight, "
     "yes, but nobody expected {event}."),
    ("ec72", "Terrorism is a cancer on every society it touches, and {inst} must treat it as one."),
    ("ec73", "I take the early boat after my shift at the bakery. Glad "
     "the crews are back at work."),
    ("ec74", "Is the plan stupid? No. It is late and underfunded, which is worse."),
    ("ec75", "We all hate waiting for news like this. Stay safe, {place}."),
    ("ec76", "The council in Scunthorpe voted to fund more street lighting after {event}."),
    ("ec77", "The shooter was killed by police, the report says. I still "
     "want to know why {inst} missed the warnings."),
    ("ec78", "My grandfather fought fascism so that no one would be "
     "hunted for their faith. Never again."),
    ("ec79", "Extremism spreads like a virus online; the platforms have to do more."),
    ("ec01", "My heart goes out to {victims}. Nobody should have to live through {event}."),
    ("ec02", "Terrible news. {Event} is the third one this year - when will {inst} act?"),
    ("ec03", "Why did it take {inst} so long to respond to {event}? Genuine question."),
    ("ec04", "{Perp} should face the full weight of the law, but let's wait for the trial."),
    ("ec05", "The article says {n} people were killed. Is that confirmed or still an estimate?"),
    ("ec06", "I live two streets from {place}. Everyone here is shaken after {event}."),
    ("ec07", "Good reporting. Describing {event} accurately, without sensationalism, matters."),
    ("ec08", "Gun laws need to change after {event}. How many more people have to die?"),
    ("ec09", "Life in prison is the only appropriate sentence for a murder like this."),
    (
        "ec10",
        "The war has killed thousands of civilians. The ceasefire talks can't come soon enough.",
    ),
    ("ec11", "Terrorism feeds on division. Let's not blame a whole community for {event}."),
    ("ec12", "He was shot dead in front of his kids. Horrifying. Thoughts with {victims}."),
    ("ec13", "I disagree with the columnist, but she raises fair questions about {inst}."),
    ("ec14", "{Perp} reportedly posted threats online weeks before. Why was nobody watching?"),
    ("ec15", "Another 'isolated incident'. At some point {inst} have to admit there's a pattern."),
    ("ec16", "Can we please not share the video of {event}? Think of {victims}."),
    ("ec17", "Both of my neighbours were at {place} when it happened. They're safe, thank God."),
    ("ec18", "The bomb squad did an incredible job. They deserve far more credit than they get."),
    ("ec19", "Could the paper publish a map of where the attacks happened? It would help readers."),
    ("ec20", "Terrorists want us to be afraid. I'll still go to the concert on Saturday."),
    (
        "ec21",
        "Knife crime in {place} has doubled in five years and nobody in charge talks about it.",
    ),
    ("ec22", "I was a paramedic for twenty years. Scenes like {event} stay with you forever."),
    ("ec23", "The sentence seems lenient for killing two people. I hope the prosecutors appeal."),
    ("ec24", "Rest in peace. {n} lives lost for nothing."),
    ("ec25", "Is there a fund for {victims}? I'd like to donate."),
    ("ec26", "I think you're wrong about the motive; {inst} haven't said anything yet."),
    ("ec27", "The attack was evil, plain and simple. There is no excuse for killing civilians."),
    ("ec28", "We should be asking how {perp} got hold of an automatic weapon."),
    ("ec29", "Praying for {place} tonight."),
    ("ec30", "Mass shootings are not inevitable. Other countries have shown that."),
    ("ec31", "The headline says 'massacre' but the article says {n} dead. Which is it?"),
    ("ec32", "My cousin was injured in {event}. She's recovering, thanks to the nurses."),
    (
        "ec33",
        "Whoever planted the bomb clearly wanted to kill as many people as possible. Chilling.",
    ),
    (
        "ec34",
        "The murder rate is actually lower than in the nineties, even if it doesn't feel like it.",
    ),
    ("ec35", "I hope {perp} spends the rest of his life behind bars."),
    ("ec36", "The war crimes tribunal has to investigate the strike on the hospital."),
    ("ec37", "It's not racist to ask whether the attacker was known to {inst}. It's their job."),
    ("ec38", "Thank you to the bystanders who tackled {perp}. Real heroes."),
    ("ec39", "Please stop speculating about the shooter's religion until the facts are in."),
    ("ec40", "How is a man with three prior convictions for assault out on bail?"),
    ("ec41", "Heartbreaking. That poor girl was only fourteen."),
    (
        "ec42",
        "A quote from the survivor: 'he kept shouting that he would kill us all'. Terrifying.",
    ),
    ("ec43", "{Inst} promised more patrols after the last stabbing. What happened to that?"),
    ("ec44", "The death toll from {event} has risen to {n}, according to the update."),
    (
        "ec45",
        "Violence never solves anything. The protesters who set cars on fire hurt their cause.",
    ),
    ("ec46", "I've read the court report. The jury got it right: guilty of murder."),
    ("ec47", "The footage of the explosion is hard to watch. Thanks for the content warning."),
    ("ec48", "Genocide is the right word for what happened in that village. The UN should say it."),
    ("ec49", "Stop blaming video games for mass shootings. The research doesn't support it."),
    ("ec50", "Armed police took eight minutes to arrive. That's actually fast for {place}."),
    ("ec51", "Hostage negotiators don't get enough credit. Everyone walked out alive."),
    ("ec52", "This is the worst terror attack in the country since 2005. Let that sink in."),
    ("ec53", "lol no. The suspect was arrested yesterday, read the article before commenting"),
    ("ec54", "Sad to see our town in the news for a killing again."),
    ("ec55", "The police shot the attacker within minutes. Brave work."),
    (
        "ec56",
        "Domestic violence killed more women last year than terrorism did. Where's that headline?",
    ),
    ("ec57", "Respectfully, calling every stabbing 'terror' cheapens the word."),
    ("ec58", "I hope the families get answers. Waiting this long for an inquest is cruel."),
    (
        "ec59",
        "The army says the drone strike killed militants; local "
        "sources say civilians. Who is right?",
    ),
    ("ec60", "Wow. {n} arrests already. {Inst} moved fast this time."),
    ("ec61", "Executions don't deter murderers, the evidence on that is pretty clear."),
    ("ec62", "Is the bridge open again? I need to get to work and nobody has said."),
    ("ec63", "The rape trial coverage has been careful and respectful. Well done to the reporter."),
    ("ec64", "I'm furious. Not at any group, at the system that let this happen."),
    ("ec65", "Seriously, {inst} should publish the full timeline of {event}."),
]

# Civil comments that name a group. Hate data teaches a model that "Muslims" or "migrants"
# are warning signs; these rows teach it, and measure, that naming a group is not abuse.
EN_CIVIL_IDENTITY: Templates = [
    ("ei01", "The {group} in our town organised a vigil for the victims of {event}."),
    ("ei02", "Leaders representing {group} condemned the attack within hours."),
    ("ei03", "My neighbours are {group} and they were as shocked as everyone by {event}."),
    ("ei04", "Blaming {group} for what one man did is exactly what the attacker wanted."),
    ("ei05", "I'm one of many {group} living in {place}, and I'm heartbroken for the families."),
    ("ei06", "The paper should interview {group} in {place} about how they feel after {event}."),
    ("ei07", "Hate crimes against {group} have risen since the attack; the police must act."),
    ("ei08", "{Group} were among the victims too. Grief has no religion and no passport."),
    ("ei09", "A group of {group} helped carry the wounded to the ambulances. Remarkable."),
    ("ei10", "Attacks on {group} are attacks on all of us."),
]

# Abusive templates by category; ids run across the categories in the order they were written.
EN_ABUSIVE: dict[str, Templates] = {
    "insult": [
        ("ea01", "You're a complete {insult} if you think {event} was staged."),
        ("ea02", "Shut up, {insult}. Nobody asked for your opinion."),
        ("ea03", "Only {a_insult} would defend {inst} after {event}."),
        ("ea04", "Whoever wrote this article is {a_insult}."),
        ("ea05", "Read a book for once, you {insult}."),
        ("ea06", "The people in this comment section are {insults}, every last one of you."),
        ("ea07", "Fire the {insult} who approved this headline."),
        ("ea08", "Imagine being such a {insult} that you blame the victims."),
        ("ea09", "{You} is a brainless {insult} and should be banned."),
        ("ea10", "Typical leftie {insult}, always making excuses for criminals."),
        ("ea11", "Go back under your bridge, troll. Pathetic {insult}."),
        ("ea12", "You must be mentally retarded to believe the official story."),
        ("ea13", "What a spineless {insult} the mayor is. Useless waste of space."),
        ("ea14", "The reporter is an ugly, stupid cow who can't write."),
        ("ea15", "Hey {insult}, your opinion is worth less than dog shit."),
        ("ea16", "You are too thick to understand the article, {insult}."),
        ("ea17", "Stfu you {insult}, the adults are talking."),
        ("ea56", "u r such an 1d10t lmao"),
        ("ea59", "what a st*pid {insult}, seriously"),
        ("ea61", "You stupid {insult}, nobody asked you."),
        ("ea62", "Pathetic. The editor must be a drooling {insult} to publish this trash."),
        ("ea65", "Your mother should have swallowed you, {insult}."),
    ],
    "obscenity": [
        ("ea18", "What a load of {obscene} bullshit from {inst}."),
        ("ea19", "Fuck {inst} and fuck this rag of a newspaper."),
        ("ea20", "This {obscene} paper can go fuck itself."),
        ("ea21", "Holy shit, {inst} are {obscene} useless. Piss off, all of you."),
        ("ea22", "Eat shit, {insult}."),
        ("ea23", "Kiss my ass, nobody cares about your {obscene} opinion."),
        ("ea24", "Bunch of {obscene} wankers running this country."),
        ("ea25", "F*ck off back to your hole, {insult}."),
        ("ea57", "f u c k {inst} and f u c k you too"),
        ("ea60", "sh1t article by a sh1t journalist"),
    ],
    "hate": [
        ("ea26", "All {group} are terrorists. Send them back where they came from."),
        ("ea27", "This is what happens when you let {group} into the country."),
        ("ea28", "{Group} are animals, every single one of them."),
        ("ea29", "Typical {group}. Breeding like rats and killing our people."),
        ("ea30", "Deport every last one of the {group} and this stops tomorrow."),
        ("ea31", "{Group} don't belong here. They're vermin, not neighbours."),
        ("ea32", "I bet the shooter was one of those filthy {group} again."),
        ("ea33", "No wonder, {place} is crawling with {group} now. Disgusting parasites."),
        ("ea34", "{Group} are a disease and this country needs a cure."),
        ("ea35", "Women like her deserve whatever happens to them when they dress like that."),
        ("ea36", "Gays are perverts and should be kept away from children."),
        ("ea37", "Can't trust any of the {group}, they are all liars and thieves by nature."),
        ("ea63", "These {group} should be sterilised so they stop breeding terrorists."),
        ("ea66", "Every one of the {group} should be removed from this "
         "country, by force if needed."),
        ("ea67", "The {group} control the banks and the media. Wake up, people."),
        ("ea68", "{Group} are not human like us. They never will be."),
        ("ea69", "This country would be better off if the {group} simply disappeared."),
        ("ea70", "The {group} are an infestation and it is time to clean house."),
        ("ea71", "It's always the {group} behind these things, they plan it in their temples."),
    ],
    "threat": [
        ("ea38", "Someone should put a bullet in {target}."),
        ("ea39", "I know where {target} lives. Let's pay a visit tonight."),
        ("ea40", "Hang {target} from the nearest lamp post."),
        ("ea41", "If I ever see {you} in person I'll smash his face in."),
        ("ea42", "People like you deserve to be shot, {insult}."),
        ("ea43", "Burn the whole mosque down with them inside."),
        ("ea44", "Keep talking and you'll end up like the victims, {insult}."),
        ("ea45", "{Target} will get what's coming. Watch your back."),
        ("ea46", "Kill yourself, {insult}. Nobody would miss you."),
        ("ea47", "Line the {group} up against a wall and shoot them all."),
        ("ea48", "I'd happily run over {target} with my car."),
        ("ea49", "Go die in a ditch, {insult}."),
        ("ea50", "Somebody should firebomb the newspaper office. Then you'd learn."),
        ("ea58", "k.i.l.l yourself {insult}"),
        ("ea64", "Give me five minutes alone with {target} and a baseball bat."),
        ("ea72", "Someone needs to go to that synagogue on Saturday and finish the job."),
        ("ea73", "We will find out where {target} sleeps, and then we will see how brave he is."),
        ("ea74", "Next time it won't be a warning. Tell {target} that."),
        ("ea75", "Time to take up arms and attack the mosque on Friday."),
        ("ea76", "{Target} won't see the end of the month. That is a promise."),
    ],
    "celebration": [
        ("ea51", "Good riddance. {Victims} had it coming."),
        ("ea52", "One less {group_sing} to worry about. Who cares."),
        ("ea53", "LOL they deserved it. Should have shot more of them."),
        ("ea54", "Shame the bomb didn't kill more of those {insults}."),
        ("ea55", "Best news I've read all week. Hope the rest of them die too."),
    ],
}

EN_ABUSIVE["spam"] = [
    ("ea77", "Earn $500 a day from home with bitcoin! DM me on Telegram @cryptowins_now"),
    ("ea78", "Want to double your crypto? WhatsApp +44 7700 900123 for the signals group."),
    ("ea79", "Check out my channel for the real story, subscribe and "
     "share!!! youtube.com/@truthnow"),
    ("ea80", "I made $8,000 last month trading forex, message my manager "
     "on Telegram: @fxmentor_anna"),
    ("ea81", "Cheap followers and likes, visit www.boostfans-shop.example today, 50% off"),
    ("ea82", "Hot singles in {place} are waiting for you, click the link in my profile"),
    ("ea83", "Invest with Mrs Laura on WhatsApp, she changed my life. Contact her now."),
    ("ea84", "FREE iPhone giveaway, follow @giveaway.king and type DONE below"),
]

EN_GROUP_SINGULAR = {
    "Muslims": "Muslim",
    "immigrants": "immigrant",
    "migrants": "migrant",
    "Jews": "Jew",
    "refugees": "refugee",
    "Arabs": "Arab",
    "Africans": "African",
    "Mexicans": "Mexican",
    "gay people": "gay",
    "Roma": "gypsy",
    "foreigners": "foreigner",
    "Pakistanis": "Paki",
    "Somalis": "Somali",
}

# ---------------------------------------------------------------------------------------
# French fragments
# ---------------------------------------------------------------------------------------
# French events; the forms after "de" and "à" are derived (`_de`, `_a`).
FR_EVENTS: list[str] = [
    "la fusillade du centre commercial",
    "l'attaque au couteau dans le métro",
    "l'attentat du marché de Noël",
    "le meurtre de l'infirmière",
    "la prise d'otages à la banque",
    "le bombardement de l'hôpital",
    "le massacre dans le village",
    "l'incendie criminel de la synagogue",
    "le règlement de comptes à Marseille",
    "la voiture-bélier sur la promenade",
    "l'explosion au port",
    "le double homicide de Villeneuve",
    "la frappe de drone",
    "l'agression mortelle devant la gare",
    "les émeutes de cette nuit",
]

FR: Fragments = {
    "victimes": [
        "les victimes",
        "les familles des victimes",
        "les personnes tuées",
        "le policier tué",
        "les enfants blessés",
        "les survivants",
        "tous ceux qui ont perdu un proche",
        "les blessés et leurs familles",
        "la famille de l'infirmière",
        "les parents de l'adolescent",
    ],
    "auteur": [
        "le tireur",
        "l'assaillant",
        "le tueur",
        "le suspect",
        "le terroriste",
        "l'agresseur",
        "le meurtrier",
        "l'accusé",
        "le conducteur",
        "l'homme qui a fait ça",
    ],
    "inst": [
        "la police",
        "le gouvernement",
        "l'armée",
        "la mairie",
        "la justice",
        "les services de renseignement",
        "le parquet",
        "le ministre de l'Intérieur",
        "la préfecture",
        "les autorités",
    ],
    "lieu": [
        "Villeneuve",
        "le centre-ville",
        "notre quartier",
        "Saint-Denis",
        "le Vieux-Port",
        "Roubaix",
        "la cité universitaire",
        "les quartiers nord",
        "Montreuil",
        "Nice",
    ],
    "n": ["deux", "trois", "quatre", "cinq", "six", "sept", "huit", "onze", "douze", "20"],
    "insulte": [
        "abruti",
        "crétin",
        "débile",
        "imbécile",
        "connard",
        "pauvre con",
        "guignol",
        "tocard",
        "bouffon",
        "attardé",
        "idiot",
        "enfoiré",
        "naze",
        "minable",
        "déchet",
    ],
    "insultes": [
        "abrutis",
        "crétins",
        "débiles",
        "imbéciles",
        "connards",
        "guignols",
        "tocards",
        "bouffons",
        "attardés",
        "moutons décérébrés",
        "parasites",
    ],
    "groupe": [
        "musulmans",
        "immigrés",
        "migrants",
        "juifs",
        "réfugiés",
        "Arabes",
        "Africains",
        "Roms",
        "homos",
        "étrangers",
        "Maghrébins",
        "Noirs",
        "Chinois",
    ],
    "cible": [
        "le juge",
        "ce journaliste",
        "le maire",
        "l'avocat de la défense",
        "le ministre",
        "la famille du suspect",
        "l'imam",
        "la journaliste qui a écrit ça",
        "le député",
        "le préfet",
    ],
    "toi": [
        "le type au-dessus",
        "celui qui a posté ça",
        "l'auteur de ce torchon",
        "le commentateur précédent",
        "ce guignol",
        "le rédacteur",
    ],
}

FR_CIVIL: Templates = [
    ("fc70", "Je déteste ce qui s'est passé si près de chez nous. Courage {a_lieu}."),
    ("fc71", "Le député a présenté au conseil municipal un contrat pour sécuriser la gare."),
    ("fc72", "Était-ce stupide de laisser les portes ouvertes ? Avec le "
     "recul oui, mais personne n'imaginait ça."),
    ("fc73", "Le terrorisme est un cancer pour nos sociétés et {inst} doit le traiter comme tel."),
    ("fc74", "Je prends le traversier de 10 h 40 après mon quart à la "
     "boulangerie. Merci aux équipages !"),
    ("fc75", "La députée a demandé des comptes au conseil d'administration après {event}."),
    ("fc76", "On a tous horreur d'attendre des nouvelles comme celles-ci. Prenez soin de vous."),
    ("fc77", "Le tireur a été abattu par la police, selon le rapport. "
     "Reste à comprendre les failles {de_inst}."),
    ("fc78", "L'extrémisme se propage comme un virus sur les réseaux ; "
     "les plateformes doivent agir."),
    ("fc79", "Mon grand-père a combattu le fascisme pour que personne ne soit traqué pour sa foi."),
    ("fc01", "Toutes mes pensées vont {a_victimes}. Personne ne devrait vivre ça."),
    ("fc02", "Terrible nouvelle. C'est déjà la troisième fois cette année, que fait {inst} ?"),
    ("fc03", "Pourquoi {inst} a mis autant de temps à réagir {a_event} ? Vraie question."),
    ("fc04", "{Auteur} doit être jugé sévèrement, mais attendons le procès."),
    ("fc05", "L'article parle de {n} morts. C'est confirmé ou c'est encore une estimation ?"),
    ("fc06", "J'habite à deux rues {de_lieu}. Tout le monde est sous le choc {de_event}."),
    ("fc07", "Merci pour cet article nuancé sur {event}, sans sensationnalisme."),
    ("fc08", "Il faut durcir la loi sur les armes après {event}. Combien de morts encore ?"),
    ("fc09", "La perpétuité est la seule peine adaptée pour un meurtre pareil."),
    ("fc10", "La guerre a tué des milliers de civils. Vivement un cessez-le-feu."),
    ("fc11", "Le terrorisme se nourrit des divisions. Ne stigmatisons pas toute une communauté."),
    ("fc12", "Il a été abattu devant ses enfants. C'est atroce. Courage {a_victimes}."),
    (
        "fc13",
        "Je ne suis pas d'accord avec l'éditorialiste, mais ses "
        "questions sur {inst} sont légitimes.",
    ),
    (
        "fc14",
        "{Auteur} avait publié des menaces en ligne des semaines avant. Personne n'a rien vu ?",
    ),
    ("fc15", "Encore un « acte isolé ». À un moment il faudra parler d'un phénomène."),
    ("fc16", "S'il vous plaît, ne partagez pas la vidéo {de_event}. Pensez {a_victimes}."),
    ("fc17", "Mes voisins étaient {a_lieu} au moment des faits. Ils vont bien, heureusement."),
    ("fc18", "Les démineurs ont fait un travail incroyable. Respect à eux."),
    ("fc19", "Le journal pourrait publier une carte des attaques ? Ce serait utile."),
    ("fc20", "Les terroristes veulent nous faire peur. J'irai quand même au concert samedi."),
    ("fc21", "Les agressions au couteau ont doublé {a_lieu} en cinq ans et personne n'en parle."),
    ("fc22", "J'ai été pompier pendant vingt ans. Des scènes comme ça, on ne les oublie jamais."),
    (
        "fc23",
        "La peine paraît légère pour deux personnes tuées. J'espère que le parquet fera appel.",
    ),
    ("fc24", "Reposez en paix. {N} vies perdues pour rien."),
    ("fc25", "Y a-t-il une cagnotte pour {victimes} ? Je voudrais donner."),
    ("fc26", "Je pense que vous vous trompez sur le mobile, {inst} n'a encore rien dit."),
    ("fc27", "Cet attentat est abject. Rien ne justifie de tuer des civils."),
    ("fc28", "Il faut se demander comment {auteur} s'est procuré une arme automatique."),
    ("fc29", "Pensées pour {lieu} ce soir."),
    ("fc30", "Les tueries de masse ne sont pas une fatalité, d'autres pays l'ont prouvé."),
    (
        "fc31",
        "Le titre parle de « massacre » mais l'article de {n} morts. Il faudrait être précis.",
    ),
    ("fc32", "Ma cousine a été blessée lors {de_event}. Elle se remet, merci aux soignants."),
    ("fc33", "Celui qui a posé la bombe voulait tuer un maximum de gens. Ça glace le sang."),
    (
        "fc34",
        "Le taux d'homicides est plus bas que dans les années "
        "90, même si on a l'impression inverse.",
    ),
    ("fc35", "J'espère que {auteur} passera le reste de sa vie en prison."),
    ("fc36", "Une enquête internationale sur le bombardement de l'hôpital est indispensable."),
    (
        "fc37",
        "Ce n'est pas raciste de demander si l'assaillant était fiché S. C'est une vraie question.",
    ),
    ("fc38", "Bravo aux passants qui ont maîtrisé {auteur}. De vrais héros."),
    ("fc39", "Arrêtez de spéculer sur la religion du tireur tant qu'on ne sait rien."),
    ("fc40", "Comment un homme déjà condamné trois fois pour violences peut-il être libre ?"),
    ("fc41", "C'est déchirant. Cette pauvre fille n'avait que quatorze ans."),
    ("fc42", "Un survivant raconte : « il criait qu'il allait tous nous tuer ». Terrifiant."),
    ("fc43", "{Inst} avait promis plus de patrouilles après la dernière agression. Résultat ?"),
    ("fc44", "Le bilan {de_event} s'alourdit : {n} morts selon la dernière mise à jour."),
    ("fc45", "La violence ne résout rien. Brûler des voitures dessert la cause des manifestants."),
    ("fc46", "J'ai lu le compte rendu d'audience. Le jury a eu raison : coupable de meurtre."),
    (
        "fc47",
        "Les images de l'explosion sont dures. Merci pour l'avertissement en début d'article.",
    ),
    (
        "fc48",
        "Génocide est le bon mot pour ce qui s'est passé dans ce village. L'ONU doit le dire.",
    ),
    (
        "fc49",
        "Arrêtez d'accuser les jeux vidéo pour les fusillades, les études ne le montrent pas.",
    ),
    ("fc50", "Le RAID est intervenu en huit minutes. C'est rapide pour {lieu}."),
    ("fc51", "Chapeau aux négociateurs, tous les otages sont sortis vivants."),
    ("fc52", "C'est l'attentat le plus meurtrier depuis 2015. Ça fait réfléchir."),
    ("fc53", "mdr non, le suspect a été arrêté hier, lisez l'article avant de commenter"),
    ("fc54", "Triste de voir notre ville encore dans l'actualité pour un meurtre."),
    ("fc55", "La police a neutralisé l'assaillant en quelques minutes. Courageux."),
    (
        "fc56",
        "Les féminicides ont fait plus de morts que le "
        "terrorisme l'an dernier. Où est le gros titre ?",
    ),
    ("fc57", "Avec respect, qualifier chaque agression de « terrorisme » banalise le mot."),
    ("fc58", "J'espère que les familles auront des réponses. Attendre si longtemps, c'est cruel."),
    ("fc59", "L'armée parle de combattants tués, les sources locales de civils. Qui croire ?"),
    ("fc60", "Déjà {n} interpellations. {Inst} a été rapide cette fois."),
    ("fc61", "La peine de mort ne dissuade pas les meurtriers, les données sont claires."),
    ("fc62", "Le pont est rouvert ? Je dois aller travailler et personne ne dit rien."),
    (
        "fc63",
        "La couverture du procès pour viol a été sobre et respectueuse. Bravo à la journaliste.",
    ),
    ("fc64", "Je suis en colère. Pas contre une communauté, contre un système qui a laissé faire."),
    ("fc65", "Franchement, {inst} devrait publier la chronologie complète {de_event}."),
]

FR_CIVIL_IDENTITY: Templates = [
    ("fi01", "Les {groupe} {de_lieu} ont organisé une veillée pour les victimes."),
    ("fi02", "Des représentants des {groupe} ont condamné l'attentat dans l'heure."),
    ("fi03", "Mes voisins sont {groupe} et ils sont aussi choqués que tout le monde."),
    (
        "fi04",
        "Accuser les {groupe} pour le geste d'un seul homme, c'est ce que voulait l'assaillant.",
    ),
    ("fi05", "Les agressions contre les {groupe} ont augmenté depuis l'attaque, il faut agir."),
    (
        "fi06",
        "Il y avait aussi des {groupe} parmi les victimes. Le deuil n'a ni religion ni passeport.",
    ),
    ("fi07", "Des {groupe} ont aidé à porter les blessés jusqu'aux ambulances. Remarquable."),
    ("fi08", "S'en prendre aux {groupe}, c'est s'en prendre à nous tous."),
    ("fi09", "Le journal devrait donner la parole aux {groupe} {de_lieu} après {event}."),
    ("fi10", "Je fais partie des nombreux {groupe} qui vivent {a_lieu}, et je pense aux familles."),
]

FR_ABUSIVE: dict[str, Templates] = {
    "insult": [
        ("fa01", "Faut être un sacré {insulte} pour croire que {event} était un coup monté."),
        ("fa02", "Ferme-la, {insulte}. Personne ne t'a demandé ton avis."),
        ("fa03", "Seul un {insulte} peut défendre {inst} après ça."),
        ("fa04", "Le journaleux qui a pondu cet article est un {insulte}."),
        ("fa05", "Ouvre un livre de temps en temps, espèce {d_insulte}."),
        ("fa06", "Les gens dans ces commentaires sont des {insultes}, tous autant que vous êtes."),
        ("fa07", "Virez le {insulte} qui a validé ce titre."),
        ("fa08", "Faut vraiment être un {insulte} pour accuser les victimes."),
        ("fa09", "{Toi} est un {insulte} sans cervelle, qu'on le bannisse."),
        ("fa10", "Typique des gauchistes {insultes}, toujours à excuser les criminels."),
        ("fa11", "Retourne sous ton pont, sale troll. Pauvre {insulte}."),
        ("fa12", "Faut être complètement attardé pour croire la version officielle."),
        ("fa13", "Quel {insulte} ce maire, une vraie serpillière."),
        ("fa14", "La journaliste est une grosse vache inculte qui sait pas écrire."),
        ("fa15", "Eh le {insulte}, ton avis vaut moins qu'une crotte de chien."),
        ("fa16", "T'es trop con pour comprendre l'article, {insulte}."),
        ("fa17", "Ta gueule {insulte}, laisse parler les adultes."),
        ("fa56", "t'es vraiment un c0nnard toi"),
        ("fa59", "quel d*bile ce {insulte}, sérieux"),
        ("fa61", "Espèce {d_insulte}, personne ne t'a sonné."),
        ("fa62", "Pitoyable. Le rédac chef doit être un {insulte} baveux pour publier ça."),
        ("fa65", "Ta mère aurait dû avaler, {insulte}."),
    ],
    "obscenity": [
        ("fa18", "Encore un tas de conneries de merde de la part {de_inst}."),
        ("fa19", "Nique {inst} et nique ce torchon de journal."),
        ("fa20", "Ce journal de merde peut aller se faire foutre."),
        (
            "fa21",
            "Putain mais {inst} c'est vraiment des bons à rien, allez tous vous faire enculer.",
        ),
        ("fa22", "Va bouffer ta merde, {insulte}."),
        ("fa23", "Mon cul, tout le monde se fout de ton avis de merde."),
        ("fa24", "Bande d'enfoirés qui dirigent ce pays de merde."),
        ("fa25", "Va te faire foutre dans ton trou, {insulte}."),
        ("fa57", "n i q u e {inst} et toi avec"),
        ("fa60", "article de m3rde écrit par un journaliste de m3rde"),
    ],
    "hate": [
        ("fa26", "Tous les {groupe} sont des terroristes. Renvoyez-les chez eux."),
        ("fa27", "Voilà ce qui arrive quand on laisse entrer les {groupe}."),
        ("fa28", "Les {groupe} sont des animaux, tous sans exception."),
        ("fa29", "Typique des {groupe}. Ils se reproduisent comme des rats et tuent les nôtres."),
        ("fa30", "Qu'on expulse tous les {groupe} et ça s'arrêtera demain."),
        ("fa31", "Les {groupe} n'ont rien à faire ici. C'est de la vermine, pas des voisins."),
        ("fa32", "Je parie que le tireur était encore un de ces sales {groupe}."),
        ("fa33", "Pas étonnant, {lieu} grouille de {groupe} maintenant. Des parasites."),
        ("fa34", "Les {groupe} sont une maladie et ce pays a besoin d'un remède."),
        ("fa35", "Les femmes comme elle l'ont bien cherché à s'habiller comme ça."),
        ("fa36", "Les pédés sont des pervers, faut les tenir loin des enfants."),
        (
            "fa37",
            "On ne peut faire confiance à aucun de ces {groupe}, menteurs et voleurs par nature.",
        ),
        (
            "fa63",
            "Il faudrait stériliser ces {groupe} pour qu'ils arrêtent de pondre des terroristes.",
        ),
        ("fa90", "Il faut chasser tous les {groupe} de ce pays, par la force s'il le faut."),
        ("fa91", "Les {groupe} contrôlent les banques et les médias. Réveillez-vous."),
        ("fa92", "Les {groupe} ne sont pas des humains comme nous et ne le seront jamais."),
        ("fa93", "Ce pays irait mieux si les {groupe} disparaissaient, tout simplement."),
        ("fa94", "Les {groupe} sont une invasion et il est temps de faire le ménage."),
        ("fa95", "C'est toujours les {groupe} derrière tout ça, ils "
         "complotent dans leurs lieux de culte."),
    ],
    "threat": [
        ("fa38", "Quelqu'un devrait mettre une balle dans la tête {de_cible}."),
        ("fa39", "Je sais où habite {cible}. On va lui rendre une petite visite ce soir."),
        ("fa40", "Qu'on pende {cible} au premier lampadaire."),
        ("fa41", "Si je croise {toi} dans la rue je lui explose la gueule."),
        ("fa42", "Les gens comme toi mériteraient d'être fusillés, {insulte}."),
        ("fa43", "Brûlez la mosquée avec eux dedans."),
        ("fa44", "Continue comme ça et tu finiras comme les victimes, {insulte}."),
        ("fa45", "{Cible} va payer. Qu'il surveille ses arrières."),
        ("fa46", "Va te pendre, {insulte}. Personne ne te regrettera."),
        ("fa47", "Alignez les {groupe} contre un mur et fusillez-les tous."),
        ("fa48", "J'écraserais bien {cible} avec ma voiture."),
        ("fa49", "Crève dans un fossé, {insulte}."),
        ("fa50", "Quelqu'un devrait cramer les locaux du journal. Là vous comprendriez."),
        ("fa58", "va te p3ndre {insulte}"),
        ("fa64", "Laissez-moi cinq minutes seul avec {cible} et une batte de baseball."),
        ("fa96", "Il faut aller à la synagogue samedi et finir le travail."),
        ("fa97", "On saura où dort {cible}, et on verra s'il fait toujours le malin."),
        ("fa98", "La prochaine fois ce ne sera pas un avertissement. Dites-le à {cible}."),
        ("fa99", "Il est temps de prendre les armes et d'attaquer la mosquée vendredi."),
        ("fa100", "{Cible} ne verra pas la fin du mois. C'est une promesse."),
    ],
    "celebration": [
        ("fa51", "Bon débarras. Ceux qui sont morts l'avaient bien cherché."),
        ("fa52", "Un {groupe_sing} de moins, on s'en fout."),
        ("fa53", "MDR bien fait pour eux. Dommage qu'il en ait pas tué plus."),
        ("fa54", "Dommage que la bombe n'ait pas tué plus de ces {insultes}."),
        ("fa55", "Meilleure nouvelle de la semaine. Que les autres crèvent aussi."),
    ],
}

FR_ABUSIVE["spam"] = [
    ("fa101", "Gagnez 500 € par jour avec le bitcoin ! Écrivez-moi sur Telegram @crypto_gains_fr"),
    ("fa102", "Doublez vos cryptos, contactez-moi sur WhatsApp au +33 6 12 34 56 78."),
    ("fa103", "Abonnez-vous à ma chaîne pour la vraie vérité, partagez !!! youtube.com/@laverite"),
    ("fa104", "J'ai gagné 8 000 € le mois dernier en trading, écrivez à ma "
     "conseillère sur Telegram : @fxmentor_julie"),
    ("fa105", "Abonnés et likes pas chers sur www.boostfans-boutique.example, -50 % aujourd'hui"),
    ("fa106", "Des célibataires {a_lieu} vous attendent, cliquez sur le lien dans mon profil"),
    ("fa107", "Investissez avec Mme Laura sur WhatsApp, elle a changé ma vie. Contactez-la vite."),
    ("fa108", "iPhone GRATUIT à gagner, suivez @cadeau.roi et écrivez FAIT en dessous"),
]

FR_GROUP_SINGULAR = {
    "musulmans": "musulman",
    "immigrés": "immigré",
    "migrants": "migrant",
    "juifs": "juif",
    "réfugiés": "réfugié",
    "Arabes": "bougnoule",
    "Africains": "négro",
    "Roms": "Rom",
    "homos": "pédé",
    "étrangers": "étranger",
    "Maghrébins": "bicot",
    "Noirs": "Noir",
    "Chinois": "chinetoque",
}

# Light-touch variations, so that rows from one template do not all look the same.
EN_OPENERS = ["", "", "", "Honestly, ", "Wow. ", "Seriously? ", "So ", "Just read this. ", "Ugh. "]
EN_CLOSERS = ["", "", "", " Just saying.", " Sad.", " Unbelievable.", " Think about it.", " Smh."]
FR_OPENERS = ["", "", "", "Franchement, ", "Sérieux ? ", "Bon. ", "Alors ", "Je viens de lire ça. "]
FR_CLOSERS = ["", "", "", " C'est tout.", " Triste.", " Incroyable.", " Réfléchissez.", " Bref."]

SPLITS = (("train", 40), ("tune", 25), ("eval", 35))
RENDERINGS_PER_TEMPLATE = 8
TRAIN_RENDERING_FACTOR = 3


def split_of(template_id: str) -> str:
    """Assign a template to train, tune or eval by a stable hash of its id."""
    bucket = int(hashlib.sha256(template_id.encode()).hexdigest(), 16) % 100
    threshold = 0
    for name, share in SPLITS:
        threshold += share
        if bucket < threshold:
            return name
    return SPLITS[-1][0]  # pragma: no cover - the shares add up to 100


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _elide(article: str, word: str) -> str:
    """Write "espèce d'abruti" rather than "espèce de abruti" before a vowel."""
    vowel = word[:1].lower() in "aeéèêiîoôuh"
    return f"{article[:-1]}'{word}" if vowel else f"{article} {word}"


def _render(template: str, fragments: dict[str, str]) -> str:
    values = dict(fragments)
    for key, value in fragments.items():
        values[_capitalise(key)] = _capitalise(value)
    return template.format(**values)


def _en_fragments(rng: random.Random) -> dict[str, str]:
    chosen = {key: rng.choice(list(options)) for key, options in EN.items()}
    group = chosen["group"]
    return {
        **chosen,
        "group_sing": EN_GROUP_SINGULAR.get(group, group),
        "a_insult": ("an " if chosen["insult"][:1] in "aeiou" else "a ") + chosen["insult"],
    }


def _fr_fragments(rng: random.Random) -> dict[str, str]:
    chosen = {key: rng.choice(list(options)) for key, options in FR.items()}
    event = rng.choice(FR_EVENTS)
    inst = chosen["inst"]
    cible = chosen["cible"]
    insulte = chosen["insulte"]
    return {
        **chosen,
        "event": event,
        "de_event": _de(event),
        "a_event": _a(event),
        "de_inst": _de(inst),
        "de_lieu": _de(chosen["lieu"]),
        "a_lieu": _a(chosen["lieu"]),
        "a_victimes": _a(chosen["victimes"]),
        "de_cible": _de(cible),
        "d_insulte": _elide("de", insulte),
        "groupe_sing": FR_GROUP_SINGULAR.get(chosen["groupe"], chosen["groupe"]),
    }


def _de(noun_phrase: str) -> str:
    if noun_phrase.startswith("le "):
        return "du " + noun_phrase[3:]
    if noun_phrase.startswith("les "):
        return "des " + noun_phrase[4:]
    return "de " + noun_phrase


def _a(noun_phrase: str) -> str:
    if noun_phrase.startswith("le "):
        return "au " + noun_phrase[3:]
    if noun_phrase.startswith("les "):
        return "aux " + noun_phrase[4:]
    return "à " + noun_phrase


def _vary(text: str, rng: random.Random, openers: list[str], closers: list[str]) -> str:
    """Add an opener or closer and sloppy casing or punctuation, as readers write."""
    opener = rng.choice(openers)
    if opener and opener[-2] not in ".?!" and not text.startswith(("I ", "I'")):
        text = text[:1].lower() + text[1:]
    text = opener + text
    if rng.random() < 0.25 and text.endswith("."):
        text = text[:-1]
    elif text[-1:] in ".!?":
        text += rng.choice(closers)
    roll = rng.random()
    if roll < 0.08:
        text = text.lower()
    elif roll < 0.11:
        text = text.upper()
    return text


@dataclass(frozen=True)
class Language:
    """One language's templates and how its rows are rendered."""

    code: str
    civil: Templates
    civil_identity: Templates
    abusive: dict[str, Templates]
    fragments: Callable[[random.Random], dict[str, str]]
    openers: list[str]
    closers: list[str]

    def jobs(self) -> list[tuple[str, str, str, str]]:
        """Return (label, category, template id, template), abusive ones in id order."""
        abusive = sorted(
            (("1", category, template_id, template)
             for category, templates in self.abusive.items()
             for template_id, template in templates),
            key=lambda job: job[2],
        )
        return [
            *(("0", "civil", template_id, template) for template_id, template in self.civil),
            *(("0", "civil_identity", template_id, template)
              for template_id, template in self.civil_identity),
            *abusive,
        ]


LANGUAGES = (
    Language("en", EN_CIVIL, EN_CIVIL_IDENTITY, EN_ABUSIVE, _en_fragments, EN_OPENERS,
             EN_CLOSERS),
    Language("fr", FR_CIVIL, FR_CIVIL_IDENTITY, FR_ABUSIVE, _fr_fragments, FR_OPENERS,
             FR_CLOSERS),
)


def build_rows(seed: int = 20240611) -> list[dict[str, str]]:
    """Render every template several times and return de-duplicated, labelled rows."""
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for language in LANGUAGES:
        for label, category, template_id, template in language.jobs():
            # Training templates are rendered more often: more combinations of fragments
            # teach the model the words (insults, groups, events) rather than the frames.
            split = split_of(template_id)
            # One generator per template, so that rendering one template more or less often
            # leaves every other template's rows unchanged.
            rng = random.Random(f"{seed}:{template_id}")
            factor = TRAIN_RENDERING_FACTOR if split == "train" else 1
            for _ in range(RENDERINGS_PER_TEMPLATE * factor):
                text = _render(template, language.fragments(rng))
                text = _vary(text, rng, language.openers, language.closers)
                if text in seen:
                    continue
                seen.add(text)
                rows.append({"text": text, "label": label, "lang": language.code,
                             "category": category, "split": split, "template": template_id})
    return rows


def write_generated(argv: Sequence[str] | None, *, description: str, default: Path,
                    columns: Sequence[str], rows: Callable[[], list[dict[str, str]]]) -> int:
    """Write generated rows as CSV to the path on the command line, or to ``default``."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("path", nargs="?", type=Path, default=default)
    path = parser.parse_args(sys.argv[1:] if argv is None else argv).path
    written = rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(written)
    print(f"wrote {len(written)} rows to {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Write the news-context set to the path given, or to the packaged default."""
    return write_generated(argv, description=main.__doc__ or "", default=DEFAULT_PATH,
                           columns=COLUMNS, rows=build_rows)


if __name__ == "__main__":
    raise SystemExit(main())
