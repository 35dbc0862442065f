"""Existing sites keep holding what the model used to hold by itself (migration 0005)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from townhall.moderation.defaults import site_moderation_setup
from townhall.moderation.models import WordRule

from tests.conftest import make_site

migration = importlib.import_module("townhall.moderation.migrations.0005_obscenity_word_list")


@pytest.mark.django_db
def test_a_site_gets_the_new_default_words_but_not_the_ones_it_removed() -> None:
    site, _key = make_site()
    site_moderation_setup(site=site)
    # The site as it stood before: the old default list, minus a word it chose to allow.
    WordRule.objects.filter(site=site, folded__in=["shitty", "nique", "fucked"]).delete()
    WordRule.objects.filter(site=site, folded="shit").delete()
    migration.add_words(apps, None)
    listed = set(WordRule.objects.filter(site=site).values_list("folded", flat=True))
    assert {"shitty", "nique", "fucked"} <= listed
    assert "shit" not in listed
    again = WordRule.objects.filter(site=site).count()
    migration.add_words(apps, None)
    assert WordRule.objects.filter(site=site).count() == again
