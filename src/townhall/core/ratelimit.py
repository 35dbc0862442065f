"""Rate limits and growing lockouts, kept in the cache (Redis in production, in-process by default).

Three tools:

- `hit(scope, key, limit=, window=)`: one fixed-window counter.
- `guard(action, ...)`: the rule set of an action (sign-up, sign-in, posting, editing,
  reporting, liking…) applied per account, per address and per story. Limits come from
  `DEFAULT_RULES`, overridden installation-wide by `settings.TOWNHALL_RATE_LIMITS` and per
  site by `Site.rate_limits` (same shape: `{"post": {"account": [10, 60]}}`, `null` turns a
  scope off).
- `backoff_*`: lockouts that double after each failure past a free allowance (sign-in).

Every refusal is a `RateLimited` error: HTTP 429 with `Retry-After`. With
`TOWNHALL_RATELIMIT=off` nothing is counted (benchmarks and local trials only).
Address keys are keyed digests of the address's network, never the raw address.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Mapping
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from townhall.core import privacy
from townhall.core.errors import Invalid, RateLimited


class Site(Protocol):
    """What the limits read of a site (`stories.Site`): its overrides, if any."""

    rate_limits: Any


Rule = tuple[int, int]  # (limit, window in seconds)

# Per action and scope: how many events per window. Scopes: `account` (an account id, or the
# email for sign-in, reset and sign-up), `address` (the client's network), `story` (every
# account together on one story) and `account_story` (one account on one story).
DEFAULT_RULES: dict[str, dict[str, Rule]] = {
    "signup": {"address": (10, 3600), "account": (5, 3600)},
    "signin": {"address": (30, 300), "account": (10, 300)},
    "reset": {"address": (10, 3600), "account": (3, 3600)},
    "post": {"account": (10, 60), "address": (30, 60), "story": (600, 60),
             "account_story": (5, 60)},
    "edit": {"account": (20, 300), "address": (60, 300)},
    "report": {"account": (30, 3600), "address": (60, 3600), "account_story": (10, 3600)},
    "like": {"account": (60, 60), "address": (240, 60)},
    "notice": {"account": (20, 3600), "address": (10, 3600)},
}
MAX_WINDOW = 86_400
# The field a refusal names, per action (the input whose sending was refused).
_FIELDS = {"post": "body", "edit": "body", "signup": "email", "signin": "email",
           "reset": "email"}


def hit(scope: str, key: str, *, limit: int, window: int, field: str | None = None) -> None:
    """Count one event for `key` in `scope`; raise RateLimited past `limit` per `window` seconds."""
    if not settings.TOWNHALL_RATELIMIT:
        return
    now = time.time()
    bucket = int(now // window)
    cache_key = f"rl:{scope}:{_short(key)}:{window}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the window expired between add() and incr()
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        retry_after = max(1, math.ceil(window - (now % window)))
        raise RateLimited(retry_after=retry_after, field=field)


def rules_for(action: str, site: Site | None = None) -> dict[str, Rule | None]:
    """Return the effective rules of an action: defaults, then settings, then the site's."""
    rules: dict[str, Rule | None] = dict(DEFAULT_RULES[action])
    for overrides in (getattr(settings, "TOWNHALL_RATE_LIMITS", None) or {},
                      (site.rate_limits if site is not None else None) or {}):
        for scope, value in (overrides.get(action) or {}).items():
            if scope in rules:
                rules[scope] = None if value is None else (int(value[0]), int(value[1]))
    return rules


def guard(
    action: str,
    *,
    account: object = None,
    story: object = None,
    site: Site | None = None,
    address: str | None = None,
    field: str | None = None,
) -> None:
    """Count one `action` per account, address and story; raise RateLimited past any limit.

    `account` is an id (or an email before sign-in), `story` an id; `address` defaults to
    the address of the request being served.
    """
    if not settings.TOWNHALL_RATELIMIT:
        return
    if address is None:
        address = privacy.current_address()
    keys: dict[str, str] = {}
    if account not in (None, ""):
        keys["account"] = str(account)
    if address:
        keys["address"] = privacy.address_digest(address)
    if story is not None:
        keys["story"] = str(story)
        if "account" in keys:
            keys["account_story"] = f"{keys['account']}:{story}"
    refused_field = field if field is not None else _FIELDS.get(action)
    for scope, rule in rules_for(action, site).items():
        if rule is None or scope not in keys:
            continue
        limit, window = rule
        hit(f"{action}-{scope}", keys[scope], limit=limit, window=window, field=refused_field)


