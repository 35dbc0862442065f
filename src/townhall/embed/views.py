"""The embed scripts and the front door.

The loader (`/embed.js`) sits at a fixed address in publishers' pages, so it is cached for a
day and revalidated cheaply with its ETag. The widget it loads is a set of native ES modules
under one versioned folder, `/embed/<version>/app.js` and its imports, where the version is a
hash of every module and of the translation catalogue. The loader names the current version,
so the modules can be cached for a year: a deploy changes the version, and pages pick up the
new widget as soon as their cached loader is revalidated. Relative imports (`./api.js`) stay
inside the folder, so no module names another's version.

`catalog.js` is not a file: it is built from the `djangojs` translation catalogue, one entry
per language the server speaks, so the widget's strings come from the same machinery as the
pages' (`make messages`, `locale/LANG/LC_MESSAGES/djangojs.po`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.utils.translation.trans_real import DjangoTranslation
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog

STATIC = Path(__file__).resolve().parent / "static" / "townhall"
MODULES = STATIC / "app"
LOCALE = Path(__file__).resolve().parents[1] / "locale"
APP_PATH = "/embed/app.js"
CATALOG = "catalog.js"
LOADER_MAX_AGE = 86_400
APP_MAX_AGE = 31_536_000


@dataclass(frozen=True)
class Asset:
    body: bytes
    etag: str


def _asset_of(body: bytes) -> Asset:
    return Asset(body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"')


@dataclass(frozen=True)
class Widget:
    """The widget's modules as served, and the version that names them all."""

    version: str
    modules: dict[str, Asset]


def js_catalog(language: str) -> dict[str, Any]:
    """The widget's strings in one language: msgid -> text, or the list of plural forms.

    This is what Django's `JavaScriptCatalog` view serves as JSON, built by that view's
    own method, for one language at a time and without a request.
    """
    view = JavaScriptCatalog(domain="djangojs")
    view.translation = DjangoTranslation(language, domain="djangojs", localedirs=[str(LOCALE)])
    return {msgid: text for msgid, text in view.get_catalog().items() if text and text != [""]}


def _catalog_module() -> bytes:
    catalogs = {code: js_catalog(code) for code, _name in settings.LANGUAGES}
    text = json.dumps(catalogs, ensure_ascii=False, sort_keys=True, indent=1)
    return (
        "// Built by the server from the djangojs translation catalogue (embed/views.py).\n"
        f"export default {text};\n"
    ).encode()


def _sources_key() -> tuple[tuple[str, float], ...]:
    files = [*MODULES.glob("*.js"), *LOCALE.glob("*/LC_MESSAGES/djangojs.mo")]
    return tuple(sorted((str(path), path.stat().st_mtime) for path in files))


_widgets: dict[tuple[tuple[str, float], ...], Widget] = {}


def widget() -> Widget:
    """Read the modules once per version of the files on disk."""
    key = _sources_key()
    found = _widgets.get(key)
    if found is None:
        modules = {path.name: _asset_of(path.read_bytes()) for path in sorted(MODULES.glob("*.js"))}
        modules[CATALOG] = _asset_of(_catalog_module())
        digest = hashlib.sha256()
        for name, asset in sorted(modules.items()):
            digest.update(name.encode() + b"\0" + asset.body + b"\0")
        found = Widget(version=digest.hexdigest()[:12], modules=modules)
        _widgets.clear()
        _widgets[key] = found
    return found


_files: dict[tuple[str, float, str], Asset] = {}


def _file(name: str) -> Asset:
    """Read a script beside the modules once per version of it; the loader names the widget's."""
    path = STATIC / name
    current = widget() if name == "embed.js" else None
    version = current.version if current is not None else ""
    key = (name, path.stat().st_mtime, version)
    found = _files.get(key)
    if found is None:
        body = path.read_bytes()
        if current is not None:
            versioned = f'"/embed/{version}/app.js"'
            body = body.replace(f'"{APP_PATH}"'.encode(), versioned.encode(), 1)
            imports = json.dumps(sorted(set(current.modules) - {"app.js"}))
            body = body.replace(b"var preload = [];", f"var preload = {imports};".encode(), 1)
        found = _asset_of(body)
        _files[key] = found
    return found


def _script(request: HttpRequest, asset: Asset, max_age: int, immutable: bool = False
            ) -> HttpResponse:
    if asset.etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(asset.body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = asset.etag
    response["Cache-Control"] = f"public, max-age={max_age}" + (
        ", immutable" if immutable else ", stale-while-revalidate=604800"
    )
    # Any publisher page may load the scripts; they reach only their own origin's API.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_safe
def loader(request: HttpRequest) -> HttpResponse:
    """Serve the small loader that publishers add to their story pages."""
    return _script(request, _file("embed.js"), LOADER_MAX_AGE)


@require_safe
def app(request: HttpRequest) -> HttpResponse:
    """Serve the unversioned entry: a classic script that imports the current widget.

    Loaders cached before the widget became modules still add `/embed/app.js` as a classic
    script, where `import` statements would not parse; a dynamic `import()` runs anywhere.
    """
    version = widget().version
    source = "(document.currentScript && document.currentScript.src) || location.href"
    body = (
        "// The Townhall widget is a set of ES modules; this entry imports the current version.\n"
        f'import(new URL("/embed/{version}/app.js", {source}).href);\n'
    ).encode()
    return _script(request, _asset_of(body), 300)


@require_safe
def module(request: HttpRequest, version: str, name: str) -> HttpResponse:
    """Serve one module of the widget (or its catalogue) from the versioned folder.

    A version other than the current one (a page that loaded its loader before a deploy) gets
    today's module, cached briefly, rather than an error: its whole graph loads at once.
    """
    current = widget()
    asset = current.modules.get(name)
    if asset is None:
        raise Http404("no such module")
    if version == current.version:
        return _script(request, asset, APP_MAX_AGE, immutable=True)
    return _script(request, asset, 300)


@require_safe
def counts(request: HttpRequest) -> HttpResponse:
    """Serve the script that fills comment counts on a publisher's index pages."""
    return _script(request, _file("counts.js"), LOADER_MAX_AGE)


def index(request: HttpRequest) -> HttpResponse:
    """Send visitors of the bare host to the sample newsroom."""
    return HttpResponseRedirect("/demo/")
