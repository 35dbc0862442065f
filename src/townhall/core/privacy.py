"""Client addresses: known only for the current request, kept only as keyed digests.

Townhall never stores a raw IP address. Where an address must be remembered (rate-limit
buckets, the address a session was opened from), it is reduced to its network (IPv6 /64,
since one host owns a whole /64) and stored as an HMAC keyed with SECRET_KEY, so a leaked
database or cache does not reveal who was where. Stored digests are dropped after
`TOWNHALL_ADDRESS_RETENTION_DAYS` by `townhall purge-deleted`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_current_address: ContextVar[str] = ContextVar("townhall_client_address", default="")


def client_address(request: object) -> str:
    """Return the client's address: the peer's, or behind trusted proxies the first address
    of `X-Forwarded-For` counted from the right that is not one of them.

    Each proxy appends the address it saw, so the right end is the one a trusted proxy wrote;
    whatever stands further left came from the client and may be forged.
    """
    meta = getattr(request, "META", {})
    peer = str(meta.get("REMOTE_ADDR") or "")
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if not settings.TOWNHALL_TRUST_PROXY or not forwarded:
        return peer
    proxies = trusted_proxies()
    if not in_networks(peer, proxies):
        return peer
    hops = [hop.strip() for hop in str(forwarded).split(",") if hop.strip()]
    for hop in reversed(hops):
        if not in_networks(hop, proxies):
            return hop
    return hops[0] if hops else peer


def networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Parse addresses and CIDR blocks (`10.0.0.0/8`, `::1`); raise ValueError on a bad one."""
    return _parsed(tuple(values))


@functools.lru_cache(maxsize=16)
def _parsed(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    # Settings hold the lists as text; a request asks for them parsed, every time.
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """The proxies whose `X-Forwarded-For` is believed (TOWNHALL_TRUSTED_PROXIES)."""
    return networks(getattr(settings, "TOWNHALL_TRUSTED_PROXIES", ()))


def in_networks(address: str, blocks: Iterable[IPNetwork]) -> bool:
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(found in block for block in blocks)


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
