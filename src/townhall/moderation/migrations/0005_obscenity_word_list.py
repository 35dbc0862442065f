"""Give existing sites the obscenities the model used to hold by itself.

Until now the model held a strong obscenity (0.6) whatever the site's word list said; it now
only names the category, and the word list decides (ADR 0007). So that a site keeps holding
what it held, every site already set up gets the forms that joined the default list.

A site that had removed a word from the old list chose to allow it: the new forms of that
word ("fucked" for "fuck") are not added to it. The forms are frozen here, folded, as they
stood when this migration was written.
"""

import secrets
from typing import Any

from django.db import migrations

# (language, phrase, folded phrase, the old default it is a form of, or "" for none)
WORDS: list[tuple[str, str, str, str]] = [
    ('', 'fucks', 'fucks', 'fuck'),
    ('', 'fuckes', 'fuckes', 'fuck'),
    ('', 'fucked', 'fucked', 'fuck'),
    ('', 'fuckers', 'fuckers', 'fuck'),
    ('', 'fuckin', 'fuckin', 'fuck'),
    ('', 'fucky', 'fucky', 'fuck'),
    ('', 'fuckty', 'fuckty', 'fuck'),
    ('', 'fuckhead', 'fuckhead', 'fuck'),
    ('', 'fuckheads', 'fuckheads', 'fuck'),
    ('', 'fuckhole', 'fuckhole', 'fuck'),
    ('', 'fuckholes', 'fuckholes', 'fuck'),
    ('', 'fuckbag', 'fuckbag', 'fuck'),
    ('', 'fuckbags', 'fuckbags', 'fuck'),
    ('', 'fuckshow', 'fuckshow', 'fuck'),
    ('', 'fuckstorm', 'fuckstorm', 'fuck'),
    ('', 'fuckface', 'fuckface', 'fuck'),
    ('', 'fuckwit', 'fuckwit', 'fuck'),
    ('', 'motherfuck', 'motherfuck', 'motherfucker'),
    ('', 'motherfucks', 'motherfucks', 'motherfucker'),
    ('', 'motherfuckes', 'motherfuckes', 'motherfucker'),
    ('', 'motherfucked', 'motherfucked', 'motherfucker'),
    ('', 'motherfuckers', 'motherfuckers', 'motherfucker'),
    ('', 'motherfucking', 'motherfucking', 'motherfucker'),
    ('', 'motherfuckin', 'motherfuckin', 'motherfucker'),
    ('', 'motherfucky', 'motherfucky', 'motherfucker'),
    ('', 'motherfuckty', 'motherfuckty', 'motherfucker'),
    ('', 'motherfuckhead', 'motherfuckhead', 'motherfucker'),
    ('', 'motherfuckheads', 'motherfuckheads', 'motherfucker'),
    ('', 'motherfuckhole', 'motherfuckhole', 'motherfucker'),
    ('', 'motherfuckholes', 'motherfuckholes', 'motherfucker'),
    ('', 'motherfuckbag', 'motherfuckbag', 'motherfucker'),
    ('', 'motherfuckbags', 'motherfuckbags', 'motherfucker'),
    ('', 'motherfuckshow', 'motherfuckshow', 'motherfucker'),
    ('', 'motherfuckstorm', 'motherfuckstorm', 'motherfucker'),
    ('', 'motherfuckface', 'motherfuckface', 'motherfucker'),
    ('', 'motherfuckwit', 'motherfuckwit', 'motherfucker'),
    ('', 'shits', 'shits', 'shit'),
    ('', 'shites', 'shites', 'shit'),
    ('', 'shited', 'shited', 'shit'),
    ('', 'shiter', 'shiter', 'shit'),
    ('', 'shiters', 'shiters', 'shit'),
    ('', 'shiting', 'shiting', 'shit'),
    ('', 'shitin', 'shitin', 'shit'),
    ('', 'shity', 'shity', 'shit'),
    ('', 'shitty', 'shitty', 'shit'),
    ('', 'shithead', 'shithead', 'shit'),
    ('', 'shitheads', 'shitheads', 'shit'),
    ('', 'shithole', 'shithole', 'shit'),
    ('', 'shitholes', 'shitholes', 'shit'),
    ('', 'shitbag', 'shitbag', 'shit'),
    ('', 'shitbags', 'shitbags', 'shit'),
    ('', 'shitshow', 'shitshow', 'shit'),
    ('', 'shitstorm', 'shitstorm', 'shit'),
    ('', 'shitface', 'shitface', 'shit'),
    ('', 'shitwit', 'shitwit', 'shit'),
    ('', 'wank', 'wank', 'wanker'),
    ('', 'wanks', 'wanks', 'wanker'),
    ('', 'wankes', 'wankes', 'wanker'),
    ('', 'wanked', 'wanked', 'wanker'),
    ('', 'wankers', 'wankers', 'wanker'),
    ('', 'wanking', 'wanking', 'wanker'),
    ('', 'wankin', 'wankin', 'wanker'),
    ('', 'wanky', 'wanky', 'wanker'),
    ('', 'wankty', 'wankty', 'wanker'),
    ('', 'wankhead', 'wankhead', 'wanker'),
    ('', 'wankheads', 'wankheads', 'wanker'),
    ('', 'wankhole', 'wankhole', 'wanker'),
    ('', 'wankholes', 'wankholes', 'wanker'),
    ('', 'wankbag', 'wankbag', 'wanker'),
    ('', 'wankbags', 'wankbags', 'wanker'),
    ('', 'wankshow', 'wankshow', 'wanker'),
    ('', 'wankstorm', 'wankstorm', 'wanker'),
    ('', 'wankface', 'wankface', 'wanker'),
    ('', 'wankwit', 'wankwit', 'wanker'),
    ('', 'bitchs', 'bitchs', 'bitch'),
    ('', 'bitches', 'bitches', 'bitch'),
    ('', 'bitched', 'bitched', 'bitch'),
    ('', 'bitcher', 'bitcher', 'bitch'),
    ('', 'bitchers', 'bitchers', 'bitch'),
    ('', 'bitching', 'bitching', 'bitch'),
    ('', 'bitchin', 'bitchin', 'bitch'),
    ('', 'bitchy', 'bitchy', 'bitch'),
    ('', 'bitchty', 'bitchty', 'bitch'),
    ('', 'bitchhead', 'bitchhead', 'bitch'),
    ('', 'bitchheads', 'bitchheads', 'bitch'),
    ('', 'bitchhole', 'bitchhole', 'bitch'),
    ('', 'bitchholes', 'bitchholes', 'bitch'),
    ('', 'bitchbag', 'bitchbag', 'bitch'),
    ('', 'bitchbags', 'bitchbags', 'bitch'),
    ('', 'bitchshow', 'bitchshow', 'bitch'),
    ('', 'bitchstorm', 'bitchstorm', 'bitch'),
    ('', 'bitchface', 'bitchface', 'bitch'),
    ('', 'bitchwit', 'bitchwit', 'bitch'),
    ('', 'cunts', 'cunts', 'cunt'),
    ('', 'cock', 'cock', ''),
    ('', 'cocks', 'cocks', ''),
    ('', 'cocksucker', 'cocksucker', ''),
    ('', 'cocksuckers', 'cocksuckers', ''),
    ('', 'dick', 'dick', ''),
    ('', 'dicks', 'dicks', ''),
    ('', 'dickheads', 'dickheads', 'dickhead'),
    ('', 'pussy', 'pussy', ''),
    ('', 'twats', 'twats', 'twat'),
    ('', 'assholes', 'assholes', 'asshole'),
    ('', 'whores', 'whores', 'whore'),
    ('', 'sluts', 'sluts', 'slut'),
    ('', 'slutty', 'slutty', 'slut'),
    ('', 'piss off', 'piss off', ''),
    ('', 'pissed off', 'pissed off', ''),
    ('fr', 'merdes', 'merdes', 'merde'),
    ('fr', 'merdeux', 'merdeux', 'merde'),
    ('fr', 'merdeuse', 'merdeuse', 'merde'),
    ('fr', 'merdique', 'merdique', 'merde'),
    ('fr', 'encul', 'encul', 'encule'),
    ('fr', 'enculés', 'encules', 'encule'),
    ('fr', 'enculée', 'enculee', 'encule'),
    ('fr', 'enculées', 'enculees', 'encule'),
    ('fr', 'enculer', 'enculer', 'encule'),
    ('fr', 'enculez', 'enculez', 'encule'),
    ('fr', 'enculeur', 'enculeur', 'encule'),
    ('fr', 'enculeurs', 'enculeurs', 'encule'),
    ('fr', 'salopes', 'salopes', 'salope'),
    ('fr', 'saloperie', 'saloperie', 'salope'),
    ('fr', 'saloperies', 'saloperies', 'salope'),
    ('fr', 'putes', 'putes', 'pute'),
    ('fr', 'nique', 'nique', ''),
    ('fr', 'niques', 'niques', ''),
    ('fr', 'niquer', 'niquer', ''),
    ('fr', 'niquez', 'niquez', ''),
    ('fr', 'niquent', 'niquent', ''),
    ('fr', 'niquait', 'niquait', ''),
    ('fr', 'bite', 'bite', ''),
    ('fr', 'couille', 'couille', ''),
    ('fr', 'couilles', 'couilles', ''),
    ('fr', 'foutre', 'foutre', ''),
    ('fr', 'connarde', 'connarde', 'connard'),
    ('fr', 'connards', 'connards', 'connard'),
    ('fr', 'connardes', 'connardes', 'connard'),
    ('fr', 'fdp', 'fdp', ''),
    ('fr', 'ntm', 'ntm', ''),
    ('fr', 'ftg', 'ftg', ''),
]