def validate_rules(data: Any) -> dict[str, dict[str, list[int] | None]]:
    """Check a site's `rate_limits` override; return it normalised or raise Invalid."""
    if data in (None, ""):
        return {}
    if not isinstance(data, Mapping):
        raise Invalid("rate_limits", "invalid", _("Give an object of actions."))
    out: dict[str, dict[str, list[int] | None]] = {}
    for action, scopes in data.items():
        if action not in DEFAULT_RULES:
            raise Invalid(f"rate_limits.{action}", "unknown_field",
                          _("Unknown action. Choose one of: %(choices)s.")
                          % {"choices": ", ".join(DEFAULT_RULES)})
        if not isinstance(scopes, Mapping):
            raise Invalid(f"rate_limits.{action}", "invalid", _("Give an object of scopes."))
        out[action] = {}
        for scope, value in scopes.items():
            name = f"rate_limits.{action}.{scope}"
            if scope not in DEFAULT_RULES[action]:
                raise Invalid(name, "unknown_field",
                              _("Unknown scope. Choose one of: %(choices)s.")
                              % {"choices": ", ".join(DEFAULT_RULES[action])})
            if value is None:
                out[action][scope] = None
                continue
            if (
                not isinstance(value, list | tuple) or len(value) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
                or value[0] < 1 or not 1 <= value[1] <= MAX_WINDOW
            ):
                raise Invalid(name, "invalid",
                              _("Give [limit, seconds]: a limit of at least 1 and a window "
                                "from 1 to 86400 seconds, or null to turn it off."))
            out[action][scope] = [value[0], value[1]]
    return out


# Growing lockouts ---------------------------------------------------------------------------

BACKOFF_MEMORY = 86_400  # failures are forgotten a day after the first one


def backoff_check(scope: str, key: str, *, field: str | None = None) -> None:
    """Raise RateLimited while `key` is locked out after repeated failures."""
    if not settings.TOWNHALL_RATELIMIT:
        return
    until = cache.get(f"bo:{scope}:{_short(key)}:until")
    now = time.time()
    if until is not None and until > now:
        raise RateLimited(retry_after=max(1, math.ceil(until - now)), field=field)


def backoff_failure(scope: str, key: str, *, free: int, base: int = 30, cap: int = 3600
                    ) -> int:
    """Record a failure; from the `free`-th on, lock out for base·2ⁿ seconds (up to `cap`).

    Return the lockout in seconds (0 when still within the free allowance).
    """
    if not settings.TOWNHALL_RATELIMIT:
        return 0
    count_key = f"bo:{scope}:{_short(key)}:n"
    if cache.add(count_key, 1, timeout=BACKOFF_MEMORY):
        failures = 1
    else:
        try:
            failures = cache.incr(count_key)
        except ValueError:
            cache.add(count_key, 1, timeout=BACKOFF_MEMORY)
            failures = 1
    if failures < free:
        return 0
    lockout = min(cap, base * 2 ** min(failures - free, 20))
    cache.set(f"bo:{scope}:{_short(key)}:until", time.time() + lockout, timeout=lockout + 1)
    return lockout


def backoff_clear(scope: str, key: str) -> None:
    """Forget the failures of `key` (after a success)."""
    cache.delete_many([f"bo:{scope}:{_short(key)}:n", f"bo:{scope}:{_short(key)}:until"])


def _short(key: str) -> str:
    """Return a cache-safe form of a key (emails and long keys are hashed)."""
    if len(key) <= 64 and key.replace("-", "").replace(":", "").replace("_", "").isalnum():
        return key
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def client_address(request: object) -> str:
    """Return the client's address (kept here for callers that import it from ratelimit)."""
    return privacy.client_address(request) or "unknown"
