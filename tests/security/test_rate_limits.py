"""Abuse limits per account, per address and per story, configurable per site; 429 + Retry-After."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from townhall.core import ratelimit
from townhall.core.errors import Invalid
from townhall.moderation.posting import comment_create
from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_site, make_story, token_for

PATH = "sites/daily/stories/s1/comments"


def _limits(*settings: str) -> str:
    out = io.StringIO()
    call_command("ratelimits", "daily", *[f"--set={s}" for s in settings], stdout=out)
    return out.getvalue()


def _post(api: Api, body: str, path: str = PATH) -> Any:
    return api.post(path, {"body": body, "accept_terms": True})


def _refused(response: Any, field: str | None) -> None:
    assert response.status_code == 429, response.json()
    assert int(response["Retry-After"]) >= 1
    error = response.json()["errors"][0]
    assert error["code"] == "rate_limited" and error["field"] == field


@pytest.fixture
def daily(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1")
    make_story(site, "s2")
    return site


def test_posting_is_limited_per_account_with_the_sites_own_numbers(daily: Site) -> None:
    shown = _limits("post.account=2/60")
    assert "post.account: 2 per 60 s (site)" in shown
    reader = Api(token_for(make_account()))
    assert [_post(reader, f"Point {n}").status_code for n in range(2)] == [201, 201]
    _refused(_post(reader, "Point 3"), "body")
    # Another account is not held back.
    assert _post(Api(token_for(make_account())), "Mine").status_code == 201


def test_posting_is_limited_per_address_across_accounts(daily: Site) -> None:
    _limits("post.address=3/60")
    codes = []
    for n in range(4):
        reader = Api(token_for(make_account()))
        reader.client.defaults["REMOTE_ADDR"] = "203.0.113.50"
        codes.append(_post(reader, f"From the same place {n}").status_code)
    assert codes == [201, 201, 201, 429]
    elsewhere = Api(token_for(make_account()))
    elsewhere.client.defaults["REMOTE_ADDR"] = "203.0.113.51"
    assert _post(elsewhere, "From elsewhere").status_code == 201


def test_ipv6_addresses_count_per_64_network(daily: Site) -> None:
    _limits("post.address=1/60")
    first, second = (Api(token_for(make_account())) for _ in range(2))
    first.client.defaults["REMOTE_ADDR"] = "2001:db8:1:2::1"
    second.client.defaults["REMOTE_ADDR"] = "2001:db8:1:2:ffff::9"
    assert _post(first, "One").status_code == 201
    _refused(_post(second, "Two"), "body")


def test_posting_is_limited_per_story_across_everyone(daily: Site) -> None:
    _limits("post.story=3/60")
    codes = [_post(Api(token_for(make_account())), f"Pile-on {n}").status_code
             for n in range(4)]
    assert codes == [201, 201, 201, 429]
    assert _post(Api(token_for(make_account())), "Other story",
                 "sites/daily/stories/s2/comments").status_code == 201


def test_editing_liking_and_reporting_are_limited(daily: Site) -> None:
    _limits("edit.account=1/300", "like.account=1/60", "report.account=1/3600")
    author = make_account()
    story = daily.stories.get(external_id="s1")
    mine, _ = comment_create(account=author, story=story, body="Original", accept_terms=True)
    others = [comment_create(account=make_account(), story=story, body=f"Other {n}",
                             accept_terms=True)[0] for n in range(2)]
    me = Api(token_for(author))
    assert me.patch(f"comments/{mine.pk}", {"body": "Edited once"}).status_code == 200
    _refused(me.patch(f"comments/{mine.pk}", {"body": "Edited twice"}), "body")
    assert me.post(f"comments/{others[0].pk}/like").status_code == 200
    _refused(me.post(f"comments/{others[1].pk}/like"), None)
    report = {"reason": "other", "text": "Off topic"}
    assert me.post(f"comments/{others[0].pk}/reports", report).status_code == 201
    _refused(me.post(f"comments/{others[1].pk}/reports", report), None)


def test_sign_up_is_limited_per_address(api: Api, settings: Any) -> None:
    settings.TOWNHALL_RATE_LIMITS = {"signup": {"address": [2, 3600]}}
    body = {"password": "correct horse battery staple", "first_name": "Ana",
            "last_name": "Lima"}
    codes = [api.post("accounts", {**body, "email": f"a{n}@example.org"}).status_code
             for n in range(3)]
    assert codes == [201, 201, 429]


def test_a_site_can_turn_a_limit_off_and_bad_settings_are_refused(daily: Site) -> None:
    _limits("post.account=off", "post.account_story=off")
    reader = Api(token_for(make_account()))
    assert {_post(reader, f"Note {n}").status_code for n in range(12)} == {201}
    with pytest.raises(CommandError):
        _limits("post.nonsense=1/60")
    with pytest.raises(CommandError):
        _limits("post.account=0/60")
    with pytest.raises(Invalid) as error:
        ratelimit.validate_rules({"post": {"account": [5, 10**9]}})
    assert error.value.items[0].field == "rate_limits.post.account"


def test_rate_limits_off_lets_everything_through(daily: Site, settings: Any) -> None:
    settings.TOWNHALL_RATELIMIT = False
    _limits("post.account=1/60")
    reader = Api(token_for(make_account()))
    assert {_post(reader, f"Bench {n}").status_code for n in range(3)} == {201}


def test_the_server_warns_at_start_when_rate_limits_are_off(settings: Any, caplog: Any) -> None:
    from django.apps import apps

    settings.TOWNHALL_RATELIMIT = False
    with caplog.at_level("WARNING", logger="townhall"):
        apps.get_app_config("core").ready()
    assert "rate limits are disabled" in caplog.text
