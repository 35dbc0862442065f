"""A reader can mute an account; its comments come back collapsed for that reader only."""

from __future__ import annotations

from typing import Any

from townhall.stories.models import Story

from tests.calm import post
from tests.conftest import make_account, token_for


def _muted_flags(api: Any, token: str | None) -> dict[int, bool]:
    thread = api.as_(token).get("sites/daily/stories/1.100/comments").json()
    flags = {}
    for comment in thread["comments"]:
        flags[comment["id"]] = comment["muted"]
        for reply in comment["replies"]:
            flags[reply["id"]] = reply["muted"]
    return flags


def test_muted_authors_are_collapsed_for_the_reader_who_muted_them(api: Any,
                                                                   story: Story) -> None:
    reader, loud, calm = make_account(), make_account(), make_account()
    token = token_for(reader)
    loud_top = post(api, token_for(loud), "LOUD OPINION")
    calm_top = post(api, token_for(calm), "A calm opinion.")
    loud_reply = post(api, token_for(loud), "LOUDER", parent_id=calm_top["id"])

    answer = api.as_(token).post(f"accounts/{loud.pk}/mute")
    assert answer.status_code == 200 and answer.json() == {"account_id": loud.pk, "muted": True}
    assert api.as_(token).get("me/mutes").json() == {
        "muted_author_ids": [loud.pk],
        "accounts": [{"id": loud.pk, "display_name": loud.display_name}]}
    assert _muted_flags(api, token) == {loud_top["id"]: True, calm_top["id"]: False,
                                        loud_reply["id"]: True}
    # Everyone else, signed in or not, sees nothing collapsed.
    assert not any(_muted_flags(api, token_for(calm)).values())
    assert not any(_muted_flags(api, None).values())

    api.as_(token).delete(f"accounts/{loud.pk}/mute")
    assert not any(_muted_flags(api, token).values())
    assert api.as_(token).get("me/mutes").json() == {"muted_author_ids": [], "accounts": []}


def test_muting_twice_is_one_mute_and_bad_targets_are_refused(api: Any, story: Story) -> None:
    reader, other = make_account(), make_account()
    me = api.as_(token_for(reader))
    me.post(f"accounts/{other.pk}/mute")
    me.post(f"accounts/{other.pk}/mute")
    # An account that signs no comment with its name is listed without one: muting an id
    # reveals nobody.
    assert me.get("me/mutes").json() == {"muted_author_ids": [other.pk],
                                         "accounts": [{"id": other.pk, "display_name": ""}]}
    assert me.post(f"accounts/{reader.pk}/mute").status_code == 409
    missing = me.post("accounts/999999/mute")
    assert missing.status_code == 404
    assert api.post(f"accounts/{other.pk}/mute").status_code == 401
