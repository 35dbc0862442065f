"""Moderation benchmarks: the queue page with 10,000 pending comments and a moderator's
approve / reject round trip (request to answer, through the dashboard and the API).

Runs against a throw-away test database filled with a bulk loader (not over HTTP).
`python -m bench.moderation` prints a small table; `run()` returns the figures.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

PENDING = 10_000


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.config.settings")
    os.environ.setdefault("TOWNHALL_RATELIMIT", "off")
    import django

    django.setup()


def _timed(call: Callable[[], Any], repeat: int) -> list[float]:
    call()  # warm caches and code paths once
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def load(pending: int = PENDING) -> dict[str, Any]:
    """Create a site, a story, a moderator and `pending` held comments by distinct authors."""
    from townhall.accounts.models import Account
    from townhall.accounts.services import staff_create
    from townhall.comments.models import Comment
    from townhall.core import clock
    from townhall.moderation.models import Decision
    from townhall.stories.services import site_create, story_upsert

    site, _key = site_create(name="bench", origins=["https://bench.example"])
    story, _ = story_upsert(site=site, external_id="b1", title="A busy breaking-news story")
    moderator, _ = staff_create(email="mod@bench.example", role="moderator",
                                password="bench-password-0123", first_name="Bianca",
                                last_name="Lindqvist", sites=[site])
    authors = Account.objects.bulk_create([
        Account(email=f"author{n}@bench.example", first_name="Sam", last_name=f"Okafor{n}",
                password="!", email_verified_at=clock.now())
        for n in range(pending)
    ], batch_size=2000)
    now = clock.now()
    findings = [{"phase": "toxicity", "action": "hold", "guideline": "respect",
                 "reason": "model score 0.91", "spans": [{"start": 8, "end": 13}],
                 "score": 0.91}]
    comments = Comment.objects.bulk_create([
        Comment(story=story, author=a, source=f"You are idiot number {n}, honestly.",
                body_html=f"<p>You are idiot number {n}, honestly.</p>", language="en",
                terms_version=1, status="pending", risk=(n % 100) / 100,
                guideline="respect", findings=findings, created_at=now)
        for n, a in enumerate(authors)
    ], batch_size=2000)
    Comment.objects.filter(story=story, root__isnull=True).update(root_id=models_pk())
    Decision.objects.bulk_create([
        Decision(comment=c, source="model", rule="toxicity", guideline="respect",
                 new_status="pending", scores={"toxicity": c.risk}, model_version="bench")
        for c in comments
    ], batch_size=2000)
    return {"site": site, "story": story, "moderator": moderator,
            "ids": [c.pk for c in comments]}


def models_pk() -> Any:
    from django.db.models import F

    return F("pk")


def run(pending: int = PENDING, repeat: int = 20) -> dict[str, float]:
    """Return median and p95 times (ms) for the queue page and the decision round trips."""
    _setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from townhall.accounts.services import session_create

    # Not setup_test_environment(): its instrumented template rendering would be timed too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if connection.vendor == "sqlite":
        # A file, not shared-cache memory: other threads (live events) may open connections.
        import tempfile

        folder = tempfile.mkdtemp(prefix="townhall-bench-")
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{folder}/bench.sqlite3"
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        start = time.perf_counter()
        data = load(pending)
        load_s = time.perf_counter() - start
        client = Client()
        client.force_login(data["moderator"])
        token = session_create(account=data["moderator"])
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

        def page(sort: str) -> Callable[[], Any]:
            def call() -> None:
                response = client.get(f"/moderation/queue/pending/?sort={sort}")
                assert response.status_code == 200

            return call

        def api_queue() -> None:
            assert client.get("/api/v1/moderation/queues/pending?sort=risk",
                              **auth).status_code == 200

        with CaptureQueriesContext(connection) as queries:
            page("risk")()
        ids = iter(data["ids"])

        def decide(action: str) -> Callable[[], Any]:
            def call() -> None:
                response = client.post(f"/moderation/comments/{next(ids)}/decide/",
                                       {"action": action, "guideline": "respect"},
                                       HTTP_HX_REQUEST="true")
                assert response.status_code == 200

            return call

        def api_decide() -> None:
            response = client.post(f"/api/v1/moderation/comments/{next(ids)}/decisions",
                                   {"action": "reject", "guideline": "respect"},
                                   content_type="application/json", **auth)
            assert response.status_code == 200

        figures: dict[str, float] = {"pending_comments": float(pending),
                                     "bulk_load_s": round(load_s, 2),
                                     "queue_page_queries": float(len(queries))}
        for name, call in (("queue_page_oldest", page("oldest")),
                           ("queue_page_risk", page("risk")),
                           ("queue_api_risk", api_queue),
                           ("approve_round_trip", decide("approve")),
                           ("reject_round_trip", decide("reject")),
                           ("api_reject_round_trip", api_decide)):
            times = sorted(_timed(call, repeat))
            figures[f"{name}_median_ms"] = round(statistics.median(times), 1)
            figures[f"{name}_p95_ms"] = round(times[int(len(times) * 0.95) - 1], 1)
        return figures
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> dict[str, float]:
    figures = run()
    width = max(len(k) for k in figures)
    print(f"{'moderation benchmark':<{width}}  value")
    for key, value in figures.items():
        print(f"{key:<{width}}  {value:g}")
    return figures


if __name__ == "__main__":
    main()
