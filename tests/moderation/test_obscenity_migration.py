"""Existing sites keep holding what the model used to hold by itself (migration 0005)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from townhall.moderation.defaults import site_moderation_setup
from townhall.moderation.models import WordRule
from townhall.stories.models import Site

from tests.conftest import make_site

NAME = "0005_obscenity_word_list"
migration = importlib.import_module(f"townhall.moderation.migrations.{NAME}")
stems = importlib.import_module("townhall.moderation.migrations.0006_word_list_stems")


@pytest.mark.django_db
def test_a_site_gets_the_new_forms_of_the_words_it_still_lists() -> None:
    site, _key = make_site()
    site_moderation_setup(site=site)
    stems.to_forms(apps, None)  # today's stems ("fuck*") back to the forms 0005 listed
    # The site as it stood before: the old default list, minus "shit", which it allowed.
    new = [(language, folded) for language, _phrase, folded, _stem in migration.WORDS]
    for language, folded in new:
        WordRule.objects.filter(site=site, language=language, folded=folded).delete()
    WordRule.objects.filter(site=site, language="", folded="shit").delete()
    stamp = Site.objects.get(pk=site.pk).config_stamp
    # The models as the migration sees them, not today's.
    historical = MigrationLoader(connection).project_state(("moderation", NAME),
                                                           at_end=False).apps
    migration.add_words(historical, None)
    listed = set(WordRule.objects.filter(site=site).values_list("language", "folded"))
    assert {("", "fucked"), ("", "motherfucking"), ("fr", "nique"), ("fr", "encules")} <= listed
    assert ("", "cock") in listed  # no old word to derive from: the model held it for all
    assert not {("", "shit"), ("", "shitty"), ("", "shithead")} & listed  # the site's choice
    assert Site.objects.get(pk=site.pk).config_stamp != stamp  # cached configs renew
    count = WordRule.objects.filter(site=site).count()
    migration.add_words(historical, None)
    assert WordRule.objects.filter(site=site).count() == count
    migration.remove_words(historical, None)
    assert not {("", "fucked"), ("fr", "nique")} & set(
        WordRule.objects.filter(site=site).values_list("language", "folded"))
    assert WordRule.objects.filter(site=site, language="", folded="fuck").exists()
