"""Dashboard tests use the moderation tests' fake toxicity scorer, and a site with one story."""

import pytest

from townhall.stories.models import Site

from tests.conftest import make_site, make_story
from tests.moderation.conftest import FakeScorer, scorer

__all__ = ["FakeScorer", "scorer"]


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1", title="Council approves the new bridge")
    return site
