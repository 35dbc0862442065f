"""Random secrets handed to clients; only their SHA-256 digests are stored."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any


def new_secret(prefix: str) -> tuple[str, str]:
    """Return a fresh `(secret, digest)` pair; the secret starts with `prefix`."""
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    return secret, digest(secret)


def digest(secret: str) -> str:
    """Return the hex SHA-256 digest under which a secret is stored."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def bearer_token(request: Any) -> str:
    """Return the token of an `Authorization: Bearer …` header ("" without one)."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""
