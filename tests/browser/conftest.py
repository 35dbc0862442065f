"""Real headless Chromium (the Debian package) against a live Townhall server.

One browser for the whole session and pytest-django's live server (shared too); each test
gets a fresh browser context, the demo newsroom loaded at the server's address, and
records console errors and every request so tests can assert none go to another host.
A test module that overrides `server_url` with `asgi_server` runs against Townhall's
production ASGI stack instead (uvicorn, the hot path, long-lived event streams).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import shutil
import socket
import sqlite3
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created

from townhall.core import pubsub as brokers
from townhall.demo import newsroom
from townhall.moderation import phases
from townhall.pagecache import readcache

from tests.demo.fake_scorer import FakeScorer

CHROMIUM = os.environ.get("TOWNHALL_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
# Every page is read in one time zone, whatever the machine's, so the dates it shows are known.
BROWSER_TIME_ZONE = "America/Toronto"


# Under `tests/on_days.sh` libfaketime moves this process's clock. Chromium does not run well
# under it (its GPU and timer threads spin), so it runs on the real clock and each context's
# pages are given this process's (moved) time instead.
CLOCK_MOVED = "FAKETIME" in os.environ


def beside_the_server[T](work: Callable[[], T]) -> T:
    """Run a test's own database read or write while pages are open, retrying a moment of
    table lock: the live server's SQLite test database is an in-memory shared cache, where a
    server thread's open cursor locks a whole table (a WAL file or PostgreSQL never does)."""
    from django.db import OperationalError, transaction

    for attempt in range(100):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


def browser_env() -> dict[str, str]:
    """The environment Chromium starts with: this one, without libfaketime."""
    return {k: v for k, v in os.environ.items()
            if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}


def launch(playwright: Any, args: list[str] | None = None) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=args or ARGS,
                                      env=browser_env())


def new_context(browser: Any, **options: Any) -> Any:
    """Open a browser context whose pages read the same time as Townhall's server."""
    context = browser.new_context(**{"timezone_id": BROWSER_TIME_ZONE, **options})
    if CLOCK_MOVED:
        context.clock.set_system_time(dt.datetime.now(dt.UTC))
    return context


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Any]:
    """One Chromium for the session, started after the test database exists (Playwright
    keeps an event loop on this thread, and Django refuses to set up databases beside one)."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
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

    def shot(self, name: str, *, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="session")
def live_server(django_db_setup: None, live_server: Any) -> Any:
    """pytest-django's live server, started once the test database exists.

    It lends its threads the test thread's connection only when it finds the database in
    memory; started first (as a browser-only session would), it found the SQLite file name
    instead and each of its threads opened a connection of its own to the shared in-memory
    database, where concurrent requests failed with "database table is locked".

    That one connection is shared by every request thread, so requests take turns: two at
    once (a permalink reads its conversation beside the first page) once read a story back
    without its id. Event streams, long and reading no rows, run beside them.
    """
    server = live_server.thread.httpd
    server.set_app(_one_at_a_time(server.get_app()))
    shared = (live_server.thread.connections_override or {}).get(DEFAULT_DB_ALIAS)
    if shared is not None:
        _streams_take_turns(shared)
    return live_server


_turn = threading.Lock()
# Set while an event stream opens in its turn: the database work it sends to a pool thread
# then runs in that same turn (the context travels with sync_to_async).
_turn_held: contextvars.ContextVar[bool] = contextvars.ContextVar("turn_held", default=False)


def _streams_take_turns(shared: Any) -> None:
    """Let an event stream's database work (queue counts, on a pool thread) use the live
    server's one connection in its turn: a connection of its own to the in-memory database
    met "database table is locked" beside the requests. The production ASGI stack's tests
    (their database copied to a file) keep the pool threads' own connections."""
    from asgiref.sync import sync_to_async

    from townhall.live import views as live_views

    own_connections = live_views._off_request_thread

    async def in_turn(call: Callable[[], Any]) -> Any:
        if connections.settings[DEFAULT_DB_ALIAS]["NAME"] != shared.settings_dict["NAME"]:
            return await own_connections(call)

        def run() -> Any:
            with nullcontext() if _turn_held.get() else _turn:
                connections[DEFAULT_DB_ALIAS] = shared
                shared.inc_thread_sharing()
                try:
                    return call()
                finally:
                    shared.dec_thread_sharing()
                    # This pool thread serves other servers' streams later: give it back.
                    del connections[DEFAULT_DB_ALIAS]

        return await sync_to_async(run, thread_sensitive=False)()

    live_views._off_request_thread = in_turn  # type: ignore[assignment]


