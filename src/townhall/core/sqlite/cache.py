"""A Django cache in a SQLite file, shared by the processes of one server without Redis.

`townhall serve --workers N` with no `REDIS_URL` uses it (`config.env.caches`), so rate
limits, replay guards (SSO nonces, proofs of work) and presence count across processes as
Redis would count them. Whole integers are stored as SQLite integers so `incr` is one
atomic `UPDATE`; other values are pickled, as every Django cache backend does.
"""

from __future__ import annotations

import pickle
import time
from pathlib import Path
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

from townhall.core.sqlite.sidefile import SideFile

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value BLOB, "
    "expires REAL NOT NULL) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS cache_expires ON cache (expires)",
)
_NEVER = 1e18  # a timeout of None: kept until deleted or culled
_CULL_EVERY = 1000  # writes between sweeps of expired entries


def _encode(value: Any) -> Any:
    if type(value) is int and -(2**63) <= value < 2**63:
        return value
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _decode(raw: Any) -> Any:
    return raw if isinstance(raw, int) else pickle.loads(raw)  # noqa: S301 - our own values


class SQLiteCache(BaseCache):
    """`BACKEND: townhall.core.sqlite.cache.SQLiteCache`, `LOCATION`: the file's path."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.file = SideFile.at(Path(location), _SCHEMA)

    def _expiry(self, timeout: Any) -> float:
        seconds = self.get_backend_timeout(timeout)
        return _NEVER if seconds is None else float(seconds)

    def _wrote(self, db: Any) -> None:
        self.file.writes += 1  # under the file's writer lock
        if self.file.writes % _CULL_EVERY == 0:
            db.execute("DELETE FROM cache WHERE expires <= ?", (time.time(),))
            (count,) = db.execute("SELECT count(*) FROM cache").fetchone()
            if count > self._max_entries:
                db.execute("DELETE FROM cache WHERE key IN (SELECT key FROM cache "
                           "ORDER BY expires LIMIT ?)", (count - self._max_entries,))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        row = self.file.connection().execute(
            "SELECT value FROM cache WHERE key = ? AND expires > ?", (key, time.time())
        ).fetchone()
        return default if row is None else _decode(row[0])

    def has_key(self, key: Any, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self.file.connection().execute(
            "SELECT 1 FROM cache WHERE key = ? AND expires > ?", (key, time.time())
        ).fetchone() is not None

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> None:
        key = self.make_and_validate_key(key, version=version)
        with self.file.writer() as db:
            db.execute("INSERT INTO cache (key, value, expires) VALUES (?, ?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                       "expires = excluded.expires", (key, _encode(value), self._expiry(timeout)))
            self._wrote(db)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self.file.writer() as db:
            # An expired entry counts as absent: it is replaced.
            done = db.execute(
                "INSERT INTO cache (key, value, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                "expires = excluded.expires WHERE cache.expires <= ?",
                (key, _encode(value), self._expiry(timeout), time.time())).rowcount
            self._wrote(db)
        return bool(done)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        with self.file.writer() as db:
            row = db.execute(
                "UPDATE cache SET value = value + ? WHERE key = ? AND expires > ? "
                "AND typeof(value) = 'integer' RETURNING value",
                (int(delta), key, time.time())).fetchone()
        if row is None:
            raise ValueError(f"Key '{key}' not found")
        return int(row[0])

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT,
              version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self.file.writer() as db:
            return bool(db.execute(
                "UPDATE cache SET expires = ? WHERE key = ? AND expires > ?",
                (self._expiry(timeout), key, time.time())).rowcount)

    def delete(self, key: Any, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self.file.writer() as db:
            return bool(db.execute("DELETE FROM cache WHERE key = ?", (key,)).rowcount)

    def clear(self) -> None:
        with self.file.writer() as db:
            db.execute("DELETE FROM cache")
