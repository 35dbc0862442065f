"""Webhooks: signed events reach a real HTTP receiver; failures retry; deliveries are logged."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.test import Client

from townhall.core import clock
from townhall.notify import tasks, webhooks
from townhall.stories.models import Site, Story

from tests.calm import post
from tests.conftest import make_account, make_staff, token_for

pytestmark = pytest.mark.calendar

class Receiver:
    """A tiny HTTP server on 127.0.0.1 that records requests and answers planned statuses."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"thanks" if status < 300 else b"try later")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/townhall-hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self) -> list[str]:
        return [json.loads(r["body"])["type"] for r in self.requests]


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.TOWNHALL_WEBHOOK_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _register(api: Any, key: str, url: str, events: list[str]) -> dict[str, Any]:
    response = api.as_(key).post("sites/daily/webhooks", {"url": url, "events": events})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_receiver_gets_signed_events_for_comments_and_closing(
    api: Any, site_and_key: tuple[Site, str], receiver: Receiver
) -> None:
    _site, key = site_and_key
    hook = _register(api, key, receiver.url, ["comment.created", "comment.published",
                                              "story.closed"])
    assert hook["secret"].startswith("whsec_")
    post(api, token_for(make_account()), "Fix the potholes first.")
    assert api.as_(key).patch("sites/daily/stories/1.100", {"action": "close"}).status_code == 200

    assert sorted(receiver.events()) == ["comment.created", "comment.published", "story.closed"]
    for request in receiver.requests:
        headers = request["headers"]
        assert webhooks.verify_signature(hook["secret"], headers["X-Townhall-Signature"],
                                         request["body"])
        assert not webhooks.verify_signature("whsec_wrong", headers["X-Townhall-Signature"],
                                             request["body"])
        assert headers["X-Townhall-Event"] == json.loads(request["body"])["type"]
    created = json.loads(next(r["body"] for r in receiver.requests
                              if b"comment.created" in r["body"]))
    assert created["site"] == "daily"
    assert created["data"]["comment"]["body"] == "Fix the potholes first."
    assert created["data"]["story"]["external_id"] == "1.100"

    deliveries = api.as_(key).get(f"sites/daily/webhooks/{hook['id']}/deliveries").json()
    assert [d["state"] for d in deliveries] == ["delivered"] * 3
    assert {d["response_status"] for d in deliveries} == {200}
    assert deliveries[0]["response_body"] == "thanks"


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(
    api: Any, site_and_key: tuple[Site, str], receiver: Receiver
) -> None:
    _site, key = site_and_key
    hook = _register(api, key, receiver.url, ["comment.published"])
    receiver.statuses = [503, 500]
    post(api, token_for(make_account()), "Retry me.")
    [delivery] = api.as_(key).get(f"sites/daily/webhooks/{hook['id']}/deliveries").json()
    assert (delivery["state"], delivery["attempts"], delivery["response_status"]) == (
        "retrying", 1, 503)
    assert delivery["response_body"] == "try later"
    first_retry = dt.datetime.fromisoformat(delivery["next_attempt_at"])
    assert dt.timedelta(seconds=20) < first_retry - clock.now() <= dt.timedelta(seconds=30)

    tasks.run_due(now=clock.now() + dt.timedelta(seconds=31))
    [delivery] = api.as_(key).get(f"sites/daily/webhooks/{hook['id']}/deliveries").json()
    assert (delivery["state"], delivery["attempts"]) == ("retrying", 2)
    second_wait = dt.datetime.fromisoformat(delivery["next_attempt_at"]) - clock.now()
    assert dt.timedelta(seconds=50) < second_wait <= dt.timedelta(seconds=60)

    tasks.run_due(now=clock.now() + dt.timedelta(seconds=61))
    [delivery] = api.as_(key).get(f"sites/daily/webhooks/{hook['id']}/deliveries").json()
    assert (delivery["state"], delivery["attempts"], delivery["response_status"]) == (
        "delivered", 3, 200)
    bodies = {r["body"] for r in receiver.requests}
    assert len(receiver.requests) == 3 and len(bodies) == 1  # the same event each time


