"""Small SQLite files in the data directory that the processes of one server share.

Without Redis, `townhall serve --workers N` keeps what its processes must agree on in two
such files: the cache (`cache.sqlite3`: rate limits, replay guards, presence) and the live
event log (`live.sqlite3`). Both hold only what can be lost: they run without fsync
(`synchronous=OFF`), and a lost file is recreated empty. Writers take the file's writer
locks (`locks.writing`), so no writer ever sleeps in SQLite's busy handler.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from townhall.core.sqlite import locks

_opened: dict[str, SideFile] = {}
_opened_lock = threading.Lock()


class SideFile:
    """One shared SQLite file: a connection per thread, and a locked writer.

    `SideFile.at(path, schema)` returns the process's one object for a file, so its threads
    keep their connections however often a caller asks (Django builds a cache object per
    request context).
    """

    @classmethod
    def at(cls, path: Path, schema: Sequence[str]) -> SideFile:
        """Return the process's object for the file at `path`."""
        key = str(path)
        with _opened_lock:
            found = _opened.get(key)
            if found is None:
                found = _opened[key] = cls(path, schema)
            return found

    def __init__(self, path: Path, schema: Sequence[str]) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self.schema = list(schema)
        self.writes = 0  # counted by the callers, under the writer lock
        self._local = threading.local()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.name, timeout=30, isolation_level=None,
                             check_same_thread=True)
        with locks.writing(self.name):
            db.execute("PRAGMA journal_mode=WAL")
            for statement in self.schema:
                db.execute(statement)
        db.execute("PRAGMA synchronous=OFF")
        return db

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (a forked child opens its own)."""
        held = getattr(self._local, "db", None)
        if held is None or self._local.pid != os.getpid():
            held = self._local.db = self._connect()
            self._local.pid = os.getpid()
        db: sqlite3.Connection = held
        return db

    @contextmanager
    def writer(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, with the file's writer locks held."""
        db = self.connection()
        with locks.writing(self.name):
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
