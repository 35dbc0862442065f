"""Publisher sign-in (SSO): a publisher vouches for its reader with a signed JWT.

The publisher signs `{sub, email, given_name, family_name, email_verified?, iat, exp}` with its
shared secret (HS256) or private key (RS256, ES256). Townhall checks the signature with the
key configured for that site and only with the algorithm that key is for (an HS256 token is
never checked against a public key: no algorithm confusion), checks the times against its own
clock, applies the real-name policy to the claimed name, and links the publisher's subject to
one Townhall account. See docs/sso.md.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any, NoReturn

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from townhall.accounts import naming
from townhall.accounts.models import Account, NameEvent, Role, SsoConfig, SsoIdentity
from townhall.accounts.services import (
    account_create,
    email_send_after_commit,
    normalize_email,
    session_create,
)
from townhall.core import clock, ratelimit
from townhall.core.errors import (
    Conflict,
    ErrorItem,
    Invalid,
    NotFound,
    PermissionDenied,
    TownhallError,
)
from townhall.stories.models import Site

log = logging.getLogger(__name__)

HMAC_ALGORITHMS = ("HS256",)
KEY_ALGORITHMS = {"RS256": rsa.RSAPublicKey, "ES256": ec.EllipticCurvePublicKey}
MIN_SECRET_LENGTH = 32
MAX_TOKEN_LENGTH = 8192


class TokenRejected(TownhallError):
    """A publisher token that does not sign anyone in: 401 naming `token` and why."""

    def __init__(self, code: str, message: Any) -> None:
        super().__init__([ErrorItem(code, str(message), "token")], status=401)


@dataclass(frozen=True)
class SsoSignIn:
    account: Account
    session_token: str
    created: bool


# Configuration ----------------------------------------------------------------------------


def public_key_algorithm(pem: str) -> str:
    """Return the algorithm a PEM public key signs with (RS256 or ES256), or raise Invalid."""
    try:
        key = load_pem_public_key(pem.encode())
    except (ValueError, TypeError):
        raise Invalid("public_key", "invalid_key",
                      _("Give a PEM public key (-----BEGIN PUBLIC KEY-----).")) from None
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < 2048:
            raise Invalid("public_key", "weak_key", _("Use an RSA key of at least 2048 bits."))
        return "RS256"
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    raise Invalid("public_key", "unsupported_key",
                  _("Use an RSA key (RS256) or an EC P-256 key (ES256)."))


def generate_secret() -> str:
    """Return a fresh random shared secret suitable for HS256."""
    return secrets.token_urlsafe(48)


@transaction.atomic
def sso_configure(*, site: Site, hs256_secret: str | None = None,
                  public_key_pem: str | None = None, issuer: str | None = None,
                  audience: str | None = None, active: bool = True) -> SsoConfig:
    """Set how a site's tokens are checked; a secret or key given replaces the old one
    (an empty secret removes it).

    The allowed algorithms follow from the keys: HS256 for a secret, RS256 or ES256 for a
    public key. Nothing else is ever accepted, `none` least of all.
    """
    config = SsoConfig.objects.select_for_update().filter(site=site).first() or SsoConfig(
        site=site)
    if hs256_secret is not None:
        secret = hs256_secret.strip()
        if secret and len(secret) < MIN_SECRET_LENGTH:
            raise Invalid("hs256_secret", "too_short",
                          _("Use a secret of at least %(n)d characters.")
                          % {"n": MIN_SECRET_LENGTH})
        config.hs256_secret = secret
    if public_key_pem is not None:
        public_key_algorithm(public_key_pem)
        config.public_key_pem = public_key_pem.strip() + "\n"
    if issuer is not None:
        config.issuer = issuer.strip()
    if audience is not None:
        config.audience = audience.strip()
    algorithms = []
    if config.hs256_secret:
        algorithms.append("HS256")
    if config.public_key_pem:
        algorithms.append(public_key_algorithm(config.public_key_pem))
    if not algorithms:
        raise Invalid("hs256_secret", "required",
                      _("Give a shared secret or a public key to check the site's tokens."))
    config.algorithms = algorithms
    config.is_active = active
    config.updated_at = clock.now()
    config.save()
    return config


def sso_config_for(site: Site) -> SsoConfig:
    """Return the site's active SSO configuration or raise NotFound."""
    config = SsoConfig.objects.filter(site=site, is_active=True).first()
    if config is None:
        raise NotFound(_("This site does not sign readers in with its own accounts."),
                       code="sso_not_configured", field="site")
    return config


