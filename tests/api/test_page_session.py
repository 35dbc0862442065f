"""One session for the widget and the account pages on Townhall's own origin: the widget's
sign-in signs the pages in, the pages' session gives the widget a token, and signing out of
either ends both. From a publisher's page (cross-origin) nothing is shared."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD, Api, make_account

SAME = {"Sec-Fetch-Site": "same-origin"}
CROSS = {"Sec-Fetch-Site": "cross-site", "Origin": "https://news.example"}


def _sign_in(api: Api, email: str, headers: dict[str, str]) -> Any:
    return api.post("sessions", {"email": email, "password": PASSWORD}, **headers)


def test_the_widgets_sign_in_on_townhalls_origin_signs_the_pages_in_and_out(db: None) -> None:
    reader = make_account()
    widget = Api()
    answer = _sign_in(widget, reader.email, SAME)
    assert answer.status_code == 200
    widget.token = answer.json()["token"]
    assert widget.client.get("/accounts/profile/").status_code == 200  # the pages too
    assert widget.delete("sessions/current", **SAME).status_code == 204
    assert widget.client.get("/accounts/profile/").status_code == 302  # both ended
    assert widget.get("me").status_code == 401


def test_a_publishers_page_shares_no_session(db: None) -> None:
    reader = make_account()
    widget = Api()
    assert _sign_in(widget, reader.email, CROSS).status_code == 200
    assert _sign_in(Api(), reader.email, {}).status_code == 200  # no header at all: nothing
    assert widget.client.get("/accounts/profile/").status_code == 302
    assert widget.client.cookies.get("sessionid") is None


def test_the_pages_session_gives_the_widget_a_token_that_their_sign_out_ends(db: None) -> None:
    reader = make_account()
    page = Api()
    assert page.post("sessions/page", **SAME).json()["token"] is None  # not signed in yet
    signed = page.client.post("/accounts/sign-in/", {"email": reader.email,
                                                    "password": PASSWORD})
    assert signed.status_code == 302
    # Another origin's script cannot take the pages' session.
    assert page.post("sessions/page", **CROSS).json() == {"token": None, "account": None,
                                                          "device": None}
    answer = page.post("sessions/page", **SAME).json()
    assert answer["account"]["id"] == reader.pk
    widget = Api(answer["token"])
    assert widget.get("me").json()["id"] == reader.pk
    page.client.post("/accounts/sign-out/")
    assert widget.get("me").status_code == 401  # signing out of the pages ended it
