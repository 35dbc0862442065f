"""Time-based one-time passwords (RFC 6238), on `pyotp`.

Authenticator apps (FreeOTP, Aegis, Google Authenticator…) read the `otpauth://` URI, usually
from a QR code; the defaults they all share are used: HMAC-SHA1, 6 digits, 30-second steps.
What Townhall adds to the library is the replay rule: a code's time step is remembered, and
no step at or before it is accepted again.
"""

from __future__ import annotations

import pyotp
from pyotp.utils import strings_equal

STEP_SECONDS = 30
DIGITS = 6
# Codes from one step before or after are accepted, for clocks that drift a little.
DRIFT_STEPS = 1


def new_secret() -> str:
    """Return a fresh 160-bit secret in unpadded base32 (what authenticator apps expect)."""
    return pyotp.random_base32(length=32)


def _totp(secret: str, digits: int = DIGITS) -> pyotp.TOTP:
    return pyotp.TOTP(secret.replace(" ", "").upper(), digits=digits, interval=STEP_SECONDS)


def time_step(at: float, *, step: int = STEP_SECONDS) -> int:
    """Return the RFC 6238 time counter T = floor(unix time / step)."""
    return int(at // step)


def totp(secret: str, at: float, *, digits: int = DIGITS) -> str:
    """Return the code an authenticator shows at unix time `at`."""
    return _totp(secret, digits).generate_otp(time_step(at))


def matching_step(secret: str, code: str, at: float, *, after_step: int = -1) -> int | None:
    """Return the time step whose code equals `code` (within the drift), or None.

    Steps at or before `after_step` are refused, so a code that was used cannot be replayed.
    """
    candidate = "".join(ch for ch in (code or "") if not ch.isspace())
    if len(candidate) != DIGITS or not candidate.isascii() or not candidate.isdigit():
        return None
    try:
        generator = _totp(secret)
        now_step = time_step(at)
        steps = range(max(0, now_step - DRIFT_STEPS), now_step + DRIFT_STEPS + 1)
        codes = [(step, generator.generate_otp(step)) for step in steps]
    except (ValueError, TypeError):  # not base32: no code matches
        return None
    found = None
    for step, expected in codes:  # compare every candidate (no early exit) in constant time
        if strings_equal(expected, candidate) and step > after_step:
            found = step
    return found


def provisioning_uri(secret: str, *, account_name: str, issuer: str) -> str:
    """Return the `otpauth://totp/…` URI an authenticator app imports."""
    return _totp(secret).provisioning_uri(name=account_name, issuer_name=issuer)
