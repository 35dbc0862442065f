"""Schemathesis fuzzes every operation of /api/openapi.json: no 5xx, every 4xx names the field.

Requests run in-process through Django's WSGI handler, signed in as an administrator so the
staff operations are reached too. Operations that would sign that administrator out are left
out. Bounded to a few examples per operation so CI stays fast.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from tests.conftest import make_account, make_site, make_staff, make_story, token_for
from tests.security.conftest import record_figures

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
# Operations that end the fuzzing session's own sign-in; each is tested on its own elsewhere.
SKIPPED = {("DELETE", "/api/v1/me"), ("DELETE", "/api/v1/sessions/current"),
           ("PUT", "/api/v1/me/password"), ("POST", "/api/v1/me/totp"),
           ("POST", "/api/v1/me/totp/confirm")}
EXAMPLES_PER_OPERATION = 8
requests: Counter[str] = Counter()  # per operation
seen: Counter[str] = Counter()  # 5xx and unnamed refusals


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    record_figures("fuzzing", {"operations": len(requests), "requests": sum(requests.values()),
                               "server_errors": seen["5xx"], "unnamed_4xx": seen["unnamed"]})


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's test client does
    (the WSGI handler would otherwise close it, and the test transaction with it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(db: None, settings: Any) -> str:
    settings.TOWNHALL_RATELIMIT = False
    site, _key = make_site("daily")
    make_story(site, "1.1")
    make_account()
    return token_for(make_staff(role="admin", sites=[site]))


def _check(case: Any, response: Any) -> None:
    status = response.status_code
    label = f"{case.method} {case.path}"
    assert status < 500, f"{label} answered {status}: {response.text[:500]}"
    # A schema-driven client meets no status the schema does not document.
    documented = case.operation.definition.raw["responses"]
    assert str(status) in documented, f"{label} answered undocumented {status}"
    if 400 <= status < 500:
        body = json.loads(response.text)
        assert set(body) == {"errors"} and body["errors"], (label, body)
        for error in body["errors"]:
            assert set(error) == {"field", "code", "message"}, (label, error)
        if status == 422:
            unnamed = [e for e in body["errors"] if not e["field"]]
            if unnamed:
                seen["unnamed"] += 1
            assert not unnamed, (label, body)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_names_the_field_of_every_refusal(case: Any,
                                                                  admin_token: str) -> None:
    if (case.method.upper(), case.operation.path) in SKIPPED:
        pytest.skip("would end the fuzzing session")
    headers = {**(case.headers or {}), "Authorization": f"Bearer {admin_token}"}
    response = case.call(headers=headers)
    requests[case.operation.label] += 1
    if response.status_code >= 500:
        seen["5xx"] += 1
    _check(case, response)
