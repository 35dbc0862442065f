"""Disqus XML export (`<disqus>` with `<thread dsq:id>` and `<post dsq:id>` elements).

Threads become stories (the thread's `<id>` identifier, or its link when empty); posts become
comments under their `<parent dsq:id>`. Spam is skipped; deleted posts stay as placeholders
only where they have replies.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from townhall.porting import xmlfiles
from townhall.porting.engine import Importer, Post, Thread, parse_time

if TYPE_CHECKING:
    from townhall.stories.models import Site

NEEDS_SITE = True


def _true(value: str) -> bool:
    return value.strip().lower() == "true"


def read(path: Path) -> tuple[list[Thread], list[Post]]:
    root = xmlfiles.parse(path)
    if xmlfiles.local(root.tag) != "disqus":
        raise ValueError(f"{path}: not a Disqus export (the root element is not <disqus>)")
    threads, posts = [], []
    for element in root:
        kind = xmlfiles.local(element.tag)
        if kind == "thread":
            identifier = xmlfiles.text(element, "id")
            link = xmlfiles.text(element, "link")
            threads.append(Thread(source_id=xmlfiles.attribute(element, "id"),
                                  external_id=identifier or link, url=link,
                                  title=xmlfiles.text(element, "title")))
        elif kind == "post":
            author = xmlfiles.child(element, "author")
            state = "published"
            if _true(xmlfiles.text(element, "isSpam")):
                state = "spam"
            elif _true(xmlfiles.text(element, "isDeleted")):
                state = "deleted"
            elif not _true(xmlfiles.text(element, "isApproved", "true")):
                state = "pending"
            parent = xmlfiles.attribute(xmlfiles.child(element, "parent"), "id")
            posts.append(Post(
                source_id=xmlfiles.attribute(element, "id"),
                thread_id=xmlfiles.attribute(xmlfiles.child(element, "thread"), "id"),
                parent_id=parent or None,
                body=xmlfiles.text(element, "message"),
                created_at=parse_time(xmlfiles.text(element, "createdAt")),
                author_name=xmlfiles.text(author, "name"),
                author_email=xmlfiles.text(author, "email"),
                author_key=xmlfiles.text(author, "username"),
                state=state,
            ))
    return threads, posts


def import_file(path: Path, *, site: Site | None, stdout: Any) -> dict[str, int]:
    assert site is not None
    threads, posts = read(path)
    return Importer(site=site, source="disqus", stdout=stdout).run(threads, posts).counts()
