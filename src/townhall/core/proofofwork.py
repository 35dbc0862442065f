"""A proof of work that needs no third-party service: the server signs a random challenge,
the client finds a nonce whose SHA-256 digest of `challenge:nonce` starts with `bits` zero
bits, and the server checks it, once, within ten minutes.

Cheap for one honest sender (a second or two in a browser), costly for a flood. The
difficulty is `TOWNHALL_POW_BITS` (16 by default).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

from townhall.core.errors import Invalid

MAX_AGE = 600


def bits() -> int:
    return int(getattr(settings, "TOWNHALL_POW_BITS", 16))


def challenge_issue(purpose: str) -> dict[str, object]:
    """Return a fresh signed challenge for `purpose` and the number of zero bits to find."""
    wanted = bits()
    challenge = signing.dumps({"p": purpose, "r": secrets.token_hex(8), "b": wanted},
                              salt="townhall.pow", compress=False)
    return {"challenge": challenge, "bits": wanted, "algorithm": "SHA-256",
            "expires_in": MAX_AGE}


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte == 0:
            count += 8
            continue
        return count + 8 - byte.bit_length()
    return count


def solve(challenge: str, wanted: int) -> str:
    """Find a nonce for a challenge (what the widget does; tests and scripts use this)."""
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < wanted:
        nonce += 1
    return str(nonce)


def challenge_check(purpose: str, challenge: str, nonce: str) -> None:
    """Accept a solved challenge once; raise Invalid (field `nonce`) otherwise."""
    refused = Invalid("nonce", "proof_of_work_failed",
                      _("The anti-abuse check failed or expired: please try again."))
    try:
        data = signing.loads(challenge or "", salt="townhall.pow", max_age=MAX_AGE)
    except signing.BadSignature:
        raise refused from None
    if not isinstance(data, dict) or data.get("p") != purpose or len(nonce or "") > 64:
        raise refused
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    if leading_zero_bits(digest) < int(data.get("b", bits())):
        raise refused
    if not cache.add(f"pow:{data['r']}", 1, timeout=MAX_AGE + 5):
        raise refused  # already spent
