"""Real headless Chromium (the Debian package) against a live Townhall server.

One browser for the whole session and pytest-django's live server (shared too); each test
gets a fresh browser context, the demo newsroom loaded at the live server's address, and
records console errors and every request so tests can assert none go to another host.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from townhall.demo import newsroom
from townhall.moderation import phases

from tests.demo.fake_scorer import FakeScorer

CHROMIUM = os.environ.get("TOWNHALL_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Any]:
    """One Chromium for the session, started after the test database exists (Playwright
    keeps an event loop on this thread, and Django refuses to set up databases beside one)."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Let these tests use the ORM beside Playwright, from set-up to tear-down.

    Playwright's sync API keeps an event loop on this thread, and Django refuses ORM calls
    when a loop runs; the calls made here are plain synchronous code all the same.
    """
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@dataclass
class Session:
    """A browser page plus what it logged and requested."""

    page: Any
    server: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self, *allowed: str) -> list[str]:
        hosts = {urlsplit(self.server).netloc, *allowed}
        return [u for u in self.requests
                if urlsplit(u).scheme in {"http", "https"} and urlsplit(u).netloc not in hosts]

    def unexpected_errors(self, *expected_statuses: int) -> list[str]:
        """Console errors, except a browser's note about an API error a test caused."""
        notes = tuple(f"status of {s} " for s in expected_statuses)
        return [e for e in self.errors if not (notes and "Failed to load resource" in e
                                                and any(n in e for n in notes))]

    def widget(self) -> Any:
        return self.page.locator(".townhall-embed")

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def newsroom_site(live_server: Any, settings: Any) -> Iterator[dict[str, Any]]:
    """The demo newsroom at the live server's address, moderated with a predictable scorer."""
    settings.PUBLIC_URL = live_server.url
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    # The test server is threaded WSGI: short event streams free its threads, so the
    # session can end (the widget's EventSource reconnects by itself).
    settings.TOWNHALL_SSE_MAX_SECONDS = 2
    settings.TOWNHALL_SSE_HEARTBEAT = 1
    phases.use_scorer(FakeScorer())
    yield newsroom.load(origin=live_server.url)
    phases.use_scorer(None)


@pytest.fixture
def open_page(live_server: Any, browser: Any, newsroom_site: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None, locale: str = "en-CA") -> Session:
        context = browser.new_context(viewport=viewport or DESKTOP, locale=locale,
                                      reduced_motion="reduce")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        session = Session(page=page, server=live_server.url)
        page.on("console", lambda m: session.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: session.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: session.requests.append(r.url))
        return session

    yield make
    for context in contexts:
        context.close()