def _one_at_a_time(app: Any) -> Any:
    def application(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO", "").endswith("/events"):
            # The stream's opening (the session and account it reads) takes its turn too: read
            # beside a page's request, it once found no session (401) while that page found
            # no moderator. Its frames are produced after, each read in its own turn.
            token = _turn_held.set(True)
            try:
                with _turn:
                    return app(environ, start_response)
            finally:
                _turn_held.reset(token)
        with _turn:
            result = app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()

    return application


@pytest.fixture
def server_url(live_server: Any, settings: Any) -> str:
    """Where the browser finds Townhall: pytest-django's live server, unless a module
    overrides this fixture (see `asgi_server`)."""
    # The live server is threaded WSGI: short event streams free its threads, so the
    # session can end (the widget's EventSource reconnects by itself). The browser comes
    # back a quarter second later: with three seconds' wait, an accepted appeal once reached
    # the reader's page after the test's five seconds had run out.
    settings.TOWNHALL_SSE_MAX_SECONDS = 2
    settings.TOWNHALL_SSE_HEARTBEAT = 0.25
    settings.TOWNHALL_SSE_RETRY_MS = 250
    return str(live_server.url)


@pytest.fixture
def newsroom_site(server_url: str, settings: Any) -> Iterator[dict[str, Any]]:
    """The demo newsroom at the server's address, moderated with a predictable scorer."""
    settings.PUBLIC_URL = server_url
    settings.CSRF_TRUSTED_ORIGINS = [server_url]
    phases.use_scorer(FakeScorer())
    yield newsroom.load(origin=server_url)
    phases.use_scorer(None)


@pytest.fixture
def open_page(server_url: str, browser: Any, newsroom_site: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None, locale: str = "en-CA",
             has_touch: bool = False) -> Session:
        context = new_context(browser, viewport=viewport or DESKTOP, locale=locale,
                              reduced_motion="reduce", has_touch=has_touch)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        session = Session(page=page, server=server_url)
        page.on("console", lambda m: session.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: session.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: session.requests.append(r.url))
        return session

    yield make
    for context in contexts:
        context.close()
    _requests_finished()


def _requests_finished(timeout: float = 10.0) -> None:
    """Wait for the live server's request threads to end once the pages are closed.

    They share the test thread's SQLite connection: an event stream left running (it sees
    its reader gone at the next heartbeat) would otherwise read and write beside the next
    test's flush and demo load, and one such run answered that test's story as unknown.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(t.is_alive() and "process_request_thread" in t.name
                   for t in threading.enumerate()):
            return
        time.sleep(0.02)
    # Say so rather than wait silently at every later test: a context left open keeps its
    # keep-alive connection, and so a server thread, for the rest of the session.
    stuck = [t.name for t in threading.enumerate()
             if t.is_alive() and "process_request_thread" in t.name]
    warnings.warn(f"live server threads still running after {timeout} s: {stuck}",
                  stacklevel=2)


# ---------------------------------------------------------------- the production ASGI stack


@dataclass
class AsgiServer:
    url: str


@pytest.fixture
def asgi_server(transactional_db: None, tmp_path: Path) -> Iterator[AsgiServer]:
    """Townhall as `townhall serve` runs it, in a thread of this process, on a free port.

    uvicorn (httptools, uvloop, as in production) serves the hot path in front of Django, so
    event streams stay open as long as a page does; the tests' database rows are committed
    (transactional_db) and the server's threads read them through connections of their own.
    The application is built afresh for each test rather than imported from
    `townhall.config.asgi`: that instance keeps the pages its hot path answered, and its
    thread pool's queue belongs to the first event loop that waited on it.

    Tear-down stops the server once the browser contexts are closed (fixtures using this one
    close them first); streams still open then are cancelled after uvicorn's grace period.
    """
    import uvicorn

    from townhall.config.asgi import build_application

    with _database_for_threads(tmp_path), _closed_after(), _fresh_live_state():
        app = build_application()
        config = uvicorn.Config(app, http="httptools", loop="uvloop", lifespan="off",
                                log_config=None, log_level="warning", access_log=False,
                                proxy_headers=False, server_header=False,
                                timeout_graceful_shutdown=5)
        server = uvicorn.Server(config)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                                  name="townhall-asgi", daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 30
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError("the ASGI test server did not start")
                time.sleep(0.02)
            yield AsgiServer(url=f"http://127.0.0.1:{port}")
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            if thread.is_alive():
                server.force_exit = True
                thread.join(timeout=10)
            sock.close()
        assert not thread.is_alive(), "the ASGI test server did not stop"


@contextmanager
def _database_for_threads(tmp_path: Path) -> Iterator[None]:
    """Let every thread of the server open its own connection to the test database.

    PostgreSQL needs nothing. Django's SQLite test database lives in memory, shared only
    through the test thread's connection (pytest-django's live server lends that one
    connection to its threads); the ASGI server has several threads working at once, as in
    production, so for this test the database is copied to a file (WAL, the write queue of
    `townhall.core.sqlite`) and every connection, this thread's included, uses the copy.
    The in-memory database is left untouched and comes back afterwards.
    """
    memory = connections[DEFAULT_DB_ALIAS]
    if memory.vendor != "sqlite" or not memory.is_in_memory_db():
        yield
        return
    memory.ensure_connection()
    path = tmp_path / "townhall.sqlite3"
    with closing(sqlite3.connect(path)) as disk:
        memory.connection.backup(disk)
    in_memory = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = {**in_memory, "NAME": str(path)}
    connections[DEFAULT_DB_ALIAS] = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections.settings[DEFAULT_DB_ALIAS] = in_memory
        connections[DEFAULT_DB_ALIAS] = memory


@contextmanager
def _closed_after() -> Iterator[None]:
    """Close the database connections the server's threads opened, once it has stopped
    (the test database is flushed and finally dropped, which open connections can block)."""
    opened: list[Any] = []
    here = threading.get_ident()

    def remember(sender: Any, connection: Any, **kwargs: Any) -> None:
        if threading.get_ident() != here:
            opened.append(connection)

    connection_created.connect(remember, weak=False)
    try:
        yield
    finally:
        connection_created.disconnect(remember)
        for connection in opened:
            connection.inc_thread_sharing()
            try:
                connection.close()
            finally:
                connection.dec_thread_sharing()


@contextmanager
def _fresh_live_state() -> Iterator[None]:
    """Start and end with a new broker and an empty story-version board (ids are reused
    from test to test on SQLite)."""
    brokers.reset_broker()
    readcache.board.clear()
    try:
        yield
    finally:
        brokers.reset_broker()
        readcache.board.clear()

