"""Server-Sent Events endpoints: a story's live thread, and a moderator's queues.

Both are async views: a waiting reader costs a coroutine and a queue, not a thread. They sit
outside ninja (which cannot stream) at paths under /api/v1/, so the API's CORS rules apply.
The story stream is public (EventSource sends no Authorization header); the moderation
stream needs a staff session token or the dashboard's session cookie.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.http import (
    HttpRequest,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.accounts.services import account_for_token
from townhall.core import pubsub as brokers
from townhall.core.pubsub import GAP, HEARTBEAT, OPEN, Event, EventId
from townhall.core.tokens import bearer_token
from townhall.live.events import MODERATION_CHANNEL, account_channel, story_channel
from townhall.live.tickets import account_for_ticket
from townhall.moderation.selectors import moderated_site_ids, queue_counts
from townhall.stories.models import Story


async def _off_request_thread[T](call: Callable[[], T]) -> T:
    """Run ORM work on the shared thread pool, not on a thread of this request.

    A stream lasts as long as the reader stays; anything run on the request's own thread
    would keep that thread and its database connection for as long. Pool threads are few
    and reused, and so are their connections.
    """
    return await sync_to_async(call, thread_sensitive=False)()


def _error(status: int, field: str | None, code: str, message: str) -> JsonResponse:
    return JsonResponse({"errors": [{"field": field, "code": code, "message": message}]},
                        status=status)


def _heartbeat() -> float:
    return float(getattr(settings, "TOWNHALL_SSE_HEARTBEAT", 15))


def _last_event_id(request: HttpRequest) -> str | None:
    # EventSource resends the header on reconnect; the query parameter serves polyfills.
    return request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or None


def _retry_ms() -> int:
    """How long a browser waits before reconnecting once a stream has ended (never less
    than a tenth of a second: at 0 every reader of a rotating stream would come back at once)."""
    return max(100, int(getattr(settings, "TOWNHALL_SSE_RETRY_MS", 3000)))


def _max_seconds() -> float:
    return float(getattr(settings, "TOWNHALL_SSE_MAX_SECONDS", 300))


async def _bounded(frames: AsyncIterator[bytes], seconds: float) -> AsyncIterator[bytes]:
    """End a stream after `seconds` (checked at each frame; heartbeats keep frames coming).

    EventSource reconnects by itself with Last-Event-ID, so a bounded stream loses nothing,
    while connections rotate across processes and no server thread is held forever.
    """
    deadline = asyncio.get_running_loop().time() + seconds
    try:
        async for frame in frames:
            yield frame
            if asyncio.get_running_loop().time() >= deadline:
                return
    finally:
        await frames.aclose()  # type: ignore[attr-defined]


def _event_stream(frames: AsyncIterator[bytes]) -> StreamingHttpResponse:
    frames = _bounded(frames, _max_seconds())
    response = StreamingHttpResponse(frames, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events on at once
    return response


def _frame(kind: str, data: dict[str, Any]) -> bytes:
    return f"event: {kind}\ndata: {brokers.encode(data)}\n\n".encode()


async def _opening(broker: brokers.Broker, channel: str, last_event_id: str | None) -> bytes:
    """Return the first frame: the reconnection delay, and where the log stands.

    A reader who arrives without a Last-Event-ID has had no event yet, so on a reconnect
    (streams end every TOWNHALL_SSE_MAX_SECONDS) the browser would send none and miss what
    was published while it was away. An `id:` line without data sets the browser's last
    event id all the same. It is read after subscribing, so nothing falls between; a reader
    who did send an id keeps it until its backlog has arrived.
    """
    head = f"retry: {_retry_ms()}\n"
    if EventId.parse(last_event_id) is None:
        head = f"id: {await broker.last_id(channel)}\n{head}"
    return f"{head}: connected\n\n".encode()


async def story_events(request: HttpRequest, site: str, external_id: str) -> HttpResponseBase:
    """Stream a story's public events: published, edited, removed and liked comments,
    and the story opening or closing."""
    if request.method != "GET":
        return _error(405, None, "method_not_allowed", _("Use GET."))
    story = await _off_request_thread(
        lambda: Story.objects.filter(site__name=site, external_id=external_id).first())
    if story is None:
        return _error(404, "external_id", "not_found", _("Unknown story."))
    return _event_stream(_channel_frames(story_channel(story.pk), _last_event_id(request),
                                         reload={"story_id": story.pk}))


async def _channel_frames(channel: str, last_event_id: str | None, *,
                          reload: dict[str, Any]) -> AsyncIterator[bytes]:
    """Relay one channel's events as they are (a story's, a reader's own); a gap in the log
    asks the page to reload with `reload` as the event's data."""
    broker = brokers.get_broker()
    async for item in brokers.stream(broker, channel, last_event_id, heartbeat=_heartbeat()):
        if isinstance(item, Event):
            yield item.frame()
        elif item == OPEN:
            yield await _opening(broker, channel, last_event_id)
        elif item == GAP:
            yield _frame("reload", reload)
        elif item == HEARTBEAT:
            yield b": heartbeat\n\n"


