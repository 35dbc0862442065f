"""Youth communities: no commenter's real name or email in anything the public can read.

The walk below calls every GET route of the API (anonymous, as another reader, and as the
author on story-scoped routes), plus every write answer, live event and email a youth thread
produces, and looks for the commenters' names in all of it. A new route is walked without
anyone remembering to add it here.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from townhall.accounts.models import Account
from townhall.api.v1 import api as ninja_api
from townhall.live import events
from townhall.notify.models import WebhookDelivery
from townhall.notify.webhooks import webhook_create
from townhall.stories.models import Site, Story

from tests.conftest import Api, Outbox, make_account, make_site, make_staff, make_story, token_for

YOUTH = "sites/daily/stories/y1"


@pytest.fixture
def youth(db: None) -> tuple[Site, Story]:
    site, _key = make_site()
    story = make_story(site, "y1", community="youth", url="https://news.example/y1",
                       title="Our school garden grows a record pumpkin")
    return site, story


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Record every live event as it is published (after commit)."""
    sent: list[tuple[str, dict[str, Any]]] = []
    original = events.publish_now

    def record(channel: str, message: dict[str, Any]) -> Any:
        sent.append((channel, message))
        return original(channel, message)

    monkeypatch.setattr(events, "publish_now", record)
    return sent


def secrets_of(*accounts: Account) -> list[str]:
    """Return what must never show: each name part and each email (case-insensitively)."""
    words: list[str] = []
    for account in accounts:
        words += [w for w in re.split(r"[\s-]+", f"{account.first_name} {account.last_name}")
                  if len(w) > 2]
        words.append(account.email)
    return [w.casefold() for w in words]


def text_of(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False, default=str)
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode(errors="replace")


def assert_private(label: str, text: str, secrets: list[str]) -> None:
    folded = text.casefold()
    leaked = [s for s in secrets if s in folded]
    assert not leaked, f"{label} shows {leaked}: {text[:400]}"


def get_routes() -> list[tuple[str, dict[str, Any]]]:
    schema = ninja_api.get_openapi_schema()
    return [(path, ops["get"]) for path, ops in schema["paths"].items() if "get" in ops]


def fill(path: str, operation: dict[str, Any], values: dict[str, str]) -> str:
    url = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path)
    query = [f"{p['name']}={values.get(p['name'], '1')}"
             for p in operation.get("parameters", [])
             if p.get("in") == "query" and p.get("required")]
    return url + ("?" + "&".join(query) if query else "")


