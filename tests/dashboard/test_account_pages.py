"""Account pages: sign in and out, profile, my comments, deletion, emailed links, languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, TestCase

from townhall.accounts.models import Account
from townhall.comments.models import Comment
from townhall.moderation.models import Decision
from townhall.moderation.transitions import comment_transition

from tests.conftest import PASSWORD, Api, Outbox, make_account, make_site, make_story, token_for

pytestmark = pytest.mark.calendar

def signed_in(account: Account) -> Client:
    client = Client()
    response = client.post("/accounts/sign-in/", {"email": account.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_sign_in_page_signs_in_and_out_with_a_session(db: None) -> None:
    account = make_account(first_name="Odile", last_name="Marchetti")
    client = Client()
    page = client.get("/accounts/sign-in/")
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = client.post("/accounts/sign-in/", {"email": account.email, "password": PASSWORD,
                                                  "next": "/accounts/comments/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/comments/"
    assert "Odile Marchetti" in client.get("/accounts/profile/").content.decode()
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/accounts/profile/").status_code == 302  # back to sign-in


def test_sign_in_page_shows_the_error_and_ignores_foreign_next(db: None) -> None:
    account = make_account()
    wrong = Client().post("/accounts/sign-in/", {"email": account.email, "password": "nope"})
    assert wrong.status_code == 401
    assert "Wrong email or password." in wrong.content.decode()
    away = Client().post("/accounts/sign-in/", {"email": account.email, "password": PASSWORD,
                                                "next": "https://evil.example/"})
    assert away["Location"] == "/accounts/profile/"


def test_pages_need_csrf_tokens(db: None) -> None:
    account = make_account()
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post("/accounts/sign-in/", {"email": account.email, "password": PASSWORD})
    assert refused.status_code == 403


def test_profile_changes_the_name_and_password(db: None) -> None:
    account = make_account(first_name="Ruth", last_name="Abernathy")
    client = signed_in(account)
    renamed = client.post("/accounts/profile/", {"action": "name", "first_name": "Ruth",
                                                 "last_name": "Abernathy-Cole"}, follow=True)
    assert renamed.status_code == 200
    account.refresh_from_db()
    assert account.last_name == "Abernathy-Cole"
    bad = client.post("/accounts/profile/", {"action": "password", "current_password": "wrong",
                                             "new_password": "another long passphrase"})
    assert bad.status_code == 422 and "The current password is wrong." in bad.content.decode()
    weak = client.post("/accounts/profile/", {"action": "password",
                                              "current_password": PASSWORD, "new_password": "123"})
    assert weak.status_code == 422
    changed = client.post("/accounts/profile/", {"action": "password",
                                                 "current_password": PASSWORD,
                                                 "new_password": "another long passphrase"},
                          follow=True)
    assert "Your password is changed." in changed.content.decode()
    # This browser stays signed in; the old password no longer works.
    assert client.get("/accounts/profile/").status_code == 200
    again = Client().post("/accounts/sign-in/", {"email": account.email, "password": PASSWORD})
    assert again.status_code == 401


def test_profile_changes_the_email_which_must_be_confirmed_again(db: None, outbox: Outbox
                                                                 ) -> None:
    account = make_account()
    other = make_account()
    client = signed_in(account)
    taken = client.post("/accounts/profile/", {"action": "email", "email": other.email,
                                               "current_password": PASSWORD})
    assert taken.status_code == 422
    with TestCase.captureOnCommitCallbacks(execute=True):
        moved = client.post("/accounts/profile/", {"action": "email", "email": "New@Example.org",
                                                   "current_password": PASSWORD}, follow=True)
    assert "Check your new address" in moved.content.decode()
    account.refresh_from_db()
    assert account.email == "new@example.org" and not account.email_verified
    token = outbox.token("new@example.org", "/accounts/verify/")
    verified = Client().post("/accounts/verify/", {"token": token})
    assert verified.status_code == 200
    account.refresh_from_db()
    assert account.email_verified


def test_my_comments_lists_status_and_the_guideline_of_a_rejected_one(api: Api) -> None:
    site, _key = make_site()
    story = make_story(site, title="Harbour ferry returns")
    account = make_account()
    me = api.as_(token_for(account))
    kept = me.post("sites/daily/stories/1.100/comments",
                   {"body": "Glad the ferry is back.", "accept_terms": True}).json()
    refused = me.post("sites/daily/stories/1.100/comments",
                      {"body": "What a ridiculous plan.", "accept_terms": True}).json()
    staff = make_account()
    with transaction.atomic():
        comment = Comment.objects.get(pk=refused["id"])
        comment_transition(comment, "rejected", source="moderator", actor=staff,
                           guideline="respect", note="Please debate the plan, not the people.")
    assert Decision.objects.filter(comment_id=refused["id"], new_status="rejected").exists()
    page = signed_in(account).get("/accounts/comments/").content.decode()
    assert "Glad the ferry is back." in page and story.title in page
    assert "Published" in page and "Rejected" in page
    metas = re.findall(r'class="th-comment-meta">(.*?)</p>', page, re.S)
    assert metas and all("·" not in meta for meta in metas)  # the row's gaps separate its parts
    assert "Be respectful" in page
    assert "Please debate the plan, not the people." in page
    assert kept["status"] == "published"


def test_delete_account_asks_for_the_password_then_schedules_erasure(db: None) -> None:
    account = make_account()
    client = signed_in(account)
    refused = client.post("/accounts/delete/", {"password": "wrong"})
    assert refused.status_code == 422 and "The password is wrong." in refused.content.decode()
    done = client.post("/accounts/delete/", {"password": PASSWORD})
    assert done.status_code == 200 and "will be erased" in done.content.decode()
    account.refresh_from_db()
    assert account.deletion_requested_at is not None
    assert client.get("/accounts/profile/").status_code == 302  # signed out
    kept = signed_in(account).post("/accounts/profile/", {"action": "keep"}, follow=True)
    assert "the deletion is cancelled" in kept.content.decode()
    account.refresh_from_db()
    assert account.deletion_requested_at is None


def test_pages_follow_lang_then_account_then_browser_language(db: None) -> None:
    page = Client().get("/accounts/sign-in/?lang=fr").content.decode()
    assert '<html lang="fr">' in page
    browser = Client().get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert '<html lang="fr">' in browser.content.decode()
    account = make_account(language="fr")
    profile = signed_in(account).get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="fr">' in profile.content.decode()
    forced = signed_in(account).get("/accounts/profile/?lang=en")
    assert '<html lang="en">' in forced.content.decode()


def test_forgot_password_sends_a_reset_link_that_works(db: None, outbox: Outbox,
                                                       settings: Any) -> None:
    account = make_account()
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = Client().post("/accounts/forgot-password/", {"email": account.email})
    assert sent.status_code == 200 and "we sent it a link" in sent.content.decode()
    token = outbox.token(account.email, "/accounts/reset-password/")
    reset = Client().post("/accounts/reset-password/", {"token": token,
                                                        "password": "a brand new passphrase"})
    assert reset.status_code == 200
    after = Client().post("/accounts/sign-in/", {"email": account.email,
                                                 "password": "a brand new passphrase"})
    assert after.status_code == 302
