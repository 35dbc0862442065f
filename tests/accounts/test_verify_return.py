"""The verification link leads back to the story, and says so kindly when used twice."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.test import Client

from tests.conftest import PASSWORD, Api, Outbox, make_site

STORY = "https://news.example/local/ferry-returns?utm=x#comments"


def _sign_up(api: Api, return_to: str) -> None:
    answer = api.post("accounts", {"email": "amara.okafor@example.org", "password": PASSWORD,
                                   "first_name": "Amara", "last_name": "Okafor",
                                   "language": "en", "return_to": return_to})
    assert answer.status_code == 201, answer.content


def _link(outbox: Outbox) -> str:
    return outbox.link("amara.okafor@example.org", "/accounts/verify/")


def _local(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def test_the_verify_page_links_back_to_the_story_and_knows_a_used_link(
        db: None, outbox: Outbox) -> None:
    make_site(origins=["https://news.example"])
    _sign_up(Api(), STORY)
    link = _link(outbox)
    query = parse_qs(urlsplit(link).query)
    assert query["next"] == [STORY]
    browser = Client()
    opened = browser.get(_local(link)).content.decode()
    assert "Confirm my email address" in opened and 'name="next"' in opened
    done = browser.post("/accounts/verify/", {"token": query["token"][0], "next": STORY})
    page = done.content.decode()
    assert done.status_code == 200 and "your email address is verified" in page
    assert 'href="https://news.example/local/ferry-returns?utm=x#comments"' in page
    again = browser.post("/accounts/verify/", {"token": query["token"][0], "next": STORY})
    page = again.content.decode()
    assert again.status_code == 200
    assert "already verified" in page and "invalid or has expired" not in page
    # The API says the same, as a conflict with what is stored.
    answer = Api().post("accounts/verify", {"token": query["token"][0]})
    assert answer.status_code == 409
    assert answer.json()["errors"][0]["code"] == "already_verified"


def test_a_page_elsewhere_is_never_linked(db: None, outbox: Outbox) -> None:
    make_site(origins=["https://news.example"])
    _sign_up(Api(), "https://evil.example/phish")
    link = _link(outbox)
    assert "next=" not in link
    forged = Client().get(_local(link) + "&next=https://evil.example/phish").content.decode()
    assert "evil.example" not in forged


def test_a_wrong_token_is_still_invalid(db: None) -> None:
    page = Client().post("/accounts/verify/", {"token": "ver_nothing"})
    assert page.status_code == 422
    assert "invalid or has expired" in page.content.decode()


def test_the_used_link_reads_in_french(db: None, outbox: Outbox) -> None:
    make_site(origins=["https://news.example"])
    _sign_up(Api(), STORY)
    token = parse_qs(urlsplit(_link(outbox)).query)["token"][0]
    reader = Client(HTTP_ACCEPT_LANGUAGE="fr")
    assert reader.post("/accounts/verify/", {"token": token}).status_code == 200
    again = reader.post("/accounts/verify/", {"token": token, "next": STORY}).content.decode()
    assert "déjà confirmée" in again and "Retour à l’article" in again
