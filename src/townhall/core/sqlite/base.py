"""Django's SQLite backend, with write transactions queued outside SQLite.

SQLite lets one writer at a time hold the database. Townhall opens every transaction with
`BEGIN IMMEDIATE`, so a second writer would wait inside SQLite's busy handler, which polls
with sleeps of up to 100 ms: under a burst of posts, writers oversleep a lock that was freed
long ago, and the tail latency grows to seconds. Here a writer takes the file's two writer
locks (`locks`: this process's threads, then the server's processes) before `BEGIN` and
lets them go when the transaction ends, so waiters wake the moment the writer commits.

Only file databases take the locks: in-memory test databases share one connection's cache
and never wait in the busy handler.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

from townhall.core.sqlite import locks


def _busy_timeout(init_commands: list[str], *, default: float) -> float:
    """Wait for this process's writers as long as SQLite would wait for another process's."""
    for command in init_commands:
        name, _sep, value = command.strip().lower().partition("=")
        if name.replace(" ", "") == "pragmabusy_timeout" and value.strip().isdigit():
            return int(value) / 1000
    return float(default)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock: threading.Lock | None = None
        self._lock_name = ""
        self._holds_write_lock = False
        self._lock_timeout = 5.0

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if not self.is_in_memory_db():
            self._lock_name = str(self.settings_dict["NAME"])
            self._write_lock = locks.thread_lock(self._lock_name)
        self._lock_timeout = _busy_timeout(self.init_commands,  # type: ignore[attr-defined]
                                           default=params.get("timeout", 5))
        return params

    def _start_transaction_under_autocommit(self) -> None:
        if self._write_lock is None or self._holds_write_lock:
            return super()._start_transaction_under_autocommit()  # type: ignore[misc]
        if not self._write_lock.acquire(timeout=self._lock_timeout):
            raise OperationalError("database is locked (waited for this process's writers)")
        self._holds_write_lock = True
        try:
            locks.process_lock(self._lock_name)
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._holds_write_lock and self._write_lock is not None:
            self._holds_write_lock = False
            try:
                locks.process_unlock(self._lock_name)
            finally:
                self._write_lock.release()

    def set_autocommit(self, autocommit: bool,
                       force_begin_transaction_with_broken_autocommit: bool = False) -> None:
        try:
            super().set_autocommit(autocommit, force_begin_transaction_with_broken_autocommit)
        finally:
            if autocommit:  # the transaction is over, committed or rolled back
                self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()
