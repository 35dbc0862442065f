"""Publish/subscribe backends: in-process by default, Redis when REDIS_URL is set, and a
SQLite file in the data directory when several processes serve without Redis.

Each keeps a short log per channel so a reader who reconnects with `Last-Event-ID` gets what
they missed. Event ids look like Redis stream ids (`<milliseconds>-<sequence>`) in every
backend, so they compare the same way everywhere.

Publishing is synchronous (it runs in `transaction.on_commit` of a sync view); subscribing
is asynchronous (SSE views run on the server's event loop). A subscriber's queue is filled
from whatever thread publishes, through `loop.call_soon_threadsafe`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
import uuid
import weakref
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from asgiref.sync import sync_to_async

from townhall.core.sqlite.sidefile import SideFile

log = logging.getLogger(__name__)

LOG_LENGTH = 1000
QUEUE_SIZE = 1000


@dataclass(frozen=True, order=True)
class EventId:
    """A position in a channel's log, ordered like a Redis stream id."""

    ms: int
    seq: int

    @classmethod
    def parse(cls, text: str | None) -> EventId | None:
        """Return the id, or None for a missing or malformed one."""
        if not text:
            return None
        head, _sep, tail = text.strip().partition("-")
        try:
            ms, seq = int(head), int(tail or 0)
        except ValueError:
            return None
        if ms < 0 or seq < 0:
            return None
        return cls(ms, seq)

    def __str__(self) -> str:
        return f"{self.ms}-{self.seq}"


class Event:
    """One published message with its id in the channel's log."""

    __slots__ = ("_frame", "id", "message", "position")

    def __init__(self, ident: str, message: dict[str, Any]) -> None:
        position = EventId.parse(ident)
        if position is None:
            raise ValueError(f"malformed event id {ident!r}")
        self.id = ident
        self.message = message
        self.position = position
        self._frame: bytes | None = None

    def frame(self) -> bytes:
        """Return the event as one Server-Sent Events frame (encoded once, sent to many)."""
        if self._frame is None:
            kind = str(self.message.get("type", "message"))
            data = encode(self.message)
            self._frame = f"id: {self.id}\nevent: {kind}\ndata: {data}\n\n".encode()
        return self._frame


def encode(message: dict[str, Any]) -> str:
    """Encode a message as compact JSON, dates written the way the API writes them."""
    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(message, cls=DjangoJSONEncoder, separators=(",", ":"))


@dataclass(eq=False)
class Subscription:
    """A subscriber's queue on one loop. A subscriber too slow to keep up is cut off."""

    channel: str
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Event] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    overflowed: bool = False

    def offer(self, event: Event) -> None:
        """Queue an event (call on the subscription's loop)."""
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            # The client reconnects with Last-Event-ID and replays from the log.
            self.overflowed = True


@dataclass
class Backlog:
    """What a subscriber missed: the events after its last id, or a gap that needs a reload."""

    events: list[Event]
    gap: bool


class Broker(Protocol):
    def publish(self, channel: str, message: dict[str, Any]) -> str: ...

    async def subscribe(self, channel: str) -> Subscription: ...

    def unsubscribe(self, subscription: Subscription) -> None: ...

    async def backlog(self, channel: str, after: EventId) -> Backlog: ...

    async def last_id(self, channel: str) -> str: ...


class _LocalFanout:
    """The subscribers of this process, by channel, reachable from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)

    def add(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscribers[subscription.channel].add(subscription)

    def remove(self, subscription: Subscription) -> None:
        with self._lock:
            found = self._subscribers.get(subscription.channel)
            if found is not None:
                found.discard(subscription)
                if not found:
                    del self._subscribers[subscription.channel]

    def count(self, channel: str) -> int:
        with self._lock:
            return len(self._subscribers.get(channel, ()))

    def deliver(self, channel: str, event: Event) -> None:
        """Hand the event to every subscriber of the channel, one hop per event loop."""
        with self._lock:
            targets = list(self._subscribers.get(channel, ()))
        by_loop: dict[asyncio.AbstractEventLoop, list[Subscription]] = defaultdict(list)
        for subscription in targets:
            by_loop[subscription.loop].append(subscription)
        for loop, subscriptions in by_loop.items():
            if loop.is_closed():
                continue
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                _offer_all(subscriptions, event)
            else:
                loop.call_soon_threadsafe(_offer_all, subscriptions, event)


def _offer_all(subscriptions: list[Subscription], event: Event) -> None:
    for subscription in subscriptions:
        subscription.offer(event)


class InProcessBroker:
    """Fan events out to subscribers in this process; keep the last events in memory."""

    def __init__(self, log_length: int = LOG_LENGTH) -> None:
        self._lock = threading.Lock()
        self._logs: dict[str, deque[Event]] = defaultdict(lambda: deque(maxlen=log_length))
        self._last = EventId(0, 0)
        self.local = _LocalFanout()

    def _next_id(self) -> EventId:
        ms = int(time.time() * 1000)
        last = self._last
        self._last = EventId(ms, 0) if ms > last.ms else EventId(last.ms, last.seq + 1)
        return self._last

    def publish(self, channel: str, message: dict[str, Any]) -> str:
        with self._lock:
            event = Event(str(self._next_id()), message)
            self._logs[channel].append(event)
        self.local.deliver(channel, event)
        return event.id

    async def subscribe(self, channel: str) -> Subscription:
        subscription = Subscription(channel, asyncio.get_running_loop())
        self.local.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self.local.remove(subscription)

    async def backlog(self, channel: str, after: EventId) -> Backlog:
        with self._lock:
            events = list(self._logs.get(channel, ()))
        return _backlog_from(events, after, full=len(events) == (self._logs[channel].maxlen or 0))

    async def last_id(self, channel: str) -> str:
        """Return the id of the channel's newest event ("0-0" before the first)."""
        with self._lock:
            events = self._logs.get(channel)
            return events[-1].id if events else "0-0"


