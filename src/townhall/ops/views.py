"""Operations endpoints: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from townhall.core import privacy
from townhall.core.ratelimit import client_address
from townhall.ops import metrics


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer 200 while the process serves requests."""
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Answer 200 when the database and the cache answer, else 503 naming what failed."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("townhall:readyz", "1", timeout=5)
        checks["cache"] = "ok" if cache.get("townhall:readyz") == "1" else "error: no value"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks},
                        status=200 if ready else 503)


def _may_scrape(request: HttpRequest) -> bool:
    """Allow scrapes with the bearer token, or from the allowed client addresses."""
    token = getattr(settings, "TOWNHALL_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    allowed = privacy.networks(getattr(settings, "TOWNHALL_METRICS_ALLOW", ()))
    return privacy.in_networks(client_address(request), allowed)


@require_GET
def prometheus(request: HttpRequest) -> HttpResponse:
    """Serve every metric in the Prometheus text format."""
    if not _may_scrape(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
