"""Account safety findings of the outside probe (issue 14): each test failed before its fix.

Reset links, password guesses behind a stolen session, email during an SMTP outage, and what
deleting an account does to the pages' cookie sessions.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.test import Client

from townhall.accounts.models import Account
from townhall.core import clock
from townhall.notify import tasks
from townhall.notify.models import Job

from tests.conftest import PASSWORD, Api, Outbox, make_account, token_for

GOOD = {"email": "ana@example.org", "password": "a long and private passphrase",
        "first_name": "Ana", "last_name": "Lima"}
NEW_PASSWORD = "another long private passphrase"


def _reset_links(api: Api, outbox: Outbox, email: str, count: int) -> list[str]:
    for _ in range(count):
        assert api.post("accounts/password-reset", {"email": email}).status_code == 202
    return [outbox.body(m).split("token=", 1)[1].split()[0] for m in outbox.to(email)
            if "reset-password" in outbox.body(m)]


def test_every_outstanding_reset_link_dies_when_the_password_changes(
    api: Api, outbox: Outbox
) -> None:
    owner = make_account(email_address="owner@example.org")
    first, second = _reset_links(api, outbox, owner.email, 2)
    used = api.post("accounts/password-reset/confirm", {"token": first, "password": NEW_PASSWORD})
    assert used.status_code == 200
    again = api.post("accounts/password-reset/confirm",
                     {"token": second, "password": "an attacker's chosen passphrase"})
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "invalid_token"

    [third] = _reset_links(api, outbox, owner.email, 1)[-1:]
    owner.refresh_from_db()
    changed = Api(token_for(owner)).put("me/password", {"current_password": NEW_PASSWORD,
                                                        "new_password": PASSWORD})
    assert changed.status_code == 204
    late = api.post("accounts/password-reset/confirm",
                    {"token": third, "password": "an attacker's chosen passphrase"})
    assert late.status_code == 422
    assert Account.objects.get(pk=owner.pk).check_password(PASSWORD)


def test_password_guesses_behind_a_session_are_throttled_like_sign_in(
    api: Api, settings: Any
) -> None:
    owner = make_account(email_address="owner@example.org")
    me = Api(token_for(owner))
    answers = [me.put("me/password", {"current_password": f"guess number {n}",
                                      "new_password": NEW_PASSWORD}).status_code
               for n in range(8)]
    assert answers[:5] == [422] * 5 and answers[-1] == 429
    # The lockout is the account's: the sign-in form and the other checks share it.
    assert api.post("sessions", {"email": owner.email, "password": PASSWORD}).status_code == 429
    disable = me.post("me/totp/disable", {"password": "guess again"})
    assert disable.status_code == 429 and "Retry-After" in disable
    assert Account.objects.get(pk=owner.pk).check_password(PASSWORD)


def test_an_smtp_outage_answers_sign_up_and_reset_as_usual_and_mail_waits(
    api: Api, settings: Any, tmp_path: Path
) -> None:
    settings.MAILERS = {
        "default": {"BACKEND": "townhall.notify.mailqueue.QueuedBackend", "OPTIONS": {}},
        "outgoing": {"BACKEND": "tests.security.failing_mail.DownBackend", "OPTIONS": {}},
    }
    make_account(email_address="owner@example.org")
    fresh = api.post("accounts", GOOD)
    taken = api.post("accounts", {**GOOD, "email": "owner@example.org"})
    assert fresh.status_code == taken.status_code == 201
    for email in ("owner@example.org", "nobody@example.org"):
        assert api.post("accounts/password-reset", {"email": email}).status_code == 202
    waiting = Job.objects.filter(func_path="townhall.notify.mailqueue.deliver")
    assert waiting.count() == 3  # verification, "you already have an account", reset
    assert all(job.attempts == 1 and "disconnected" in job.last_error.lower()
               and job.state == Job.State.QUEUED for job in waiting)

    settings.MAILERS = {**settings.MAILERS, "outgoing": {
        "BACKEND": "townhall.core.mail.OutboxBackend",
        "OPTIONS": {"file_path": str(tmp_path / "later")}}}
    tasks.run_due(now=clock.now() + dt.timedelta(hours=1))
    assert len(list((tmp_path / "later").glob("*.eml"))) == 3


def test_deleting_the_account_signs_the_pages_out_too(db: None) -> None:
    owner = make_account(email_address="owner@example.org")
    elsewhere = Client()
    elsewhere.force_login(owner)
    assert elsewhere.get("/accounts/profile/").status_code == 200
    deleted = Api(token_for(owner)).delete("me")
    assert deleted.status_code == 202
    after = elsewhere.get("/accounts/profile/")
    assert after.status_code == 302 and "/accounts/sign-in/" in after["Location"]


def _address_seen(settings: Any, peer: str, forwarded: str | None) -> str:
    from django.test import RequestFactory

    from townhall.core.privacy import client_address

    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


def test_the_client_address_is_read_from_the_right_past_trusted_proxies(settings: Any) -> None:
    settings.TOWNHALL_TRUST_PROXY = True
    settings.TOWNHALL_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8", "2001:db8::/32"]
    # nginx on the host appended the client it saw; the client had forged a left-hand entry.
    assert _address_seen(settings, "127.0.0.1", "6.6.6.6, 203.0.113.7") == "203.0.113.7"
    # A CDN, then a load balancer inside the network, then nginx.
    assert _address_seen(settings, "127.0.0.1",
                         "6.6.6.6, 198.51.100.4, 10.2.3.4") == "198.51.100.4"
    assert _address_seen(settings, "10.9.9.9", "2001:db8::5, 2a00:1450::1, 2001:db8::9") == (
        "2a00:1450::1")
    # A peer that is no trusted proxy: its header is ignored.
    assert _address_seen(settings, "203.0.113.50", "1.2.3.4") == "203.0.113.50"
    # Only proxies in the header: the left-most is as close to the client as known.
    assert _address_seen(settings, "127.0.0.1", "10.0.0.1, 10.0.0.2") == "10.0.0.1"
    settings.TOWNHALL_TRUST_PROXY = False
    assert _address_seen(settings, "127.0.0.1", "203.0.113.7") == "127.0.0.1"


def test_a_forged_forwarded_header_does_not_dodge_the_sign_in_lockout(
    api: Api, settings: Any
) -> None:
    settings.TOWNHALL_TRUST_PROXY = True
    settings.TOWNHALL_TRUSTED_PROXIES = ["127.0.0.1"]
    make_account(email_address="owner@example.org")
    answers = []
    for n in range(25):
        client = Client(REMOTE_ADDR="127.0.0.1",
                        HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7")
        answers.append(client.post("/api/v1/sessions", {"email": f"n{n}@example.org",
                                                         "password": "wrong guess"},
                                   content_type="application/json").status_code)
    assert 429 in answers  # all counted against 203.0.113.7, whatever the forged left part


def _totp_on(owner: Account, outbox: Outbox) -> tuple[Api, list[str]]:
    from townhall.accounts import totp

    me = Api(token_for(owner))
    assert me.post("me/totp", {}).status_code == 422  # the password is asked first
    assert me.post("me/totp", {"password": "a guess"}).status_code == 422
    enrolled = me.post("me/totp", {"password": PASSWORD})
    assert enrolled.status_code == 201
    owner.refresh_from_db()
    confirmed = me.post("me/totp/confirm",
                        {"code": totp.totp(owner.totp_secret, time.time())})
    assert confirmed.status_code == 200 and confirmed.json()["totp_enabled"] is True
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    [told] = [m for m in outbox.to(owner.email) if "Two-factor" in str(m["Subject"])]
    assert "/accounts/totp-undo/?token=" in outbox.body(told)
    return me, codes


def test_a_recovery_code_signs_in_once_in_place_of_the_authenticator(
    api: Api, outbox: Outbox
) -> None:
    owner = make_account(email_address="owner@example.org")
    _me, codes = _totp_on(owner, outbox)
    signin = {"email": owner.email, "password": PASSWORD}
    assert api.post("sessions", signin).json()["errors"][0]["code"] == "totp_required"
    assert api.post("sessions", {**signin, "totp": codes[3]}).status_code == 200
    again = api.post("sessions", {**signin, "totp": codes[3]})
    assert again.status_code == 401 and again.json()["errors"][0]["code"] == "invalid_totp"
    assert api.post("sessions", {**signin, "totp": codes[4].upper()}).status_code == 200


def test_the_owner_undoes_an_attackers_two_factor_from_the_email(
    api: Api, outbox: Outbox
) -> None:
    """An attacker with the password and a session turns two-factor on: a password reset
    alone would leave the owner locked out behind the attacker's authenticator."""
    owner = make_account(email_address="owner@example.org")
    attacker, _codes = _totp_on(owner, outbox)
    link = outbox.link(owner.email, "/accounts/totp-undo/")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = Client().get(path)
    assert page.status_code == 200 and "It was not me" in page.content.decode()
    done = Client().post("/accounts/totp-undo/", {"token": path.split("token=", 1)[1]})
    assert done.status_code == 200 and 'role="status"' in done.content.decode()
    owner.refresh_from_db()
    assert not owner.totp_enabled and owner.totp_recovery_digests == []
    assert attacker.get("me").status_code == 401  # every session ended
    reused = Client().post("/accounts/totp-undo/", {"token": path.split("token=", 1)[1]})
    assert reused.status_code == 422
    assert api.post("sessions", {"email": owner.email, "password": PASSWORD}).status_code == 200


