"""Loaded by every Python process of a `tests/on_days.sh` run (through PYTHONPATH).

libfaketime shifts the wall clock and leaves the monotonic clock alone
(FAKETIME_DONT_FAKE_MONOTONIC=1), so that timed waits of threads and event loops still time
out. Its wrapper of clock_nanosleep then refuses the absolute monotonic deadline with which
CPython's `time.sleep` waits (EINVAL). Sleeping on an event's timed wait instead counts on
the same monotonic clock and works.
"""

import threading
import time

_never_set = threading.Event()


def _sleep(seconds: float) -> None:
    if seconds > 0:
        _never_set.wait(seconds)


time.sleep = _sleep
