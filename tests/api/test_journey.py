"""A new reader's whole journey, through the HTTP API alone."""

from __future__ import annotations

from tests.conftest import PASSWORD, Api, Outbox, make_site, make_story


def test_new_reader_signs_up_verifies_comments_replies_likes_edits_and_deletes(
    api: Api, outbox: Outbox
) -> None:
    site, key = make_site()
    made = api.as_(key).put("sites/daily/stories/1.3318283", {
        "title": "Harbour ferry returns after storm", "url": "https://news.example/1.3318283",
    })
    assert made.status_code == 201

    signup = api.post("accounts", {"email": "Jane.Smith@Example.org", "password": PASSWORD,
                                   "first_name": "  Jane ", "last_name": "Smith"})
    assert signup.status_code == 201, signup.json()
    assert signup.json()["display_name"] == "Jane Smith"
    assert signup.json()["email_verified"] is False

    signin = api.post("sessions", {"email": "jane.smith@example.org", "password": PASSWORD})
    assert signin.status_code == 200
    jane = api.as_(signin.json()["token"])

    blocked = jane.post("sites/daily/stories/1.3318283/comments",
                        {"body": "First!", "accept_terms": True})
    assert blocked.status_code == 403
    assert blocked.json()["errors"][0]["code"] == "email_not_verified"

    token = outbox.token("jane.smith@example.org", "/accounts/verify/")
    assert api.post("accounts/verify", {"token": token}).json()["email_verified"] is True
    reused = api.post("accounts/verify", {"token": token})  # single use: it says it worked
    assert reused.status_code == 409
    assert reused.json()["errors"][0]["code"] == "already_verified"

    posted = jane.post("sites/daily/stories/1.3318283/comments",
                       {"body": "The **new** ferry schedule works for me.", "accept_terms": True})
    assert posted.status_code == 201, posted.json()
    comment = posted.json()
    assert comment["status"] == "published"
    assert "<strong>new</strong>" in comment["body_html"]

    other = api.post("accounts", {"email": "omar@example.org", "password": PASSWORD,
                                  "first_name": "Omar", "last_name": "Haddad"})
    assert other.status_code == 201
    api.post("accounts/verify", {"token": outbox.token("omar@example.org", "/accounts/verify/")})
    omar = api.as_(api.post("sessions", {"email": "omar@example.org",
                                         "password": PASSWORD}).json()["token"])
    reply = omar.post("sites/daily/stories/1.3318283/comments",
                      {"body": "Agreed, and the evening run helps.", "parent_id": comment["id"],
                       "accept_terms": True})
    assert reply.status_code == 201
    assert reply.json()["depth"] == 1

    liked = omar.post(f"comments/{comment['id']}/like")
    assert liked.json() == {"liked": True, "like_count": 1}
    assert omar.post(f"comments/{comment['id']}/like").json()["like_count"] == 1

    edited = jane.patch(f"comments/{comment['id']}",
                        {"body": "The new ferry schedule works well for me."})
    assert edited.status_code == 200
    assert edited.json()["edited_at"] is not None

    thread = api.get("sites/daily/stories/1.3318283/comments").json()
    assert [c["id"] for c in thread["comments"]] == [comment["id"]]
    assert thread["comments"][0]["body"] == "The new ferry schedule works well for me."
    assert thread["comments"][0]["like_count"] == 1
    assert [r["author"]["display_name"] for r in thread["comments"][0]["replies"]] == [
        "Omar Haddad"
    ]

    assert jane.delete(f"comments/{comment['id']}").status_code == 204
    after = api.get("sites/daily/stories/1.3318283/comments").json()
    placeholder = after["comments"][0]
    assert placeholder["removed"] is True and placeholder["author"] is None
    assert placeholder["body_html"] == ""
    assert len(placeholder["replies"]) == 1
    assert api.get("sites/daily/stories/1.3318283").json()["comment_count"] == 1

    assert jane.delete("sessions/current").status_code == 204
    assert jane.get("me").status_code == 401
    assert make_story(site, "1.2").comment_count == 0