# Low-severity findings -------------------------------------------------------------------


def _desk(db: None = None) -> tuple[Client, Any, Any]:
    from tests.conftest import make_site, make_staff, make_story

    site, _key = make_site("daily")
    story = make_story(site, "1.1")
    moderator = make_staff(sites=[site])
    client = Client()
    client.force_login(moderator)
    return client, site, story


def test_bad_dashboard_input_answers_4xx_never_500(db: None) -> None:
    client, _site, _story = _desk()
    client.raise_request_exception = False
    answers = {
        "story id": client.post("/moderation/stories/", {"story": "abc", "action": "close"}),
        "huge story id": client.post("/moderation/stories/", {"story": "9" * 40,
                                                              "action": "close"}),
        "guideline rows": client.post("/moderation/sites/daily/settings/", {
            "part": "guidelines", "code": ["respect", "spam"], "title_en": ["Be kind"],
            "title_fr": [], "explanation_en": [], "explanation_fr": []}),
        "author filter": client.get("/moderation/queue/pending/?author=" + "9" * 40),
        "nan score": client.get("/moderation/queue/pending/?min_score=nan"),
        "export author": client.get("/moderation/decisions.csv?account=" + "9" * 40),
    }
    for label, answer in answers.items():
        assert 400 <= answer.status_code < 500, (label, answer.status_code)
    api_nan = Api(token_for(Account.objects.get(role="moderator"))).get(
        "moderation/queues/pending?min_score=nan")
    assert api_nan.status_code == 422 and api_nan.json()["errors"][0]["field"] == "min_score"