def test_no_real_name_in_any_public_response_of_a_youth_story(
    youth: tuple[Site, Story], outbox: Outbox, live: list[tuple[str, dict[str, Any]]]
) -> None:
    site, story = youth
    author = make_account(first_name="Ngozi", last_name="Okonjo-Iweala")
    replier = make_account(first_name="Aoife", last_name="Ní Bhriain")
    viewer = make_account(first_name="Lucas", last_name="Tremblay")
    secrets = secrets_of(author, replier)
    as_author, as_replier, as_viewer = (Api(token_for(a)) for a in (author, replier, viewer))
    answers: list[tuple[str, Any]] = []

    posted = as_author.post(f"{YOUTH}/comments", {"body": "Our pumpkin weighs 40 kg!",
                                                  "accept_terms": True})
    assert posted.status_code == 201 and posted.json()["status"] == "published"
    comment_id = posted.json()["id"]
    handle = posted.json()["author"]["display_name"]
    assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+ \d{2}", handle)
    answers.append(("comment POST", posted))
    reply = as_replier.post(f"{YOUTH}/comments", {"body": "Wow, well done!",
                                                  "parent_id": comment_id,
                                                  "accept_terms": True})
    answers += [("reply POST", reply),
                ("edit", as_replier.patch(f"comments/{reply.json()['id']}",
                                          {"body": "Wow, well done, everyone!"})),
                ("like", as_viewer.post(f"comments/{comment_id}/like")),
                ("check", as_author.post(f"{YOUTH}/comments/check", {"body": "Hello"})),
                ("report", as_viewer.post(f"comments/{reply.json()['id']}/reports",
                                          {"reason": "spam"}))]
    held = as_author.post(f"{YOUTH}/comments", {
        "body": "Write to me at pumpkin.kid@example.org or 613-555-0199", "accept_terms": True})
    assert held.json()["status"] == "pending" and "privacy" in held.json()["guidelines"]
    answers.append(("held comment POST", held))

    values = {"site": site.name, "external_id": story.external_id, "comment_id": str(comment_id),
              "account_id": str(author.pk), "ids": story.external_id, "queue": "pending"}
    walked = 0
    for path, operation in get_routes():
        url = fill(path, operation, values)
        callers = [("anonymous", Api()), ("another reader", as_viewer)]
        if "{site}" in path or "{comment_id}" in path:
            callers.append(("the author", as_author))
        for who, caller in callers:
            response = caller.get(url)
            assert response.status_code < 500, (url, who)
            assert_private(f"GET {url} as {who}", text_of(response), secrets)
            walked += 1
    assert walked > 30
    for label, response in answers:
        assert response.status_code < 300, (label, response.json())
        assert_private(label, text_of(response), secrets)

    public_events = [m for channel, m in live if channel == events.story_channel(story.pk)]
    assert public_events, "the thread produced no live events"
    assert_private("live events", json.dumps(public_events, ensure_ascii=False, default=str),
                   secrets)
    for message in outbox.messages():
        recipient = message["To"] or ""
        others = [a for a in (author, replier) if a.email not in recipient]
        assert_private(f"email to {recipient}", outbox.body(message) + str(message["Subject"]),
                       secrets_of(*others))
    replier_handle = reply.json()["author"]["display_name"]
    told = [m for m in outbox.to(author.email) if replier_handle in outbox.body(m)]
    assert told, "the author heard of the reply, by handle"


def test_the_thread_of_a_general_story_still_shows_real_names(youth: tuple[Site, Story]) -> None:
    site, _story = youth
    make_story(site, "g1")
    author = make_account(first_name="Ngozi", last_name="Okonjo-Iweala")
    posted = Api(token_for(author)).post("sites/daily/stories/g1/comments",
                                         {"body": "Grown-up news.", "accept_terms": True})
    assert posted.json()["author"]["display_name"] == "Ngozi Okonjo-Iweala"


def test_a_handle_is_stable_per_site_and_in_the_storys_language(
    youth: tuple[Site, Story]
) -> None:
    site, _story = youth
    make_story(site, "y2", community="youth", language="fr")
    author = Api(token_for(make_account()))
    first = author.post(f"{YOUTH}/comments", {"body": "Un", "accept_terms": True}).json()
    again = author.post(f"{YOUTH}/comments", {"body": "Deux", "accept_terms": True}).json()
    french = author.post("sites/daily/stories/y2/comments",
                         {"body": "Trois", "accept_terms": True}).json()
    assert first["author"]["display_name"] == again["author"]["display_name"]
    number = first["author"]["display_name"].rsplit(" ", 1)[1]
    assert french["author"]["display_name"].endswith(number)
    assert french["author"]["display_name"] != first["author"]["display_name"]


def test_personal_information_in_a_youth_comment_waits_for_review(
    youth: tuple[Site, Story]
) -> None:
    reader = Api(token_for(make_account()))
    for body, kind in [("mail me: kid@example.org", "email"),
                       ("call 514 555 0142 after school", "phone"),
                       ("I live at 12 Maple Street", "address"),
                       ("follow me instagram.com/pumpkin.kid", "social")]:
        response = reader.post(f"{YOUTH}/comments", {"body": body, "accept_terms": True})
        assert response.status_code == 201, body
        assert response.json()["status"] == "pending", (body, kind)
        assert "privacy" in response.json()["guidelines"]
    other = Api(token_for(make_account()))  # the first reader has hit the flood limit
    fine = other.post(f"{YOUTH}/comments", {"body": "Pumpkins are great", "accept_terms": True})
    assert fine.json()["status"] == "published"
    assert [c["body"] for c in Api().get(f"{YOUTH}/comments").json()["comments"]] == [
        "Pumpkins are great"]


