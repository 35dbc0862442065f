"""The XSS corpus, posted through the API: stored and served HTML holds nothing executable."""

from __future__ import annotations

from typing import Any

import pytest

from townhall.comments import markup
from townhall.comments.models import Comment

from tests.conftest import Api, make_account, make_site, make_story, token_for
from tests.security.conftest import record_figures
from tests.security.html_check import problems
from tests.security.xss_vectors import VECTORS


def test_the_corpus_is_large_and_the_checker_catches_each_kind_of_danger() -> None:
    assert len(VECTORS) >= 150
    for dangerous in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                      '<a href="jav&#x09;ascript:alert(1)">x</a>', "<svg onload=alert(1)>",
                      '<a href="https://x.example" style="position:fixed">x</a>',
                      "<!-- x -->", '<a href="https://x.example">x</a>'):
        assert problems(dangerous), dangerous
    assert problems('<p><a href="https://x.example" rel="nofollow ugc noopener">x</a></p>') == []


def test_every_vector_is_stored_and_served_without_executable_html(
    api: Api, settings: Any
) -> None:
    settings.TOWNHALL_RATELIMIT = False
    site, _key = make_site()
    story = make_story(site, "xss")
    author = Api(token_for(make_account()))
    found: dict[str, list[str]] = {}
    posted = 0
    for vector in VECTORS:
        response = author.post("sites/daily/stories/xss/comments",
                               {"body": vector, "accept_terms": True})
        assert response.status_code in {200, 201, 422}, (vector, response.json())
        if response.status_code == 422:
            assert response.json()["errors"][0]["field"] == "body"
            continue
        posted += 1
        served = response.json()["body_html"]
        stored = Comment.objects.get(pk=response.json()["id"]).body_html
        for where, fragment in (("served", served), ("stored", stored)):
            if trouble := problems(fragment):
                found[f"{where}: {vector!r}"] = trouble
    thread = api.get("sites/daily/stories/xss/comments?limit=100").json()
    for comment in thread["comments"]:
        if trouble := problems(comment["body_html"]):
            found[f"thread: {comment['body']!r}"] = trouble
    assert found == {}
    assert posted >= 150
    record_figures("xss_api", {"vectors": len(VECTORS), "posted": posted,
                               "executable_found": len(found)})
    assert story.pk


@pytest.mark.parametrize("vector", VECTORS[:60])
def test_editing_to_a_vector_is_sanitised_too(vector: str, db: None, settings: Any) -> None:
    from townhall.moderation.posting import comment_create, comment_edit

    settings.TOWNHALL_RATELIMIT = False
    site, _key = make_site()
    account = make_account()
    comment, _ = comment_create(account=account, story=make_story(site), body="Plain",
                                accept_terms=True)
    edited = comment_edit(account=account, comment=comment, body=vector)
    assert problems(edited.body_html) == []


@pytest.mark.parametrize("vector", VECTORS)
def test_the_sanitiser_alone_cleans_raw_vectors(vector: str) -> None:
    """Defence in depth: even HTML that skipped the Markdown escaping comes out clean."""
    assert problems(markup.sanitize(vector)) == []