def _backlog_from(events: list[Event], after: EventId, *, full: bool) -> Backlog:
    missed = [e for e in events if e.position > after]
    # Events older than the log's first entry may have been trimmed away: reload.
    gap = bool(events) and full and events[0].position > after
    return Backlog(missed, gap)


_LIVE_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS event (id INTEGER PRIMARY KEY, ms INTEGER NOT NULL, "
    "channel TEXT NOT NULL, message TEXT NOT NULL, origin TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS event_channel ON event (channel, id)",
)


class FileBroker:
    """Share events between the processes of one server through a SQLite file.

    A publish appends the event to the file's log (one short write under the file's writer
    locks) and hands it to this process's subscribers at once; every process reads the rows
    the others appended every `poll` seconds on a thread of its own and hands them on. The
    log keeps a day of events, at most `keep` rows. Ids are `<ms>-<row id>`: the row id
    orders all events, and the milliseconds never go back.
    """

    def __init__(self, path: Any, *, poll: float = 0.01, keep: int = 100_000,
                 log_length: int = LOG_LENGTH, log_ttl_ms: int = 86_400_000) -> None:
        self.file = SideFile.at(path, _LIVE_SCHEMA)
        self.poll = poll
        self.keep = keep
        self.log_length = log_length
        self.log_ttl_ms = log_ttl_ms
        self.origin = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.local = _LocalFanout()
        self._reader: threading.Thread | None = None
        self._reader_lock = threading.Lock()

    def publish(self, channel: str, message: dict[str, Any]) -> str:
        payload = encode(message)
        with self.file.writer() as db:
            row = db.execute(
                "INSERT INTO event (ms, channel, message, origin) VALUES (max(?, coalesce("
                "(SELECT ms FROM event ORDER BY id DESC LIMIT 1), 0)), ?, ?, ?) "
                "RETURNING id, ms",
                (int(time.time() * 1000), channel, payload, self.origin)).fetchone()
            self.file.writes += 1  # under the file's writer lock
            if self.file.writes % 1000 == 0:
                self._trim(db)
        event = Event(f"{row[1]}-{row[0]}", message)
        self.local.deliver(channel, event)
        return event.id

    def _trim(self, db: Any) -> None:
        db.execute("DELETE FROM event WHERE id <= (SELECT max(id) FROM event) - ? OR ms < ?",
                   (self.keep, int(time.time() * 1000) - self.log_ttl_ms))

    def _start_reader(self) -> None:
        with self._reader_lock:
            if self._reader is None or not self._reader.is_alive():
                (last,) = self.file.connection().execute(
                    "SELECT coalesce(max(id), 0) FROM event").fetchone()
                self._reader = threading.Thread(target=self._read, args=(int(last),),
                                                name="townhall-live-file", daemon=True)
                self._reader.start()

    def _read(self, last: int) -> None:
        """Hand the other processes' new events to this process's subscribers, forever."""
        while True:
            try:
                rows = self.file.connection().execute(
                    "SELECT id, ms, channel, message, origin FROM event WHERE id > ? "
                    "ORDER BY id", (last,)).fetchall()
                for ident, ms, channel, payload, origin in rows:
                    last = ident
                    if origin != self.origin:
                        self.local.deliver(channel, Event(f"{ms}-{ident}", json.loads(payload)))
            except Exception:
                log.warning("live: cannot read the shared event log", exc_info=True)
                time.sleep(1)
            time.sleep(self.poll)

    async def subscribe(self, channel: str) -> Subscription:
        self._start_reader()
        subscription = Subscription(channel, asyncio.get_running_loop())
        self.local.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self.local.remove(subscription)

    def _backlog(self, channel: str, after: EventId) -> Backlog:
        db = self.file.connection()
        rows = db.execute(
            "SELECT id, ms, message FROM event WHERE channel = ? AND (ms > ? OR (ms = ? AND "
            "id > ?)) ORDER BY id LIMIT ?",
            (channel, after.ms, after.ms, after.seq, self.log_length)).fetchall()
        first = db.execute("SELECT id, ms FROM event ORDER BY id LIMIT 1").fetchone()
        events = [Event(f"{ms}-{ident}", json.loads(payload)) for ident, ms, payload in rows]
        # Rows before the oldest kept one may have been trimmed away: reload.
        gap = first is not None and EventId(first[1], first[0]) > after > EventId(0, 0)
        return Backlog(events, gap)

    async def backlog(self, channel: str, after: EventId) -> Backlog:
        return await sync_to_async(self._backlog, thread_sensitive=False)(channel, after)

    def _last_id(self, channel: str) -> str:
        row = self.file.connection().execute(
            "SELECT id, ms FROM event WHERE channel = ? ORDER BY id DESC LIMIT 1",
            (channel,)).fetchone()
        return "0-0" if row is None else f"{row[1]}-{row[0]}"

    async def last_id(self, channel: str) -> str:
        """Return the id of the channel's newest event ("0-0" before the first)."""
        return await sync_to_async(self._last_id, thread_sensitive=False)(channel)


