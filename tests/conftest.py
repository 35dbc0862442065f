"""Shared fixtures: an API client, factories built on the real services, the email outbox."""

from __future__ import annotations

import email
import itertools
import re
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from django.core.cache import cache
from django.test import Client, TestCase
from django.test.utils import override_settings
from django.utils import translation

from townhall.accounts.models import Account
from townhall.accounts.services import account_create, session_create, staff_create
from townhall.stories.models import Site, Story
from townhall.stories.services import site_create, story_upsert

# `travel`: move the product's clock to a fixed moment (tests/clock.py).
pytest_plugins = ["tests.clock"]

PASSWORD = "correct horse battery staple"
_names = itertools.count(1)
GIVEN = ["Amara", "Lucas", "Chloé", "Mateo", "Aiyana", "Noah", "Zoë", "Malik", "Inès", "Oren"]
FAMILY = ["Okafor", "Tremblay", "Gagnon", "Nakamura", "Lindqvist", "Haddad", "Moreau", "Singh"]


# What every test starts from. Applied when pytest starts, not per test: requests are served
# before any test fixture runs (schemathesis fetches /api/openapi.json while collecting), and
# under the production default that first request starts the in-process task thread, which
# then writes (Schedule rows, jobs) from its own connection, outside every test's transaction.
_SESSION_SETTINGS = override_settings(
    # Background tasks (emails, webhooks) run synchronously right after each commit.
    TOWNHALL_TASKS="immediate",
    # Argon2 still, at test strength: most tests sign someone up or in.
    PASSWORD_HASHERS=["tests.hashers.QuickArgon2PasswordHasher"],
)


def pytest_configure(config: pytest.Config) -> None:
    _SESSION_SETTINGS.enable()
    # No timing assertions in the suite, hypothesis's per-example deadline included: a busy
    # 2-core CI machine makes an example slow, not wrong.
    hypothesis.settings.register_profile("townhall", deadline=None)
    hypothesis.settings.load_profile("townhall")


def pytest_unconfigure(config: pytest.Config) -> None:
    _SESSION_SETTINGS.disable()


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Give every test its own outbox, an empty cache (rate limits included) and the default
    language: a request through the test client leaves the language it chose active on the
    thread, and a French page once made the next test's messages French."""
    settings.MAILERS = {"default": {"BACKEND": "townhall.core.mail.OutboxBackend",
                                    "OPTIONS": {"file_path": str(tmp_path / "outbox")}}}
    cache.clear()
    translation.deactivate()
    yield
    translation.deactivate()
    cache.clear()


