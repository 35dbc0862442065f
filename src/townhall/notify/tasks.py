"""Background tasks: `enqueue("townhall.x.y.func", **kwargs)` and the loops that run them.

Every job is a row (`Job`) written inside the caller's transaction. Who runs the rows is the one
setting `TOWNHALL_TASKS` chooses:

- `inprocess` (the embedded default): a daemon thread in each web process, woken after commit;
- `worker` (production): `townhall worker` processes poll the table; the web does not run jobs;
- `immediate` (tests): due jobs run synchronously right after the commit.

Failed jobs are retried with exponential backoff up to their `max_attempts`. Periodic jobs
(daily digests, sweeps) are claimed through `Schedule` rows so one process runs each.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import F
from django.utils.module_loading import import_string

from townhall.core import clock, metrics
from townhall.notify.models import Job, Schedule, WebhookDelivery

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(hours=6)
BACKENDS = ("inprocess", "worker", "immediate")
# Jobs name functions by path; only these packages' functions may be named.
ALLOWED_PREFIXES: tuple[str, ...] = ("townhall.",)


def backend_name() -> str:
    name = getattr(settings, "TOWNHALL_TASKS", "inprocess")
    if name not in BACKENDS:
        raise ValueError(f"TOWNHALL_TASKS must be one of {', '.join(BACKENDS)}, not {name!r}")
    return str(name)


def enqueue(
    func_path: str,
    *,
    delay: dt.timedelta | None = None,
    max_attempts: int = 1,
    backoff_seconds: int = 60,
    **kwargs: Any,
) -> Job:
    """Run `func_path(**kwargs)` in the background once the current transaction commits.

    `kwargs` must be JSON values (pass ids, not model instances). A job that raises is retried
    `max_attempts - 1` times, waiting `backoff_seconds`, then twice as long each time.
    """
    if not func_path.startswith(ALLOWED_PREFIXES):
        raise ValueError("Only Townhall functions can be run as tasks.")
    job = Job.objects.create(
        func_path=func_path, kwargs=kwargs, max_attempts=max(1, max_attempts),
        backoff_seconds=backoff_seconds, run_after=clock.now() + (delay or dt.timedelta()),
    )
    if not delay:
        transaction.on_commit(_wake)
    return job


def _wake() -> None:
    name = backend_name()
    if name == "immediate":
        run_due()
    elif name == "inprocess":
        InProcessRunner.get().wake()


def backoff(job: Job) -> dt.timedelta:
    """Return how long to wait before the next attempt (doubling after each failure)."""
    seconds = job.backoff_seconds * 2 ** max(0, job.attempts - 1)
    return min(dt.timedelta(seconds=seconds), MAX_BACKOFF)


def _claim(job_id: int, now: dt.datetime) -> bool:
    return bool(
        Job.objects.filter(pk=job_id, state=Job.State.QUEUED, run_after__lte=now).update(
            state=Job.State.RUNNING, attempts=F("attempts") + 1, locked_until=now + LEASE,
        )
    )


def run_job(job: Job) -> bool:
    """Run one claimed job; delete it on success, schedule a retry or mark it failed."""
    try:
        func: Callable[..., Any] = import_string(job.func_path)
        func(**job.kwargs)
    except Exception as error:
        job.refresh_from_db(fields=["attempts"])
        text = "".join(traceback.format_exception_only(error)).strip()
        if job.attempts < job.max_attempts:
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.QUEUED, run_after=clock.now() + backoff(job),
                locked_until=None, last_error=text[:2000],
            )
            log.warning("task %s failed (attempt %d), retrying: %s",
                        job.func_path, job.attempts, text)
            metrics.TASKS.labels(outcome="retry", task=job.func_path).inc()
        else:
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.FAILED, locked_until=None,
                last_error="".join(traceback.format_exception(error))[-4000:],
            )
            log.exception("task %s failed for good", job.func_path)
            metrics.TASKS.labels(outcome="failed", task=job.func_path).inc()
        return False
    Job.objects.filter(pk=job.pk).delete()
    metrics.TASKS.labels(outcome="done", task=job.func_path).inc()
    return True


def run_due(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Run the jobs that are due (claiming each so two runners never run one twice)."""
    moment = now or clock.now()
    Job.objects.filter(state=Job.State.RUNNING, locked_until__lt=moment).update(
        state=Job.State.QUEUED, locked_until=None
    )
    ran = 0
    ids = list(
        Job.objects.filter(state=Job.State.QUEUED, run_after__lte=moment)
        .order_by("run_after", "id").values_list("pk", flat=True)[:limit]
    )
    for job_id in ids:
        if not _claim(job_id, moment):
            continue
        job = Job.objects.get(pk=job_id)
        run_job(job)
        ran += 1
    return ran