# XADD keeps the log (trimmed to about LOG_LENGTH); PUBLISH wakes every process. One round
# trip, and the id in the published message is the id in the log.
_PUBLISH_SCRIPT = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'm', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', KEYS[2], id .. ' ' .. ARGV[2])
return id
"""


class RedisBroker:
    """Publish through Redis so subscribers in every process (and host) get each event.

    Each event loop that has subscribers keeps one pub/sub connection listening to all
    Townhall channels and fans out locally; the capped stream per channel is the log.
    """

    def __init__(self, url: str, *, prefix: str = "townhall:live:",
                 log_length: int = LOG_LENGTH, log_ttl_ms: int = 86_400_000) -> None:
        import redis

        self.url = url
        self.prefix = prefix
        self.log_length = log_length
        self.log_ttl_ms = log_ttl_ms
        self._client = redis.Redis.from_url(url)
        self._script = self._client.register_script(_PUBLISH_SCRIPT)
        self.local = _LocalFanout()
        self._listeners: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Listener] = (
            weakref.WeakKeyDictionary()
        )
        self._listeners_lock = threading.Lock()

    def log_key(self, channel: str) -> str:
        return f"{self.prefix}log:{channel}"

    def pubsub_channel(self, channel: str) -> str:
        return f"{self.prefix}ch:{channel}"

    def publish(self, channel: str, message: dict[str, Any]) -> str:
        payload = encode(message)
        event_id = self._script(
            keys=[self.log_key(channel), self.pubsub_channel(channel)],
            args=[self.log_length, payload, self.log_ttl_ms],
        )
        return event_id.decode() if isinstance(event_id, bytes) else str(event_id)

    async def subscribe(self, channel: str) -> Subscription:
        loop = asyncio.get_running_loop()
        with self._listeners_lock:
            listener = self._listeners.get(loop)
            if listener is None:
                listener = self._listeners[loop] = _Listener(self)
        await listener.ready()
        subscription = Subscription(channel, loop)
        self.local.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self.local.remove(subscription)

    async def backlog(self, channel: str, after: EventId) -> Backlog:
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(self.url)
        try:
            key = self.log_key(channel)
            rows = await client.xrange(key, min=f"({after}", max="+", count=self.log_length)
            first = await client.xrange(key, min="-", max="+", count=1)
            length = await client.xlen(key)
        finally:
            await client.aclose()
        events = [_event_from_stream(row) for row in rows or []]
        gap = bool(first) and length >= self.log_length * 0.9 and (
            _event_from_stream(first[0]).position > after  # type: ignore[index]
        )
        return Backlog(events, gap)

    async def last_id(self, channel: str) -> str:
        """Return the id of the channel's newest event ("0-0" before the first)."""
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(self.url)
        try:
            rows = await client.xrevrange(self.log_key(channel), max="+", min="-", count=1)
        finally:
            await client.aclose()
        return _event_from_stream(rows[0]).id if rows else "0-0"

    async def close(self) -> None:
        """Stop this loop's listener (tests; servers simply exit)."""
        loop = asyncio.get_running_loop()
        with self._listeners_lock:
            listener = self._listeners.pop(loop, None)
        if listener is not None:
            await listener.stop()


