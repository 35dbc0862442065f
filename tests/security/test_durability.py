"""Nothing lost: SIGKILL under load, a surge, and concurrent retries with one Idempotency-Key.

Each test runs a real `townhall serve` process on a free loopback port with its own database
(SQLite, or a fresh PostgreSQL database when DATABASE_URL is set) and audits the database
from another process afterwards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.security.conftest import record_figures
from tests.security.live import Installation, Poster, installation

KILLS = 2


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Installation]:
    with installation(tmp_path, accounts=8, ratelimit=False) as found:
        yield found


def _assert_nothing_lost(audit: dict, poster: Poster) -> None:
    assert audit["missing"] == [], audit
    assert audit["wrong_body"] == [], audit
    assert audit["duplicated"] == [], audit
    assert audit["half_written"] == [], audit
    assert audit["counts_off"] == [], audit


def test_sigkill_mid_load_loses_no_acknowledged_comment(live: Installation) -> None:
    live.start()
    poster = Poster(live, threads=6, interval=0.05, tag="kill")
    poster.post("warm-up", live.seed["tokens"][0])  # load the moderation model first
    poster.start()
    for _ in range(KILLS):
        time.sleep(2.5)
        live.kill()
        time.sleep(0.5)  # posts fail while the server is down
        live.start()
    time.sleep(1.5)
    poster.stop()
    # Retry everything that got no answer, with its Idempotency-Key, as a client would.
    retried = list(poster.unacknowledged)
    poster.unacknowledged.clear()
    for key, token in retried:
        assert poster.post(key, token) in (200, 201)
    live.stop()
    audit = live.audit(poster.acknowledged)
    _assert_nothing_lost(audit, poster)
    assert audit["stored"] == len(poster.acknowledged)
    assert poster.errors > 0  # the kills did cut requests off
    assert 500 not in poster.statuses, poster.statuses
    record_figures("kill", {"kills": KILLS, "acknowledged": len(poster.acknowledged),
                            "cut_off_then_retried": len(retried),
                            "stored": audit["stored"], "lost": len(audit["missing"]),
                            "duplicated": len(audit["duplicated"]),
                            "half_written": len(audit["half_written"])})


def test_retries_with_one_idempotency_key_create_one_comment(live: Installation) -> None:
    live.start()
    token = live.seed["tokens"][0]
    answers: list[tuple[int, int]] = []
    barrier = threading.Barrier(8)

    def retry() -> None:
        barrier.wait()
        status, body = live.request("POST", "/api/v1/sites/live/stories/s1/comments",
                                    {"body": "Posted once, sent eight times",
                                     "accept_terms": True},
                                    token=token, headers={"Idempotency-Key": "same-key-1"})
        answers.append((status, body["id"] if isinstance(body, dict) else -1))

    workers = [threading.Thread(target=retry) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert len(answers) == 8
    assert {status for status, _id in answers} <= {200, 201}
    assert sorted(status for status, _id in answers).count(201) == 1
    assert len({ident for _status, ident in answers}) == 1
    live.stop()
    audit = live.audit({"same-key-1": answers[0][1]})
    assert audit["stored"] == 1 and audit["duplicated"] == []
    record_figures("idempotency", {"concurrent_retries": 8, "comments_created": audit["stored"]})


@pytest.mark.slow
def test_a_surge_at_several_times_the_normal_rate_stays_consistent(tmp_path: Path) -> None:
    with installation(tmp_path, accounts=40, ratelimit=True) as live:
        live.start()
        normal = Poster(live, threads=2, interval=0.4, tag="normal")  # ~5 posts a second
        normal.post("warm-up", live.seed["tokens"][0])
        normal.start()
        time.sleep(3)
        surge = Poster(live, threads=16, interval=0.2, tag="surge")  # ~80 a second more
        surge.start()
        time.sleep(30)
        surge.stop()
        normal.stop()
        status, queue = live.request("GET", "/api/v1/moderation/queues/pending?limit=1",
                                     token=live.seed["admin"])
        assert status == 200
        live.stop()
        acknowledged = {**normal.acknowledged, **surge.acknowledged}
        audit = live.audit(acknowledged)
    statuses: dict[int, int] = {}
    for poster in (normal, surge):
        for code, count in poster.statuses.items():
            statuses[code] = statuses.get(code, 0) + count
    assert not [code for code in statuses if code >= 500], statuses
    assert set(statuses) <= {200, 201, 429}, statuses
    assert normal.errors == surge.errors == 0
    _assert_nothing_lost(audit, surge)
    assert audit["stored"] == len(acknowledged)
    assert queue["counts"]["pending"] == audit["statuses"].get("pending", 0)
    record_figures("surge", {"seconds": 30, "requests": sum(statuses.values()),
                             "accepted": len(acknowledged),
                             "rate_limited": statuses.get(429, 0),
                             "server_errors": sum(c for s, c in statuses.items() if s >= 500),
                             "lost": len(audit["missing"])})
