"""Read the environment into settings values.

Settings are computed once, at settings import, from environment variables; nothing else in
the project reads the environment for configuration.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


def data_dir() -> Path:
    """Return the data directory, creating it when missing."""
    path = Path(os.environ.get("TOWNHALL_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept on disk."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = directory / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def database(url: str | None, directory: Path) -> dict[str, Any]:
    """Translate DATABASE_URL (or the SQLite default) into a Django DATABASES entry."""
    if not url:
        return sqlite_database(directory / "townhall.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        return sqlite_database(Path(path[1:] if path.startswith("//") else path))
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "townhall",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("TOWNHALL_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            "TEST": {"NAME": f"test_{unquote(parts.path.lstrip('/')) or 'townhall'}"},
        }
    raise ValueError(f"DATABASE_URL scheme {parts.scheme!r} is not supported")


def sqlite_database(path: Path) -> dict[str, Any]:
    """Return an SQLite configuration tuned for a small concurrent server (WAL, immediate)."""
    return {
        # Django's SQLite backend with writers queued in Python (townhall/core/sqlite);
        # TOWNHALL_SQLITE_WRITE_LOCK=off takes Django's own (docs/adr/0004).
        "ENGINE": ("django.db.backends.sqlite3"
                   if os.environ.get("TOWNHALL_SQLITE_WRITE_LOCK", "on") == "off"
                   else "townhall.core.sqlite"),
        "NAME": str(path),
        # Keep each server thread's connection: opening one runs the PRAGMAs below.
        "CONN_MAX_AGE": int(os.environ.get("TOWNHALL_CONN_MAX_AGE", "60")),
        "OPTIONS": {
            # WAL lets readers proceed while one writer commits; IMMEDIATE transactions take
            # the write lock up front so concurrent writers queue instead of failing.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


def caches(redis_url: str | None, *, shared_dir: Path | None = None) -> dict[str, Any]:
    """Return the cache configuration: Redis when REDIS_URL is set; else a SQLite file in
    `shared_dir` when several processes serve (`townhall serve --workers N`); else
    in-process."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": os.environ.get("TOWNHALL_CACHE_PREFIX", "townhall"),
            }
        }
    if shared_dir is not None:
        return {
            "default": {
                "BACKEND": "townhall.core.sqlite.cache.SQLiteCache",
                "LOCATION": str(shared_dir / "cache.sqlite3"),
                "OPTIONS": {"MAX_ENTRIES": 200_000},
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "townhall",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }


def mailers(url: str | None, directory: Path) -> dict[str, Any]:
    """Translate EMAIL_URL into Django's MAILERS (default: .eml files in the outbox)."""
    if not url:
        return _mailer("townhall.core.mail.OutboxBackend", file_path=str(directory / "outbox"))
    parts = urlsplit(url)
    if parts.scheme == "console":
        return _mailer("django.core.mail.backends.console.EmailBackend")
    if parts.scheme == "file":
        return _mailer("townhall.core.mail.OutboxBackend", file_path=parts.path)
    if parts.scheme in {"smtp", "smtps", "smtp+tls"}:
        return _mailer(
            "django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname or "localhost",
            port=parts.port or (465 if parts.scheme == "smtps" else 25),
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_ssl=parts.scheme == "smtps",
            use_tls=parts.scheme == "smtp+tls",
            timeout=10,
        )
    raise ValueError(f"EMAIL_URL scheme {parts.scheme!r} is not supported")


def _mailer(backend: str, **options: Any) -> dict[str, Any]:
    """Queue every message (`default`) for the task runner, which sends it (`outgoing`)."""
    return {"default": {"BACKEND": "townhall.notify.mailqueue.QueuedBackend", "OPTIONS": {}},
            "outgoing": {"BACKEND": backend, "OPTIONS": options}}


def address_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list of IP addresses and CIDR blocks (refuse a bad one)."""
    import ipaddress

    values = [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValueError(f"{name}: {value!r} is not an IP address or CIDR block") from None
    return values


def json_value(name: str, default: Any) -> Any:
    """Read a JSON environment variable (refuse to start on malformed JSON)."""
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        raise ValueError(f"{name} is not valid JSON: {error}") from None


def flag(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "on", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "on", "yes"}
