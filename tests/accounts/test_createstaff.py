"""`townhall createstaff` as the README writes it: a staff account that signs in and works."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from townhall.accounts.models import Account, NameStatus

from tests.conftest import make_site

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_command(name: str) -> list[str]:
    """Return the README's example line for `townhall NAME`, split as a shell would."""
    lines = [line for line in README.read_text().splitlines()
             if line.startswith(f".venv/bin/townhall {name} ")]
    assert len(lines) == 1, lines
    return shlex.split(lines[0])[2:]


def createstaff(*args: str) -> str:
    out = io.StringIO()
    call_command("createstaff", *args, stdout=out)
    return out.getvalue()


def dashboard_sign_in(email: str, password: str) -> Client:
    client = Client()
    answer = client.post("/moderation/sign-in/", {"email": email, "password": password})
    assert answer.status_code == 302, answer.content.decode()[:500]
    return client


def test_the_readme_example_creates_a_named_moderator_who_reaches_the_queue(db: None) -> None:
    make_site("daily")
    out = createstaff(*readme_command("createstaff"))
    password = re.search(r"Password \(shown once\): (\S+)", out)
    assert "Created moderator amara@news.example for daily" in out and password
    account = Account.objects.get(email="amara@news.example")
    assert account.display_name == "Amara Okafor" and account.name_status == NameStatus.OK
    client = dashboard_sign_in("amara@news.example", password.group(1))
    assert client.get("/moderation/queue/pending/").status_code == 200


def test_without_a_name_the_account_is_name_pending_until_the_dashboard_asks(db: None) -> None:
    make_site("daily")
    out = createstaff("editor@news.example", "--role", "moderator", "--site", "daily",
                      "--password", "a long and private passphrase")
    assert "No name yet" in out
    account = Account.objects.get(email="editor@news.example")
    assert account.name_status == NameStatus.MISSING and account.display_name == ""

    client = dashboard_sign_in("editor@news.example", "a long and private passphrase")
    queue = client.get("/moderation/queue/pending/")
    assert queue.status_code == 302 and queue["Location"].startswith("/moderation/your-name/")
    page = client.get(queue["Location"])
    assert page.status_code == 200 and 'name="first_name"' in page.content.decode()

    refused = client.post(queue["Location"], {"first_name": "Staff", "last_name": "Member"})
    assert refused.status_code == 422 and 'role="alert"' in refused.content.decode()
    saved = client.post(queue["Location"], {"first_name": "Lucas", "last_name": "Tremblay"})
    assert saved.status_code == 302 and saved["Location"] == "/moderation/queue/pending/"
    assert client.get("/moderation/queue/pending/").status_code == 200
    account.refresh_from_db()
    assert account.display_name == "Lucas Tremblay" and account.name_status == NameStatus.OK


def test_a_name_pending_account_cannot_comment(api: object, db: None) -> None:
    from tests.conftest import Api, make_story, token_for

    site, _key = make_site("daily")
    story = make_story(site, "1.1")
    createstaff("editor@news.example", "--role", "admin", "--password", "a long passphrase!")
    token = token_for(Account.objects.get(email="editor@news.example"))
    answer = Api(token).post(f"sites/daily/stories/{story.external_id}/comments",
                             {"body": "Hello.", "accept_terms": True})
    assert answer.status_code == 403 and answer.json()["errors"][0]["code"] == "name_missing"


def test_a_bad_email_or_role_is_refused_clearly(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="valid email"):
        createstaff("not-an-email", "--role", "moderator", "--first-name", "Noah",
                    "--last-name", "Singh", "--password", "a long passphrase!")
    assert not Account.objects.exists()
