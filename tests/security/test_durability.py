"""Nothing lost: SIGKILL under load, a surge, and concurrent retries with one Idempotency-Key.

The tests share one installation (SQLite, or a fresh PostgreSQL database when DATABASE_URL is
set), each starting its own `townhall serve` process on a free loopback port, and audit the
database from another process afterwards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from tests.security.conftest import record_figures
from tests.security.live import Installation, Poster, installation

KILLS = 2
SURGE_SECONDS = 30


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    with installation(tmp_path_factory.mktemp("live"), accounts=48) as found:
        yield found
        found.stop()


def _assert_nothing_lost(audit: dict) -> None:
    assert audit["missing"] == [], audit
    assert audit["wrong_body"] == [], audit
    assert audit["duplicated"] == [], audit
    assert audit["half_written"] == [], audit
    assert audit["counts_off"] == [], audit


@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_mid_load_loses_no_acknowledged_comment(live: Installation,
                                                       workers: int) -> None:
    # Two workers: two processes write one SQLite file (or PostgreSQL) and share the data
    # directory's files; a kill of both loses nothing either.
    tag = f"kill{workers}"
    live.start(workers=workers)
    poster = Poster(live, threads=6, interval=0.05, tag=tag)
    poster.post(f"{tag}-warm-up", live.seed["tokens"][0])  # load the moderation model first
    poster.start()
    for _ in range(KILLS):
        time.sleep(2.5)
        live.kill()
        time.sleep(0.5)  # posts fail while the server is down, and are retried
        live.start(workers=workers)
    time.sleep(1.5)
    poster.stop()
    live.stop()
    audit = live.audit(poster.acknowledged, tag)
    _assert_nothing_lost(audit)
    assert audit["stored"] == len(poster.acknowledged)
    assert poster.cut_off  # the kills did cut requests off; their retries were answered
    assert all(key in poster.acknowledged for key in poster.cut_off)
    assert not [code for code in poster.statuses if code >= 500], poster.statuses
    record_figures(tag, {"kills": KILLS, "workers": workers,
                         "acknowledged": len(poster.acknowledged),
                         "cut_off_then_retried": len(poster.cut_off),
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
                                    {"body": "same Posted once, sent eight times",
                                     "accept_terms": True},
                                    token=token, headers={"Idempotency-Key": "same-key-1"})
        answers.append((status, body["id"] if isinstance(body, dict) else -1))

    workers = [threading.Thread(target=retry) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    live.stop()
    assert len(answers) == 8
    assert {status for status, _id in answers} <= {200, 201}, answers
    assert [status for status, _id in answers].count(201) == 1
    assert len({ident for _status, ident in answers}) == 1
    audit = live.audit({"same-key-1": answers[0][1]}, "same")
    assert audit["stored"] == 1 and audit["duplicated"] == []
    record_figures("idempotency", {"concurrent_retries": 8, "comments_created": audit["stored"]})


@pytest.mark.slow
def test_a_surge_at_several_times_the_normal_rate_stays_consistent(live: Installation) -> None:
    live.start(ratelimit=True)  # as in production
    normal = Poster(live, threads=2, interval=0.4, tag="normal", addresses=2)  # ~5 a second
    normal.post("normal-warm-up", live.seed["tokens"][0])
    normal.start()
    time.sleep(3)
    surge = Poster(live, threads=12, interval=0.4, tag="surge", addresses=12)  # 6x normal
    surge.start()
    time.sleep(SURGE_SECONDS)
    surge.stop()
    normal.stop()
    status, queue = live.request("GET", "/api/v1/moderation/queues/pending?limit=1",
                                 token=live.seed["admin"])
    assert status == 200, queue
    live.stop()
    statuses: dict[int, int] = {}
    for poster in (normal, surge):
        for code, count in poster.statuses.items():
            statuses[code] = statuses.get(code, 0) + count
    assert not [code for code in statuses if code >= 500], statuses
    assert set(statuses) <= {200, 201, 429}, statuses
    assert normal.errors == surge.errors == 0
    audits = [live.audit(normal.acknowledged, "normal"), live.audit(surge.acknowledged, "surge")]
    for audit in audits:
        _assert_nothing_lost(audit)
    assert audits[0]["stored"] + audits[1]["stored"] == len(normal.acknowledged) + len(
        surge.acknowledged)
    pending = sum(a["statuses"].get("pending", 0) for a in audits)
    assert queue["counts"]["pending"] >= pending
    record_figures("surge", {"seconds": SURGE_SECONDS, "requests": sum(statuses.values()),
                             "accepted": len(normal.acknowledged) + len(surge.acknowledged),
                             "rate_limited": statuses.get(429, 0),
                             "server_errors": sum(c for s, c in statuses.items() if s >= 500),
                             "lost": sum(len(a["missing"]) for a in audits)})
