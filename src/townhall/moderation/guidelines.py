"""The default Submission Guidelines and word lists every new site starts with.

Guidelines are data, stored per site and versioned (see `GuidelineSet`). They are written
here in both languages because a site shows them in English and French at once, whatever
language the server runs in.
"""

from __future__ import annotations

from typing import Any

# Codes are stable identifiers: decisions, reports and word rules refer to them.
DEFAULT_GUIDELINES: list[dict[str, Any]] = [
    {
        "code": "respect",
        "title": {"en": "Be respectful: no personal attacks",
                  "fr": "Soyez respectueux : aucune attaque personnelle"},
        "explanation": {
            "en": "Debate ideas, not people. Insults, name-calling, mockery and attacks on "
                  "other commenters, the people in the story or our journalists are removed.",
            "fr": "Débattez des idées, pas des personnes. Les insultes, injures, moqueries et "
                  "attaques contre d'autres commentateurs, les personnes citées ou nos "
                  "journalistes sont retirées.",
        },
    },
    {
        "code": "hate",
        "title": {"en": "No hate or discrimination",
                  "fr": "Aucune haine ni discrimination"},
        "explanation": {
            "en": "No comments that demean people for their origin, religion, gender, sexual "
                  "orientation, disability, age or any other personal characteristic.",
            "fr": "Aucun commentaire qui rabaisse des personnes en raison de leur origine, "
                  "religion, genre, orientation sexuelle, handicap, âge ou de toute autre "
                  "caractéristique personnelle.",
        },
    },
    {
        "code": "threats",
        "title": {"en": "No threats or incitement", "fr": "Aucune menace ni incitation"},
        "explanation": {
            "en": "No threats, wishes of harm, or calls to violence or to break the law.",
            "fr": "Aucune menace, aucun souhait de voir quelqu'un souffrir, aucun appel à la "
                  "violence ou à enfreindre la loi.",
        },
    },
    {
        "code": "obscenity",
        "title": {"en": "No obscenity or vulgarity", "fr": "Aucune obscénité ni vulgarité"},
        "explanation": {
            "en": "Swearing, sexual content and vulgar language are not published, even "
                  "partly masked.",
            "fr": "Les jurons, les contenus sexuels et le langage vulgaire ne sont pas "
                  "publiés, même partiellement masqués.",
        },
    },
    {
        "code": "on-topic",
        "title": {"en": "Stay on topic", "fr": "Restez dans le sujet"},
        "explanation": {
            "en": "Comments should be about the story they are posted under.",
            "fr": "Les commentaires doivent porter sur l'article sous lequel ils sont publiés.",
        },
    },
    {
        "code": "spam",
        "title": {"en": "No spam, advertising or flooding",
                  "fr": "Aucun pourriel, publicité ni inondation"},
        "explanation": {
            "en": "No advertising, repeated messages, chains of comments or text written "
                  "in capitals to shout over others.",
            "fr": "Aucune publicité, aucun message répété, aucune série de commentaires, "
                  "aucun texte en majuscules pour crier plus fort que les autres.",
        },
    },
    {
        "code": "privacy",
        "title": {"en": "No personal information", "fr": "Aucun renseignement personnel"},
        "explanation": {
            "en": "Do not share anyone's address, phone number, email address or social "
                  "media profile — including your own in youth communities.",
            "fr": "Ne publiez l'adresse, le numéro de téléphone, l'adresse courriel ou le "
                  "profil de réseau social de personne — pas même les vôtres dans les "
                  "communautés jeunesse.",
        },
    },
    {
        "code": "real-names",
        "title": {"en": "Use your real name; no impersonation",
                  "fr": "Votre vrai nom, sans usurpation d'identité"},
        "explanation": {
            "en": "Comment under your own first and last name. Pseudonyms and pretending to "
                  "be someone else are not allowed.",
            "fr": "Commentez sous vos propres prénom et nom. Les pseudonymes et l'usurpation "
                  "d'identité ne sont pas permis.",
        },
    },
    {
        "code": "unlawful",
        "title": {"en": "Nothing unlawful", "fr": "Rien d'illégal"},
        "explanation": {
            "en": "No defamation, contempt of court (such as naming people protected by a "
                  "publication ban), copyright infringement or other unlawful content.",
            "fr": "Aucune diffamation, aucun outrage au tribunal (comme nommer une personne "
                  "protégée par une ordonnance de non-publication), aucune atteinte au droit "
                  "d'auteur ni autre contenu illégal.",
        },
    },
]

