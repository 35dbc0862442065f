"""TOWNHALL_SCORER picks the scorer; an external one that cannot be reached follows its policy."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from townhall.moderation import phases
from townhall.stories.models import Story

from tests.calm import post
from tests.conftest import make_account, token_for

# Nothing listens on the discard port: every call fails at once.
UNREACHABLE = "http://127.0.0.1:9/score"


@pytest.fixture
def external(settings: Any) -> Any:
    phases.use_scorer(None)  # the setting decides, not the suite's calm stand-in
    settings.TOWNHALL_SCORER = "http"
    settings.TOWNHALL_SCORER_URL = UNREACHABLE
    settings.TOWNHALL_SCORER_SECRET = "shared secret"
    yield settings


def test_an_unreachable_scorer_holds_by_default(api: Any, story: Story, external: Any) -> None:
    external.TOWNHALL_SCORER_FAIL = "hold"
    posted = post(api, token_for(make_account()), "The ferry schedule changes on Monday.")
    assert posted["status"] == "pending"


def test_an_unreachable_scorer_may_let_comments_through(api: Any, story: Story,
                                                         external: Any) -> None:
    external.TOWNHALL_SCORER_FAIL = "allow"
    posted = post(api, token_for(make_account()), "The ferry schedule changes on Monday.")
    assert posted["status"] == "published"


def test_an_unknown_scorer_is_a_configuration_error(settings: Any) -> None:
    phases.use_scorer(None)
    settings.TOWNHALL_SCORER = "perspective"
    with pytest.raises(ImproperlyConfigured, match="local or http"):
        phases.toxicity_scorer()
