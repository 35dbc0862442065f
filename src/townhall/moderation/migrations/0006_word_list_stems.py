"""Fold the default list's forms of a swear word into one stem entry ("fuck*").

Migration 0005 listed every form the model's old lexicon matched, about a hundred entries
nobody writes ("fuckes", "shitstorm"...). A word list entry that ends in "*" now matches its
word with any ending, so one entry stands for them all and deleting it allows them all.

A site gets a stem only where it still lists every form the stem stands for: one that had
removed a form chose to allow it, and a stem would hold it again. The forms that act as the
base word does are then deleted; a form the site had made stricter (say, "block") stays, and
a whole word on the list wins over a stem. The forms are frozen here, folded.

"shit", "bitch" and "enculé" stay listed by their forms: their stems start innocent words
(Shitterton, Bitche, enculturation), which a stem would hold. A site that lists "shit" gets the
two real forms the old list lacked ("shite", "shitting"), and loses none.

The reverse turns these stems back into their forms. A stem a site added itself stays: older
code reads it as the literal text, "*" included, so it no longer matches.
"""

import secrets
from typing import Any

from django.db import migrations

_EN_ENDINGS = ("", "s", "es", "ed", "er", "ers", "ing", "in", "y", "ty", "head", "heads",
               "hole", "holes", "bag", "bags", "show", "storm", "face", "wit")

# (language, stem as listed, the base word whose action the stem takes, its forms, folded)
STEMS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("", "fuck*", "fuck", tuple("fuck" + e for e in _EN_ENDINGS)),
    ("", "motherfuck*", "motherfucker", tuple("motherfuck" + e for e in _EN_ENDINGS)),
    ("", "bullshit*", "bullshit", ("bullshit",)),
    ("fr", "merde*", "merde", ("merde", "merdes", "merdeux", "merdeuse")),
    ("fr", "connard*", "connard", ("connard", "connarde", "connards", "connardes")),
]


# (language, a form the old list lacked, the word whose listing brings it)
NEW_FORMS: list[tuple[str, str, str]] = [("", "shite", "shit"), ("", "shitting", "shit")]


def to_stems(apps: Any, schema_editor: Any) -> None:
    site_moderation = apps.get_model("moderation", "SiteModeration")
    word_rule = apps.get_model("moderation", "WordRule")
    site = apps.get_model("stories", "Site")
    for site_id in site_moderation.objects.values_list("site_id", flat=True):
        listed = {
            (language, folded): (action, guideline)
            for language, folded, action, guideline in word_rule.objects.filter(
                site_id=site_id).values_list("language", "folded", "action", "guideline")
        }
        added = word_rule.objects.bulk_create(
            [word_rule(site_id=site_id, language=language, phrase=form, folded=form,
                       action=listed[language, base][0], guideline=listed[language, base][1])
             for language, form, base in NEW_FORMS
             if (language, base) in listed and (language, form) not in listed],
        )
        changed = bool(added)
        for language, stem, base, forms in STEMS:
            if (language, stem) in listed or not all((language, f) in listed for f in forms):
                continue
            action, guideline = listed[language, base]
            word_rule.objects.create(site_id=site_id, language=language, phrase=stem,
                                     folded=stem, action=action, guideline=guideline)
            word_rule.objects.filter(site_id=site_id, language=language, folded__in=forms,
                                     action=action, guideline=guideline).delete()
            changed = True
        if changed:
            # Processes that cached the site's configuration read the new list at once.
            site.objects.filter(pk=site_id).update(config_stamp=secrets.token_hex(8))


def to_forms(apps: Any, schema_editor: Any) -> None:
    word_rule = apps.get_model("moderation", "WordRule")
    site = apps.get_model("stories", "Site")
    for language, form, base in NEW_FORMS:
        for rule in word_rule.objects.filter(language=language, folded=base):
            word_rule.objects.filter(site_id=rule.site_id, language=language, folded=form,
                                     action=rule.action, guideline=rule.guideline).delete()
    for language, stem, _base, forms in STEMS:
        for rule in word_rule.objects.filter(language=language, folded=stem):
            word_rule.objects.bulk_create(
                [word_rule(site_id=rule.site_id, language=language, phrase=form, folded=form,
                           action=rule.action, guideline=rule.guideline) for form in forms],
                ignore_conflicts=True,
            )
            rule.delete()
            site.objects.filter(pk=rule.site_id).update(config_stamp=secrets.token_hex(8))


class Migration(migrations.Migration):

    dependencies = [
        ("moderation", "0005_obscenity_word_list"),
    ]

    operations = [migrations.RunPython(to_stems, to_forms)]
