"""Operations: health checks, Prometheus metrics that move, request ids and JSON logs."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from django.test import Client

from townhall.ops.logging import JsonFormatter, RequestIdFilter
from townhall.stories.models import Story

from tests.calm import post
from tests.conftest import make_account, token_for


def _value(text: str, series: str) -> float:
    """Return a series' value from the exposition (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_health_and_readiness(db: None) -> None:
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_metrics_count_requests_comments_and_decisions(api: Any, story: Story,
                                                      settings: Any) -> None:
    settings.TOWNHALL_METRICS_ALLOW = ["10.0.0.0/8"]
    scrape = Client(REMOTE_ADDR="10.0.0.5")
    before = scrape.get("/metrics").content.decode()
    post(api, token_for(make_account()), "Counted.")
    api.get("sites/daily/stories/1.100/comments", HTTP_AUTHORIZATION="Bearer x")
    response = scrape.get("/metrics")
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    after = response.content.decode()
    posted = 'townhall_comments_posted_total{site="daily",status="published"}'
    assert _value(after, posted) == _value(before, posted) + 1
    decisions = 'townhall_decisions_total{new_status="published",source="system"}'
    assert _value(after, decisions) == _value(before, decisions) + 1
    route = "api/v1/sites/<site>/stories/<external_id>/comments"
    requests = (f'townhall_http_requests_total{{method="POST",route="{route}",'
                f'status="201"}}')
    assert _value(after, requests) >= _value(before, requests) + 1
    assert f'townhall_http_request_duration_seconds_bucket{{le="+Inf",route="{route}"}}' in after
    for gauge in ("townhall_moderation_queue_depth", "townhall_task_backlog",
                  "townhall_live_subscribers", "townhall_tasks_failed"):
        assert re.search(rf"^{gauge} \d+(\.0)?$", after, re.M), gauge
    assert "# TYPE townhall_model_latency_seconds histogram" in after


def test_metrics_are_not_public(db: None, settings: Any) -> None:
    assert Client(REMOTE_ADDR="81.2.69.142").get("/metrics").status_code == 403
    settings.TOWNHALL_METRICS_TOKEN = "scrape-secret"
    assert Client(REMOTE_ADDR="10.0.0.5").get("/metrics").status_code == 403
    allowed = Client(REMOTE_ADDR="81.2.69.142").get(
        "/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret")
    assert allowed.status_code == 200


def test_metrics_never_open_to_a_peer_because_it_looks_like_loopback(
    db: None, settings: Any
) -> None:
    """Behind a proxy on the same host every request comes from 127.0.0.1: that says nothing
    about who sent it."""
    settings.TOWNHALL_METRICS_TOKEN = ""
    for peer in ("127.0.0.1", "::1", "10.0.0.5", "192.168.1.20"):
        assert Client(REMOTE_ADDR=peer).get("/metrics").status_code == 403, peer
    settings.TOWNHALL_METRICS_ALLOW = ["10.1.0.0/16"]
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.2.0.1").get("/metrics").status_code == 403
    # Through the trusted proxy, the forwarded client must be on the list, not the proxy.
    settings.TOWNHALL_TRUST_PROXY = True
    settings.TOWNHALL_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.TOWNHALL_METRICS_ALLOW = ["127.0.0.1", "10.1.0.0/16"]
    outside = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="81.2.69.142")
    assert outside.get("/metrics").status_code == 403
    inside = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.0.9")
    assert inside.get("/metrics").status_code == 200


def test_every_response_carries_a_request_id_and_keeps_a_good_one(db: None) -> None:
    client = Client()
    made = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", made)
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-abcdef123")["X-Request-ID"] == (
        "nginx-abcdef123")
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


def test_json_logs_carry_the_request_id() -> None:
    from townhall.ops.middleware import request_id

    token = request_id.set("req-12345678")
    try:
        record = logging.makeLogRecord({"name": "townhall.test", "levelname": "WARNING",
                                        "msg": "comment %s held", "args": (42,),
                                        "story": "1.100"})
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "comment 42 held"
    assert line["request_id"] == "req-12345678"
    assert line["level"] == "WARNING" and line["story"] == "1.100"