def _event_from_stream(row: Any) -> Event:
    raw_id, fields = row
    ident = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
    payload = fields.get(b"m") or fields.get("m") or b"{}"
    return Event(ident, json.loads(payload))


class _Listener:
    """One pub/sub connection per event loop, feeding the process's local subscribers."""

    def __init__(self, broker: RedisBroker) -> None:
        self.broker = broker
        self._ready = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def ready(self) -> None:
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task

    async def _run(self) -> None:
        import redis.asyncio

        pattern = f"{self.broker.pubsub_channel('')}*"
        offset = len(self.broker.pubsub_channel(""))
        while True:
            client = redis.asyncio.Redis.from_url(self.broker.url)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(pattern)
                # Wait for the subscription's confirmation so no event published after
                # `ready()` can be missed.
                while True:
                    confirmation = await pubsub.get_message(timeout=5)
                    if confirmation is None or confirmation.get("type") == "psubscribe":
                        break
                self._ready.set()
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    channel = message["channel"]
                    channel = channel.decode() if isinstance(channel, bytes) else channel
                    data = message["data"]
                    data = data.decode() if isinstance(data, bytes) else data
                    ident, _sep, payload = data.partition(" ")
                    self.broker.local.deliver(channel[offset:], Event(ident, json.loads(payload)))
            except asyncio.CancelledError:
                await _quietly_close(pubsub, client)
                raise
            except Exception:
                log.warning("live: Redis pub/sub connection lost; reconnecting", exc_info=True)
                await _quietly_close(pubsub, client)
                await asyncio.sleep(1)


async def _quietly_close(pubsub: Any, client: Any) -> None:
    try:
        await pubsub.aclose()
        await client.aclose()
    except Exception:  # noqa: S110 - closing a broken connection may fail again
        pass


_broker: Broker | None = None
_broker_lock = threading.Lock()


def get_broker() -> Broker:
    """Return this process's broker: Redis when REDIS_URL is set; else the data directory's
    shared file when several processes serve; else in-process."""
    global _broker
    if _broker is None:
        with _broker_lock:
            if _broker is None:
                from django.conf import settings

                url = getattr(settings, "REDIS_URL", None)
                # Share the cache's key prefix, so installations on one Redis stay apart.
                prefix = settings.CACHES["default"].get("KEY_PREFIX") or "townhall"
                if url:
                    _broker = RedisBroker(url, prefix=f"{prefix}:live:")
                elif getattr(settings, "TOWNHALL_SHARED_FILES", False):
                    _broker = FileBroker(settings.DATA_DIR / "live.sqlite3")
                else:
                    _broker = InProcessBroker()
    return _broker


def several_processes() -> bool:
    """Whether other processes serve this installation and hear what this one publishes
    (through Redis, or through the data directory's shared file)."""
    from django.conf import settings

    return bool(getattr(settings, "REDIS_URL", None)
                or getattr(settings, "TOWNHALL_SHARED_FILES", False))


def reset_broker() -> None:
    """Forget the broker so the next call reads the settings again (tests)."""
    global _broker
    with _broker_lock:
        _broker = None


OPEN = "open"
GAP = "gap"
HEARTBEAT = "heartbeat"


async def stream(broker: Broker, channel: str, last_event_id: str | None, *,
                 heartbeat: float | None = None) -> AsyncIterator[Event | str]:
    """Yield the events after `last_event_id`, then live ones, in order and without repeats.

    `OPEN` comes first, once the subscription is live; `GAP` means the log no longer reaches
    back to the reader's last event, so the reader should reload; `HEARTBEAT` comes after
    `heartbeat` quiet seconds. The live subscription starts before the backlog is read, and
    live events the backlog already gave are skipped.
    """
    subscription = await broker.subscribe(channel)
    try:
        yield OPEN
        after = EventId.parse(last_event_id)
        seen = after or EventId(0, 0)
        if after is not None:
            backlog = await broker.backlog(channel, after)
            if backlog.gap:
                yield GAP
            for event in backlog.events:
                seen = max(seen, event.position)
                yield event
        while not subscription.overflowed:
            try:
                event = await asyncio.wait_for(subscription.queue.get(), timeout=heartbeat)
            except TimeoutError:
                yield HEARTBEAT
                continue
            if event.position <= seen:
                continue
            seen = event.position
            yield event
    finally:
        broker.unsubscribe(subscription)


def publish_now(channel: str, message: dict[str, Any]) -> str | None:
    """Publish at once; a broker failure is logged, never turned into a failed write."""
    try:
        return get_broker().publish(channel, message)
    except Exception:
        log.exception("live: could not publish %s on %s", message.get("type"), channel)
        return None
