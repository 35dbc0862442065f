"""WordPress WXR export (RSS with `wp:` elements): each `<item>` is a post with its
`<wp:comment>`s, nested by `wp:comment_parent`.

Posts become stories under their `wp:post_id` (the link is kept as the story's URL).
`wp:comment_approved` 1 publishes, 0 waits for review, `spam` and `trash` are skipped, and so
are pingbacks and trackbacks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from townhall.porting import xmlfiles
from townhall.porting.engine import Importer, Post, Thread, parse_time

if TYPE_CHECKING:
    from townhall.stories.models import Site

NEEDS_SITE = True
APPROVAL = {"1": "published", "approve": "published", "0": "pending", "hold": "pending",
            "spam": "spam", "trash": "trash"}


def read(path: Path) -> tuple[list[Thread], list[Post]]:
    root = xmlfiles.parse(path)
    channel = xmlfiles.child(root, "channel")
    if xmlfiles.local(root.tag) != "rss" or channel is None:
        raise ValueError(f"{path}: not a WordPress export (no <rss><channel>)")
    threads, posts = [], []
    for item in channel:
        if xmlfiles.local(item.tag) != "item":
            continue
        post_id = xmlfiles.text(item, "post_id")
        comments = [c for c in item if xmlfiles.local(c.tag) == "comment"]
        if not post_id or not comments:
            continue
        threads.append(Thread(source_id=post_id, external_id=post_id,
                              url=xmlfiles.text(item, "link"),
                              title=xmlfiles.text(item, "title")))
        for comment in comments:
            kind = xmlfiles.text(comment, "comment_type", "comment") or "comment"
            parent = xmlfiles.text(comment, "comment_parent", "0")
            when = (xmlfiles.text(comment, "comment_date_gmt")
                    or xmlfiles.text(comment, "comment_date"))
            state = APPROVAL.get(xmlfiles.text(comment, "comment_approved", "1"), "pending")
            posts.append(Post(
                source_id=xmlfiles.text(comment, "comment_id"), thread_id=post_id,
                parent_id=parent if parent not in ("", "0") else None,
                body=xmlfiles.text(comment, "comment_content"),
                created_at=parse_time(when if not when.startswith("0000") else ""),
                author_name=xmlfiles.text(comment, "comment_author"),
                author_email=xmlfiles.text(comment, "comment_author_email"),
                state=kind if kind in ("pingback", "trackback") else state,
            ))
    return threads, posts


def import_file(path: Path, *, site: Site | None, stdout: Any) -> dict[str, int]:
    assert site is not None
    threads, posts = read(path)
    return Importer(site=site, source="wordpress", stdout=stdout).run(threads, posts).counts()
