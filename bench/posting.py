"""Posting only: `python -m bench.posting [sqlite|postgres]` — the posting figure of `make bench`
on its own (fresh database, seed, serve, wrk+Lua at 16 connections, posting the newsroom mix of
bench/mix.py), for profiling work.

Prints one JSON line per backend. BENCH_SECONDS, BENCH_REPEATS, BENCH_SQLITE_WORKERS and
BENCH_PG_WORKERS override the run length, the repeat count and the worker counts.
"""

from __future__ import annotations

import json
import os
import sys

from bench.__main__ import (
    PG_URL,
    REDIS_URL,
    Backend,
    log,
    model_in_use,
    post_script,
    posting_run,
)


def posting(backend: Backend, *, seconds: int, repeats: int) -> dict[str, object]:
    backend.reset()
    pipeline = model_in_use(backend)
    mix_profile = backend.python("-m", "bench.mix")
    seeded = backend.python("-m", "bench.loader", "seed")
    backend.start()
    try:
        script = post_script(backend.dir, seeded["tokens"])
        load = os.getloadavg()[0]
        log(f"{backend.name}: posting at 16 connections")
        figures = posting_run(backend, script, 16, seconds=seconds, repeats=repeats)
        return {"backend": backend.name, "workers": backend.workers, "pipeline": pipeline,
                "posting_mix": mix_profile,
                "load_before": load, "load_after": os.getloadavg()[0], **figures}
    finally:
        backend.cleanup()


def main() -> None:
    which = sys.argv[1:] or ["sqlite", "postgres"]
    seconds = int(os.environ.get("BENCH_SECONDS", "5"))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    workers = int(os.environ.get("BENCH_PG_WORKERS", "2"))
    for name in which:
        if name == "sqlite":
            backend = Backend("sqlite", database_url=None, redis_url=None,
                              workers=int(os.environ.get("BENCH_SQLITE_WORKERS", "2")))
        else:
            backend = Backend("postgres+redis", database_url=PG_URL, redis_url=REDIS_URL,
                              workers=workers)
        print(json.dumps(posting(backend, seconds=seconds, repeats=repeats)), flush=True)


if __name__ == "__main__":
    main()