def add_words(apps: Any, schema_editor: Any) -> None:
    site_moderation = apps.get_model("moderation", "SiteModeration")
    word_rule = apps.get_model("moderation", "WordRule")
    site = apps.get_model("stories", "Site")
    for site_id in site_moderation.objects.values_list("site_id", flat=True):
        listed = set(
            word_rule.objects.filter(site_id=site_id).values_list("language", "folded")
        )
        word_rule.objects.bulk_create(
            [word_rule(site_id=site_id, phrase=phrase, folded=folded, language=language,
                       action="hold", guideline="obscenity")
             for language, phrase, folded, stem in WORDS
             if not stem or (language, stem) in listed],
            ignore_conflicts=True,
        )
        # Processes that cached the site's configuration read the new list at once.
        site.objects.filter(pk=site_id).update(config_stamp=secrets.token_hex(8))


def remove_words(apps: Any, schema_editor: Any) -> None:
    word_rule = apps.get_model("moderation", "WordRule")
    for language, _phrase, folded, _stem in WORDS:
        word_rule.objects.filter(language=language, folded=folded, action="hold",
                                 guideline="obscenity").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("moderation", "0004_notices_trusted_flaggers_appeals_retention"),
        ("stories", "0005_site_brand"),
    ]

    operations = [migrations.RunPython(add_words, remove_words)]