class Outbox:
    """The .eml files written by the default email backend."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def messages(self) -> list[Message]:
        if not self.directory.exists():
            return []
        return [email.message_from_bytes(p.read_bytes())
                for p in sorted(self.directory.glob("*.eml"))]

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages() if address in (m["To"] or "")]

    def body(self, message: Message) -> str:
        part = message.get_payload(decode=True) if not message.is_multipart() else (
            message.get_payload(0).get_payload(decode=True)  # type: ignore[union-attr]
        )
        return (part or b"").decode()  # type: ignore[union-attr]

    def html(self, message: Message) -> str:
        """The HTML twin of a message ("" when it has none)."""
        for part in message.walk():
            if part.get_content_type() == "text/html":
                return (part.get_payload(decode=True) or b"").decode()  # type: ignore[union-attr]
        return ""

    def link(self, address: str, path: str) -> str:
        for message in reversed(self.to(address)):
            found = re.search(rf"https?://\S+{re.escape(path)}\S*", self.body(message))
            if found:
                return found.group(0)
        raise AssertionError(f"no {path} link emailed to {address}")

    def token(self, address: str, path: str) -> str:
        return self.link(address, path).split("token=", 1)[1]


@pytest.fixture
def outbox(settings: Any) -> Outbox:
    return Outbox(Path(settings.MAILERS["default"]["OPTIONS"]["file_path"]))


class Api:
    """A thin JSON client for /api/v1 that remembers a bearer token."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def as_(self, token: str | None) -> Api:
        return Api(token)

    def request(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        url = path if path.startswith("/") else f"/api/v1/{path}"
        call = getattr(self.client, method.lower())
        # Tests run inside a transaction; run on-commit work (emails, events) as a server would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            if body is None:
                return call(url, **extra)
            return call(url, data=body, content_type="application/json", **extra)

    def get(self, path: str, **headers: str) -> Any:
        return self.request("GET", path, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.request("POST", path, body if body is not None else {}, **headers)

    def put(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.request("PUT", path, body if body is not None else {}, **headers)

    def patch(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.request("PATCH", path, body if body is not None else {}, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self.request("DELETE", path, **headers)


@pytest.fixture
def api(db: None) -> Api:
    return Api()


def make_site(name: str = "daily", *, language: str = "en",
              origins: list[str] | None = None, **moderation: Any) -> tuple[Site, str]:
    """Create a site. New commenters publish at once unless a test asks for holds
    (`new_commenter_holds=2` is the product default); other moderation settings as given."""
    from townhall.moderation.services import site_moderation_update

    site, key = site_create(name=name, origins=origins or ["https://news.example"],
                            language=language, title="The Daily Example")
    moderation.setdefault("new_commenter_holds", 0)
    site_moderation_update(site=site, **moderation)
    return site, key


def make_story(site: Site, external_id: str = "1.100", **fields: Any) -> Story:
    fields.setdefault("title", "Council approves the new bridge")
    fields.setdefault("url", "https://news.example/1.100")
    story, _created = story_upsert(site=site, external_id=external_id, **fields)
    return story


def make_account(*, verified: bool = True, first_name: str | None = None,
                 last_name: str | None = None, email_address: str | None = None,
                 language: str = "en") -> Account:
    n = next(_names)
    return account_create(
        email=email_address or f"reader{n}@example.org", password=PASSWORD,
        first_name=first_name or GIVEN[n % len(GIVEN)],
        last_name=last_name or FAMILY[n % len(FAMILY)],
        verified=verified, language=language,
    )


def undo_window_passes() -> int:
    """Run what waits for moderators' undo windows to pass (the authors' notices and emails),
    as the task runner does once they have; return how many jobs ran."""
    import datetime as dt

    from townhall.core import clock
    from townhall.moderation.services import undo_window
    from townhall.notify import tasks

    with TestCase.captureOnCommitCallbacks(execute=True):
        ran = tasks.run_due(now=clock.now() + undo_window() + dt.timedelta(seconds=1))
    return ran


def make_staff(*, role: str = "moderator", sites: list[Site] | None = None,
               first_name: str = "Dana", last_name: str = "Whitfield") -> Account:
    n = next(_names)
    account, _created = staff_create(email=f"staff{n}@example.org", role=role, password=PASSWORD,
                                     first_name=first_name, last_name=last_name,
                                     sites=sites or [])
    return account


def make_commenter(site: Site, **fields: Any) -> Account:
    """Make an account that has commented on `site`: one its moderators look after."""
    from townhall.moderation.posting import comment_create

    account = make_account(**fields)
    story = Story.objects.filter(site=site).first() or make_story(site, "first-seen")
    comment_create(account=account, story=story, body="Hello from a regular reader.",
                   accept_terms=True)
    return account


def token_for(account: Account) -> str:
    return session_create(account=account)


@pytest.fixture
def site(db: None) -> Site:
    return make_site()[0]


@pytest.fixture
def story(site: Site) -> Story:
    return make_story(site)


@pytest.fixture
def reader(db: None) -> Account:
    return make_account()


@pytest.fixture
def reader_api(reader: Account) -> Api:
    return Api(token_for(reader))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run browser tests last.

    Playwright's sync API keeps an event loop running in the main thread for the whole
    session; tests that call asyncio.run() must therefore come before the first browser test.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
