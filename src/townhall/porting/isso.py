"""Isso's SQLite database: `threads` (id, uri, title) and `comments` (tid, id, parent,
created, mode, text, author, email).

Threads become stories under their `uri` with dashes for slashes (`/2021/ferry/` →
`2021-ferry`; the URL is the site's first origin plus the uri);
`mode` 1 publishes, 2 waits for review, 4 (deleted) stays as a placeholder where it has
replies. Comment text is already Markdown.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from townhall.porting.engine import Importer, Post, Thread

if TYPE_CHECKING:
    from townhall.stories.models import Site

NEEDS_SITE = True
MODES = {1: "published", 2: "pending", 4: "deleted"}


def story_id(uri: str) -> str:
    """Return the story identifier of an Isso thread: its path, slashes turned to dashes
    (identifiers travel in API paths), e.g. `/2021/ferry/` → `2021-ferry`."""
    return "-".join(part for part in (uri or "").split("/") if part)


def read(path: Path, *, origin: str = "") -> tuple[list[Thread], list[Post]]:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        with connection:
            thread_rows = connection.execute("SELECT id, uri, title FROM threads").fetchall()
            comment_rows = connection.execute(
                "SELECT id, tid, parent, created, mode, text, author, email FROM comments"
            ).fetchall()
        connection.close()
    except sqlite3.DatabaseError as error:
        raise ValueError(f"{path}: not an Isso database ({error})") from None
    threads = [Thread(source_id=str(tid), external_id=story_id(uri) or str(tid),
                      url=f"{origin}{uri}" if origin and uri.startswith("/") else "",
                      title=title or "") for tid, uri, title in thread_rows]
    posts = [Post(
        source_id=str(cid), thread_id=str(tid), parent_id=str(parent) if parent else None,
        body=text or "", body_is_html=False,
        created_at=dt.datetime.fromtimestamp(float(created), dt.UTC),
        author_name=author or "", author_email=email or "",
        state=MODES.get(int(mode or 1), "pending"),
    ) for cid, tid, parent, created, mode, text, author, email in comment_rows]
    return threads, posts


def import_file(path: Path, *, site: Site | None, stdout: Any) -> dict[str, int]:
    assert site is not None
    origin = site.origins[0] if site.origins else ""
    threads, posts = read(path, origin=origin)
    return Importer(site=site, source="isso", stdout=stdout).run(threads, posts).counts()
