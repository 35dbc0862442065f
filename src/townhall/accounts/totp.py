"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), with the standard library only.

Authenticator apps (FreeOTP, Aegis, Google Authenticator…) read the `otpauth://` URI, usually
from a QR code; the defaults they all share are used: HMAC-SHA1, 6 digits, 30-second steps.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# Codes from one step before or after are accepted, for clocks that drift a little.
DRIFT_STEPS = 1


def new_secret() -> str:
    """Return a fresh 160-bit secret in unpadded base32 (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "sha1") -> str:
    """Return the HOTP value of `counter` (RFC 4226 §5.3: dynamic truncation)."""
    mac = hmac.new(key, struct.pack(">Q", counter), getattr(hashlib, algorithm)).digest()
    offset = mac[-1] & 0x0F
    binary = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def time_step(at: float, *, step: int = STEP_SECONDS) -> int:
    """Return the RFC 6238 time counter T = floor(unix time / step)."""
    return int(at // step)


def totp(secret: str, at: float, *, digits: int = DIGITS, step: int = STEP_SECONDS,
         algorithm: str = "sha1") -> str:
    """Return the code an authenticator shows at unix time `at`."""
    return hotp(_key(secret), time_step(at, step=step), digits=digits, algorithm=algorithm)


def matching_step(secret: str, code: str, at: float, *, after_step: int = -1) -> int | None:
    """Return the time step whose code equals `code` (within the drift), or None.

    Steps at or before `after_step` are refused, so a code that was used cannot be replayed.
    """
    candidate = "".join(ch for ch in (code or "") if not ch.isspace())
    if len(candidate) != DIGITS or not candidate.isascii() or not candidate.isdigit():
        return None
    try:
        key = _key(secret)
    except (ValueError, TypeError):
        return None
    now_step = time_step(at)
    found = None
    for step in range(max(0, now_step - DRIFT_STEPS), now_step + DRIFT_STEPS + 1):
        # Compare every candidate (no early exit) in constant time.
        if hmac.compare_digest(hotp(key, step), candidate) and step > after_step:
            found = step
    return found


def provisioning_uri(secret: str, *, account_name: str, issuer: str) -> str:
    """Return the `otpauth://totp/…` URI an authenticator app imports."""
    label = quote(f"{issuer}:{account_name}", safe="@:")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1",
                       "digits": DIGITS, "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"
