"""Without Redis, the processes of one server share a cache and live events through SQLite
files in the data directory: what one process counts or publishes, the others see."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from townhall.core.pubsub import GAP, OPEN, Event, EventId, FileBroker, stream
from townhall.core.sqlite.cache import SQLiteCache


@pytest.fixture
def shared_cache(tmp_path: Path) -> SQLiteCache:
    return SQLiteCache(str(tmp_path / "cache.sqlite3"), {"OPTIONS": {"MAX_ENTRIES": 1000}})


def test_the_cache_keeps_values_adds_once_and_counts(shared_cache: SQLiteCache) -> None:
    cache = shared_cache
    assert cache.get("missing", "default") == "default"
    cache.set("page", {"comments": [1, 2]}, timeout=60)
    assert cache.get("page") == {"comments": [1, 2]}
    assert cache.add("counter", 1, timeout=60) is True
    assert cache.add("counter", 1, timeout=60) is False  # already there: kept
    assert cache.incr("counter") == 2
    assert cache.incr("counter", 5) == 7
    with pytest.raises(ValueError, match="not found"):
        cache.incr("nobody")
    assert cache.delete("counter") is True
    assert cache.get("counter") is None
    assert cache.delete("counter") is False


def test_an_expired_entry_is_gone_and_can_be_added_again(shared_cache: SQLiteCache) -> None:
    cache = shared_cache
    cache.set("nonce", "used", timeout=0.2)
    assert cache.has_key("nonce")
    time.sleep(0.3)
    assert cache.get("nonce") is None
    assert not cache.has_key("nonce")
    assert cache.add("nonce", "again", timeout=60) is True
    assert cache.touch("nonce", timeout=0.2) is True
    time.sleep(0.3)
    assert cache.get("nonce") is None


_COUNT = """
import sys
from townhall.core.sqlite.cache import SQLiteCache
cache = SQLiteCache(sys.argv[1], {})
for _ in range(200):
    if not cache.add("rl:post", 1, timeout=60):
        cache.incr("rl:post")
"""


def test_two_processes_count_into_one_rate_limit(shared_cache: SQLiteCache) -> None:
    location = str(shared_cache.file.path)
    workers = [subprocess.Popen([sys.executable, "-c", _COUNT, location]) for _ in range(2)]
    assert [w.wait(60) for w in workers] == [0, 0]
    assert shared_cache.get("rl:post") == 400  # no count lost between the processes


_PUBLISH = """
import sys
from townhall.core.pubsub import FileBroker
broker = FileBroker(sys.argv[1])
print(broker.publish("story:7", {"type": "comment.published", "comment_id": 41}))
"""


def test_an_event_published_by_another_process_reaches_subscribers_here(
        tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    broker = FileBroker(path, poll=0.005)

    async def scenario() -> tuple[Event, str]:
        subscription = await broker.subscribe("story:7")
        published = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-c", _PUBLISH, str(path)],
            capture_output=True, text=True, check=True, timeout=60)
        event = await asyncio.wait_for(subscription.queue.get(), timeout=5)
        broker.unsubscribe(subscription)
        return event, published.stdout.strip()

    event, ident = asyncio.run(scenario())
    assert event.message == {"type": "comment.published", "comment_id": 41}
    assert event.id == ident


def test_a_reconnecting_reader_gets_what_it_missed_in_order(tmp_path: Path) -> None:
    broker = FileBroker(tmp_path / "live.sqlite3")
    first = broker.publish("story:1", {"n": 1})
    broker.publish("story:2", {"n": "other story"})
    second = broker.publish("story:1", {"n": 2})
    third = broker.publish("story:1", {"n": 3})
    assert EventId.parse(first) < EventId.parse(second) < EventId.parse(third)

    async def replay() -> list[object]:
        seen: list[object] = []
        async for item in stream(broker, "story:1", first, heartbeat=0.1):
            if item == OPEN:
                continue
            if isinstance(item, Event):
                seen.append(item.message["n"])
            if len(seen) == 2 or item in (GAP, "heartbeat"):
                break
        return seen

    assert asyncio.run(replay()) == [2, 3]
    assert asyncio.run(broker.last_id("story:1")) == third
    assert asyncio.run(broker.last_id("story:9")) == "0-0"


def test_a_reader_whose_last_event_was_trimmed_away_is_told_to_reload(
        tmp_path: Path) -> None:
    broker = FileBroker(tmp_path / "live.sqlite3", keep=3)
    old = broker.publish("story:1", {"n": 0})
    for n in range(1, 1001):  # the thousandth publish trims the log to the newest rows
        broker.publish("story:1", {"n": n})
    backlog = asyncio.run(broker.backlog("story:1", EventId.parse(old)))  # type: ignore[arg-type]
    assert backlog.gap
