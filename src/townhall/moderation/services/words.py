"""The site's word list: phrases that hold or reject, per language."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from townhall.accounts.audit import audit_record
from townhall.accounts.models import Account
from townhall.core.errors import Invalid, NotFound
from townhall.moderation.defaults import site_moderation_setup
from townhall.moderation.models import WordAction, WordRule
from townhall.moderation.selectors import guideline_codes
from townhall.moderation.wordmatch import MIN_STEM, WILDCARD, fold_phrase, stem_of
from townhall.stories.models import Site


@transaction.atomic
def word_rule_add(*, site: Site, phrase: str, action: str, guideline: str,
                  language: str = "", actor: Account | None = None) -> WordRule:
    """Add (or change) a word or phrase on the site's list."""
    site_moderation_setup(site=site)
    phrase = " ".join((phrase or "").split())
    folded = fold_phrase(phrase)
    if not folded or len(phrase) > 100:
        raise Invalid("phrase", "invalid", _("Give a word or phrase (at most 100 characters)."))
    if folded.endswith(WILDCARD) and stem_of(folded) is None:
        raise Invalid("phrase", "stem_too_short", _(
            "A word ending in * must keep at least %(count)d letters before it: a shorter "
            "stem would match innocent words.") % {"count": MIN_STEM})
    if action not in WordAction.values:
        raise Invalid("action", "invalid_choice", _("Choose block, hold or flag."))
    if language not in ("", "en", "fr"):
        raise Invalid("language", "invalid_choice", _("Choose en, fr or both."))
    if guideline not in guideline_codes(site):
        raise Invalid("guideline", "unknown_guideline", _("Choose one of the site's guidelines."))
    rule, _created = WordRule.objects.update_or_create(
        site=site, language=language, folded=folded,
        defaults={"phrase": phrase, "action": action, "guideline": guideline},
    )
    audit_record("words.add", actor=actor, site=site, changes={
        "phrase": phrase, "language": language, "action": action, "guideline": guideline})
    return rule


@transaction.atomic
def word_rule_remove(*, site: Site, rule_id: int, actor: Account | None = None) -> None:
    rule = WordRule.objects.filter(site=site, pk=rule_id).first()
    if rule is None:
        raise NotFound(_("Unknown word rule."), field="id")
    rule.delete()
    audit_record("words.remove", actor=actor, site=site, changes={
        "phrase": rule.phrase, "language": rule.language, "action": rule.action})
