"""Consent to a site's terms, kept on the account: given once, asked again for a new version."""

from __future__ import annotations

from typing import Any

from townhall.accounts.models import Account, TermsAcceptance
from townhall.stories.models import Site
from townhall.stories.selectors import policy_current
from townhall.stories.services import policy_publish

from tests.conftest import PASSWORD, Api, make_account, make_site, make_story, token_for


def _terms(site: Site, language: str = "en") -> dict[str, Any]:
    return {"site": site.name, "language": language,
            "version": policy_current(site, language).version}


def test_sign_up_answers_every_field_error_at_once_in_the_order_of_the_form(api: Api) -> None:
    site, _key = make_site()
    response = api.post("accounts", {
        "email": "not-an-email", "password": "short", "first_name": " ", "last_name": "Lima",
        "terms": _terms(site), "accept_terms": False,
    })
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields[0] == "first_name"
    assert fields.index("email") < fields.index("password") < fields.index("accept_terms")
    terms = next(e for e in response.json()["errors"] if e["field"] == "accept_terms")
    assert terms["code"] == "required" and "create your account" in terms["message"]
    assert Account.objects.count() == 0


def test_terms_accepted_at_sign_up_are_kept_and_not_asked_again_on_another_story(
        api: Api) -> None:
    site, _key = make_site()
    make_story(site, "s1")
    make_story(site, "s2")
    created = api.post("accounts", {
        "email": "ana@example.org", "password": PASSWORD, "first_name": "Ana",
        "last_name": "Lima", "terms": _terms(site), "accept_terms": True,
    })
    assert created.status_code == 201, created.json()
    account = Account.objects.get(email="ana@example.org")
    account.email_verified_at = account.created_at
    account.save(update_fields=["email_verified_at"])
    reader = Api(token_for(account))
    me = reader.get("me").json()
    assert [(t["site"], t["language"], t["version"]) for t in me["terms_accepted"]] == [
        (site.name, "en", _terms(site)["version"])]
    boot = reader.get(f"sites/{site.name}/stories/s2/embed").json()
    assert boot["viewer"]["terms_accepted"] is True
    # Another story, another browser: no box to tick.
    posted = reader.post(f"sites/{site.name}/stories/s2/comments",
                         {"body": "A thought on the second story."})
    assert posted.status_code == 201, posted.json()
    # The export carries the consent.
    export = reader.get("me/export").json()
    assert export["terms_accepted"][0]["version"] == _terms(site)["version"]


def test_a_new_version_of_the_terms_is_asked_once_with_a_comment(api: Api) -> None:
    site, _key = make_site()
    make_story(site, "s1")
    reader = Api(token_for(make_account()))
    path = f"sites/{site.name}/stories/s1/comments"
    refused = reader.post(path, {"body": "A first thought without consent."})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "accept_terms"
    assert reader.post(path, {"body": "A first thought with consent.",
                              "accept_terms": True}).status_code == 201
    assert reader.post(path, {"body": "A second thought, consent kept."}).status_code == 201
    old = policy_current(site, "en")
    policy_publish(site=site, language="en", texts={**old.texts, "licence": "New licence."})
    boot = reader.get(f"sites/{site.name}/stories/s1/embed").json()
    assert boot["viewer"]["terms_accepted"] is False
    assert reader.post(path, {"body": "A third thought, new terms."}).status_code == 422
    assert reader.post(path, {"body": "A third thought, new terms accepted.",
                              "accept_terms": True}).status_code == 201
    versions = sorted(TermsAcceptance.objects.values_list("version", flat=True))
    assert versions == [old.version, old.version + 1]


def test_sign_up_with_terms_that_changed_meanwhile_is_refused(api: Api) -> None:
    site, _key = make_site()
    stale = {**_terms(site), "version": _terms(site)["version"] + 5}
    response = api.post("accounts", {
        "email": "ana@example.org", "password": PASSWORD, "first_name": "Ana",
        "last_name": "Lima", "terms": stale, "accept_terms": True,
    })
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "accept_terms", "code": "terms_changed",
        "message": response.json()["errors"][0]["message"]}
    assert Account.objects.count() == 0
