"""Stories and policies through the API."""

from __future__ import annotations

from townhall.stories.services import policy_publish

from tests.conftest import Api, make_account, make_site, token_for


def test_site_key_creates_and_updates_a_story_and_readers_cannot(api: Api) -> None:
    _site, key = make_site()
    publisher = Api(key)
    created = publisher.put("sites/daily/stories/1.5", {"title": "Budget day",
                                                        "language": "fr", "community": "youth"})
    assert created.status_code == 201
    assert created.json()["language"] == "fr" and created.json()["community"] == "youth"
    updated = publisher.put("sites/daily/stories/1.5", {"title": "Budget day, updated"})
    assert updated.status_code == 200 and updated.json()["language"] == "fr"
    reader = Api(token_for(make_account()))
    assert reader.put("sites/daily/stories/1.5", {"title": "Hacked"}).status_code == 403
    assert api.put("sites/daily/stories/1.5", {"title": "Hacked"}).status_code == 401
    _other, other_key = make_site("other")
    assert Api(other_key).put("sites/daily/stories/1.5", {"title": "x"}).status_code == 403
    bad = publisher.put("sites/daily/stories/1.6", {"language": "de"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "language"
    assert api.get("sites/daily/stories/1.5").json()["title"] == "Budget day, updated"


def test_policy_is_served_per_language_and_versioned(api: Api) -> None:
    site, _key = make_site()
    english = api.get("sites/daily/policy?lang=en").json()
    french = api.get("sites/daily/policy?lang=fr").json()
    assert english["version"] == 1
    assert "Pseudonyms are not permitted" in english["texts"]["real_names"]
    assert "does not endorse" in english["texts"]["endorsement"]
    assert french["texts"]["real_names"] != english["texts"]["real_names"]
    policy_publish(site=site, language="en", texts={"guidelines_url": "https://news.example/g"})
    newer = api.get("sites/daily/policy?lang=en").json()
    assert newer["version"] == 2 and newer["texts"]["guidelines_url"] == "https://news.example/g"
    assert api.get("sites/daily/policy?lang=de").status_code == 422
