"""The embed scripts and the front door.

The loader (`/embed.js`) sits at a fixed address in publishers' pages, so it is cached for a
day and revalidated cheaply with its ETag. It names the app script by content hash, so the app
(`/embed/app.js?v=…`) can be cached for a year: a deploy changes the hash, and pages pick up
the new app as soon as their cached loader is revalidated.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.views.decorators.http import require_safe

STATIC = Path(__file__).resolve().parent / "static" / "townhall"
APP_PATH = "/embed/app.js"
LOADER_MAX_AGE = 86_400
APP_MAX_AGE = 31_536_000


@dataclass(frozen=True)
class Asset:
    body: bytes
    etag: str


_assets: dict[tuple[str, float], Asset] = {}


def _asset(name: str) -> Asset:
    """Read a script once per file version; the loader gets the app's content-hashed address."""
    path = STATIC / name
    key = (name, path.stat().st_mtime)
    found = _assets.get(key)
    if found is None:
        body = path.read_bytes()
        if name == "embed.js":
            app = _asset("embed-app.js")
            versioned = f'"{APP_PATH}?v={app.etag.strip(chr(34))[:12]}"'
            body = body.replace(f'"{APP_PATH}"'.encode(), versioned.encode(), 1)
        found = Asset(body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"')
        _assets[key] = found
    return found


def _script(request: HttpRequest, name: str, max_age: int, immutable: bool = False
            ) -> HttpResponse:
    asset = _asset(name)
    if asset.etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(asset.body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = asset.etag
    response["Cache-Control"] = f"public, max-age={max_age}" + (
        ", immutable" if immutable else ", stale-while-revalidate=604800"
    )
    # Any publisher page may load the script; it reaches only its own origin's API.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_safe
def loader(request: HttpRequest) -> HttpResponse:
    """Serve the small loader that publishers add to their story pages."""
    return _script(request, "embed.js", LOADER_MAX_AGE)


@require_safe
def app(request: HttpRequest) -> HttpResponse:
    """Serve the widget app the loader fetches when the thread scrolls near the viewport."""
    immutable = bool(request.GET.get("v"))
    return _script(request, "embed-app.js", APP_MAX_AGE if immutable else 300, immutable)


@require_safe
def counts(request: HttpRequest) -> HttpResponse:
    """Serve the script that fills comment counts on a publisher's index pages."""
    return _script(request, "counts.js", LOADER_MAX_AGE)


def index(request: HttpRequest) -> HttpResponse:
    """Send visitors of the bare host to the sample newsroom."""
    return HttpResponseRedirect("/demo/")
