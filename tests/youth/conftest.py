"""Youth tests: a calm stand-in for the model, and the demo newsroom served for a browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.accounts.conftest import calm_model

__all__ = ["calm_model", "demo_server"]

SSO_SECRET = "browser-test-publisher-secret-0123456789"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the sample newsroom (own SQLite file) with publisher sign-in set up for `demo`."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}}
    env.update(TOWNHALL_DATA_DIR=str(tmp_path_factory.mktemp("demo-server")),
               TOWNHALL_PUBLIC_URL=base, SECRET_KEY="browser-tests-only")
    townhall = [sys.executable, "-m", "townhall.cli"]
    subprocess.run([*townhall, "demo", "--no-serve", "--port", str(port)], env=env,
                   check=True, capture_output=True, timeout=300)
    subprocess.run([*townhall, "sso-config", "demo", "--hs256-secret", SSO_SECRET], env=env,
                   check=True, capture_output=True, timeout=60)
    log = Path(env["TOWNHALL_DATA_DIR"]) / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen([*townhall, "serve", "--port", str(port)], env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/demo/", timeout=2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(log.read_text()) from None
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)
