"""Publisher sign-in: a token signed by the publisher becomes a Townhall session, or a clear no."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townhall.accounts.models import Account, SsoConfig, SsoIdentity
from townhall.accounts.sso import TokenRejected, sso_configure, token_claims
from townhall.core import clock
from townhall.stories.models import Site

from tests.conftest import (
    PASSWORD,
    Api,
    Outbox,
    make_account,
    make_site,
    make_staff,
    make_story,
    token_for,
)

pytestmark = pytest.mark.calendar

SECRET = "publisher-shared-secret-of-forty-characters!"
ENDPOINT = "sso/daily"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(key: Any) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site)
    sso_configure(site=site, hs256_secret=SECRET)
    return site


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(clock.now().timestamp())
    base = {"sub": "reader-42", "email": "ana.lima@reader.example", "given_name": "Ana",
            "family_name": "Lima", "email_verified": True, "iat": now, "exp": now + 600,
            "jti": uuid.uuid4().hex}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def hs256(secret: str = SECRET, **overrides: Any) -> str:
    return jwt.encode(claims(**overrides), secret, algorithm="HS256")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def forged(header: dict[str, Any], body: dict[str, Any], key: bytes | None) -> str:
    """Build a token by hand (libraries refuse to make these on purpose)."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(body).encode())}"
    signature = b"" if key is None else hmac.new(key, signing_input.encode(),
                                                 hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def exchange(token: str) -> Any:
    return Api().post(ENDPOINT, {"token": token})


def refused(token: str, code: str) -> None:
    response = exchange(token)
    assert response.status_code == 401, (code, response.json())
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("token", code)


def test_a_publisher_token_signs_a_new_reader_in_and_again_later(site: Site) -> None:
    first = exchange(hs256())
    assert first.status_code == 200, first.json()
    body = first.json()
    assert body["created"] is True
    assert body["account"]["display_name"] == "Ana Lima"
    assert body["account"]["email_verified"] is True
    me = Api(body["token"])
    assert me.get("me").json()["email"] == "ana.lima@reader.example"
    posted = me.post("sites/daily/stories/1.100/comments",
                     {"body": "Signed in by my newspaper.", "accept_terms": True})
    assert posted.status_code == 201
    again = exchange(hs256(given_name="Ana Maria"))
    assert again.json()["created"] is False
    assert again.json()["account"]["id"] == body["account"]["id"]
    assert again.json()["account"]["display_name"] == "Ana Maria Lima"
    assert SsoIdentity.objects.get(site=site, subject="reader-42").account_id == body[
        "account"]["id"]
    assert Account.objects.count() == 1


def test_rs256_and_es256_tokens_are_checked_with_the_sites_public_key(
    site: Site, rsa_key: Any, ec_key: Any
) -> None:
    sso_configure(site=site, public_key_pem=public_pem(rsa_key))
    rs = exchange(jwt.encode(claims(sub="rs-reader", email="rs@reader.example"), rsa_key,
                             algorithm="RS256"))
    assert rs.status_code == 200, rs.json()
    other_rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    refused(jwt.encode(claims(sub="x"), other_rsa, algorithm="RS256"), "token_bad_signature")
    sso_configure(site=site, public_key_pem=public_pem(ec_key))
    es = exchange(jwt.encode(claims(sub="es-reader", email="es@reader.example"), ec_key,
                             algorithm="ES256"))
    assert es.status_code == 200, es.json()
    refused(jwt.encode(claims(sub="rs-reader"), rsa_key, algorithm="RS256"),
            "token_algorithm_not_allowed")


@pytest.mark.parametrize(("make", "code"), [
    (lambda: hs256(exp=int(clock.now().timestamp()) - 3600,
                   iat=int(clock.now().timestamp()) - 4000), "token_expired"),
    (lambda: hs256(iat=int(clock.now().timestamp()) + 3600,
                   exp=int(clock.now().timestamp()) + 4000), "token_not_yet_valid"),
    (lambda: hs256(nbf=int(clock.now().timestamp()) + 3600), "token_not_yet_valid"),
    (lambda: hs256(exp=int(clock.now().timestamp()) + 7 * 86400), "token_lifetime_too_long"),
    (lambda: hs256(exp=None), "token_missing_claim"),
    (lambda: hs256(iat=None), "token_missing_claim"),
    (lambda: hs256(sub=None), "token_missing_claim"),
    (lambda: hs256(secret="somebody-elses-secret-that-is-long-enough"), "token_bad_signature"),
    (lambda: forged({"alg": "none", "typ": "JWT"}, claims(), None), "token_unsigned"),
    (lambda: forged({"alg": "HS512", "typ": "JWT"}, claims(), SECRET.encode()),
     "token_algorithm_not_allowed"),
    (lambda: "not.a.token", "token_malformed"),
    (lambda: "", "token_malformed"),
])
def test_bad_tokens_are_refused_with_a_clear_code(site: Site, make: Any, code: str) -> None:
    refused(make(), code)
    assert Account.objects.count() == 0


def test_a_tampered_token_is_refused(site: Site) -> None:
    header, _payload, signature = hs256().split(".")
    body = _b64(json.dumps(claims(sub="someone-else", email="boss@reader.example")).encode())
    refused(f"{header}.{body}.{signature}", "token_bad_signature")


def test_hs256_signed_with_the_public_key_is_refused(site: Site, rsa_key: Any) -> None:
    """Algorithm confusion: the RSA public key is public, so it must never be an HMAC secret."""
    pem = public_pem(rsa_key)
    sso_configure(site=site, hs256_secret="", public_key_pem=pem)
    refused(forged({"alg": "HS256", "typ": "JWT"}, claims(), pem.encode()),
            "token_algorithm_not_allowed")
    refused(hs256(), "token_algorithm_not_allowed")
    assert Account.objects.count() == 0


def test_a_token_replayed_after_it_expired_is_refused(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = hs256()
    assert exchange(token).status_code == 200
    moment = clock.now() + dt.timedelta(seconds=600 + 61)
    monkeypatch.setattr(clock, "now", lambda: moment)
    refused(token, "token_expired")


def test_the_claimed_name_goes_through_the_real_name_policy(site: Site) -> None:
    for given_name, family, field, code in [
        ("Mickey", "Mouse", "given_name", "placeholder"),
        ("TrollMaster99", "Lima", "given_name", "handle"),
        ("Ana", "The Daily Example", "family_name", "publisher_name"),
    ]:
        response = exchange(hs256(given_name=given_name, family_name=family))
        assert response.status_code == 422, (given_name, family)
        error = response.json()["errors"][0]
        assert (error["field"], error["code"]) == (field, code)
    missing = exchange(hs256(family_name=None))
    assert missing.json()["errors"][0]["field"] == "family_name"
    assert Account.objects.count() == 0


def test_an_unverified_email_gets_a_verification_link_and_cannot_post_yet(
    site: Site, outbox: Outbox
) -> None:
    signed_in = exchange(hs256(email_verified=False)).json()
    assert signed_in["account"]["email_verified"] is False
    assert outbox.to("ana.lima@reader.example")
    posted = Api(signed_in["token"]).post("sites/daily/stories/1.100/comments",
                                          {"body": "Hello", "accept_terms": True})
    assert posted.status_code == 403
    again = exchange(hs256(email_verified=True)).json()
    assert again["account"]["email_verified"] is True


def test_another_publishers_token_never_reaches_a_readers_own_account(
    site: Site, outbox: Outbox
) -> None:
    """The critical takeover: publisher B names the email of a reader who signed up on A."""
    owner = make_account(first_name="Ana", last_name="Lima",
                         email_address="ana.lima@reader.example")
    for verified in (True, False):
        answer = exchange(hs256(sub=f"b-{verified}", email_verified=verified))
        assert answer.status_code == 409, answer.json()
        assert answer.json()["errors"][0] == {
            "field": "email", "code": "sso_link_required",
            "message": answer.json()["errors"][0]["message"]}
        assert "token" not in answer.json()
    assert not SsoIdentity.objects.exists()
    owner.refresh_from_db()
    assert owner.email == "ana.lima@reader.example" and owner.check_password(PASSWORD)
    assert Api().post("sessions", {"email": owner.email, "password": PASSWORD}).status_code == 200
    [asked, _again] = outbox.to("ana.lima@reader.example")
    assert "/accounts/sso-link/?token=" in outbox.body(asked)
    assert "Nothing was changed and nobody was signed in." in outbox.body(asked)


def test_the_owner_links_by_the_emailed_link_and_the_publisher_cannot_rename_them(
    site: Site, outbox: Outbox
) -> None:
    owner = make_account(first_name="Ana", last_name="Lima",
                         email_address="ana.lima@reader.example")
    assert exchange(hs256()).status_code == 409
    link = outbox.link("ana.lima@reader.example", "/accounts/sso-link/")
    page = Client().get(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert page.status_code == 200 and "Connect my account" in page.content.decode()
    assert not SsoIdentity.objects.exists()  # opening the link alone links nothing
    token = link.split("token=", 1)[1]
    done = Client().post("/accounts/sso-link/", {"token": token})
    assert done.status_code == 200 and 'role="status"' in done.content.decode()
    assert SsoIdentity.objects.get().origin == SsoIdentity.Origin.LINKED

    signed_in = exchange(hs256(given_name="Someone", family_name="Else",
                               email="other@reader.example"))
    assert signed_in.status_code == 200, signed_in.json()
    assert signed_in.json()["account"]["id"] == owner.pk
    owner.refresh_from_db()
    assert owner.display_name == "Ana Lima" and owner.email == "ana.lima@reader.example"
    assert Client().post("/accounts/sso-link/", {"token": "forged"}).status_code == 422


def test_a_signed_in_reader_links_their_account_with_the_publishers_token(site: Site) -> None:
    owner = make_account(first_name="Ana", last_name="Lima", email_address="ana@own.example")
    linked = Api(token_for(owner)).post(f"{ENDPOINT}/link", {"token": hs256(sub="pub-7")})
    assert linked.status_code == 200, linked.json()
    assert exchange(hs256(sub="pub-7", email="whatever@reader.example")).json()[
        "account"]["id"] == owner.pk
    assert Api().post(f"{ENDPOINT}/link", {"token": hs256(sub="pub-8")}).status_code == 401
    other = make_account(email_address="other@own.example")
    taken = Api(token_for(other)).post(f"{ENDPOINT}/link", {"token": hs256(sub="pub-7")})
    assert taken.status_code == 409 and taken.json()["errors"][0]["code"] == (
        "sso_account_linked")


def test_a_claim_never_moves_the_email_of_an_account_the_publisher_created(site: Site) -> None:
    created = exchange(hs256()).json()["account"]
    moved = exchange(hs256(email="attacker@evil.example"))
    assert moved.status_code == 200
    account = Account.objects.get(pk=created["id"])
    assert account.email == "ana.lima@reader.example"


def test_an_account_with_a_second_factor_is_never_signed_in_by_a_publisher(site: Site) -> None:
    owner = make_account(first_name="Ana", last_name="Lima", email_address="ana@own.example")
    Api(token_for(owner)).post(f"{ENDPOINT}/link", {"token": hs256(sub="pub-9")})
    Account.objects.filter(pk=owner.pk).update(totp_enabled=True, totp_secret="JBSWY3DPEHPK3PXP")
    answer = exchange(hs256(sub="pub-9"))
    assert answer.status_code == 403 and answer.json()["errors"][0]["code"] == "totp_required"


def test_a_token_is_accepted_once_and_must_carry_a_jti(site: Site) -> None:
    token = hs256()
    assert exchange(token).status_code == 200
    refused(token, "token_replayed")
    refused(hs256(jti=None), "token_missing_claim")


def test_staff_accounts_are_never_taken_over_by_a_publisher_token(site: Site) -> None:
    staff = make_staff(sites=[site])
    response = exchange(hs256(email=staff.email))
    assert response.status_code == 409
    assert not SsoIdentity.objects.exists()
    linked = Api(token_for(staff)).post(f"{ENDPOINT}/link", {"token": hs256(sub="staff-1")})
    assert linked.status_code == 403 and linked.json()["errors"][0]["code"] == (
        "sso_staff_account")


def test_issuer_and_audience_are_enforced_when_configured(site: Site) -> None:
    sso_configure(site=site, issuer="https://news.example", audience="townhall")
    refused(hs256(), "token_missing_claim")
    refused(hs256(iss="https://evil.example", aud="townhall"), "token_wrong_issuer")
    refused(hs256(iss="https://news.example", aud="other"), "token_wrong_audience")
    assert exchange(hs256(iss="https://news.example", aud="townhall")).status_code == 200


def test_unknown_or_unconfigured_sites_answer_404(site: Site) -> None:
    assert Api().post("sso/nowhere", {"token": hs256()}).status_code == 404
    make_site("plain")
    plain = Api().post("sso/plain", {"token": hs256()})
    assert plain.status_code == 404
    assert plain.json()["errors"][0]["code"] == "sso_not_configured"


def run_cli(*args: str) -> str:
    out = io.StringIO()
    call_command("sso_config", *args, stdout=out)
    return out.getvalue()


def test_the_cli_configures_a_secret_or_a_public_key(
    site: Site, rsa_key: Any, tmp_path: Path
) -> None:
    out = run_cli("daily", "--generate-hs256-secret", "--issuer", "https://news.example")
    secret = out.strip().splitlines()[-2]
    assert "HS256" in out and len(secret) >= 32
    token = jwt.encode(claims(iss="https://news.example"), secret, algorithm="HS256")
    assert exchange(token).status_code == 200
    key_file = tmp_path / "publisher.pem"
    key_file.write_text(public_pem(rsa_key))
    assert "HS256, RS256" in run_cli("daily", "--public-key", str(key_file))
    rs = jwt.encode(claims(sub="rs", email="rs@reader.example", iss="https://news.example"),
                    rsa_key, algorithm="RS256")
    assert exchange(rs).status_code == 200
    shown = run_cli("daily")
    assert "issuer: https://news.example" in shown and secret not in shown
    with pytest.raises(CommandError, match="at least 32"):
        run_cli("daily", "--hs256-secret", "short")
    with pytest.raises(CommandError, match="Unknown site"):
        run_cli("nowhere", "--generate-hs256-secret")


def test_the_command_is_spelled_with_a_hyphen() -> None:
    done = subprocess.run([sys.executable, "-m", "townhall.cli", "sso-config", "--help"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "--hs256-secret" in done.stdout


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.text(max_size=300),
    st.builds(lambda a, b, c: f"{a}.{b}.{c}", st.text(max_size=60), st.text(max_size=200),
              st.text(max_size=60)),
    st.binary(max_size=200).map(lambda raw: ".".join(_b64(raw) for _ in range(3))),
))
def test_no_garbage_token_gets_past_the_checks(site: Site, garbage: str) -> None:
    config = SsoConfig.objects.get(site=site)
    with pytest.raises(TokenRejected) as refused_error:
        token_claims(config, garbage)
    assert refused_error.value.status == 401
    assert refused_error.value.items[0].field == "token"
