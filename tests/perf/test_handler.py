"""`core/handler.py` and the SQLite write lock are kept because they pay (docs/adr/0004).

The handler leans on Django's internals (`BaseHandler.__init__`, `load_middleware`,
`create_request`, `get_script_prefix`), so it is pinned to the Django release it was
measured on: an upgrade fails here until it is measured again and this pin moves.
"""

from __future__ import annotations

import asyncio
from typing import Any

import django
import pytest
from django.core.handlers.asgi import ASGIHandler

from townhall.core.handler import OneHopHandler

MEASURED_ON = (6, 1)


def test_the_handler_is_pinned_to_the_django_it_was_measured_on() -> None:
    assert django.VERSION[:2] == MEASURED_ON, (
        "core/handler.py reaches into Django's handler internals: measure it against "
        "TOWNHALL_HANDLER=django with `make bench` (docs/adr/0004), then move MEASURED_ON")


def _call(app: Any, method: str, path: str, body: bytes = b"",
          headers: list[tuple[bytes, bytes]] | None = None) -> tuple[int, dict[bytes, bytes],
                                                                     bytes]:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "server": ("testserver", 80),
             "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"testserver"), *(headers or [])]}
    sent: list[dict[str, Any]] = []
    incoming = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), content


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/healthz", b""),
    ("GET", "/api/v1/no-such-thing", b""),
    ("POST", "/api/v1/sessions", b'{"email": "nobody@example.org", "password": "x"}'),
])
def test_one_hop_answers_as_django_does(method: str, path: str, body: bytes) -> None:
    headers = [(b"content-type", b"application/json")] if body else []
    ours = _call(OneHopHandler(), method, path, body, headers)
    theirs = _call(ASGIHandler(), method, path, body, headers)
    assert ours[0] == theirs[0]
    assert ours[2] == theirs[2]
    assert ours[1].get(b"Content-Type") == theirs[1].get(b"Content-Type")
