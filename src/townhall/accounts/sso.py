"""Publisher sign-in (SSO): a publisher vouches for its reader with a signed JWT.

The publisher signs `{sub, email, given_name, family_name, email_verified?, iat, exp}` with its
shared secret (HS256) or private key (RS256, ES256). Townhall checks the signature with the
key configured for that site and only with the algorithm that key is for (an HS256 token is
never checked against a public key: no algorithm confusion), checks the times against its own
clock, applies the real-name policy to the claimed name, and links the publisher's subject to
one Townhall account. See docs/sso.md.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from townhall.accounts import naming
from townhall.accounts.models import Account, NameEvent, Role, SsoConfig, SsoIdentity
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


@transaction.atomic
def sso_sign_in(*, site: Site, token: str, address: str) -> SsoSignIn:
    """Exchange a publisher's token for a Townhall session, creating or linking the account.

    One account per (site, subject). A new subject whose email already has an account is
    linked to it only when the publisher says the email is verified and the account is a
    reader's; anything else would let a site take over accounts it does not own.
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
    identity = (SsoIdentity.objects.select_for_update().select_related("account")
                .filter(site=site, subject=subject).first())
    created = False
    if identity is not None:
        account = identity.account
        if not account.is_active:
            raise PermissionDenied(_("This account is closed."), code="account_inactive")
        identity.last_sign_in_at = clock.now()
        identity.save(update_fields=["last_sign_in_at"])
        _follow_email(account, email, verified)
    else:
        account, created = _account_for_new_subject(site, email, check, verified, given,
                                                    family)
        try:
            with transaction.atomic():
                SsoIdentity.objects.create(site=site, subject=subject, account=account)
        except IntegrityError:
            raise Conflict("sso_account_linked",
                           _("This account is already linked to another reader of this site."),
                           "email") from None
    if not created:
        naming.name_set_by_publisher(account=account, check=check, site_name=site.title)
        if verified and account.email == email and account.email_verified_at is None:
            account.email_verified_at = clock.now()
            account.save(update_fields=["email_verified_at"])
    from townhall.accounts.services import session_create

    return SsoSignIn(account=account, session_token=session_create(account=account),
                     created=created)


def _normalized_email(value: str) -> str:
    """Return the claimed email normalised, or raise Invalid naming `email`."""
    from townhall.accounts.services import normalize_email

    return normalize_email(value)


def _account_for_new_subject(site: Site, email: str, check: Any, verified: bool,
                             given: str, family: str) -> tuple[Account, bool]:
    from townhall.accounts.services import account_create

    existing = Account.objects.select_for_update().filter(email=email).first()
    if existing is None:
        account = account_create(
            email=email, password=None, first_name=given, last_name=family,
            verified=verified, publisher_names=naming.publisher_names_for_site(site),
            name_event=NameEvent.SSO,
        )
        return account, True
    if not (verified and existing.is_active and existing.role == Role.READER):
        raise Conflict(
            "sso_email_taken",
            _("An account with this email already exists. Sign in with its password, or ask "
              "the publisher to confirm the email address."),
            "email",
        )
    log.info("linking %s subject to existing account %s", site.name, existing.pk)
    return existing, False


def _follow_email(account: Account, email: str, verified: bool) -> None:
    """Take the publisher's new email for its reader when no other account holds it."""
    if email == account.email:
        return
    if Account.objects.filter(email=email).exclude(pk=account.pk).exists():
        log.warning("SSO email of account %s is taken by another account; kept the old one",
                    account.pk)
        return
    account.email = email
    account.email_verified_at = clock.now() if verified else None
    account.save(update_fields=["email", "email_verified_at"])
    if not verified:
        from townhall.accounts.services import verification_resend

        verification_resend(account=account)

