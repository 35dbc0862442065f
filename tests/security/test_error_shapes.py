"""Every refusal under /api/ is the one JSON error shape; pages get styled error pages.

Django and django-ninja answer some refusals themselves, before any Townhall view runs (a
wrong Host header, a body over the limit, an unknown path, a method the path lacks): those
are reshaped too, documented in the schema, and the server logs no ERROR for them.
"""

from __future__ import annotations

import http.client
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.security.live import installation

TEN_MEGABYTES = b'{"body": "' + b"x" * 10_000_000 + b'"}'


def errors_of(response: Any) -> list[dict[str, Any]]:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = json.loads(response.content)
    assert set(body) == {"errors"} and body["errors"], body
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message"} and error["message"], error
    return list(body["errors"])


@pytest.mark.parametrize(("method", "path", "body", "extra", "status", "field", "code"), [
    ("get", "/api/v1/me", None, {"HTTP_HOST": "evil.example"}, 400, "host", "bad_host"),
    ("get", "/api/v1/nope", None, {}, 404, None, "not_found"),
    ("get", "/api/nope", None, {}, 404, None, "not_found"),
    ("post", "/api/v1/accounts", b'{"email": ', {}, 400, "body", "invalid_json"),
    ("post", "/api/v1/accounts", b'{"email": "\xff\xfe"}', {}, 400, "body", "invalid_encoding"),
    ("post", "/api/v1/accounts", TEN_MEGABYTES, {}, 413, "body", "too_large"),
    ("delete", "/api/v1/accounts", None, {}, 405, None, "method_not_allowed"),
])
def test_framework_refusals_under_the_api_answer_the_json_shape(
    db: None, caplog: Any, method: str, path: str, body: bytes | None, extra: dict[str, str],
    status: int, field: str | None, code: str,
) -> None:
    client = Client()
    call = getattr(client, method)
    with caplog.at_level(logging.INFO):
        if body is None:
            response = call(path, **extra)
        else:
            response = call(path, data=body, content_type="application/json", **extra)
    assert response.status_code == status
    assert errors_of(response) == [{"field": field, "code": code,
                                    "message": errors_of(response)[0]["message"]}]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


def test_a_method_the_path_lacks_still_says_which_methods_it_has(db: None) -> None:
    response = Client().delete("/api/v1/accounts")
    assert response.status_code == 405 and "POST" in response["Allow"]


def test_the_schema_documents_every_status_the_framework_may_answer(db: None) -> None:
    schema = json.loads(Client().get("/api/openapi.json").content)
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert len(operations) > 50
    for operation in operations:
        for status in ("400", "404", "405", "413", "422", "429"):
            documented = operation["responses"][status]["content"]["application/json"]
            assert documented["schema"] == {"$ref": "#/components/schemas/ErrorsOut"}


def test_a_running_server_answers_json_to_curl_like_requests_and_logs_no_error(
    tmp_path: Path
) -> None:
    def send(path: str, body: bytes | None = None, host: str = "127.0.0.1") -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.putrequest("POST" if body is not None else "GET", path,
                                  skip_host=True)
            connection.putheader("Host", host)
            if body is not None:
                connection.putheader("Content-Type", "application/json")
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, json.loads(response.read())
        finally:
            connection.close()

    with installation(tmp_path, accounts=1) as server:
        server.start()
        assert send("/api/v1/me", host="evil.example")[0] == 400
        status, answer = send("/api/v1/accounts", TEN_MEGABYTES)
        assert status == 413 and answer["errors"][0]["code"] == "too_large"
        assert send("/api/v1/nope")[1]["errors"][0]["code"] == "not_found"
        status, answer = send("/api/v1/accounts", b"{not json")
        assert (status, answer["errors"][0]["field"]) == (400, "body")
        server.stop()
        assert server.log is not None
        log = server.log.read_text()
    assert " ERROR " not in log and "Traceback" not in log, log[-3000:]


@pytest.mark.parametrize(("path", "headers", "language", "title"), [
    ("/moderation/no-such-page/", {}, "en", "Page not found"),
    ("/accounts/no-such-page/?lang=fr", {}, "fr", "Page introuvable"),
    ("/accounts/no-such-page/", {"HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9"}, "fr",
     "Page introuvable"),
])
def test_pages_answer_a_styled_not_found_page_in_the_readers_language(
    db: None, path: str, headers: dict[str, str], language: str, title: str
) -> None:
    response = Client().get(path, **headers)
    html = response.content.decode()
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert f'<html lang="{language}">' in html and f"<h1>{title}</h1>" in html
    assert "/static/townhall/pages.css" in html


def test_a_page_that_fails_answers_the_styled_error_page(db: None, settings: Any) -> None:
    client = Client(raise_request_exception=False)
    settings.ROOT_URLCONF = "tests.security.broken_urls"
    response = client.get("/broken/?lang=fr")
    assert response.status_code == 500
    assert "<h1>Une erreur est survenue</h1>" in response.content.decode()
    api_response = client.get("/api/broken/")
    assert api_response.status_code == 500 and errors_of(api_response)[0]["code"] == (
        "server_error")
