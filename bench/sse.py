"""Live fan-out: N Server-Sent Events subscribers on one story, time from POST answer to delivery.

Run as `python -m bench.sse --port P --subscribers N --posts M --token T`; prints JSON.
The client is plain asyncio over raw sockets (wrk cannot hold streams open).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import time
from typing import Any

SITE, STORY = "bench", "breaking"


async def subscriber(port: int, ready: asyncio.Event, counter: list[int], total: int,
                     arrivals: dict[int, list[float]]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    writer.write(f"GET /api/v1/sites/{SITE}/stories/{STORY}/events HTTP/1.1\r\n"
                 "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    buffer = b""
    while b": connected" not in buffer:
        chunk = await reader.read(65536)
        if not chunk:
            raise ConnectionError("stream closed before it opened")
        buffer += chunk
    counter[0] += 1
    if counter[0] == total:
        ready.set()
    buffer = b""
    try:
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                return
            now = time.perf_counter()
            buffer += chunk
            while b"\n\n" in buffer:
                frame, buffer = buffer.split(b"\n\n", 1)
                for line in frame.split(b"\n"):
                    if line.startswith(b"data: ") and (b"comment.published" in frame
                                                       or b"comment.liked" in frame):
                        data = json.loads(line[6:])
                        arrivals.setdefault(data["comment_id"], []).append(now)
    finally:
        writer.close()


async def post(port: int, token: str, text: str, path: str = ""
               ) -> tuple[dict[str, Any], float, float]:
    """POST and return the answer, when it was fully read, and when the request was sent."""
    body = json.dumps({"body": text, "accept_terms": True} if not path else {}).encode()
    path = path or f"/api/v1/sites/{SITE}/stories/{STORY}/comments"
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = time.perf_counter()
    writer.write((f"POST {path} HTTP/1.1\r\n"
                  f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                  "Connection: close\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    answered = time.perf_counter()
    writer.close()
    head, _sep, payload = raw.partition(b"\r\n\r\n")
    if b"chunked" in head.lower():
        payload = payload.split(b"\r\n", 1)[1].rsplit(b"\r\n0\r\n", 1)[0]
    return json.loads(payload), answered, sent


async def thread_ids(port: int) -> list[int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /api/v1/sites/{SITE}/stories/{STORY}/comments?sort=oldest&limit=100 "
                 "HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    raw = await reader.read()
    writer.close()
    return [c["id"] for c in json.loads(raw.partition(b"\r\n\r\n")[2])["comments"]]


async def run(port: int, subscribers: int, posts: int, tokens: list[str]) -> dict[str, Any]:
    liked = await thread_ids(port)
    ready = asyncio.Event()
    counter = [0]
    arrivals: dict[int, list[float]] = {}
    started = time.perf_counter()
    tasks = []
    for n in range(subscribers):
        tasks.append(asyncio.create_task(
            subscriber(port, ready, counter, subscribers, arrivals)))
        if n % 200 == 199:
            await asyncio.sleep(0.05)  # let the server accept in waves
    await asyncio.wait_for(ready.wait(), 300)
    connect_s = time.perf_counter() - started
    delays: list[float] = []
    from_sent: list[float] = []
    early = 0
    missing = 0
    via = "comment.published"
    for n in range(posts):
        token = tokens[n % len(tokens)]
        answer, answered, sent = await post(port, token,
                                            f"Live fan-out comment {n} at {time.time():.3f}.")
        comment_id = answer["id"]
        if answer.get("status") != "published":
            # Held by the pipeline (readers never hear of it): time a like instead.
            via = "comment.liked (posts were held)"
            await asyncio.sleep(0.2)
            comment_id = liked[n % len(liked)]
            _answer, answered, sent = await post(port, token, "",
                                                 f"/api/v1/comments/{comment_id}/like")
        await asyncio.sleep(1.5)
        got = arrivals.get(comment_id, [])
        missing += subscribers - len(got)
        # An event may reach readers before its author has read the answer: that counts 0.
        delays += [max(0.0, t - answered) for t in got]
        early += sum(1 for t in got if t < answered)
        from_sent += [t - sent for t in got]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    delays.sort()
    from_sent.sort()
    return {
        "subscribers": subscribers, "posts": posts, "via": via, "connect_s": round(connect_s, 2),
        "deliveries": len(delays), "missing": missing,
        "p50_ms": round(statistics.median(delays) * 1000, 1) if delays else None,
        "p99_ms": round(delays[int(len(delays) * 0.99) - 1] * 1000, 1) if delays else None,
        "before_answer": early,
        "from_request_p50_ms": (round(statistics.median(from_sent) * 1000, 1)
                                if from_sent else None),
        "from_request_p99_ms": (round(from_sent[int(len(from_sent) * 0.99) - 1] * 1000, 1)
                                if from_sent else None),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=10)
    parser.add_argument("--tokens", required=True, help="comma-separated session tokens")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    print(json.dumps(asyncio.run(run(args.port, args.subscribers, args.posts,
                                     args.tokens.split(",")))))


if __name__ == "__main__":
    main()
