"""The tasks layer: jobs run after commit, never on rollback; failures retry with backoff."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase

from townhall.core import clock
from townhall.notify import tasks
from townhall.notify.models import Job, Schedule

pytestmark = pytest.mark.calendar

CALLS: list[dict[str, Any]] = []
FAILURES: list[int] = []


def record(**kwargs: Any) -> None:
    CALLS.append(kwargs)


def flaky(*, times: int) -> None:
    """Fail the first `times` calls."""
    FAILURES.append(1)
    if len(FAILURES) <= times:
        raise RuntimeError("receiver down")


@pytest.fixture(autouse=True)
def _reset(monkeypatch: Any) -> None:
    monkeypatch.setattr(tasks, "ALLOWED_PREFIXES", ("townhall.", "tests.notify."))
    CALLS.clear()
    FAILURES.clear()


def test_a_job_runs_after_the_commit_and_leaves_no_row(db: None) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        tasks.enqueue("tests.notify.test_tasks.record", story=7)
        assert CALLS == []
    assert CALLS == [{"story": 7}]
    assert not Job.objects.exists()


def test_a_rolled_back_write_runs_no_job(db: None) -> None:
    with (TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        tasks.enqueue("tests.notify.test_tasks.record", story=7)
        raise RuntimeError("the write failed")
    assert CALLS == []
    assert not Job.objects.exists()


def test_only_townhall_functions_can_be_enqueued(db: None) -> None:
    with pytest.raises(ValueError):
        tasks.enqueue("os.system", command="true")


def test_a_failing_job_is_retried_with_doubling_delays_then_kept_as_failed(db: None) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.enqueue("tests.notify.test_tasks.flaky", times=5, max_attempts=3,
                      backoff_seconds=10)
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED and job.attempts == 1
    first_wait = job.run_after - clock.now()
    assert dt.timedelta(seconds=8) < first_wait <= dt.timedelta(seconds=10)
    assert tasks.run_due() == 0  # not due yet
    tasks.run_due(now=clock.now() + dt.timedelta(seconds=11))
    job.refresh_from_db()
    assert job.attempts == 2
    assert dt.timedelta(seconds=18) < job.run_after - clock.now() <= dt.timedelta(seconds=20)
    tasks.run_due(now=clock.now() + dt.timedelta(seconds=25))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.attempts == 3
    assert "receiver down" in job.last_error
    assert len(FAILURES) == 3


def test_a_retried_job_succeeds_once_the_cause_is_gone(db: None) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.enqueue("tests.notify.test_tasks.flaky", times=1, max_attempts=3)
    assert Job.objects.get().attempts == 1
    tasks.run_due(now=clock.now() + dt.timedelta(minutes=5))
    assert not Job.objects.exists()


def test_a_job_whose_worker_died_is_run_again_after_its_lease(db: None) -> None:
    job = tasks.enqueue("tests.notify.test_tasks.record", story=1, delay=dt.timedelta(0))
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING,
                                         locked_until=clock.now() - dt.timedelta(seconds=1))
    assert tasks.run_due() == 1
    assert CALLS == [{"story": 1}]


def test_periodic_jobs_are_claimed_once_and_rescheduled(db: None) -> None:
    tasks.schedule_due()  # first sight: schedules, runs nothing
    row = Schedule.objects.get(name="prune")
    later = row.next_run_at + dt.timedelta(seconds=1)
    assert "prune" in tasks.schedule_due(now=later)
    assert "prune" not in tasks.schedule_due(now=later)
    assert Schedule.objects.get(name="prune").next_run_at > later


def test_digests_are_scheduled_at_the_digest_hour(db: None, settings: Any) -> None:
    from django.utils import timezone

    settings.TOWNHALL_DIGEST_HOUR = 6
    tasks.schedule_due()
    when = timezone.localtime(Schedule.objects.get(name="send-digests").next_run_at)
    assert (when.hour, when.minute) == (6, 0)


@pytest.mark.parametrize(("evening", "next_digest_utc"), [
    # The night the clocks spring forward (02:00 EST becomes 03:00 EDT): 07:00 EDT is 11:00 UTC.
    (dt.datetime(2027, 3, 13, 23, 30), dt.datetime(2027, 3, 14, 11, 0, tzinfo=dt.UTC)),
    # The night they fall back (02:00 EDT becomes 01:00 EST): 07:00 EST is 12:00 UTC.
    (dt.datetime(2027, 11, 6, 23, 30), dt.datetime(2027, 11, 7, 12, 0, tzinfo=dt.UTC)),
    # An ordinary winter night and one in summer.
    (dt.datetime(2027, 2, 26, 22, 0), dt.datetime(2027, 2, 27, 12, 0, tzinfo=dt.UTC)),
    (dt.datetime(2027, 8, 16, 8, 0), dt.datetime(2027, 8, 17, 11, 0, tzinfo=dt.UTC)),
])
def test_digests_keep_the_local_hour_across_daylight_saving_changes(
    db: None, settings: Any, evening: dt.datetime, next_digest_utc: dt.datetime
) -> None:
    settings.TIME_ZONE = "America/Toronto"
    settings.TOWNHALL_DIGEST_HOUR = 7
    moment = evening.replace(tzinfo=ZoneInfo("America/Toronto"))
    Schedule.objects.filter(name="send-digests").delete()
    tasks.schedule_due(now=moment)
    assert Schedule.objects.get(name="send-digests").next_run_at == next_digest_utc


def test_the_worker_command_runs_due_jobs_once(db: None, capsys: Any) -> None:
    tasks.enqueue("tests.notify.test_tasks.record", story=3)
    call_command("worker", "--once")
    assert CALLS == [{"story": 3}]
    assert "ran 1 task" in capsys.readouterr().out


def test_no_task_thread_runs_behind_the_tests(db: None, monkeypatch: Any) -> None:
    """A task thread in the test process writes from its own connection, outside every test's
    transaction: it once left Schedule rows that decided later tests. Nothing may start one,
    not even a request made before any fixture runs (schemathesis loads its schema then)."""
    assert "townhall-tasks" not in {thread.name for thread in threading.enumerate()}
    monkeypatch.setattr(tasks, "_started", set())  # as on a process's first request
    assert Client().get("/healthz").status_code == 200
    runner = tasks.InProcessRunner._instance
    if runner is not None:  # stop what the request started before failing
        runner.stop()
        runner.join(10)
        tasks.InProcessRunner._instance = None
    assert runner is None


@pytest.mark.django_db(transaction=True)
def test_the_in_process_runner_runs_jobs_on_its_thread(settings: Any) -> None:
    settings.TOWNHALL_TASKS = "inprocess"
    done = threading.Event()
    with transaction.atomic():
        tasks.enqueue("tests.notify.test_tasks.record", story=9)
    runner = tasks.InProcessRunner.get()
    try:
        for _ in range(200):
            if CALLS:
                done.set()
                break
            runner.wake()
            threading.Event().wait(0.05)
    finally:
        runner.stop()
        runner.join(10)
        tasks.InProcessRunner._instance = None
    assert done.is_set() and CALLS == [{"story": 9}]
