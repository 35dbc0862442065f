"""Prometheus metrics in the text exposition format, summed over every Townhall process.

Counters and histograms are added up in memory (cheap on the request path). With REDIS_URL
set, a background thread moves the increments into one Redis hash every second, so a scrape
of any process shows the totals of all app and worker processes; without Redis the process's
own totals are shown (the embedded single-process case). Gauges (queue depth, task backlog,
live subscribers) are read when scraped.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
FLUSH_SECONDS = 1.0

FAMILIES: dict[str, tuple[str, str]] = {
    "townhall_http_requests_total": ("counter", "HTTP requests by route, method and status."),
    "townhall_http_request_duration_seconds": ("histogram", "HTTP request latency by route."),
    "townhall_comments_posted_total": ("counter", "Comments posted, by site and first status."),
    "townhall_decisions_total": ("counter", "Moderation decisions by source and new status."),
    "townhall_model_latency_seconds": ("histogram", "Toxicity model scoring latency."),
    "townhall_tasks_total": ("counter", "Background tasks run, by task and outcome."),
    "townhall_moderation_queue_depth": ("gauge", "Comments waiting for a moderator."),
    "townhall_task_backlog": ("gauge", "Background jobs queued and due."),
    "townhall_tasks_failed": ("gauge", "Background jobs that failed for good (kept 30 days)."),
    "townhall_live_subscribers": ("gauge", "Open live (SSE) connections."),
}

Labels = tuple[tuple[str, str], ...]


def _key(labels: dict[str, Any] | None) -> Labels:
    return tuple(sorted((str(k), str(v)) for k, v in (labels or {}).items()))


class Registry:
    """This process's increments not yet moved to Redis, plus its running totals."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.totals: dict[tuple[str, Labels], float] = defaultdict(float)
        self.pending: dict[tuple[str, Labels], float] = defaultdict(float)

    def add(self, series: Iterable[tuple[str, Labels, float]]) -> None:
        with self._lock:
            for name, labels, value in series:
                self.totals[(name, labels)] += value
                self.pending[(name, labels)] += value

    def take_pending(self) -> dict[tuple[str, Labels], float]:
        with self._lock:
            pending, self.pending = self.pending, defaultdict(float)
        return pending

    def give_back(self, pending: dict[tuple[str, Labels], float]) -> None:
        with self._lock:
            for key, value in pending.items():
                self.pending[key] += value


_registry = Registry()
_flusher_lock = threading.Lock()
_flusher: dict[int, threading.Thread] = {}


def inc(name: str, labels: dict[str, Any] | None = None, value: float = 1.0) -> None:
    """Add to a counter."""
    _registry.add([(name, _key(labels), value)])
    _ensure_flusher()


def observe(name: str, labels: dict[str, Any] | None, seconds: float) -> None:
    """Record one observation in a histogram (cumulative buckets, sum and count)."""
    key = _key(labels)
    series: list[tuple[str, Labels, float]] = [
        (f"{name}_bucket", (*key, ("le", _le(bound))), 1.0)
        for bound in LATENCY_BUCKETS if seconds <= bound
    ]
    series += [(f"{name}_bucket", (*key, ("le", "+Inf")), 1.0),
               (f"{name}_sum", key, seconds), (f"{name}_count", key, 1.0)]
    _registry.add(series)
    _ensure_flusher()


def _le(bound: float) -> str:
    return repr(bound)


# Redis aggregation ------------------------------------------------------------------------


def _redis() -> Any:
    url = getattr(settings, "REDIS_URL", None)
    if not url:
        return None
    import redis

    client = _clients.get(url)
    if client is None:
        client = _clients[url] = redis.Redis.from_url(url, socket_timeout=2)
    return client


_clients: dict[str, Any] = {}


def _prefix() -> str:
    return f"{os.environ.get('TOWNHALL_CACHE_PREFIX', 'townhall')}:metrics"


def _field(name: str, labels: Labels) -> str:
    return f"{name}|{json.dumps(labels, separators=(',', ':'))}"


