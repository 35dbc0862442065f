"""The `/metrics` exposition: the counters of `core.metrics` and gauges read when scraped.

Gauges (queue depth, task backlog, failed tasks, live subscribers) are read from the
database and the broker at scrape time by a custom collector, so they are true whichever
process answers.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from townhall.comments.models import Comment, Status
from townhall.core import metrics
from townhall.core.pubsub import get_broker
from townhall.notify.models import Job
from townhall.notify.tasks import backlog

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

GAUGES = {
    "townhall_moderation_queue_depth": "Comments waiting for a moderator.",
    "townhall_task_backlog": "Background jobs queued and due.",
    "townhall_tasks_failed": "Background jobs that failed for good (kept 30 days).",
    "townhall_live_subscribers": "Open live (SSE) connections in this process.",
}


def live_subscribers() -> int:
    broker = get_broker()
    local = getattr(broker, "local", broker)
    subscribers = getattr(local, "_subscribers", {})
    return sum(len(group) for group in list(subscribers.values()))


def gauges() -> dict[str, float]:
    return {
        "townhall_moderation_queue_depth": Comment.objects.filter(status=Status.PENDING).count(),
        "townhall_task_backlog": backlog(),
        "townhall_tasks_failed": Job.objects.filter(state=Job.State.FAILED).count(),
        "townhall_live_subscribers": live_subscribers(),
    }


class GaugeCollector(Collector):
    """Read the gauges at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, value in gauges().items():
            yield GaugeMetricFamily(name, GAUGES[name], value=value)


def exposition() -> bytes:
    """Return every metric in the Prometheus text format (version 0.0.4)."""
    shared = metrics.multiprocess_dir()
    if shared is None:
        counters = metrics.REGISTRY
    else:
        counters = CollectorRegistry()
        MultiProcessCollector(counters, path=shared)
    scraped = CollectorRegistry()
    scraped.register(GaugeCollector())
    return generate_latest(counters) + generate_latest(scraped)
