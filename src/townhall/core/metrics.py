"""Prometheus metrics, on `prometheus-client`.

Counters and histograms are defined here, beside the code that moves them, in one registry
of Townhall's own. One process counts for itself (the embedded default). Several processes
on one host (app servers and `townhall worker`s) add up their figures when
`PROMETHEUS_MULTIPROC_DIR` names a directory they share: the library's multiprocess mode,
which each process writes to and a scrape reads across. With several hosts, Prometheus
scrapes each one. The gauges read when scraped live with the exposition (`ops.views`).
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

disable_created_metrics()  # no `_created` series: the counters' start says nothing here
REGISTRY = CollectorRegistry(auto_describe=True)

# Label names in alphabetical order, as the exposition has always listed them.
HTTP_REQUESTS = Counter("townhall_http_requests", "HTTP requests by route, method and status.",
                        ["method", "route", "status"], registry=REGISTRY)
HTTP_LATENCY = Histogram("townhall_http_request_duration_seconds",
                         "HTTP request latency by route.", ["route"],
                         buckets=LATENCY_BUCKETS, registry=REGISTRY)
COMMENTS_POSTED = Counter("townhall_comments_posted", "Comments posted, by site and first status.",
                          ["site", "status"], registry=REGISTRY)
DECISIONS = Counter("townhall_decisions", "Moderation decisions by source and new status.",
                    ["new_status", "source"], registry=REGISTRY)
MODEL_LATENCY = Histogram("townhall_model_latency_seconds", "Toxicity model scoring latency.",
                          buckets=LATENCY_BUCKETS, registry=REGISTRY)
TASKS = Counter("townhall_tasks", "Background tasks run, by task and outcome.",
                ["outcome", "task"], registry=REGISTRY)


def multiprocess_dir() -> str | None:
    """Return the directory processes share their figures through, if one is set."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
