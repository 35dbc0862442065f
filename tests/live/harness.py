"""Drive the ASGI application in-process: plain requests and Server-Sent Events streams."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower().encode():
                return value.decode()
        return None

    def header_set(self) -> set[tuple[bytes, bytes]]:
        return {(k.lower(), v) for k, v in self.headers}

    def json(self) -> Any:
        return json.loads(self.body)


def _scope(url: str, headers: dict[str, str], method: str = "GET") -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1", "method": method, "scheme": "http",
        "path": parts.path, "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(), "root_path": "",
        "headers": [(b"host", b"127.0.0.1")]
        + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80),
    }


async def request(app: Any, url: str, headers: dict[str, str] | None = None,
                  method: str = "GET", body: bytes = b"") -> Reply:
    """Send one request through the ASGI app and collect the whole answer."""
    sent = False
    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(_scope(url, headers or {}, method), receive, send)
    return Reply(start["status"], list(start.get("headers", [])), b"".join(chunks))


@dataclass
class SseEvent:
    event: str
    data: Any
    id: str | None


@dataclass
class SseStream:
    """An open event stream; `next()` returns the next event, skipping comments."""

    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    chunks: asyncio.Queue[bytes] = field(default_factory=asyncio.Queue)
    buffer: str = ""
    comments: list[str] = field(default_factory=list)
    task: asyncio.Task[None] | None = None
    gone: asyncio.Event = field(default_factory=asyncio.Event)
    body: bytes = b""

    async def next(self, timeout: float = 10) -> SseEvent:
        while True:
            frame = await self._frame(timeout)
            fields: dict[str, str] = {}
            data: list[str] = []
            for line in frame.split("\n"):
                if line.startswith(":"):
                    self.comments.append(line[1:].strip())
                    continue
                name, _sep, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "data":
                    data.append(value)
                elif name:
                    fields[name] = value
            if data:
                return SseEvent(fields.get("event", "message"), json.loads("\n".join(data)),
                                fields.get("id"))

    async def _frame(self, timeout: float) -> str:
        while "\n\n" not in self.buffer:
            chunk = await asyncio.wait_for(self.chunks.get(), timeout)
            self.buffer += chunk.decode()
        frame, self.buffer = self.buffer.split("\n\n", 1)
        return frame

    async def close(self) -> None:
        self.gone.set()
        if self.task is not None:
            await asyncio.wait_for(self.task, 10)


async def open_stream(app: Any, url: str, headers: dict[str, str] | None = None) -> SseStream:
    """Open an event stream and wait until the server says it is subscribed."""
    stream = SseStream()
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": b"", "more_body": False}
        await stream.gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            stream.status = message["status"]
            stream.headers = list(message.get("headers", []))
            stream.opened.set()
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            if stream.status != 200:
                stream.body += body
            elif body:
                if b": connected" in body:
                    stream.connected.set()
                await stream.chunks.put(body)

    stream.task = asyncio.create_task(app(_scope(url, headers or {}), receive, send))
    await asyncio.wait_for(stream.opened.wait(), 10)
    if stream.status == 200:
        await asyncio.wait_for(stream.connected.wait(), 10)
    else:
        await asyncio.wait_for(stream.task, 10)
    return stream