def test_private_receivers_are_refused_unless_allowed(
    api: Any, site_and_key: tuple[Site, str], receiver: Receiver, settings: Any
) -> None:
    settings.TOWNHALL_WEBHOOK_ALLOW_PRIVATE = False
    _site, key = site_and_key
    hook = _register(api, key, receiver.url, ["comment.published"])
    post(api, token_for(make_account()), "Not to localhost.")
    [delivery] = api.as_(key).get(f"sites/daily/webhooks/{hook['id']}/deliveries").json()
    assert delivery["error"] == "receiver address is private"
    assert receiver.requests == []


def test_rejections_and_reports_reach_webhooks(
    api: Any, site_and_key: tuple[Site, str], receiver: Receiver
) -> None:
    site, key = site_and_key
    _register(api, key, receiver.url, ["comment.rejected", "comment.reported"])
    comment = post(api, token_for(make_account()), "A borderline remark.")
    reporter = api.as_(token_for(make_account()))
    report = reporter.post(f"comments/{comment['id']}/reports", {"reason": "respect"})
    assert report.status_code in (200, 201), report.content
    staff = api.as_(token_for(make_staff(sites=[site])))
    decided = staff.post(f"moderation/comments/{comment['id']}/decisions",
                         {"action": "reject", "guideline": "respect"})
    assert decided.status_code == 200, decided.content
    assert receiver.events() == ["comment.reported", "comment.rejected"]


def test_webhooks_belong_to_their_site_and_need_its_key(
    api: Any, site_and_key: tuple[Site, str], receiver: Receiver
) -> None:
    _site, key = site_and_key
    from tests.conftest import make_site

    _other, other_key = make_site("other")
    hook = _register(api, key, receiver.url, ["comment.created"])
    assert api.as_(other_key).get("sites/daily/webhooks").status_code == 403
    assert api.as_(other_key).get(f"sites/other/webhooks/{hook['id']}/deliveries"
                                  ).status_code == 404
    assert api.get("sites/daily/webhooks").status_code == 401
    bad = api.as_(key).post("sites/daily/webhooks", {"url": "ftp://x", "events": ["x"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "url"
    bad = api.as_(key).post("sites/daily/webhooks", {"url": receiver.url, "events": ["nope"]})
    assert bad.json()["errors"][0]["field"] == "events"
    assert api.as_(key).get("sites/daily/webhooks").json()[0]["url"] == receiver.url
    assert "secret" not in api.as_(key).get("sites/daily/webhooks").json()[0]
    assert api.as_(key).delete(f"sites/daily/webhooks/{hook['id']}").status_code == 204
    assert api.as_(key).get("sites/daily/webhooks").json() == []


def test_staff_see_deliveries_on_the_webhooks_page(
    api: Any, site_and_key: tuple[Site, str], receiver: Receiver
) -> None:
    site, key = site_and_key
    _register(api, key, receiver.url, ["comment.published"])
    post(api, token_for(make_account()), "Shown on the page.")
    browser = Client()
    assert browser.get("/moderation/webhooks/").status_code == 302
    browser.force_login(make_staff(sites=[site]))
    page = browser.get("/moderation/webhooks/")
    html = page.content.decode()
    assert page.status_code == 200
    assert receiver.url in html and "comment.published" in html and "200" in html


def test_scheduled_closings_are_announced_once(
    api: Any, site_and_key: tuple[Site, str], receiver: Receiver
) -> None:
    _site, key = site_and_key
    _register(api, key, receiver.url, ["story.closed"])
    soon = clock.now() + dt.timedelta(minutes=1)
    api.as_(key).patch("sites/daily/stories/1.100", {"closes_at": soon.isoformat()})
    assert receiver.events() == []
    from unittest import mock

    from django.test import TestCase

    later = soon + dt.timedelta(minutes=1)
    with mock.patch("townhall.core.clock.now", return_value=later):
        for _ in range(2):
            with TestCase.captureOnCommitCallbacks(execute=True):
                webhooks.announce_scheduled_closings()
    assert receiver.events() == ["story.closed"]


@pytest.fixture
def site_and_key(db: None) -> tuple[Site, str]:
    from tests.conftest import make_site, make_story

    site, key = make_site()
    make_story(site)
    return site, key


@pytest.fixture
def story(site_and_key: tuple[Site, str]) -> Story:
    return Story.objects.get(site=site_and_key[0], external_id="1.100")
