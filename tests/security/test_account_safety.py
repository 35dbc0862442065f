"""Account takeover defences: throttling, enumeration, tokens, two-factor sign-in."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from townhall.accounts import totp
from townhall.accounts.models import Account, EmailToken, SessionToken
from townhall.core import clock, tokens

from tests.conftest import PASSWORD, Api, Outbox, make_account, make_staff, token_for

pytestmark = pytest.mark.calendar

GOOD = {"password": PASSWORD, "first_name": "Ana", "last_name": "Lima"}


def _sign_in(api: Api, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return api.post("sessions", {"email": email, "password": password, **extra})


# Enumeration ---------------------------------------------------------------------------------

def test_sign_up_with_a_taken_address_answers_like_a_new_one_and_warns_its_owner(
    api: Api, outbox: Outbox
) -> None:
    owner = make_account(email_address="owner@example.org")
    fresh = api.post("accounts", {**GOOD, "email": "newcomer@example.org"})
    taken = api.post("accounts", {**GOOD, "email": "Owner@Example.org"})
    later = api.post("accounts", {**GOOD, "email": "later@example.org"})
    assert fresh.status_code == taken.status_code == later.status_code == 201
    assert set(fresh.json()) == set(taken.json()) == {"id", "display_name", "email_verified"}
    assert taken.json()["display_name"] == fresh.json()["display_name"] == "Ana Lima"
    assert taken.json()["email_verified"] is False
    # Ids keep climbing: the taken address used one up, so its answer looks like any other.
    assert fresh.json()["id"] < taken.json()["id"] < later.json()["id"]
    assert not Account.objects.filter(pk=taken.json()["id"]).exists()
    assert Account.objects.get(pk=owner.pk).first_name == owner.first_name
    notices = outbox.to("owner@example.org")
    assert len(notices) == 1
    assert "already have one" in outbox.body(notices[0])
    assert "/accounts/reset-password/" in outbox.body(notices[0])
    # The owner's password still works; the one typed at sign-up does not.
    assert _sign_in(api, "owner@example.org").status_code == 200


def test_sign_up_errors_are_the_same_whether_or_not_the_address_is_taken(api: Api) -> None:
    make_account(email_address="owner@example.org")
    for bad in ({"password": "short"}, {"first_name": " "}):
        taken = api.post("accounts", {**GOOD, "email": "owner@example.org", **bad})
        free = api.post("accounts", {**GOOD, "email": "free@example.org", **bad})
        assert taken.status_code == free.status_code == 422
        assert taken.json() == free.json()


def test_reset_and_sign_in_answer_alike_for_known_and_unknown_addresses(
    api: Api, outbox: Outbox
) -> None:
    known = make_account()
    for path, body in (("accounts/password-reset", {"email": known.email}),
                       ("sessions", {"email": known.email, "password": "wrong wrong wrong"})):
        ghost = {**body, "email": "ghost@example.org"}
        a, b = api.post(path, body), api.post(path, ghost)
        assert a.status_code == b.status_code
        assert a.content == b.content


def test_strict_mode_refuses_unverified_sign_in_with_the_wrong_password_answer(
    api: Api, settings: Any
) -> None:
    settings.TOWNHALL_SIGNIN_REQUIRES_VERIFIED_EMAIL = True
    unverified = make_account(verified=False)
    refused = _sign_in(api, unverified.email)
    wrong = _sign_in(api, make_account().email, "not the password")
    assert refused.status_code == wrong.status_code == 401
    assert refused.json() == wrong.json()


# Throttling ----------------------------------------------------------------------------------

def test_failed_sign_ins_lock_the_account_for_growing_periods(api: Api, monkeypatch: Any
                                                              ) -> None:
    account = make_account()
    answers = [_sign_in(api, account.email, "a wrong guess") for _ in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 401]
    locked = _sign_in(api, account.email)  # even the right password waits
    assert locked.status_code == 429
    assert locked.json()["errors"][0] == {
        "field": "email", "code": "rate_limited", "message": locked.json()["errors"][0]["message"]}
    first_wait = int(locked["Retry-After"])
    assert 0 < first_wait <= 30
    # After the lockout, one more failure locks for twice as long.
    later = time.time() + first_wait + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert _sign_in(api, account.email, "another wrong guess").status_code == 401
    second = _sign_in(api, account.email)
    assert second.status_code == 429
    assert 30 < int(second["Retry-After"]) <= 60
    # Once it is over (and past the 5-minute window of 10 attempts), the right password signs
    # in and the count of failures starts again.
    after = later + 301
    monkeypatch.setattr(time, "time", lambda: after)
    assert _sign_in(api, account.email).status_code == 200
    assert _sign_in(api, account.email, "one slip").status_code == 401
    assert _sign_in(api, account.email).status_code == 200


def test_unknown_addresses_lock_out_exactly_like_known_ones(api: Api) -> None:
    known = make_account()
    for email in (known.email, "ghost@example.org"):
        codes = [_sign_in(api, email, "wrong guess").status_code for _ in range(6)]
        assert codes == [401, 401, 401, 401, 401, 429]


def test_one_address_guessing_many_accounts_is_locked_out(api: Api) -> None:
    codes = [_sign_in(api, f"person{n}@example.org", "guess").status_code for n in range(22)]
    assert codes[:20] == [401] * 20
    assert codes[-1] == 429
    # Another address is not affected.
    other = Api()
    other.client.defaults["REMOTE_ADDR"] = "203.0.113.9"
    assert _sign_in(other, "person1@example.org", "guess").status_code == 401


def test_rate_limits_off_switch_turns_throttling_off(api: Api, settings: Any) -> None:
    settings.TOWNHALL_RATELIMIT = False
    account = make_account()
    codes = {_sign_in(api, account.email, "wrong").status_code for _ in range(12)}
    assert codes == {401}


# Session tokens ------------------------------------------------------------------------------

def test_session_tokens_are_random_stored_hashed_and_expire(api: Api, monkeypatch: Any) -> None:
    account = make_account()
    issued = {_sign_in(api, account.email).json()["token"] for _ in range(3)}
    assert len(issued) == 3 and all(t.startswith("ths_") and len(t) > 40 for t in issued)
    stored = set(SessionToken.objects.filter(account=account).values_list("digest", flat=True))
    assert stored == {tokens.digest(t) for t in issued}
    assert not stored & issued
    token = issued.pop()
    assert Api(token).get("me").status_code == 200
    expired = clock.now() + dt.timedelta(days=31)
    monkeypatch.setattr(clock, "now", lambda: expired)
    assert Api(token).get("me").status_code == 401


def test_signing_out_revokes_only_that_token_and_a_password_change_revokes_all(api: Api) -> None:
    account = make_account()
    phone, laptop = Api(token_for(account)), Api(token_for(account))
    assert phone.delete("sessions/current").status_code == 204
    assert phone.get("me").status_code == 401
    assert laptop.get("me").status_code == 200
    tablet = Api(token_for(account))
    assert tablet.put("me/password", {"current_password": PASSWORD,
                                      "new_password": "an entirely new passphrase"}
                      ).status_code == 204
    assert laptop.get("me").status_code == 401
    assert tablet.get("me").status_code == 401
    assert SessionToken.objects.filter(account=account).count() == 0


def test_sessions_keep_only_a_keyed_digest_of_the_address(api: Api) -> None:
    account = make_account()
    api.client.defaults["REMOTE_ADDR"] = "198.51.100.23"
    assert _sign_in(api, account.email).status_code == 200
    row = SessionToken.objects.get(account=account)
    assert row.address_digest and "198.51.100" not in row.address_digest
    assert len(row.address_digest) == 32


# Email tokens --------------------------------------------------------------------------------

def test_email_links_are_single_use_and_expire(api: Api, outbox: Outbox, monkeypatch: Any
                                               ) -> None:
    account = make_account()
    api.post("accounts/password-reset", {"email": account.email})
    first = outbox.token(account.email, "/accounts/reset-password/")
    assert EmailToken.objects.filter(digest=tokens.digest(first)).exists()
    assert not EmailToken.objects.filter(digest=first).exists()
    body = {"token": first, "password": "my new long passphrase"}
    assert api.post("accounts/password-reset/confirm", body).status_code == 200
    assert api.post("accounts/password-reset/confirm", body).status_code == 422
    # A second link, used after it expired (2 hours), fails.
    api.post("accounts/password-reset", {"email": account.email})
    second = outbox.token(account.email, "/accounts/reset-password/")
    assert second != first
    later = clock.now() + dt.timedelta(hours=2, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    expired = api.post("accounts/password-reset/confirm",
                       {"token": second, "password": "yet another passphrase"})
    assert expired.status_code == 422
    assert expired.json()["errors"][0]["field"] == "token"


# Two-factor sign-in --------------------------------------------------------------------------

@pytest.mark.parametrize(("at", "code"), [
    (59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
    (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130"),
])
def test_totp_matches_the_rfc_6238_test_vectors(at: int, code: str) -> None:
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert totp.totp(secret, at, digits=8) == code


def _code(account: Account, offset_steps: int = 0) -> str:
    account.refresh_from_db()
    return totp.totp(account.totp_secret, time.time() + offset_steps * totp.STEP_SECONDS)


def test_staff_enrols_in_two_factor_and_then_needs_a_code_to_sign_in(api: Api) -> None:
    staff = make_staff()
    me = Api(token_for(staff))
    assert me.post("me/totp", {"password": "not the password"}).status_code == 422
    enrol = me.post("me/totp", {"password": PASSWORD})
    assert enrol.status_code == 201
    assert enrol.json()["otpauth_uri"].startswith("otpauth://totp/Townhall:")
    assert enrol.json()["secret"] in enrol.json()["otpauth_uri"]
    wrong = me.post("me/totp/confirm", {"code": "000000"})
    if wrong.status_code != 422:  # one chance in a million that 000000 is right
        pytest.skip("the random secret made 000000 valid")
    assert wrong.json()["errors"][0]["field"] == "code"
    assert _sign_in(api, staff.email).status_code == 200  # not on until confirmed
    confirmed = me.post("me/totp/confirm", {"code": _code(staff)})
    assert confirmed.status_code == 200 and confirmed.json()["totp_enabled"] is True

    asked = _sign_in(api, staff.email)
    assert asked.status_code == 401
    assert asked.json()["errors"][0]["code"] == "totp_required"
    assert asked.json()["errors"][0]["field"] == "totp"
    bad = _sign_in(api, staff.email, totp="123456" if _code(staff) != "123456" else "654321")
    assert bad.status_code == 401 and bad.json()["errors"][0]["code"] == "invalid_totp"
    code = _code(staff, +1)  # the next step's code: never used yet, within the drift
    assert _sign_in(api, staff.email, totp=code).status_code == 200
    replay = _sign_in(api, staff.email, totp=code)
    assert replay.status_code == 401 and replay.json()["errors"][0]["code"] == "invalid_totp"
    # The wrong password still answers like any wrong password (nothing about two-factor).
    assert _sign_in(api, staff.email, "wrong password").json()["errors"][0]["code"] == (
        "invalid_credentials")


def test_an_installation_can_require_two_factor_for_all_staff(api: Api, settings: Any) -> None:
    from django.core.management import call_command

    settings.TOWNHALL_STAFF_TOTP_REQUIRED = True
    staff = make_staff()
    reader = make_account()
    assert _sign_in(api, reader.email).status_code == 200
    refused = _sign_in(api, staff.email)
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["code"] == "totp_setup_required"
    call_command("totp_enrol", staff.email, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _sign_in(api, staff.email, totp=_code(staff)).status_code == 200
    token = _sign_in(api, staff.email, totp=_code(staff, +1)).json()["token"]
    kept = Api(token).post("me/totp/disable", {"password": PASSWORD})
    assert kept.status_code == 403


def test_turning_two_factor_off_asks_for_the_password(api: Api) -> None:
    account = make_account()
    me = Api(token_for(account))
    assert me.post("me/totp", {"password": PASSWORD}).status_code == 201
    assert me.post("me/totp/confirm", {"code": _code(account)}).json()["totp_enabled"] is True
    assert me.post("me/totp/disable", {"password": "not it"}).json()["errors"][0][
        "field"] == "password"
    assert me.post("me/totp/disable", {"password": PASSWORD}).json()["totp_enabled"] is False
    assert _sign_in(api, account.email).status_code == 200