def test_moderators_still_see_who_wrote_a_youth_comment(youth: tuple[Site, Story]) -> None:
    site, _story = youth
    author = make_account(first_name="Ngozi", last_name="Okonjo-Iweala")
    posted = Api(token_for(author)).post(f"{YOUTH}/comments",
                                         {"body": "Hello", "accept_terms": True}).json()
    moderator = Api(token_for(make_staff(sites=[site])))
    names = moderator.get(f"moderation/accounts/{author.pk}/names").json()
    assert names["display_name"] == "Ngozi Okonjo-Iweala"
    detail = moderator.get(f"moderation/comments/{posted['id']}")
    assert detail.status_code == 200
    assert "Okonjo-Iweala" in text_of(detail)


def author_ids(payload: Any) -> set[int]:
    """Return every `author.id` anywhere in a JSON payload."""
    found: set[int] = set()
    if isinstance(payload, dict):
        author = payload.get("author")
        if isinstance(author, dict) and isinstance(author.get("id"), int):
            found.add(author["id"])
        for value in payload.values():
            found |= author_ids(value)
    elif isinstance(payload, list):
        for value in payload:
            found |= author_ids(value)
    return found


def test_nothing_public_links_a_youth_nickname_to_the_account_or_to_other_sites(
    youth: tuple[Site, Story], live: list[tuple[str, dict[str, Any]]], settings: Any
) -> None:
    settings.TOWNHALL_WEBHOOK_ALLOW_PRIVATE = True
    site, story = youth
    make_story(site, "g1", url="https://news.example/g1")
    other_site, _key = make_site("weekly", origins=["https://weekly.example"])
    other_youth = make_story(other_site, "y2", community="youth",
                             url="https://weekly.example/y2")
    author = make_account(first_name="Ngozi", last_name="Okonjo-Iweala")
    as_author = Api(token_for(author))
    # Webhooks to a closed port: each delivery is stored (and fails) with its payload.
    hooks = [webhook_create(site=s, url="http://127.0.0.1:9/hook",
                            events=["comment.created", "comment.published"])
             for s in (site, other_site)]
    youth_post = as_author.post(f"{YOUTH}/comments", {"body": "Our pumpkin weighs 40 kg!",
                                                      "accept_terms": True}).json()
    general_post = as_author.post("sites/daily/stories/g1/comments",
                                  {"body": "The bridge vote was close.",
                                   "accept_terms": True}).json()
    other_post = as_author.post(f"sites/weekly/stories/{other_youth.external_id}/comments",
                                {"body": "Our class planted tulips.",
                                 "accept_terms": True}).json()

    assert general_post["author"]["id"] == author.pk  # real names, real id, as before
    youth_ref = youth_post["author"]["id"]
    assert youth_ref != author.pk and youth_ref != other_post["author"]["id"]

    youth_payloads: list[Any] = [youth_post]
    for path in (f"{YOUTH}/comments", f"{YOUTH}/embed"):
        for caller in (Api(), as_author):
            answer = caller.get(path)
            assert answer.status_code == 200, (path, answer.content)
            youth_payloads.append(answer.json())
    youth_payloads += [m for channel, m in live if channel == events.story_channel(story.pk)]
    youth_payloads += [d.payload for d in WebhookDelivery.objects.filter(webhook=hooks[0])
                       if d.payload["data"]["story"]["external_id"] == "y1"]
    webhook_ids = author_ids([d.payload for d in WebhookDelivery.objects.all()])
    assert len(youth_payloads) >= 8 and webhook_ids
    seen = author_ids(youth_payloads)
    assert seen == {youth_ref}, seen
    assert author.pk not in author_ids(youth_payloads)
    general_seen = author_ids([Api().get("sites/daily/stories/g1/comments").json()])
    assert youth_ref not in general_seen and author.pk in general_seen
    assert webhook_ids == {author.pk, youth_ref, other_post["author"]["id"]}
