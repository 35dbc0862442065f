"""Give existing sites the obscenities the model used to hold by itself.

Until now the model held a strong obscenity (0.6) whatever the site's word list said; it now
only names the category, and the word list decides. So that no site starts publishing what
it held yesterday, every site already set up gets the words that joined the default list,
unless it lists that word already. Words a site removed from the old list stay removed.
"""

from typing import Any

from django.db import migrations

from townhall.moderation.guidelines import OBSCENITY_WORDS
from townhall.moderation.wordmatch import fold_phrase

# The default list before this migration: a site without one of these removed it.
_OLD_DEFAULTS = {
    "": {"fuck", "fucking", "fucker", "motherfucker", "shit", "bullshit", "cunt", "asshole",
         "dickhead", "bitch", "whore", "slut", "twat", "wanker"},
    "fr": {"putain", "merde", "salope", "connard", "connasse", "enculé", "pute", "ta gueule"},
}


def add_words(apps: Any, schema_editor: Any) -> None:
    site_moderation = apps.get_model("moderation", "SiteModeration")
    word_rule = apps.get_model("moderation", "WordRule")
    new = [
        (language, word)
        for language, words in OBSCENITY_WORDS.items()
        for word in words
        if word not in _OLD_DEFAULTS[language]
    ]
    for site_id in site_moderation.objects.values_list("site_id", flat=True):
        word_rule.objects.bulk_create(
            [word_rule(site_id=site_id, phrase=word, folded=fold_phrase(word),
                       language=language, action="hold", guideline="obscenity")
             for language, word in new],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):

    dependencies = [("moderation", "0004_notices_trusted_flaggers_appeals_retention")]

    operations = [migrations.RunPython(add_words, migrations.RunPython.noop)]
