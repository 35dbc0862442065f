"""Browser protections: security headers, CORS per site, CSRF on cookie forms."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import Api, make_site, make_story

ALLOWED = "https://news.example"
OTHER = "https://other-paper.example"


def test_pages_get_a_strict_policy_and_data_gets_one_where_nothing_runs(api: Api) -> None:
    page = api.client.get("/accounts/reset-password/?token=x")
    assert page["Content-Type"].startswith("text/html")
    policy = page["Content-Security-Policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    data = api.get("me")
    assert data["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    for response in (page, data):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "Strict-Transport-Security" not in response  # plain HTTP in tests


def test_hsts_is_sent_over_https(db: None) -> None:
    response = Client().get("/api/v1/me", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_cors_allows_a_sites_own_origins_only_on_that_sites_paths(api: Api) -> None:
    site, _key = make_site("daily", origins=[ALLOWED])
    make_site("other", origins=[OTHER])
    make_story(site, "s1")
    own = api.get("sites/daily/stories/s1/comments", Origin=ALLOWED)
    assert own["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in own["Vary"]
    foreign = api.get("sites/daily/stories/s1/comments", Origin=OTHER)
    assert "Access-Control-Allow-Origin" not in foreign
    stranger = api.get("sites/daily/stories/s1/comments", Origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in stranger
    # Paths that name no site (sign-in, comments by id) accept any registered site.
    for origin in (ALLOWED, OTHER):
        assert api.get("me", Origin=origin)["Access-Control-Allow-Origin"] == origin
    assert "Access-Control-Allow-Origin" not in api.get("me", Origin="https://evil.example")
    # The moderation API is never answered cross-origin.
    assert "Access-Control-Allow-Origin" not in api.get("moderation/queues/pending",
                                                       Origin=ALLOWED)


def test_cors_preflight_answers_only_allowed_origins(api: Api) -> None:
    make_site("daily", origins=[ALLOWED])
    client = api.client
    ok = client.options("/api/v1/sites/daily/stories/s1/comments", HTTP_ORIGIN=ALLOWED,
                        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == ALLOWED
    assert "Idempotency-Key" in ok["Access-Control-Allow-Headers"]
    refused = client.options("/api/v1/sites/daily/stories/s1/comments", HTTP_ORIGIN=OTHER,
                             HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert "Access-Control-Allow-Origin" not in refused


def test_cookie_forms_refuse_posts_without_the_csrf_token(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    for path in ("/accounts/verify/", "/accounts/reset-password/"):
        refused = client.post(path, {"token": "x", "password": "a long new passphrase"})
        assert refused.status_code == 403, path
        page = client.get(path + "?token=x")
        token = page.cookies["csrftoken"].value
        accepted = client.post(path, {"token": "x", "password": "a long new passphrase",
                                      "csrfmiddlewaretoken": token})
        assert accepted.status_code in {200, 422}, path  # the form ran (the token is bogus)


def test_bearer_token_api_needs_no_cookie_and_ignores_one(api: Api, settings: Any) -> None:
    """The JSON API authenticates by header only, so a forged cross-site form cannot use it."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "whatever"
    answer = client.post("/api/v1/me/totp", content_type="application/json", data={})
    assert answer.status_code == 401