def test_the_decision_forms_go_back_only_to_dashboard_pages(db: None) -> None:
    from townhall.moderation.posting import comment_create

    client, _site, story = _desk()
    comment, _ = comment_create(account=make_account(), story=story, body="Fine words.",
                                accept_terms=True)
    for back in ("https://evil.example/moderation/", "//evil.example/moderation/",
                 "/\\evil.example/moderation/", "/accounts/profile/"):
        answer = client.post(f"/moderation/comments/{comment.pk}/decide/",
                             {"action": "approve", "back": back})
        assert answer.status_code == 302
        assert answer["Location"] == "/moderation/queue/pending/", back
    kept = client.post(f"/moderation/comments/{comment.pk}/decide/",
                       {"action": "approve", "back": "/moderation/queue/reported/"})
    assert kept["Location"] == "/moderation/queue/reported/"


def test_nul_characters_are_refused_in_text_ids_queries_and_forms(db: None) -> None:
    from tests.conftest import make_site, make_story

    site, _key = make_site("daily")
    make_story(site, "1.1")
    author = Api(token_for(make_account()))
    body = author.post("sites/daily/stories/1.1/comments",
                       {"body": "Hello\u0000there", "accept_terms": True})
    assert body.status_code == 422
    assert body.json()["errors"][0]["field"] == "body"
    assert body.json()["errors"][0]["code"] == "nul_character"
    in_path = Api().get("sites/da%00ily/stories/1.1/comments")
    assert in_path.status_code == 422 and in_path.json()["errors"][0]["field"] == "path"
    in_query = Api().get("sites/daily/stories/1.1/comments?sort=new%00est")
    assert in_query.status_code == 422 and in_query.json()["errors"][0]["field"] == "sort"
    form = Client().post("/accounts/sign-in/", {"email": "a\x00@example.org", "password": "x"})
    assert form.status_code == 400 and form["Content-Type"].startswith("text/html")


def test_an_idempotency_key_reused_for_another_comment_is_refused(db: None) -> None:
    from tests.conftest import make_site, make_story

    site, _key = make_site("daily")
    make_story(site, "1.1")
    make_story(site, "1.2")
    author = Api(token_for(make_account()))
    first = author.post("sites/daily/stories/1.1/comments",
                        {"body": "The first comment.", "accept_terms": True},
                        **{"Idempotency-Key": "key-0001"})
    retry = author.post("sites/daily/stories/1.1/comments",
                        {"body": "The first comment.", "accept_terms": True},
                        **{"Idempotency-Key": "key-0001"})
    assert first.status_code == 201 and retry.json()["id"] == first.json()["id"]
    for path, text in (("1.1", "A different comment."), ("1.2", "The first comment.")):
        other = author.post(f"sites/daily/stories/{path}/comments",
                            {"body": text, "accept_terms": True},
                            **{"Idempotency-Key": "key-0001"})
        assert other.status_code == 422, (path, text)
        assert other.json()["errors"][0]["code"] == "idempotency_mismatch"
    assert author.get("sites/daily/stories/1.1/comments").json()["comments"][0]["body"] == (
        "The first comment.")