async def reader_events(request: HttpRequest) -> HttpResponseBase:
    """Stream a reader's own events (their notifications arrived or were read).

    The widget opens it with a `ticket` from `POST /api/v1/me/events/ticket`; the account
    pages, on Townhall's own origin, with their session cookie.
    """
    if request.method != "GET":
        return _error(405, None, "method_not_allowed", _("Use GET."))
    ticket = request.GET.get("ticket", "")
    if ticket:
        account = await _off_request_thread(lambda: account_for_ticket(ticket[:1000]))
    else:
        account = await _page_account(request)
    if account is None or not account.is_active:
        return _error(401, "ticket", "not_authenticated", _("Sign in to do this."))
    return _event_stream(_channel_frames(account_channel(account.pk), _last_event_id(request),
                                         reload={}))


async def moderation_events(request: HttpRequest) -> HttpResponseBase:
    """Stream a moderator's queue counts and newly held or reported comments."""
    if request.method != "GET":
        return _error(405, None, "method_not_allowed", _("Use GET."))
    account = await _staff_account(request)
    if account is None:
        return _error(401, None, "not_authenticated", _("Sign in to do this."))
    scope = await _off_request_thread(lambda: _moderator_scope(account))
    if scope is False:
        return _error(403, None, "forbidden", _("Only moderators can do this."))
    site_ids = None if scope is True else set(scope)
    return _event_stream(_moderation_frames(account, site_ids, _last_event_id(request)))


async def _staff_account(request: HttpRequest) -> Account | None:
    token = bearer_token(request)
    account: Any = None
    if token.startswith("ths_"):
        account = await _off_request_thread(lambda: account_for_token(token))
    else:
        account = await _page_account(request)
    if account is None or not account.is_active or not account.is_staff:
        return None
    return account


async def _page_account(request: HttpRequest) -> Any:
    """Return the account the pages' session cookie signs in, or None."""
    if not hasattr(request, "auser"):
        return None
    user = await request.auser()
    # The session was read on this request's thread: free its connection now.
    await sync_to_async(connections.close_all)()
    return user if getattr(user, "is_authenticated", False) else None


def _moderator_scope(account: Account) -> list[int] | bool:
    """Return the site ids the account moderates, True for every site, False for none."""
    ids = moderated_site_ids(account)
    if ids is None:
        return True
    return ids or False


# Queue counts being read for one scope after one event, shared by every stream of this
# event loop that waits on them: three moderators of one site count the queues once a
# decision, not three times. Each entry keeps its loop (a loop's id may be taken again by a
# later loop once it is gone: tests' servers run one loop per stream) and when it was asked.
_counting: dict[tuple[str, str], tuple[asyncio.AbstractEventLoop, float,
                                       asyncio.Future[dict[str, int]]]] = {}
_SHARED_SECONDS = 5.0


def _shared_counts(account: Account, scope: str, after: str) -> asyncio.Future[dict[str, int]]:
    loop = asyncio.get_running_loop()
    now = loop.time()
    for key, (owner, asked, _future) in list(_counting.items()):
        if owner is not loop or now - asked > _SHARED_SECONDS:
            del _counting[key]
    found = _counting.get((scope, after))
    if found is not None:
        return found[2]
    future = asyncio.ensure_future(_off_request_thread(lambda: queue_counts(account)))
    _counting[(scope, after)] = (loop, now, future)
    return future


async def _moderation_frames(account: Account, site_ids: set[int] | None,
                             last_event_id: str | None) -> AsyncIterator[bytes]:
    scope = "all" if site_ids is None else ",".join(map(str, sorted(site_ids)))

    async def counts(viewer: Account, after: str = "") -> dict[str, int]:
        if not after:
            return await _off_request_thread(lambda: queue_counts(viewer))
        return await asyncio.shield(_shared_counts(viewer, scope, after))

    broker = brokers.get_broker()
    stream = brokers.stream(broker, MODERATION_CHANNEL, last_event_id, heartbeat=_heartbeat())
    async for item in stream:
        if item == OPEN:
            yield await _opening(broker, MODERATION_CHANNEL, last_event_id)
            yield _frame("queue.counts", {"counts": await counts(account)})
        elif item == HEARTBEAT:
            yield b": heartbeat\n\n"
        elif item == GAP:
            yield _frame("reload", {})
        elif isinstance(item, Event):
            site_id = item.message.get("site_id")
            if site_ids is not None and site_id not in site_ids:
                continue
            yield item.frame()
            if item.message.get("type") == "comment.claimed":
                continue  # a claim changes no queue
            # Let a burst of events land before counting the queues again.
            await asyncio.sleep(0)
            yield _frame("queue.counts", {"counts": await counts(account, str(item.id))})
