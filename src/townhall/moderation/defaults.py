"""A site's moderation defaults: settings, Submission Guidelines and word list, set up once."""

from __future__ import annotations

from django.db import transaction

from townhall.moderation.guidelines import DEFAULT_GUIDELINES, DEFAULT_WORD_RULES
from townhall.moderation.models import GuidelineSet, SiteModeration, WordRule
from townhall.moderation.wordmatch import fold_phrase
from townhall.stories.models import Site

DEFAULT_TRUSTED_SKIPS = ["links", "new_commenters"]


@transaction.atomic
def site_moderation_setup(*, site: Site) -> SiteModeration:
    """Give a site its default settings, guidelines and word list (once)."""
    config, created = SiteModeration.objects.get_or_create(
        site=site, defaults={"trusted_skips": list(DEFAULT_TRUSTED_SKIPS)},
    )
    if not created:
        return config
    if not GuidelineSet.objects.filter(site=site).exists():
        GuidelineSet.objects.create(site=site, version=1, items=DEFAULT_GUIDELINES)
    WordRule.objects.bulk_create(
        [WordRule(site=site, phrase=phrase, folded=fold_phrase(phrase),
                  language=language, action=action, guideline=guideline)
         for phrase, language, action, guideline in DEFAULT_WORD_RULES],
        ignore_conflicts=True,
    )
    return config
