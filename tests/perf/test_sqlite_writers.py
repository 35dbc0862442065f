"""On SQLite, writers queue on locks (threads of a process, then processes) instead of in
SQLite's busy handler."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections, transaction

from townhall.config import env
from townhall.core.sqlite import base as sqlite_base

ALIAS = "writers_check"


@pytest.fixture
def file_database(tmp_path: Path, django_db_blocker: Any,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A file database whose SQLite busy handler gives up at once; Python waits up to 5 s."""
    config = env.sqlite_database(tmp_path / "writers.sqlite3")
    config["OPTIONS"]["init_command"] = config["OPTIONS"]["init_command"].replace(
        "busy_timeout=10000", "busy_timeout=0")
    monkeypatch.setattr(sqlite_base, "_busy_timeout", lambda commands, default: 5.0)
    configured = connections.configure_settings({"default": {}, ALIAS: config})
    connections.settings[ALIAS] = configured[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE entry (n INTEGER)")
        yield ALIAS
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def _write(alias: str, n: int, hold: float, errors: list[BaseException],
           inside: threading.Event | None = None) -> None:
    try:
        with transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("INSERT INTO entry (n) VALUES (%s)", [n])
            if inside is not None:
                inside.set()
            time.sleep(hold)
    except BaseException as error:
        errors.append(error)
    finally:
        connections[alias].close()


def test_a_second_writer_waits_for_the_first_instead_of_failing(file_database: str) -> None:
    errors: list[BaseException] = []
    inside = threading.Event()
    first = threading.Thread(target=_write, args=(file_database, 1, 0.3, errors, inside))
    first.start()
    assert inside.wait(5)
    # SQLite alone would answer "database is locked" at once (busy_timeout=0).
    second = threading.Thread(target=_write, args=(file_database, 2, 0, errors))
    second.start()
    first.join(10)
    second.join(10)
    assert errors == []
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT n FROM entry ORDER BY rowid")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]


def test_a_failed_transaction_lets_the_next_writer_in(file_database: str) -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=file_database):
        with connections[file_database].cursor() as cursor:
            cursor.execute("INSERT INTO entry (n) VALUES (1)")
        1 / 0  # noqa: B018
    errors: list[BaseException] = []
    other = threading.Thread(target=_write, args=(file_database, 2, 0, errors))
    other.start()
    other.join(10)
    assert errors == []
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT n FROM entry")
        assert [row[0] for row in cursor.fetchall()] == [2]


_OTHER_PROCESS = """
import sqlite3, sys, time
from townhall.core.sqlite import locks
name = sys.argv[1]
db = sqlite3.connect(name, isolation_level=None, timeout=0)
with locks.writing(name):
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO entry (n) VALUES (1)")
    print("inside", flush=True)
    time.sleep(0.5)
    db.execute("COMMIT")
"""


def test_a_writer_in_another_process_is_waited_for_too(file_database: str,
                                                       tmp_path: Path) -> None:
    # `townhall serve --workers N` on SQLite: another process holds the write lock; this
    # one's writer queues on the lock file beside the database instead of failing at once.
    name = str(connections[file_database].settings_dict["NAME"])
    other = subprocess.Popen([sys.executable, "-c", _OTHER_PROCESS, name],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "inside"
        errors: list[BaseException] = []
        _write(file_database, 2, 0, errors)
        assert errors == []
    finally:
        assert other.wait(10) == 0
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT n FROM entry ORDER BY rowid")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]
