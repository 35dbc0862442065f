"""Client addresses: known only for the current request, kept only as keyed digests.

Townhall never stores a raw IP address. Where an address must be remembered (rate-limit
buckets, the address a session was opened from), it is reduced to its network (IPv6 /64,
since one host owns a whole /64) and stored as an HMAC keyed with SECRET_KEY, so a leaked
database or cache does not reveal who was where. Stored digests are dropped after
`TOWNHALL_ADDRESS_RETENTION_DAYS` by `townhall purge-deleted`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse

_current_address: ContextVar[str] = ContextVar("townhall_client_address", default="")


def client_address(request: object) -> str:
    """Return the client's address as seen by the server (proxy headers only when trusted)."""
    meta = getattr(request, "META", {})
    if settings.TOWNHALL_TRUST_PROXY and (forwarded := meta.get("HTTP_X_FORWARDED_FOR")):
        return str(forwarded.split(",")[0].strip())
    return str(meta.get("REMOTE_ADDR") or "")


def current_address() -> str:
    """Return the address of the request being served ("" outside a request)."""
    return _current_address.get()


def address_network(address: str) -> str:
    """Return the unit an address is counted by: the IPv4 address or the IPv6 /64."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return (address or "").strip()[:100]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def address_digest(address: str) -> str:
    """Return the keyed digest under which an address (its network) may be stored."""
    if not address:
        return ""
    network = address_network(address)
    return hmac.new(settings.SECRET_KEY.encode(), f"address:{network}".encode(),
                    hashlib.sha256).hexdigest()[:32]


class ClientAddressMiddleware:
    """Make the request's address available to services for the length of the request."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.is_async:
            return self.__acall__(request)
        reset = _current_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _current_address.reset(reset)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        reset = _current_address.set(client_address(request))
        try:
            return await self.get_response(request)  # type: ignore[misc]
        finally:
            _current_address.reset(reset)
