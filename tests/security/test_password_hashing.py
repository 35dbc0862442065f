"""Passwords are Argon2 hashes at full strength; the suite hashes at test strength only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password

from tests.conftest import PASSWORD, make_account


def test_the_server_hashes_with_argon2_at_full_strength() -> None:
    from townhall.config import settings as server_settings  # as read, before test overrides

    assert server_settings.PASSWORD_HASHERS == [
        "django.contrib.auth.hashers.Argon2PasswordHasher"]
    hasher = Argon2PasswordHasher()
    params = hasher.decode(hasher.encode(PASSWORD, hasher.salt()))
    assert (params["algorithm"], params["time_cost"], params["memory_cost"],
            params["parallelism"]) == ("argon2", 2, 102400, 8)


def test_the_suite_hashes_with_argon2_too_and_reads_full_strength_hashes(db: None) -> None:
    assert settings.PASSWORD_HASHERS == ["tests.hashers.QuickArgon2PasswordHasher"]
    assert make_account().password.startswith("argon2$argon2id$")
    full_strength = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert check_password(PASSWORD, full_strength)
    assert not check_password("not the password", full_strength)