def test_the_embed_secret_command_shows_and_rotates_the_secret(db: None) -> None:
    import io

    from django.core.management import call_command

    from tests.conftest import make_site

    site, _key = make_site("daily")
    out = io.StringIO()
    call_command("embed_secret", "daily", stdout=out)
    assert out.getvalue().strip() == site.embed_secret and len(site.embed_secret) == 64
    call_command("embed_secret", "daily", "--rotate", stdout=out)
    site.refresh_from_db()
    assert out.getvalue().split()[-1] == site.embed_secret


def test_strangers_guesses_do_not_lock_the_owner_out_of_a_device_they_signed_in_from(
    api: Api
) -> None:
    owner = make_account(email_address="owner@example.org")
    first = api.post("sessions", {"email": owner.email, "password": PASSWORD})
    device = first.json()["device"]
    for n in range(8):  # an attacker elsewhere guesses until the email is locked
        api.post("sessions", {"email": owner.email, "password": f"guess {n}"})
    locked = api.post("sessions", {"email": owner.email, "password": PASSWORD})
    assert locked.status_code == 429
    mine = api.post("sessions", {"email": owner.email, "password": PASSWORD, "device": device})
    assert mine.status_code == 200, mine.json()
    # The device is no master key: wrong guesses from it lock it out on its own.
    for n in range(8):
        api.post("sessions", {"email": owner.email, "password": f"mine {n}", "device": device})
    assert api.post("sessions", {"email": owner.email, "password": PASSWORD,
                                 "device": device}).status_code == 429
    other = make_account(email_address="other@example.org")
    assert api.post("sessions", {"email": other.email, "password": PASSWORD,
                                 "device": device}).status_code == 200  # not its device
    forged = api.post("sessions", {"email": owner.email, "password": PASSWORD,
                                   "device": device[:-4] + "AAAA"})
    assert forged.status_code == 429


def test_the_pages_remember_the_device_with_a_cookie(db: None) -> None:
    owner = make_account(email_address="owner@example.org")
    browser = Client()
    signed_in = browser.post("/accounts/sign-in/", {"email": owner.email, "password": PASSWORD})
    assert signed_in.status_code == 302 and "townhall_device" in signed_in.cookies
    browser.post("/accounts/sign-out/")
    stranger = Client()
    for n in range(8):
        stranger.post("/accounts/sign-in/", {"email": owner.email, "password": f"guess {n}"})
    assert stranger.post("/accounts/sign-in/", {"email": owner.email,
                                                "password": PASSWORD}).status_code == 429
    again = browser.post("/accounts/sign-in/", {"email": owner.email, "password": PASSWORD})
    assert again.status_code == 302



def test_an_appeal_is_open_for_the_configured_window_only(db: None, travel: Any,
                                                         settings: Any) -> None:
    from townhall.moderation.posting import comment_create
    from townhall.moderation.services import comment_moderate

    from tests.conftest import make_site, make_staff, make_story

    settings.TOWNHALL_APPEAL_DAYS = 182
    site, _key = make_site("daily")
    story = make_story(site, "1.1")
    author = make_account()
    comments = [comment_create(account=author, story=story, body=f"Opinion {n}.",
                               accept_terms=True)[0] for n in range(2)]
    moderator = make_staff(sites=[site])
    for comment in comments:
        comment_moderate(moderator=moderator, comment=comment, action="reject",
                         guideline="respect")
    me = Api(token_for(author))
    offered = {c["id"]: c["can_appeal"] for c in me.get("me/comments").json()["comments"]}
    assert offered == {comments[0].pk: True, comments[1].pk: True}
    in_time = me.post(f"comments/{comments[0].pk}/appeal", {})  # the explanation is optional
    assert in_time.status_code == 201, in_time.json()
    travel(clock.now() + dt.timedelta(days=183))
    me = Api(token_for(author))  # a session opened after the journey
    # "My comments" offers no appeal that the server would refuse.
    listed = {c["id"]: c for c in me.get("me/comments").json()["comments"]}
    assert [listed[c.pk]["can_appeal"] for c in comments] == [False, False]
    assert listed[comments[1].pk]["appeal_until"] is not None
    late = me.post(f"comments/{comments[1].pk}/appeal", {"message": "Please look again."})
    assert late.status_code == 409 and late.json()["errors"][0]["code"] == (
        "appeal_window_closed")


def test_a_new_enrolment_from_the_server_leaves_no_old_recovery_code_working(
    api: Api, outbox: Outbox
) -> None:
    import io

    from django.core.management import call_command

    owner = make_account(email_address="owner@example.org")
    _me, codes = _totp_on(owner, outbox)
    call_command("totp_enrol", owner.email, "--off", stdout=io.StringIO())
    call_command("totp_enrol", owner.email, stdout=io.StringIO())
    old = api.post("sessions", {"email": owner.email, "password": PASSWORD, "totp": codes[0]})
    assert old.status_code == 401 and old.json()["errors"][0]["code"] == "invalid_totp"
