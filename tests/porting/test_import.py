"""`townhall import disqus|wordpress|isso FILE --site NAME`: right stories, right threads, once."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.stories.models import Site, Story

from tests.conftest import Outbox, make_account
from tests.porting.exports import disqus_export, isso_database, wordpress_export


def run_import(fmt: str, path: Path, site: str = "daily") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", fmt, str(path), "--site", site, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def thread(api: Any, external_id: str) -> list[dict[str, Any]]:
    comments: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = api.get(f"sites/daily/stories/{external_id}/comments?limit=100&sort=oldest"
                       + (f"&cursor={cursor}" if cursor else ""),
                       HTTP_AUTHORIZATION="Bearer none").json()
        comments += page["comments"]
        if not page["next_cursor"]:
            return comments
        cursor = page["next_cursor"]


def test_a_disqus_export_lands_in_the_right_stories_and_threads_once(
    api: Any, site: Site, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "disqus.xml"
    expected = disqus_export(path, threads=6, posts=300)
    out, _err = run_import("disqus", path)
    progress = capsys.readouterr().err
    assert "100% 300/300" in progress
    assert "Stories created: 6" in out
    assert f"spam: {expected['spam']}" in out
    assert f"deleted, without replies: {expected['deleted_leaf']}" in out

    for external_id, count in expected["per_thread"].items():
        story = Story.objects.get(site=site, external_id=external_id)
        assert story.comment_count == count
        assert story.url.startswith("https://news.example/2023/")
    published = Comment.objects.filter(story__site=site, status=Status.PUBLISHED)
    assert published.count() == expected["published"]
    assert published.filter(depth__gt=0).count() == expected["replies"]
    first = thread(api, "2023.0")
    assert sum(1 + len(c["replies"]) for c in first if not c["removed"]) >= 1
    some = next(c for c in first if not c["removed"])
    assert "the council &amp; the bridge" in some["body_html"]
    assert some["body"].startswith("Comment ") and "Second line." in some["body"]

    counts = (Story.objects.count(), Comment.objects.count(), Account.objects.count())
    again, _err = run_import("disqus", path)
    assert (Story.objects.count(), Comment.objects.count(), Account.objects.count()) == counts
    assert "Comments created: 0" in again and "Stories created: 0" in again


def test_imported_names_pass_the_name_policy_or_become_former_commenter(
    site: Site, tmp_path: Path
) -> None:
    path = tmp_path / "disqus.xml"
    disqus_export(path, threads=2, posts=40)
    run_import("disqus", path)
    troll = Account.objects.get(email="troll@example.org")
    assert troll.display_name == "Former commenter"
    assert not troll.has_usable_password() and troll.email_verified_at is None
    assert Account.objects.get(email="chloe@example.org").display_name == "Chloé Gagnon"


def test_an_imported_author_claims_their_comments_by_signing_up_and_verifying(
    api: Any, site: Site, tmp_path: Path, outbox: Outbox
) -> None:
    path = tmp_path / "disqus.xml"
    disqus_export(path, threads=2, posts=40)
    run_import("disqus", path)
    troll = Account.objects.get(email="troll@example.org")
    signed = api.post("accounts", {"email": "troll@example.org", "password": "a long pass 4 me",
                                   "first_name": "Trevor", "last_name": "Rolland"})
    assert signed.status_code == 201, signed.content
    troll.refresh_from_db()
    assert troll.display_name == "Former commenter"  # nothing changes before verification
    token = outbox.token("troll@example.org", "/accounts/verify/")
    assert api.post("accounts/verify", {"token": token}).status_code == 200
    troll.refresh_from_db()
    assert troll.display_name == "Trevor Rolland" and troll.check_password("a long pass 4 me")
    assert Account.objects.filter(email="troll@example.org").count() == 1
    assert Comment.objects.filter(author=troll).exists()


def test_existing_members_keep_their_account_and_name(site: Site, tmp_path: Path) -> None:
    member = make_account(email_address="amara@example.org", first_name="Amara",
                          last_name="Okafor-Smith")
    path = tmp_path / "disqus.xml"
    disqus_export(path, threads=2, posts=40)
    run_import("disqus", path)
    member.refresh_from_db()
    assert member.display_name == "Amara Okafor-Smith"
    assert Comment.objects.filter(author=member).exists()


def test_a_wordpress_export_keeps_the_conversation_and_skips_spam_and_pingbacks(
    api: Any, site: Site, tmp_path: Path
) -> None:
    path = tmp_path / "wordpress.xml"
    wordpress_export(path)
    out, _err = run_import("wordpress", path)
    assert "Comments created: 4" in out
    assert "spam: 1" in out and "pingback or trackback: 1" in out
    story = Story.objects.get(site=site, external_id="77")
    assert story.url == "https://news.example/2022/05/budget/"
    assert story.title == "Budget day: what changes" and story.comment_count == 3
    [top] = thread(api, "77")
    assert top["author"]["display_name"] == "Lucas Tremblay"
    assert "the data (https://example.org/data)" in top["body"]
    [reply] = top["replies"][:1]
    assert reply["body"] == "I disagree strongly."
    assert [r["depth"] for r in top["replies"]] == [1, 2]
    held = Comment.objects.get(story=story, status=Status.PENDING)
    assert held.source == "Waiting for review."
    assert str(held.created_at.isoformat()).startswith("2022-05-05T13:30:00")
    again, _err = run_import("wordpress", path)
    assert "Comments created: 0" in again


def test_an_isso_database_imports_with_placeholders_for_removed_parents(
    api: Any, site: Site, tmp_path: Path
) -> None:
    path = tmp_path / "comments.db"
    isso_database(path)
    out, _err = run_import("isso", path)
    assert "Comments created: 5" in out
    story = Story.objects.get(site=site, external_id="2021-ferry")
    assert story.url == "https://news.example/2021/ferry/" and story.comment_count == 3
    first, removed = thread(api, "2021-ferry")[:2]
    assert "<strong>good news</strong>" in first["body_html"]
    assert first["replies"][0]["body"] == "Agreed!"
    assert removed["removed"] and removed["replies"][0]["body"] == (
        "Replying to a removed comment.")
    assert removed["replies"][0]["author"]["display_name"] == "Oren Lindqvist"
    assert Comment.objects.filter(story=story, status=Status.PENDING).count() == 1
    assert "Comments created: 0" in run_import("isso", path)[0]


def test_bad_files_and_unknown_sites_are_refused(site: Site, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<disqus><post>")
    with pytest.raises(CommandError, match="not well-formed"):
        run_import("disqus", broken)
    wrong = tmp_path / "wrong.xml"
    wordpress_export(wrong)
    with pytest.raises(CommandError, match="not a Disqus export"):
        run_import("disqus", wrong)
    with pytest.raises(CommandError, match="not an Isso database"):
        run_import("isso", broken)
    with pytest.raises(CommandError, match="unknown site"):
        run_import("disqus", wrong, site="nope")