def flush() -> None:
    """Move this process's increments into Redis, and publish its live-connection count."""
    client = _redis()
    if client is None:
        return
    pending = _registry.take_pending()
    try:
        pipe = client.pipeline(transaction=False)
        for (name, labels), value in pending.items():
            pipe.hincrbyfloat(f"{_prefix()}:counters", _field(name, labels), value)
        pipe.set(f"{_prefix()}:live:{socket.gethostname()}:{os.getpid()}",
                 _local_live_subscribers(), ex=15)
        pipe.execute()
    except Exception:
        _registry.give_back(pending)
        log.warning("could not flush metrics to Redis", exc_info=True)


def _ensure_flusher() -> None:
    if not getattr(settings, "REDIS_URL", None):
        return
    pid = os.getpid()
    if pid in _flusher:
        return
    with _flusher_lock:
        if pid in _flusher:
            return
        thread = threading.Thread(target=_flush_forever, name="townhall-metrics", daemon=True)
        _flusher[pid] = thread
        thread.start()


def _flush_forever() -> None:
    stop = threading.Event()
    while not stop.wait(FLUSH_SECONDS):
        flush()


def _stored_totals() -> dict[tuple[str, Labels], float]:
    client = _redis()
    if client is None:
        return dict(_registry.totals)
    flush()
    totals: dict[tuple[str, Labels], float] = {}
    for raw, value in client.hgetall(f"{_prefix()}:counters").items():
        name, _sep, labels = raw.decode().partition("|")
        totals[(name, tuple(tuple(pair) for pair in json.loads(labels)))] = float(value)
    return totals


# Gauges -----------------------------------------------------------------------------------


def _local_live_subscribers() -> int:
    from townhall.live.brokers import get_broker

    broker = get_broker()
    local = getattr(broker, "local", broker)
    subscribers = getattr(local, "_subscribers", {})
    return sum(len(group) for group in list(subscribers.values()))


def live_subscribers() -> int:
    client = _redis()
    if client is None:
        return _local_live_subscribers()
    total = 0
    keys = list(client.scan_iter(match=f"{_prefix()}:live:*", count=500))
    for value in client.mget(keys) if keys else []:
        total += int(value or 0)
    return total


def gauges() -> dict[str, float]:
    from townhall.comments.models import Comment, Status
    from townhall.notify.models import Job
    from townhall.notify.tasks import backlog

    return {
        "townhall_moderation_queue_depth": Comment.objects.filter(status=Status.PENDING).count(),
        "townhall_task_backlog": backlog(),
        "townhall_tasks_failed": Job.objects.filter(state=Job.State.FAILED).count(),
        "townhall_live_subscribers": live_subscribers(),
    }


# Exposition -------------------------------------------------------------------------------


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels_text(labels: Labels) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in labels) + "}"


def _family(series_name: str) -> str:
    for suffix in ("_bucket", "_sum", "_count"):
        base = series_name.removesuffix(suffix)
        if base != series_name and FAMILIES.get(base, ("", ""))[0] == "histogram":
            return base
    return series_name


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def exposition() -> str:
    """Return every metric in the Prometheus text format (version 0.0.4)."""
    grouped: dict[str, list[str]] = defaultdict(list)
    totals = _stored_totals()

    def sort_key(item: tuple[tuple[str, Labels], float]) -> tuple[Any, ...]:
        (name, labels), _value = item
        le = dict(labels).get("le")
        bound = float("inf") if le == "+Inf" else float(le) if le else 0.0
        return (name, tuple(p for p in labels if p[0] != "le"), bound)

    for (name, labels), value in sorted(totals.items(), key=sort_key):
        grouped[_family(name)].append(f"{name}{_labels_text(labels)} {_number(value)}")
    for name, value in gauges().items():
        grouped[name].append(f"{name} {_number(value)}")
    lines = []
    for family, (kind, text) in FAMILIES.items():
        lines += [f"# HELP {family} {text}", f"# TYPE {family} {kind}"]
        lines += grouped.pop(family, [])
    for family, rows in grouped.items():
        lines += [f"# TYPE {family} untyped", *rows]
    return "\n".join(lines) + "\n"
