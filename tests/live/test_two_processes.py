"""Two server processes agree, sharing Redis or, without it, the data directory's files:
what one is told, readers on the other hear."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import pytest

SEED = """
import json
from townhall.accounts.services import account_create, session_create, staff_create
from townhall.moderation.services import site_moderation_update
from townhall.stories.services import site_create, story_upsert
site, key = site_create(name="daily", origins=["https://news.example"], title="Daily")
site_moderation_update(site=site, new_commenter_holds=0)
story_upsert(site=site, external_id="1.100", title="Bridge")
reader = account_create(email="reader@example.org", password="correct horse battery staple",
                        first_name="Amara", last_name="Okafor", verified=True)
staff, _ = staff_create(email="mod@example.org", role="moderator",
                        password="correct horse battery staple", first_name="Dana",
                        last_name="Whitfield", sites=[site])
print(json.dumps({"key": key, "reader": session_create(account=reader),
                  "moderator": session_create(account=staff)}))
"""


def _redis_url() -> str:
    from django.conf import settings

    return settings.REDIS_URL or os.environ.get("TOWNHALL_TEST_REDIS_URL",
                                                "redis://127.0.0.1:6379/5")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EventReader:
    """A minimal blocking Server-Sent Events client over a raw socket."""

    def __init__(self, port: int, path: str, headers: dict[str, str]) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Accept: text/event-stream",
                 *(f"{k}: {v}" for k, v in headers.items())]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buffer = b""
        head = self._until(b"\r\n\r\n")
        assert b" 200 " in head.split(b"\r\n", 1)[0], head
        self._until(b": connected")

    def _until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise AssertionError("stream closed")
            self.buffer += chunk
        found, self.buffer = self.buffer.split(marker, 1)
        return found

    def next_event(self) -> tuple[str, Any]:
        while True:
            frame = self._until(b"\n\n").decode()
            fields = dict(line.split(": ", 1) for line in frame.splitlines()
                          if ": " in line and not line.startswith(":"))
            if "data" in fields:
                return fields.get("event", "message"), json.loads(fields["data"])

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module", params=["redis", "files"])
def two_servers(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    redis_url = ""
    if request.param == "redis":
        redis_url = _redis_url()
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except Exception as error:  # pragma: no cover - depends on the machine
            pytest.skip(f"Redis is not reachable at {redis_url}: {error}")
    directory = tmp_path_factory.mktemp("two-servers")
    env = {
        **os.environ, "TOWNHALL_DATA_DIR": str(directory),
        "DATABASE_URL": f"sqlite:///{directory / 'townhall.sqlite3'}",
        "REDIS_URL": redis_url, "TOWNHALL_CACHE_PREFIX": f"twoproc-{uuid.uuid4().hex[:8]}",
        "TOWNHALL_RATELIMIT": "off", "SECRET_KEY": "two-processes-test-secret-key",
        "DJANGO_SETTINGS_MODULE": "townhall.config.settings",
        # Two `serve` commands on one data directory: each knows it is not alone.
        "TOWNHALL_PROCESSES": "2",
    }
    townhall = [sys.executable, "-m", "townhall.cli"]
    subprocess.run([*townhall, "migrate", "-v0"], env=env, check=True, timeout=120)
    seeded = subprocess.run([*townhall, "shell", "-c", SEED], env=env, check=True,
                            capture_output=True, text=True, timeout=60)
    secrets = json.loads(seeded.stdout.strip().splitlines()[-1])
    ports = [_free_port(), _free_port()]
    servers = [subprocess.Popen([*townhall, "serve", "--port", str(port)], env=env)
               for port in ports]
    try:
        for port in ports:
            _wait_until_up(port)
        yield {"ports": ports, **secrets}
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=15)


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}/api/v1/sites/daily/policy", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server on {port} did not start")


def _call(port: int, method: str, path: str, token: str, body: dict[str, Any]) -> Any:
    request = Request(f"http://127.0.0.1:{port}/api/v1/{path}", method=method,
                      data=json.dumps(body).encode(),
                      headers={"Authorization": f"Bearer {token}",
                               "Content-Type": "application/json"})
    with urlopen(request, timeout=15) as answer:
        return json.loads(answer.read())


def _get(port: int, path: str) -> Any:
    with urlopen(f"http://127.0.0.1:{port}/api/v1/{path}", timeout=15) as answer:
        return json.loads(answer.read())


def test_a_comment_posted_through_one_process_reaches_a_reader_on_the_other(
        two_servers: dict[str, Any]) -> None:
    one, other = two_servers["ports"]
    thread = "sites/daily/stories/1.100/comments"
    before = _get(other, thread)  # the other process now holds the page in memory
    readers = EventReader(other, "/api/v1/sites/daily/stories/1.100/events", {})
    moderators = EventReader(other, "/api/v1/moderation/events",
                             {"Authorization": f"Bearer {two_servers['moderator']}"})
    assert moderators.next_event()[0] == "queue.counts"
    try:
        posted = _call(one, "POST", thread, two_servers["reader"],
                       {"body": "Posted through the first process.", "accept_terms": True})
        if posted["status"] == "published":
            kind, data = readers.next_event()
            assert kind == "comment.published"
            assert data["comment_id"] == posted["id"]
            after = _get(other, thread)
            assert [c["id"] for c in after["comments"]] == [posted["id"]]
            assert after != before
        else:  # held by the moderation pipeline: the moderator on the other process hears
            kind, data = moderators.next_event()
            assert kind == "comment.held"
        assert data["comment_id"] == posted["id"]

        _call(one, "PATCH", "sites/daily/stories/1.100", two_servers["key"], {"action": "close"})
        kind, data = readers.next_event()
        assert (kind, data["is_open"]) == ("story.updated", False)
        assert _get(other, thread)["story"]["is_open"] is False
    finally:
        readers.close()
        moderators.close()


def test_serve_runs_several_workers_without_redis_on_the_data_directory(
        tmp_path: Path) -> None:
    env = {**os.environ, "TOWNHALL_DATA_DIR": str(tmp_path), "REDIS_URL": "",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "SECRET_KEY": "two-workers-test-secret-key", "TOWNHALL_PROCESSES": ""}
    townhall = [sys.executable, "-m", "townhall.cli"]
    subprocess.run([*townhall, "migrate", "-v0"], env=env, check=True, timeout=120)
    subprocess.run([*townhall, "shell", "-c", SEED], env=env, check=True, capture_output=True,
                   timeout=60)
    port = _free_port()
    server = subprocess.Popen([*townhall, "serve", "--port", str(port), "--workers", "2"],
                              env=env)
    try:
        _wait_until_up(port)
        # The workers share their cache and live events through files beside the database.
        for _ in range(4):
            _get(port, "sites/daily/stories/1.100/comments")
        assert (tmp_path / "cache.sqlite3").exists()
        assert (tmp_path / "live.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=15)
