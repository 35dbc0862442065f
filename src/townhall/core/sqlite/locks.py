"""Writer locks for SQLite files: one writer at a time, woken the moment the last one ends.

SQLite's own busy handler polls with sleeps of up to 100 ms, so writers that queue inside it
oversleep a lock freed long ago. Townhall's writers queue before `BEGIN` instead, on two
locks per database file: the process's `threading.Lock` (its threads wait in order), then an
exclusive `flock` on `<file>-writer` beside it (the processes of one server wait in the
kernel). A waiter wakes when the holder lets go, and the kernel lets go of a dead
process's lock.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_guard = threading.Lock()
_thread_locks: dict[str, threading.Lock] = {}
_files: dict[tuple[int, str], int] = {}


def thread_lock(name: str) -> threading.Lock:
    """Return this process's lock for the writers of one database file."""
    with _guard:
        return _thread_locks.setdefault(name, threading.Lock())


def _lock_file(name: str) -> int:
    """Return this process's descriptor of the file's `-writer` lock file, opened once (and
    again in a forked child: a descriptor inherited from the parent shares its lock)."""
    key = (os.getpid(), name)
    with _guard:
        fd = _files.get(key)
        if fd is None:
            fd = _files[key] = os.open(f"{name}-writer",
                                       os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return fd


def process_lock(name: str) -> None:
    """Take the processes' exclusive lock of the file (hold this process's lock first).

    It waits without a timeout, in the kernel with the interpreter's lock released: the
    holder is a transaction in progress, which commits or rolls back, or a process, whose
    locks the kernel drops when it dies.
    """
    fd = _lock_file(name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fcntl.flock(fd, fcntl.LOCK_EX)


def process_unlock(name: str) -> None:
    """Let the other processes write."""
    fcntl.flock(_lock_file(name), fcntl.LOCK_UN)


@contextmanager
def writing(name: str) -> Iterator[None]:
    """Hold both locks of the file for the block."""
    with thread_lock(name):
        process_lock(name)
        try:
            yield
        finally:
            process_unlock(name)
