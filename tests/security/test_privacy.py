"""Privacy: download my data, delete my account after a grace period, address retention."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from townhall.accounts.models import Account, SessionToken
from townhall.comments.models import Comment, Revision
from townhall.comments.services import like_add
from townhall.core import clock
from townhall.moderation.posting import comment_create, comment_edit
from townhall.stories.services import site_update

from tests.conftest import PASSWORD, Api, Outbox, make_account, make_site, make_story, token_for

pytestmark = pytest.mark.calendar

def _purge() -> str:
    out = io.StringIO()
    call_command("purge_deleted", stdout=out)
    return out.getvalue()


def _later(monkeypatch: Any, **delta: float) -> None:
    moment = clock.now() + dt.timedelta(**delta)
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_download_my_data_returns_the_accounts_data_and_no_secrets(api: Api) -> None:
    site, _key = make_site()
    story = make_story(site)
    account = make_account(first_name="Maya", last_name="Okafor")
    other = make_account()
    mine, _ = comment_create(account=account, story=story, body="First *draft*",
                             accept_terms=True)
    comment_edit(account=account, comment=mine, body="Second draft")
    theirs, _ = comment_create(account=other, story=story, body="Not Maya's", accept_terms=True)
    like_add(account=account, comment=theirs)
    me = Api(token_for(account))
    response = me.get("me/export")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == account.email
    assert data["account"]["first_name"] == "Maya"
    assert [c["body"] for c in data["comments"]] == ["Second draft"]
    assert [r["source"] for r in data["comments"][0]["revisions"]] == ["First *draft*"]
    assert data["comments"][0]["story"] == story.external_id
    assert [like["comment_id"] for like in data["likes"]] == [theirs.pk]
    assert len(data["sessions"]) == 1
    text = response.content.decode()
    assert "Not Maya's" not in text
    assert account.password not in text and "argon2" not in text
    assert "ths_" not in text and "digest" not in text
    assert Api().get("me/export").status_code == 401


def test_deleting_my_account_waits_24_hours_and_can_be_cancelled(
    api: Api, outbox: Outbox, monkeypatch: Any
) -> None:
    site, _key = make_site()
    story = make_story(site)
    account = make_account(first_name="Noor", last_name="Haddad")
    comment_create(account=account, story=story, body="Still here", accept_terms=True)
    me = Api(token_for(account))
    asked = me.delete("me")
    assert asked.status_code == 202
    due = dt.datetime.fromisoformat(asked.json()["deletion_due_at"])
    assert dt.timedelta(hours=23, minutes=59) < due - clock.now() <= dt.timedelta(hours=24)
    assert me.get("me").status_code == 401  # signed out everywhere
    assert "cancel" in outbox.body(outbox.to(account.email)[-1])
    # Nothing is erased before the grace period ends.
    _later(monkeypatch, hours=23)
    assert "Erased 0 account" in _purge()
    again = Api(api.post("sessions", {"email": account.email, "password": PASSWORD}
                         ).json()["token"])
    assert again.get("me").json()["deletion_due_at"] is not None
    assert again.delete("me/deletion").status_code == 200
    assert again.get("me").json()["deletion_due_at"] is None
    _later(monkeypatch, hours=48)
    assert "Erased 0 account" in _purge()
    assert Account.objects.get(pk=account.pk).is_active


def test_erasure_removes_comments_on_sites_that_remove_them(api: Api, monkeypatch: Any
                                                            ) -> None:
    site, _key = make_site()
    story = make_story(site)
    account = make_account(first_name="Iris", last_name="Moreau")
    reader = make_account()
    parent, _ = comment_create(account=account, story=story, body="Iris was here",
                               accept_terms=True)
    comment_edit(account=account, comment=parent, body="Iris was here, edited")
    comment_create(account=reader, story=story, body="A reply", parent_id=parent.pk,
                   accept_terms=True)
    liked, _ = comment_create(account=reader, story=story, body="Likeable", accept_terms=True)
    like_add(account=account, comment=liked)
    Api(token_for(account)).delete("me")
    _later(monkeypatch, hours=24, seconds=1)
    assert "Erased 1 account" in _purge()
    gone = Account.objects.get(pk=account.pk)
    assert (gone.first_name, gone.last_name, gone.is_active) == ("", "", False)
    assert "Iris" not in gone.email and not gone.has_usable_password()
    row = Comment.objects.get(pk=parent.pk)
    assert (row.status, row.source, row.body_html) == ("deleted", "", "")
    assert not Revision.objects.filter(comment=row).exists()
    assert Comment.objects.get(pk=liked.pk).like_count == 0
    thread = api.get(f"sites/{site.name}/stories/{story.external_id}/comments").json()
    text = json.dumps(thread)
    assert "Iris" not in text
    placeholder = next(c for c in thread["comments"] if c["id"] == parent.pk)
    assert placeholder["removed"] and placeholder["author"] is None
    assert [r["body"] for r in placeholder["replies"]] == ["A reply"]


def test_erasure_keeps_comments_without_the_name_on_sites_that_anonymise(
    api: Api, monkeypatch: Any
) -> None:
    site, _key = make_site()
    site_update(site=site, erasure_policy="anonymise")
    story = make_story(site)
    account = make_account(first_name="Theo", last_name="Lindqvist")
    comment, _ = comment_create(account=account, story=story, body="Worth keeping",
                                accept_terms=True)
    Api(token_for(account)).delete("me")
    _later(monkeypatch, hours=25)
    _purge()
    thread = api.get(f"sites/{site.name}/stories/{story.external_id}/comments").json()
    shown = next(c for c in thread["comments"] if c["id"] == comment.pk)
    assert shown["body"] == "Worth keeping"
    assert shown["author"]["display_name"] == "Former member"
    assert "Theo" not in json.dumps(thread) and "Lindqvist" not in json.dumps(thread)


def test_address_digests_are_dropped_after_the_retention_period(
    api: Api, monkeypatch: Any, settings: Any
) -> None:
    settings.TOWNHALL_ADDRESS_RETENTION_DAYS = 30
    settings.TOWNHALL_TOKEN_TTL_DAYS = 90  # the session outlives the address digest
    account = make_account()
    api.client.defaults["REMOTE_ADDR"] = "192.0.2.44"
    api.post("sessions", {"email": account.email, "password": PASSWORD})
    assert SessionToken.objects.get(account=account).address_digest
    _later(monkeypatch, days=29)
    _purge()
    assert SessionToken.objects.get(account=account).address_digest
    _later(monkeypatch, days=2)
    assert "dropped 1 address" in _purge()
    assert SessionToken.objects.get(account=account).address_digest == ""


def test_no_raw_address_is_stored_anywhere(api: Api, settings: Any) -> None:
    """Sign up, sign in, post and like from a known address; no table holds it."""
    from django.apps import apps

    site, _key = make_site()
    make_story(site, "s1")
    address = "198.51.100.77"
    api.client.defaults["REMOTE_ADDR"] = address
    api.post("accounts", {"email": "addr@example.org", "password": PASSWORD,
                          "first_name": "Ada", "last_name": "Singh"})
    account = make_account()
    token = api.post("sessions", {"email": account.email, "password": PASSWORD}).json()["token"]
    Api(token).client.defaults["REMOTE_ADDR"] = address
    posted = api.as_(token).post("sites/daily/stories/s1/comments",
                                 {"body": "From an address", "accept_terms": True})
    assert posted.status_code == 201
    for model in apps.get_models():
        if not model.__module__.startswith("townhall."):
            continue
        for row in model._default_manager.all().values():
            assert address not in json.dumps(row, default=str), model


def test_the_task_worker_runs_the_purge_every_hour(api: Api, monkeypatch: Any) -> None:
    from townhall.notify import tasks

    account = make_account()
    Api(token_for(account)).delete("me")
    tasks.schedule_due()  # first sight: schedules, runs nothing
    _later(monkeypatch, hours=25)
    assert "purge-deleted" in tasks.schedule_due(now=clock.now())
    while tasks.run_due(now=clock.now()):
        pass
    assert not Account.objects.get(pk=account.pk).is_active
