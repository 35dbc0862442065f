"""A site's forms of a swear word become one stem entry (migration 0006), where it still
lists them all."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from townhall.moderation.defaults import site_moderation_setup
from townhall.moderation.models import WordRule
from townhall.stories.models import Site

from tests.conftest import make_site

NAME = "0006_word_list_stems"
migration = importlib.import_module(f"townhall.moderation.migrations.{NAME}")


def _as_before(site: Site) -> None:
    """Give ``site`` the word list as 0005 left it: every form, no stem."""
    for language, form, _base in migration.NEW_FORMS:
        WordRule.objects.filter(site=site, language=language, folded=form).delete()
    for language, stem, _base, forms in migration.STEMS:
        WordRule.objects.filter(site=site, language=language, folded=stem).delete()
        WordRule.objects.bulk_create(
            [WordRule(site=site, language=language, phrase=form, folded=form, action="hold",
                      guideline="obscenity") for form in forms],
            ignore_conflicts=True,
        )


def _listed(site: Site) -> dict[tuple[str, str], str]:
    return {(language, folded): action for language, folded, action in
            WordRule.objects.filter(site=site).values_list("language", "folded", "action")}


@pytest.mark.django_db
def test_a_site_listing_every_form_gets_the_stem_and_keeps_its_choices() -> None:
    site, _key = make_site()
    site_moderation_setup(site=site)
    _as_before(site)
    WordRule.objects.filter(site=site, language="", folded="motherfucked").delete()  # allowed
    WordRule.objects.filter(site=site, language="", folded="fucking").update(action="block")
    before = len(_listed(site))
    stamp = Site.objects.get(pk=site.pk).config_stamp
    historical = MigrationLoader(connection).project_state(("moderation", NAME),
                                                           at_end=False).apps
    migration.to_stems(historical, None)
    listed = _listed(site)
    assert listed[("", "fuck*")] == "hold" and listed[("fr", "merde*")] == "hold"
    assert ("", "fucked") not in listed and ("fr", "merdes") not in listed
    assert listed[("", "shitting")] == "hold" and ("fr", "encules") in listed
    assert listed[("", "fucking")] == "block"  # made stricter by the site: kept
    # The site allowed "motherfucked": no stem would hold it again, and its other forms stay.
    assert ("", "motherfuck*") not in listed and ("", "motherfucking") in listed
    assert len(listed) < before - 20
    assert Site.objects.get(pk=site.pk).config_stamp != stamp  # cached configs renew
    migration.to_stems(historical, None)
    assert _listed(site) == listed  # twice changes nothing
    migration.to_forms(historical, None)
    back = _listed(site)
    assert ("", "fuck*") not in back and back[("", "fucked")] == "hold"
    assert back[("", "fucking")] == "block" and ("", "motherfucked") not in back
    assert back[("fr", "merdes")] == "hold" and ("", "shitting") not in back


@pytest.mark.django_db
def test_a_new_site_starts_with_the_stems() -> None:
    site, _key = make_site()
    site_moderation_setup(site=site)
    listed = _listed(site)
    assert {("", "fuck*"), ("", "bullshit*"), ("fr", "merde*")} <= set(listed)
    assert {("", "shitty"), ("", "bitches")} <= set(listed)
    # No stem that starts a place name or an innocent word: Bitche, Shitterton, Wankel.
    assert not {("", "shit*"), ("", "bitch*"), ("", "wank*")} & set(listed)
    assert ("", "fuckes") not in listed and ("fr", "encul*") not in listed
