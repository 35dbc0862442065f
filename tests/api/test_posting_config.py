"""Posting reads the site's configuration from a per-process snapshot: every change to it
applies to the very next post, and a post costs the same number of queries however much
the author, the story and the database hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.comments.models import Comment
from townhall.core import clock
from townhall.moderation.posting import comment_create
from townhall.stories.models import Site, Story
from townhall.stories.services import policy_publish

from tests.calm import calm_model  # noqa: F401 - the calm scorer for every test here
from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for

pytestmark = pytest.mark.calendar

PATH = "sites/daily/stories/s1/comments"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.TOWNHALL_RATELIMIT = False  # these tests post fast on purpose


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1", url="https://news.example/s1")
    return site


def post(client: Api, body: str, path: str = PATH) -> dict[str, Any]:
    response = client.post(path, {"body": body, "accept_terms": True})
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_word_rule_applies_to_the_next_post_and_stops_when_removed(site: Site) -> None:
    reader = Api(token_for(make_account()))
    staff = Api(token_for(make_staff(sites=[site])))
    assert post(reader, "The zorblax plan is due Monday.")["status"] == "published"
    made = staff.post("moderation/sites/daily/words",
                      {"phrase": "zorblax", "action": "hold", "guideline": "on-topic"})
    assert made.status_code == 201, made.json()
    assert post(reader, "Again the zorblax plan, due Tuesday.")["status"] == "pending"
    assert staff.delete(f"moderation/sites/daily/words/{made.json()['id']}").status_code == 204
    assert post(reader, "Still the zorblax plan, due Friday.")["status"] == "published"


def test_a_settings_change_applies_to_the_next_post(site: Site) -> None:
    reader = Api(token_for(make_account()))
    staff = Api(token_for(make_staff(sites=[site])))
    assert post(reader, "First thoughts on the library hours.")["status"] == "published"
    assert staff.patch("moderation/sites/daily/settings",
                       {"disabled_phases": [], "new_commenter_holds": 5}).status_code == 200
    assert post(reader, "Second thoughts on the library hours.")["status"] == "pending"


def test_a_new_policy_version_is_the_one_the_next_comment_consents_to(site: Site) -> None:
    reader = Api(token_for(make_account()))
    first = post(reader, "The bus lanes are working.")
    before = Comment.objects.get(pk=first["id"]).terms_version
    policy_publish(site=site, language="en", texts={"licence": "A new licence text."})
    second = post(reader, "The bike lanes are working too.")
    assert Comment.objects.get(pk=second["id"]).terms_version == before + 1


def _post_queries(client: Api, body: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        post(client, body)
    return len(queries.captured_queries)


def test_a_post_costs_the_same_queries_however_big_the_story_and_the_database(
    site: Site,
) -> None:
    reader = Api(token_for(make_account()))
    story = Story.objects.get(external_id="s1")
    post(reader, "A first comment warms the configuration snapshot.")
    first = _post_queries(reader, "Opening remarks on the harbour dredging.")
    others = [Story.objects.create(site=site, external_id=f"o{n}", title=f"Other {n}")
              for n in range(3)]
    for n in range(60):
        comment_create(account=make_account(), story=story if n % 2 else others[n % 3],
                       accept_terms=True, body=f"Neighbour {n} has a view on the harbour.")
    assert _post_queries(reader, "Closing remarks on the harbour dredging.") == first


def test_a_prolific_author_costs_a_bounded_few_queries_more(site: Site) -> None:
    author = make_account()
    reader = Api(token_for(author))
    post(reader, "A first comment warms the configuration snapshot.")
    first = _post_queries(reader, "Opening remarks on the harbour dredging.")
    others = [Story.objects.create(site=site, external_id=f"o{n}", title=f"Other {n}")
              for n in range(20)]

    def write(count: int) -> None:
        for n in range(count):  # more than the rows of history the phases read at once
            comment_create(account=author, story=others[n % 20], accept_terms=True,
                           body=f"Remark {n} {count} about dredging schedules and silt.")

    # At most one more query for each phase that looks back (repeats, flood, new
    # commenters, trust), however long the history grows.
    write(40)
    assert first < _post_queries(reader, "More remarks on the harbour dredging.") <= first + 4
    write(80)
    assert first < _post_queries(reader, "Last remarks on the harbour dredging.") <= first + 4


def test_a_repeat_is_found_beyond_the_rows_read_at_once(site: Site) -> None:
    author = make_account()
    stories = [Story.objects.create(site=site, external_id=f"r{n}", title=f"R {n}")
               for n in range(5)]
    comment_create(account=author, story=stories[0], accept_terms=True,
                   body="The tunnel budget doubled without a single public meeting.")
    for n in range(40):
        comment_create(account=author, story=stories[1 + n % 4], accept_terms=True,
                       body=f"Note {n}: the council minutes mention item {n * 7}.")
    again = post(Api(token_for(author)),
                 "the TUNNEL budget doubled, without a single public meeting!")
    assert again["status"] == "pending" and again["guidelines"] == ["spam"]


def test_a_repeat_older_than_a_day_is_not_held(site: Site) -> None:
    author = make_account()
    story = Story.objects.get(external_id="s1")
    old, _verdict = comment_create(account=author, story=story, accept_terms=True,
                                   body="The ferry fares should be frozen this winter.")
    Comment.objects.filter(pk=old.pk).update(created_at=clock.now() - dt.timedelta(days=2))
    again = post(Api(token_for(author)), "The ferry fares should be frozen this winter.")
    assert again["status"] == "published"


def test_a_ban_applies_to_the_next_post(site: Site) -> None:
    author = make_account()
    reader = Api(token_for(author))
    assert post(reader, "Opinions on the snow removal budget.")["status"] == "published"
    staff = Api(token_for(make_staff(sites=[site])))
    banned = staff.post(f"moderation/accounts/{author.pk}/actions",
                        {"kind": "ban", "site": "daily", "guideline": "respect",
                         "message": "Repeated abuse."})
    assert banned.status_code == 201, banned.json()
    response = reader.post(PATH, {"body": "More on snow removal.", "accept_terms": True})
    assert response.status_code == 201 and response.json()["status"] == "rejected"


def test_a_second_site_has_its_own_configuration(site: Site) -> None:
    other, _key = make_site("weekly")
    make_story(other, "w1", url="https://news.example/w1")
    staff = Api(token_for(make_staff(sites=[site])))
    assert staff.post("moderation/sites/daily/words", {
        "phrase": "quibblefest", "action": "hold", "guideline": "on-topic"}).status_code == 201
    reader = Api(token_for(make_account()))
    assert post(reader, "What a quibblefest.")["status"] == "pending"
    assert post(reader, "What a quibblefest indeed.",
                "sites/weekly/stories/w1/comments")["status"] == "published"
