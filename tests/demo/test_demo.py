"""The sample newsroom: its data, its pages and the `townhall demo` command."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command
from django.test import Client

from townhall.comments.models import Comment
from townhall.demo import newsroom
from townhall.stories.models import Story

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)


def test_load_creates_the_newsroom_once(db: None) -> None:
    first = newsroom.load(origin="http://127.0.0.1:8000")
    ids = {s.external_id: s for s in first["stories"]}
    assert {"1.7001", "2.8001", "3.9001"} <= set(ids)
    assert ids["2.8001"].language == "fr"
    assert ids["3.9001"].community == "youth"
    assert not ids["1.7002"].is_open()
    assert first["comments"] >= 10
    assert all(c.status == "published" for c in Comment.objects.filter(story__site=first["site"]))
    assert Comment.objects.filter(story__site=first["site"], depth=1).exists()
    again = newsroom.load(origin="http://127.0.0.1:8000")
    assert again["comments"] == first["comments"]
    assert Story.objects.filter(site=first["site"]).count() == len(newsroom.STORIES)


def test_demo_command_sets_up_and_prints_the_urls(db: None) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/demo/" in text
    assert "http://127.0.0.1:8123/demo/stories/2.8001/" in text


def test_front_page_lists_stories_with_counts_filled_by_one_script(db: None) -> None:
    newsroom.load(origin="http://testserver")
    response = Client().get("/demo/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not INLINE_SCRIPT.search(page)
    for sample in newsroom.STORIES:
        assert sample.headline in page
        assert f'data-townhall-count="{sample.external_id}"' in page
    assert page.count('<script src="/embed/counts.js" data-site="demo"') == 1
    # The newsroom's own name once in the title, not "Demo Newsroom · Demo Newsroom".
    assert "<title>Demo Newsroom</title>" in page


def test_story_page_reads_like_a_newsroom_story_with_the_one_tag(db: None) -> None:
    newsroom.load(origin="http://testserver")
    sample = newsroom.sample_for("1.7001")
    assert sample is not None
    response = Client().get("/demo/stories/1.7001/")
    page = response.content.decode()
    assert response.status_code == 200
    assert not INLINE_SCRIPT.search(page)
    for text in (sample.headline, sample.summary, sample.caption, sample.video_title,
                 f"Duration {sample.video_duration}", sample.paragraphs[-1].split('"')[0]):
        assert text in page
    assert ('<script src="http://testserver/embed.js" data-site="demo" '
            'data-story="1.7001" async></script>') in page
    assert '<link rel="canonical" href="http://testserver/demo/stories/1.7001/">' in page


def test_french_story_page_is_in_french(db: None) -> None:
    newsroom.load(origin="http://testserver")
    page = Client().get("/demo/stories/2.8001/").content.decode()
    assert '<html lang="fr">' in page
    assert "La bibliothèque du quartier Saint-Roch" in page


def test_unknown_story_is_a_404(db: None) -> None:
    newsroom.load(origin="http://testserver")
    assert Client().get("/demo/stories/404.1/").status_code == 404


def test_guidelines_page_lists_the_sites_guidelines_in_both_languages(db: None) -> None:
    newsroom.load(origin="http://testserver")
    english = Client().get("/demo/guidelines/?lang=en").content.decode()
    french = Client().get("/demo/guidelines/?lang=fr").content.decode()
    assert "Be respectful" in english
    assert "Soyez respectueux" in french and '<html lang="fr">' in french


def test_policy_links_the_guidelines_page(db: None) -> None:
    newsroom.load(origin="http://testserver")
    texts = Client().get("/api/v1/sites/demo/policy?lang=fr").json()["texts"]
    assert texts["guidelines_url"] == "http://testserver/demo/guidelines/?lang=fr"
    assert "lignes directrices de participation" in texts["moderation"]