def backlog() -> int:
    """Return how many jobs are queued and due."""
    return Job.objects.filter(state=Job.State.QUEUED, run_after__lte=clock.now()).count()


# Periodic jobs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Periodic:
    name: str
    func_path: str
    next_run: Callable[[dt.datetime], dt.datetime]


def _every(minutes: int) -> Callable[[dt.datetime], dt.datetime]:
    return lambda moment: moment + dt.timedelta(minutes=minutes)


def _daily_at_digest_hour(moment: dt.datetime) -> dt.datetime:
    """Return the next time the local clock shows the digest hour."""
    from django.utils import timezone

    local = timezone.localtime(moment)
    hour = int(getattr(settings, "TOWNHALL_DIGEST_HOUR", 7))
    target = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= local:
        target += dt.timedelta(days=1)
    return target


def periodic_jobs() -> list[Periodic]:
    return [
        Periodic("send-digests", "townhall.notify.emails.send_digests", _daily_at_digest_hour),
        Periodic("stories-closed", "townhall.notify.webhooks.announce_scheduled_closings",
                 _every(1)),
        Periodic("prune", "townhall.notify.tasks.prune", _every(60)),
        # Due account erasures, address digests past retention (docs/security.md).
        Periodic("purge-deleted", "townhall.accounts.services.accounts_purge", _every(60)),
        # Each site's retention policy (docs/privacy.md).
        Periodic("retention", "townhall.moderation.retention.retention_enforce", _every(1440)),
    ]


def schedule_due(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue the periodic jobs whose time has come; return their names."""
    moment = now or clock.now()
    started = []
    for periodic in periodic_jobs():
        row, created = Schedule.objects.get_or_create(
            name=periodic.name, defaults={"next_run_at": periodic.next_run(moment),
                                          "last_run_at": moment},
        )
        if created or row.next_run_at > moment:
            continue
        claimed = Schedule.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=periodic.next_run(moment), last_run_at=moment
        )
        if claimed:
            with transaction.atomic():
                enqueue(periodic.func_path)
            started.append(periodic.name)
    return started


def prune() -> None:
    """Forget failed jobs after 30 days and webhook deliveries after 90."""
    moment = clock.now()
    Job.objects.filter(state=Job.State.FAILED, created_at__lt=moment - dt.timedelta(days=30)
                       ).delete()
    WebhookDelivery.objects.filter(created_at__lt=moment - dt.timedelta(days=90)).delete()


# Runners ---------------------------------------------------------------------------------


def work(*, stop: threading.Event, poll: float = 1.0, schedule: bool = True) -> None:
    """Run due jobs and periodic schedules until `stop` is set (the worker's loop)."""
    while not stop.is_set():
        ran = 0
        try:
            close_old_connections()
            if schedule:
                schedule_due()
            ran = run_due()
        except Exception:
            log.exception("task runner iteration failed")
        finally:
            close_old_connections()
        if not ran:
            stop.wait(poll)


class InProcessRunner:
    """The embedded default: one daemon thread per process runs jobs, woken after commit."""

    _instance: InProcessRunner | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._wakeup = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="townhall-tasks", daemon=True)
        self._pid = os.getpid()

    @classmethod
    def get(cls) -> InProcessRunner:
        with cls._lock:
            # A forked server worker must start its own thread.
            if cls._instance is None or cls._instance._pid != os.getpid():
                cls._instance = cls()
                cls._instance._thread.start()
            return cls._instance

    def wake(self) -> None:
        self._wakeup.set()

    def stop(self) -> None:
        self._stop.set()
        self._wakeup.set()

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            # After a failure (database away), wait longer before trying again.
            self._wakeup.wait(5.0 if not failures else min(300.0, 5.0 * 2 ** failures))
            self._wakeup.clear()
            try:
                close_old_connections()
                schedule_due()
                while run_due():
                    pass
                close_old_connections()
                failures = 0
            except Exception:
                failures += 1
                if failures == 1:
                    log.exception("in-process task runner failed; retrying with backoff")
        connections.close_all()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)


_started: set[int] = set()


def start_in_process_runner() -> None:
    """Start this process's task thread when the in-process backend is configured.

    Called on each process's first request (so periodic jobs run in a web-only install).
    """
    if os.getpid() in _started:
        return
    _started.add(os.getpid())
    if backend_name() == "inprocess":
        InProcessRunner.get().wake()