# Tokens -----------------------------------------------------------------------------------


def _key_for(config: SsoConfig, algorithm: str) -> Any:
    if algorithm in HMAC_ALGORITHMS:
        return config.hs256_secret
    key = load_pem_public_key(config.public_key_pem.encode())
    if not isinstance(key, KEY_ALGORITHMS[algorithm]):
        raise TokenRejected("token_algorithm_not_allowed",
                            _("This site does not sign tokens with %(alg)s.")
                            % {"alg": algorithm})
    return key


def _timestamp(claims: dict[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TokenRejected("token_malformed",
                            _("The token's %(claim)s claim must be a number of seconds.")
                            % {"claim": name})
    return float(value)


def _check_times(claims: dict[str, Any]) -> None:
    now = clock.now().timestamp()
    leeway = settings.TOWNHALL_SSO_LEEWAY_SECONDS
    for name in ("exp", "iat"):
        if name not in claims:
            raise TokenRejected("token_missing_claim",
                                _("The token has no %(claim)s claim.") % {"claim": name})
    exp, iat, nbf = (_timestamp(claims, "exp"), _timestamp(claims, "iat"),
                     _timestamp(claims, "nbf"))
    assert exp is not None and iat is not None
    if exp <= now - leeway:
        raise TokenRejected("token_expired", _("This sign-in has expired; sign in again."))
    if iat > now + leeway or (nbf is not None and nbf > now + leeway):
        raise TokenRejected("token_not_yet_valid",
                            _("This token is dated in the future; check the server's clock."))
    if exp - iat > settings.TOWNHALL_SSO_MAX_TOKEN_LIFETIME:
        raise TokenRejected("token_lifetime_too_long",
                            _("This token lives too long; let it expire within %(hours)d hours.")
                            % {"hours": settings.TOWNHALL_SSO_MAX_TOKEN_LIFETIME // 3600})


def token_claims(config: SsoConfig, token: str) -> dict[str, Any]:
    """Return a token's claims once its signature, algorithm, issuer, audience and times hold."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenRejected("token_malformed", _("This is not a sign-in token."))
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError:
        raise TokenRejected("token_malformed", _("This is not a sign-in token.")) from None
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm.lower() == "none":
        raise TokenRejected("token_unsigned", _("Unsigned tokens are never accepted."))
    if algorithm not in config.algorithms:
        raise TokenRejected("token_algorithm_not_allowed",
                            _("This site does not sign tokens with %(alg)s.")
                            % {"alg": algorithm[:20]})
    options: dict[str, Any] = {
        "verify_exp": False, "verify_iat": False, "verify_nbf": False,
        "verify_aud": bool(config.audience), "verify_iss": bool(config.issuer),
        "require": ["sub"],
    }
    try:
        claims = jwt.decode(
            token, _key_for(config, algorithm), algorithms=[algorithm], options=options,  # type: ignore[arg-type]
            audience=config.audience or None, issuer=config.issuer or None,
        )
    except jwt.InvalidSignatureError:
        raise TokenRejected("token_bad_signature",
                            _("This token was not signed by the site's key.")) from None
    except jwt.MissingRequiredClaimError as error:
        raise TokenRejected("token_missing_claim", _("The token has no %(claim)s claim.")
                            % {"claim": error.claim}) from None
    except jwt.InvalidIssuerError:
        raise TokenRejected("token_wrong_issuer",
                            _("This token was issued by someone else.")) from None
    except jwt.InvalidAudienceError:
        raise TokenRejected("token_wrong_audience",
                            _("This token is meant for another service.")) from None
    except (jwt.InvalidKeyError, jwt.InvalidAlgorithmError):
        raise TokenRejected("token_algorithm_not_allowed",
                            _("This site does not sign tokens with %(alg)s.")
                            % {"alg": algorithm[:20]}) from None
    except jwt.InvalidTokenError:
        raise TokenRejected("token_malformed", _("This is not a sign-in token.")) from None
    _check_times(claims)
    return claims


def _claim_text(claims: dict[str, Any], name: str, limit: int) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value.strip():
        raise Invalid(name, "required", _("The publisher's token must give %(claim)s.")
                      % {"claim": name})
    if len(value) > limit:
        raise Invalid(name, "too_long", _("%(claim)s is too long.") % {"claim": name})
    return value.strip()


# Sign-in ----------------------------------------------------------------------------------


def sso_sign_in(*, site: Site, token: str, address: str) -> SsoSignIn:
    """Exchange a publisher's token for a Townhall session, creating the account if need be.

    A publisher's key reaches only the accounts its own sign-in created and those whose owner
    linked them to it (`sso_link_confirm`). A token naming the email of any other account
    signs no one in: the owner is emailed a link to connect the two, and the answer is 409.
    A claim never moves an account's email, never renames an account the publisher did not
    create, and never signs in an account that uses a second factor or a staff role.
    """
    ratelimit.hit("sso-address", address, limit=60, window=60, field="token")
    config = sso_config_for(site)
    claims = token_claims(config, token)
    subject = _claim_text(claims, "sub", 255)
    email = _normalized_email(_claim_text(claims, "email", 254))
    given, family = _claim_text(claims, "given_name", 200), _claim_text(claims, "family_name", 200)
    verified = claims.get("email_verified") is True
    publisher = naming.publisher_names_for_site(site)
    check = naming.checked_name(given, family, publisher_names=publisher,
                                fields=("given_name", "family_name"))
    _remember_token_id(site, claims)
    with transaction.atomic():
        outcome = _sign_in(site=site, subject=subject, email=email, check=check,
                           verified=verified, given=given, family=family)
    if isinstance(outcome, Account):  # someone else's account: only its owner may link it
        _ask_the_owner(site, subject, outcome)
    return outcome


def _sign_in(*, site: Site, subject: str, email: str, check: Any, verified: bool,
             given: str, family: str) -> SsoSignIn | Account:
    """Sign the publisher's reader in; return instead the account that holds the claimed
    email when the publisher may not reach it."""
    identity = (SsoIdentity.objects.select_for_update().select_related("account")
                .filter(site=site, subject=subject).first())
    created = False
    if identity is None:
        existing = Account.objects.filter(email=email).first()
        if existing is not None:
            return existing
        account = account_create(
            email=email, password=None, first_name=given, last_name=family,
            verified=verified, publisher_names=naming.publisher_names_for_site(site),
            name_event=NameEvent.SSO,
        )
        try:
            with transaction.atomic():
                SsoIdentity.objects.create(site=site, subject=subject, account=account,
                                           origin=SsoIdentity.Origin.CREATED)
        except IntegrityError:  # the same reader signing in twice at once: one wins
            raise Conflict("sso_busy", _("This reader is being signed in already; try again."),
                           "token") from None
        created = True
    else:
        account = identity.account
        _check_reachable(account)
        identity.last_sign_in_at = clock.now()
        identity.save(update_fields=["last_sign_in_at"])
        if email != account.email:
            log.info("SSO claim for account %s names another email; the account keeps its own",
                     account.pk)
        if identity.origin == SsoIdentity.Origin.CREATED:
            naming.name_set_by_publisher(account=account, check=check, site_name=site.title)
            if verified and account.email == email and account.email_verified_at is None:
                account.email_verified_at = clock.now()
                account.save(update_fields=["email_verified_at"])
    return SsoSignIn(account=account, session_token=session_create(account=account),
                     created=created)


def _check_reachable(account: Account) -> None:
    """Refuse the accounts a publisher's word must never open."""
    if not account.is_active:
        raise PermissionDenied(_("This account is closed."), code="account_inactive")
    if account.role != Role.READER:
        raise PermissionDenied(_("Staff accounts sign in with their password."),
                               code="sso_staff_account")
    if account.totp_enabled:
        raise PermissionDenied(
            _("This account uses a one-time code: sign in with its password and code."),
            code="totp_required")


def _remember_token_id(site: Site, claims: dict[str, Any]) -> None:
    """Accept each token once: its `jti` is remembered until the token expires."""
    token_id = claims.get("jti")
    if not isinstance(token_id, str) or not 8 <= len(token_id) <= 255:
        raise TokenRejected("token_missing_claim", _("The token has no %(claim)s claim.")
                            % {"claim": "jti"})
    leeway = int(getattr(settings, "TOWNHALL_SSO_LEEWAY_SECONDS", 60))
    expires = _timestamp(claims, "exp") or clock.now().timestamp()
    lifetime = max(1, int(expires - clock.now().timestamp()) + leeway)
    digest = hashlib.sha256(f"{site.pk}:{token_id}".encode()).hexdigest()
    if not cache.add(f"sso-jti:{digest}", 1, timeout=lifetime):
        raise TokenRejected("token_replayed", _("This token was already used."))


LINK_SALT = "townhall.sso-link"
LINK_MAX_AGE = 24 * 3600


def _ask_the_owner(site: Site, subject: str, account: Account) -> NoReturn:
    """Email the owner of `account` a link that connects it to the publisher's reader; stop."""
    if SsoIdentity.objects.filter(site=site, account=account).exists():
        raise Conflict("sso_account_linked",
                       _("This account is already linked to another reader of this site."),
                       "email")
    if account.is_active and account.role == Role.READER:
        try:
            ratelimit.hit("sso-link-email", str(account.pk), limit=3, window=3600,
                          field="email")
        except TownhallError:
            pass  # the owner was asked enough this hour; the answer stays the same
        else:
            _send_link_email(site, subject, account)
    raise Conflict(
        "sso_link_required",
        _("An account with this email address already exists. Its owner has been emailed a "
          "link to connect it to this site, or can sign in with its password and connect it."),
        "email",
    )


def _send_link_email(site: Site, subject: str, account: Account) -> None:
    token = signing.dumps({"site": site.pk, "sub": subject, "account": account.pk},
                          salt=LINK_SALT, compress=True)
    link = f"{settings.PUBLIC_URL}/accounts/sso-link/?token={token}"
    email_send_after_commit(account=account, template="sso_link",
                            context={"site_title": site.title, "link": link, "hours": 24})


def sso_link_preview(*, token: str) -> tuple[Site, Account]:
    """Return the publisher and the account an emailed link would connect, or raise."""
    try:
        data = signing.loads(token or "", salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        raise Invalid("token", "invalid_token", _("This link is invalid or has expired.")) \
            from None
    site = Site.objects.filter(pk=data.get("site")).first()
    account = Account.objects.filter(pk=data.get("account"), is_active=True).first()
    if site is None or account is None:
        raise Invalid("token", "invalid_token", _("This link is invalid or has expired."))
    return site, account


@transaction.atomic
def sso_link_confirm(*, token: str) -> tuple[Site, Account]:
    """Connect an account to a publisher's reader from the link emailed to its owner."""
    site, account = sso_link_preview(token=token)
    data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    _link(site=site, subject=str(data["sub"]), account=account)
    return site, account


@transaction.atomic
def sso_link_signed_in(*, site: Site, token: str, account: Account) -> SsoSignIn:
    """Connect the signed-in `account` to the reader a publisher's token names."""
    _check_reachable(account)
    claims = token_claims(sso_config_for(site), token)
    _remember_token_id(site, claims)
    _link(site=site, subject=_claim_text(claims, "sub", 255), account=account)
    return SsoSignIn(account=account, session_token=session_create(account=account),
                     created=False)


def _link(*, site: Site, subject: str, account: Account) -> None:
    _check_reachable(account)
    current = SsoIdentity.objects.filter(site=site, subject=subject).first()
    if current is not None and current.account_id == account.pk:
        return  # the link was already made: opening it again changes nothing
    if current is not None or SsoIdentity.objects.filter(site=site, account=account).exists():
        raise Conflict("sso_account_linked",
                       _("This account is already linked to another reader of this site."),
                       "token")
    SsoIdentity.objects.create(site=site, subject=subject, account=account,
                               origin=SsoIdentity.Origin.LINKED)
    log.info("account %s linked to a %s reader by its owner", account.pk, site.name)


def _normalized_email(value: str) -> str:
    """Return the claimed email normalised, or raise Invalid naming `email`."""
    return normalize_email(value)
