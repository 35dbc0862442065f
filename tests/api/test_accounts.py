"""Accounts through the API: sign-up checks, sign-in, reset, profile, deletion, errors."""

from __future__ import annotations

from townhall.accounts.models import Account
from townhall.moderation.posting import comment_create

from tests.conftest import PASSWORD, Api, Outbox, make_account, make_site, make_story, token_for


def test_sign_up_refuses_bad_input_naming_the_field(api: Api) -> None:
    good = {"email": "ana@example.org", "password": PASSWORD, "first_name": "Ana",
            "last_name": "Lima"}
    cases = [({**good, "email": "not-an-email"}, "email"),
             ({**good, "password": "short"}, "password"),
             ({**good, "password": "anaexample"}, "password"),
             ({**good, "first_name": " "}, "first_name"),
             ({k: v for k, v in good.items() if k != "last_name"}, "last_name")]
    for body, field in cases:
        response = api.post("accounts", body)
        assert response.status_code == 422, body
        assert field in [e["field"] for e in response.json()["errors"]]
    assert Account.objects.count() == 0
    first = api.post("accounts", good)
    assert first.status_code == 201
    # An address that already has an account gets the same answer (docs/security.md): the
    # owner is emailed instead and nothing is created.
    duplicate = api.post("accounts", {**good, "email": "ANA@example.org"})
    assert duplicate.status_code == 201
    assert set(duplicate.json()) == set(first.json())
    assert duplicate.json()["id"] > first.json()["id"]
    assert Account.objects.count() == 1


def test_wrong_password_and_unknown_email_get_the_same_answer(api: Api) -> None:
    account = make_account()
    wrong = api.post("sessions", {"email": account.email, "password": "nope nope nope"})
    unknown = api.post("sessions", {"email": "ghost@example.org", "password": "nope nope nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_sign_in_is_throttled_with_429_and_retry_after(api: Api) -> None:
    account = make_account()
    statuses = [api.post("sessions", {"email": account.email, "password": "wrong guess!"})
                for _ in range(11)]
    assert statuses[-1].status_code == 429
    assert int(statuses[-1]["Retry-After"]) > 0
    assert statuses[-1].json()["errors"][0]["code"] == "rate_limited"


def test_password_reset_by_email_revokes_old_sessions(api: Api, outbox: Outbox) -> None:
    account = make_account()
    old = Api(token_for(account))
    assert api.post("accounts/password-reset", {"email": account.email}).status_code == 202
    assert api.post("accounts/password-reset", {"email": "ghost@example.org"}).status_code == 202
    token = outbox.token(account.email, "/accounts/reset-password/")
    done = api.post("accounts/password-reset/confirm",
                    {"token": token, "password": "a brand new passphrase"})
    assert done.status_code == 200
    assert old.get("me").status_code == 401
    assert api.post("sessions", {"email": account.email,
                                 "password": "a brand new passphrase"}).status_code == 200
    reused = api.post("accounts/password-reset/confirm",
                      {"token": token, "password": "another new passphrase"})
    assert reused.status_code == 422
    assert outbox.to("ghost@example.org") == []


def test_verification_link_page_verifies_the_account(api: Api, outbox: Outbox) -> None:
    api.post("accounts", {"email": "li@example.org", "password": PASSWORD,
                          "first_name": "Li", "last_name": "Na"})
    link = outbox.link("li@example.org", "/accounts/verify/")
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = api.client.get(f"/{path}")
    assert page.status_code == 200 and "Confirm my email address" in page.text
    confirmed = api.client.post("/accounts/verify/", {"token": link.split("token=")[1]})
    assert "is verified" in confirmed.text
    assert Account.objects.get(email="li@example.org").email_verified


def test_me_shows_changes_name_and_deletes_the_account(api: Api) -> None:
    site, _key = make_site()
    story = make_story(site)
    account = make_account(first_name="Sam", last_name="Okafor")
    me = Api(token_for(account))
    assert me.get("me").json()["display_name"] == "Sam Okafor"
    # Before any published comment, a name change applies at once (tests/accounts/).
    renamed = me.patch("me", {"first_name": "Samuel", "last_name": "Okafor"})
    assert renamed.json()["display_name"] == "Samuel Okafor"
    comment, _ = comment_create(account=account, story=story, body="Mine", accept_terms=True)
    assert me.delete("me").status_code == 202
    assert me.get("me").status_code == 401
    # The erasure runs once the grace period is over (tests/security/test_privacy.py).
    from townhall.accounts.services import account_erase

    account_erase(account=Account.objects.get(pk=account.pk))
    gone = Account.objects.get(pk=account.pk)
    assert gone.first_name == "" and not gone.is_active and "@" in gone.email
    assert api.get(f"sites/{site.name}/stories/{story.external_id}/comments").json()[
        "comments"] == []
    assert api.get(f"sites/{site.name}/stories/{story.external_id}").json()["comment_count"] == 0
    assert comment.pk


def test_change_password_needs_the_current_one_and_signs_everyone_out(api: Api) -> None:
    account = make_account()
    me = Api(token_for(account))
    wrong = me.put("me/password", {"current_password": "nope", "new_password": "x" * 12})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "current_password"
    assert me.put("me/password", {"current_password": PASSWORD,
                                  "new_password": "a fresh long passphrase"}).status_code == 204
    assert me.get("me").status_code == 401


def test_errors_share_one_json_shape(api: Api) -> None:
    for response in (api.get("me"), api.get("sites/none/policy"),
                     api.post("accounts", {"email": 3})):
        errors = response.json()["errors"]
        assert errors and set(errors[0]) == {"field", "code", "message"}