# Swearing a new site holds (ADR 0007): the model names obscenity but never holds it, and
# which words a site tolerates is its policy, changed in the dashboard. A stem ends in "*"
# and matches any ending ("fuck*": "fucking", "fuckwit"); a word whose stem also starts
# innocent words is listed by its forms ("shit*" would hold the village of Shitterton,
# "bitch*" the town of Bitche, "wank*" the Wankel engine, "salop*" the French for dungarees,
# "encul*" "enculturation").
# "Bâtard" and "tapette" are left to the model and its insult lexicon: they are a loaf of
# bread and a fly swatter as often as insults.
OBSCENITY_WORDS: dict[str, tuple[str, ...]] = {
    "": (
        "fuck*", "motherfuck*", "bullshit*",
        "shit", "shits", "shitty", "shite", "shitting", "shithead", "shitheads", "shithole",
        "shitholes", "shitbag", "shitbags", "shitshow", "shitstorm", "shitface",
        "bitch", "bitches", "bitchy", "bitching", "bitched", "bitchin",
        "wank", "wanks", "wanked", "wanker", "wankers", "wanking", "wanky",
        "cunt", "cunts", "cock", "cocks", "cocksucker", "cocksuckers", "dick",
        "dicks", "dickhead", "dickheads", "pussy", "twat", "twats", "asshole", "assholes",
        "whore", "whores", "slut", "sluts", "slutty", "piss off", "pissed off",
    ),
    "fr": (
        "putain", "merde*", "merdique", "connard*", "connasse", "encul", "enculé", "enculés",
        "enculée", "enculées", "enculer", "enculez", "enculeur", "enculeurs",
        "salope", "salopes", "saloperie", "saloperies", "pute", "putes", "nique", "niques",
        "niquer", "niquez", "niquent", "niquait", "bite", "couille", "couilles", "foutre",
        "fdp", "ntm", "ta gueule", "ftg",
    ),
}

# A starting word list; moderators grow it in the dashboard. Each entry:
# (phrase, language or "" for both, action, guideline).
DEFAULT_WORD_RULES: list[tuple[str, str, str, str]] = [
    *[(w, language, "hold", "obscenity")
      for language, words in OBSCENITY_WORDS.items() for w in words],
    *[(w, "", "hold", "hate") for w in (
        "nigger", "nigga", "faggot", "fag", "tranny", "kike", "spic", "chink", "raghead",
        "bougnoule", "youpin",
    )],
    *[(w, "", "hold", "threats") for w in ("kill yourself", "kys")],
]

# Which guideline a toxicity category most likely breaks.
CATEGORY_GUIDELINES: dict[str, str] = {
    "insult": "respect", "toxic": "respect", "toxicity": "respect", "severe_toxic": "respect",
    "attack": "respect", "harassment": "respect",
    "identity_hate": "hate", "identity_attack": "hate", "hate": "hate",
    "threat": "threats", "threats": "threats", "violence": "threats",
    "obscene": "obscenity", "obscenity": "obscenity", "profanity": "obscenity",
    "sexual": "obscenity", "sexual_explicit": "obscenity",
    "spam": "spam", "advertising": "spam",
}


# The kind of harm a rule's finding stands for, by the guideline it cites (the model names
# its own category). The queues label a comment's risk with it and filter by it.
CATEGORIES = ("insult", "hate", "threat", "obscenity", "spam", "privacy", "name", "off_topic",
              "unlawful")
GUIDELINE_CATEGORIES = {
    "respect": "insult", "hate": "hate", "threats": "threat", "obscenity": "obscenity",
    "spam": "spam", "privacy": "privacy", "real-names": "name", "on-topic": "off_topic",
    "unlawful": "unlawful",
}


def localized(item: dict[str, Any], language: str) -> dict[str, str]:
    """Return a guideline's code, title and explanation in one language."""
    lang = language if language in ("en", "fr") else "en"
    return {
        "code": item["code"],
        "title": item["title"].get(lang) or item["title"].get("en", ""),
        "explanation": item["explanation"].get(lang) or item["explanation"].get("en", ""),
    }
