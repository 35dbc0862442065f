"""A real Townhall server process on a free loopback port, with its own database.

SQLite by default; a fresh PostgreSQL database when DATABASE_URL points at PostgreSQL.
Used by the kill, surge and idempotency tests, which need a server they can SIGKILL.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
TOWNHALL = str(Path(sys.executable).with_name("townhall"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def fresh_postgres(url: str) -> Iterator[str]:
    """Create an empty PostgreSQL database beside DATABASE_URL's; drop it afterwards."""
    import psycopg

    parts = urlsplit(url)
    name = f"townhall_live_{os.getpid()}_{secrets.token_hex(3)}"
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Installation:
    """A data directory and database, migrated and seeded, and the server that serves them."""

    directory: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    seed: dict[str, Any] = field(default_factory=dict)
    log: Path | None = None

    def run(self, *args: str) -> str:
        done = subprocess.run(args, cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=180, check=False)
        if done.returncode != 0:
            raise AssertionError(f"{args} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def prepare(self, accounts: int) -> None:
        self.run(TOWNHALL, "migrate", "--no-input", "-v", "0")
        out = self.run(sys.executable, "-m", "tests.security.live_tools", "seed", str(accounts))
        self.seed = json.loads(out.strip().splitlines()[-1])

    def start(self, *, ratelimit: bool = False, workers: int = 1) -> None:
        self.log = self.directory / f"server-{time.monotonic_ns()}.log"
        env = {**self.env, "TOWNHALL_RATELIMIT": "on" if ratelimit else "off"}
        with open(self.log, "wb") as log:
            # A session of its own, so a kill reaches every worker process at once.
            self.process = subprocess.Popen(
                [TOWNHALL, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", str(workers)],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                status, _body = self.request("GET", "/api/v1/sites/live/policy", timeout=2)
                if status == 200:
                    return
            time.sleep(0.1)
        raise AssertionError(f"server did not start: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the server and its workers: no shutdown handler runs, in-flight requests
        die with it."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def request(self, method: str, path: str, body: Any = None, *, token: str = "",
                headers: dict[str, str] | None = None, timeout: float = 10,
                source: str = "127.0.0.1") -> tuple[int, Any]:
        """Send one request; `source` is the loopback address to send it from."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                                source_address=(source, 0))
        try:
            sent = {"Content-Type": "application/json", **(headers or {})}
            if token:
                sent["Authorization"] = f"Bearer {token}"
            connection.request(method, path, body=None if body is None else json.dumps(body),
                               headers=sent)
            response = connection.getresponse()
            raw = response.read()
            try:
                return response.status, json.loads(raw) if raw else None
            except ValueError:
                return response.status, raw.decode(errors="replace")
        finally:
            connection.close()

    def audit(self, acknowledged: dict[str, int], tag: str) -> dict[str, Any]:
        path = self.directory / f"acknowledged-{time.monotonic_ns()}.json"
        path.write_text(json.dumps(acknowledged))
        out = self.run(sys.executable, "-m", "tests.security.live_tools", "audit", str(path),
                       tag)
        return dict(json.loads(out.strip().splitlines()[-1]))


@contextlib.contextmanager
def installation(directory: Path, *, accounts: int) -> Iterator[Installation]:
    """Yield a migrated, seeded installation on SQLite, or PostgreSQL if DATABASE_URL says so."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update({"TOWNHALL_DATA_DIR": str(directory), "TOWNHALL_LOG_LEVEL": "WARNING",
                "EMAIL_URL": f"file://{directory}/outbox",
                # Keep what the run put there (tests/on_days.sh adds its sitecustomize).
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                            os.environ.get("PYTHONPATH")]))})
    url = os.environ.get("DATABASE_URL", "")
    with contextlib.ExitStack() as stack:
        if urlsplit(url).scheme.startswith("postgres"):
            env["DATABASE_URL"] = stack.enter_context(fresh_postgres(url))
            env["TOWNHALL_CONN_MAX_AGE"] = "0"
        else:
            env["DATABASE_URL"] = ""
        if env.get("REDIS_URL"):
            env["TOWNHALL_CACHE_PREFIX"] = f"live{secrets.token_hex(3)}"
        found = Installation(directory=directory, env=env)
        found.prepare(accounts)
        try:
            yield found
        finally:
            found.stop()


class Poster:
    """Threads that post comments at a steady rate, as the widget would.

    A post that gets no answer (the server is down) is sent again with the same
    Idempotency-Key until one comes: a client never knows whether the first try was stored.
    """

    def __init__(self, server: Installation, *, threads: int, interval: float,
                 tag: str = "post", addresses: int = 1) -> None:
        self.server = server
        # Threads send from this many loopback addresses (127.0.1.1, 127.0.1.2, …), like
        # readers behind different connections.
        self.addresses = addresses
        self.threads = threads
        self.interval = interval
        self.tag = tag
        self.acknowledged: dict[str, int] = {}
        self.cut_off: set[str] = set()  # keys that needed more than one try
        self.statuses: dict[int, int] = {}
        self.errors = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    def post(self, key: str, token: str, source: str = "127.0.0.1") -> int:
        """Send one post until the server answers; return the status of that answer."""
        body = {"body": f"{self.tag} {key}", "accept_terms": True}
        deadline = time.monotonic() + 120
        while True:
            try:
                status, answer = self.server.request(
                    "POST", "/api/v1/sites/live/stories/s1/comments", body, token=token,
                    headers={"Idempotency-Key": key}, timeout=15, source=source)
                break
            except (OSError, http.client.HTTPException):
                # Refused, reset, or cut off halfway through the answer (IncompleteRead, which
                # is no OSError): the client cannot know whether the comment was stored.
                with self._lock:
                    self.errors += 1
                    self.cut_off.add(key)
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with self._lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status in (200, 201) and isinstance(answer, dict):
                self.acknowledged[key] = answer["id"]
        return status

    def _work(self, number: int) -> None:
        tokens = self.server.seed["tokens"]
        mine = tokens[number::self.threads] or [tokens[number % len(tokens)]]
        source = f"127.0.1.{1 + number % self.addresses}"
        next_at = time.monotonic()
        turn = 0
        while not self._stop.is_set():
            turn += 1
            self.post(f"{self.tag}-{uuid.uuid4().hex}", mine[turn % len(mine)], source)
            next_at += self.interval
            delay = next_at - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)
            else:
                next_at = time.monotonic()

    def start(self) -> None:
        self._stop.clear()
        self._workers = [threading.Thread(target=self._work, args=(n,), daemon=True)
                         for n in range(self.threads)]
        for worker in self._workers:
            worker.start()

    def stop(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=60)
