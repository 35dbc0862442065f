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

pytestmark = pytest.mark.calendar

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
    assert expected["spam_placeholders"] > 0  # the seed makes replies under spam
    assert (f"spam, as removed placeholders for their replies: "
            f"{expected['spam_placeholders']}") in out

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


def _post(pid: int, body: str, *, parent: int | None = None, spam: bool = False,
          deleted: bool = False, minute: int = 0) -> str:
    parent_xml = f'<parent dsq:id="{parent}"/>' if parent else ""
    return (f'<post dsq:id="{pid}"><message><![CDATA[<p>{body}</p>]]></message>'
            f"<createdAt>2023-03-01T12:{minute:02d}:00Z</createdAt>"
            f"<isDeleted>{str(deleted).lower()}</isDeleted><isSpam>{str(spam).lower()}</isSpam>"
            f"<author><email>p{pid}@example.org</email><name>Amara Okafor</name></author>"
            f'<thread dsq:id="1"/>{parent_xml}</post>')


def test_replies_to_spam_trashed_deleted_or_missing_comments_are_all_kept(
    api: Any, site: Site, tmp_path: Path
) -> None:
    posts = [
        _post(1, "Buy followers at spam.example", spam=True, minute=1),
        _post(2, "Please do not post ads here.", parent=1, minute=2),
        _post(3, "Agreed, and thanks for flagging it.", parent=2, minute=3),
        _post(4, "Something I regret writing.", deleted=True, minute=4),
        _post(5, "Whatever it said, the point about tolls stands.", parent=4, minute=5),
        _post(6, "More spam", spam=True, minute=6),
        _post(7, "Spam under spam", parent=6, spam=True, minute=7),
        _post(8, "Replying to a comment the export lost.", parent=999, minute=8),
        _post(9, "A plain top-level comment.", minute=9),
    ]
    path = tmp_path / "disqus.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="1"><id>2023.9</id>'
        "<link>https://news.example/2023/9</link><title>Tolls</title></thread>"
        + "".join(posts) + "</disqus>", encoding="utf-8")
    out, _err = run_import("disqus", path)
    story = Story.objects.get(site=site, external_id="2023.9")
    kept = Comment.objects.filter(story=story, status=Status.PUBLISHED)
    # Every post that is neither spam nor deleted: 2, 3, 5, 8 and 9.
    assert sorted(c.source for c in kept) == sorted(
        ["Please do not post ads here.", "Agreed, and thanks for flagging it.",
         "Whatever it said, the point about tolls stands.",
         "Replying to a comment the export lost.", "A plain top-level comment."])
    assert story.comment_count == 5
    assert "spam, as removed placeholders for their replies: 1" in out
    assert "deleted, as placeholders for their replies: 1" in out
    assert "replies to a comment missing from the export, now top-level: 1" in out
    assert "spam: 2" in out  # 6 and 7: nothing but spam hangs from them
    assert not Comment.objects.filter(source__contains="spam").exists()
    assert not Account.objects.filter(email="p1@example.org").exists()

    shown = thread(api, "2023.9")
    spam_holder = next(c for c in shown if c["replies"] and c["removed"]
                       and c["replies"][0]["body"] == "Please do not post ads here.")
    assert spam_holder["body"] == "" and "Amara" not in str(spam_holder["author"])
    counts = (Comment.objects.count(), Account.objects.count())
    again, _err = run_import("disqus", path)
    assert (Comment.objects.count(), Account.objects.count()) == counts
    assert "Comments created: 0" in again


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
