"""Write exports in the published formats of Disqus, WordPress (WXR) and Isso."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path
from xml.sax.saxutils import escape

PEOPLE = [("Amara Okafor", "amara@example.org"), ("Lucas Tremblay", "lucas@example.org"),
          ("Chloé Gagnon", "chloe@example.org"), ("Mateo Nakamura", "mateo@example.org"),
          ("Inès Moreau", "ines@example.org"), ("xXtrollXx", "troll@example.org"),
          ("Oren Lindqvist", "")]


def disqus_export(path: Path, *, threads: int = 6, posts: int = 300, seed: int = 7) -> dict:
    """Write a Disqus export: threads, posts (about a third replies), some spam and deletions.

    Return what a faithful import must produce, computed independently of the importer.
    """
    rng = random.Random(seed)
    start = dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<disqus xmlns="http://disqus.com" '
             'xmlns:dsq="http://disqus.com/disqus-internals" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
             '<category dsq:id="1"><forum>dailyexample</forum><title>General</title>'
             '<isDefault>true</isDefault></category>']
    for t in range(threads):
        lines.append(
            f'<thread dsq:id="{9000 + t}"><id>2023.{t}</id><forum>dailyexample</forum>'
            f'<category dsq:id="1"/><link>https://news.example/2023/{t}</link>'
            f"<title>Story number {t} &amp; more</title><message/>"
            f"<createdAt>2023-03-01T10:00:00Z</createdAt>"
            f"<author><name>Newsroom</name><isAnonymous>false</isAnonymous></author>"
            f"<ipAddress>127.0.0.1</ipAddress><isClosed>false</isClosed>"
            f"<isDeleted>false</isDeleted></thread>")
    expected: dict = {"published": 0, "spam": 0, "deleted_leaf": 0, "replies": 0,
                "per_thread": {f"2023.{t}": 0 for t in range(threads)}}
    thread_of: dict[int, int] = {}
    deleted: set[int] = set()
    rows = []
    for p in range(posts):
        pid = 100_000 + p
        parent = None
        if p > 10 and rng.random() < 0.35:
            parent = rng.choice([q for q in thread_of if q not in deleted] or [None])
        thread = thread_of[parent] if parent else rng.randrange(threads)
        thread_of[pid] = thread
        spam = rng.random() < 0.05
        gone = not spam and rng.random() < 0.05
        if gone:
            deleted.add(pid)
        rows.append((pid, thread, parent, spam, gone))
    # Every post a reader wrote and nobody removed is kept; what it replies to stays as a
    # removed placeholder when it is spam or deleted, so the conversation keeps its shape.
    parent_of = {pid: parent for pid, _thread, parent, _spam, _gone in rows}
    needed: set[int] = set()
    for pid, _thread, _parent, spam, gone in rows:
        if not (spam or gone):
            ancestor = parent_of[pid]
            while ancestor:
                needed.add(ancestor)
                ancestor = parent_of[ancestor]
    expected.update(spam_placeholders=0, deleted_placeholders=0)
    for pid, thread, parent, spam, gone in rows:
        name, email = PEOPLE[pid % len(PEOPLE)]
        when = (start + dt.timedelta(minutes=pid - 100_000)).strftime("%Y-%m-%dT%H:%M:%SZ")
        parent_xml = f'<parent dsq:id="{parent}"/>' if parent else ""
        author = (f"<author><email>{email}</email><name>{escape(name)}</name>"
                  f"<isAnonymous>{'true' if not email else 'false'}</isAnonymous>"
                  f"<username>{escape(name.split()[0].lower())}</username></author>")
        body = f"<p>Comment {pid} about the council &amp; the bridge.</p><p>Second line.</p>"
        lines.append(
            f'<post dsq:id="{pid}"><id/><message><![CDATA[{body}]]></message>'
            f"<createdAt>{when}</createdAt><isDeleted>{str(gone).lower()}</isDeleted>"
            f"<isSpam>{str(spam).lower()}</isSpam>{author}<ipAddress>10.0.0.1</ipAddress>"
            f'<thread dsq:id="{9000 + thread}"/>{parent_xml}</post>')
        if spam:
            expected["spam" if pid not in needed else "spam_placeholders"] += 1
        elif gone:
            expected["deleted_leaf" if pid not in needed else "deleted_placeholders"] += 1
        else:
            expected["published"] += 1
            expected["per_thread"][f"2023.{thread}"] += 1
            expected["replies"] += int(parent is not None)
    lines.append("</disqus>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return expected


def wordpress_export(path: Path) -> None:
    """Write a WXR 1.2 file: one post with a nested conversation, spam, a pingback, a hold."""
    def comment(cid: int, author: str, email: str, content: str, parent: int = 0,
                approved: str = "1", kind: str = "comment") -> str:
        return f"""
    <wp:comment>
      <wp:comment_id>{cid}</wp:comment_id>
      <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
      <wp:comment_author_url>https://example.org</wp:comment_author_url>
      <wp:comment_author_IP><![CDATA[192.0.2.1]]></wp:comment_author_IP>
      <wp:comment_date><![CDATA[2022-05-0{cid} 09:30:00]]></wp:comment_date>
      <wp:comment_date_gmt><![CDATA[2022-05-0{cid} 13:30:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[{content}]]></wp:comment_content>
      <wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
      <wp:comment_type><![CDATA[{kind}]]></wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
      <wp:comment_user_id>0</wp:comment_user_id>
    </wp:comment>"""

    comments = "".join([
        comment(1, "Lucas Tremblay", "lucas@example.org",
                'Great piece.\n\nSee <a href="https://example.org/data">the data</a>.'),
        comment(2, "Chloé Gagnon", "chloe@example.org", "I disagree <em>strongly</em>.",
                parent=1),
        comment(3, "Buy Pills", "spam@example.org", "cheap pills", approved="spam"),
        comment(4, "Other Blog", "", "Linked from elsewhere", kind="pingback"),
        comment(5, "Mateo Nakamura", "mateo@example.org", "Waiting for review.",
                approved="0"),
        comment(6, "Lucas Tremblay", "lucas@example.org", "Fair enough.", parent=2),
    ])
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>The Daily Example</title>
  <link>https://news.example</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <item>
    <title>Budget day: what changes</title>
    <link>https://news.example/2022/05/budget/</link>
    <dc:creator><![CDATA[editor]]></dc:creator>
    <guid isPermaLink="false">https://news.example/?p=77</guid>
    <content:encoded><![CDATA[<p>The story.</p>]]></content:encoded>
    <wp:post_id>77</wp:post_id>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:status><![CDATA[publish]]></wp:status>{comments}
  </item>
  <item>
    <title>A page without comments</title>
    <wp:post_id>78</wp:post_id>
    <wp:post_type><![CDATA[page]]></wp:post_type>
  </item>
</channel>
</rss>
""", encoding="utf-8")


def isso_database(path: Path) -> None:
    """Write an Isso database with Isso's own schema: threads and comments."""
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE,
                              title VARCHAR(256));
        CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY,
            parent INTEGER, created FLOAT NOT NULL, modified FLOAT, mode INTEGER,
            remote_addr VARCHAR, text VARCHAR, author VARCHAR, email VARCHAR,
            website VARCHAR, likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0,
            voters BLOB NOT NULL, notification INTEGER DEFAULT 0);
        CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
    """)
    connection.execute("INSERT INTO threads VALUES (1, '/2021/ferry/', 'The ferry returns')")
    rows = [
        (1, 1, None, 1_620_000_000.0, 1, "Finally **good news**.", "Inès Moreau",
         "ines@example.org"),
        (1, 2, 1, 1_620_000_600.0, 1, "Agreed!", "Amara Okafor", "amara@example.org"),
        (1, 3, None, 1_620_001_200.0, 4, "", None, None),
        (1, 4, 3, 1_620_001_800.0, 1, "Replying to a removed comment.", "Oren Lindqvist", ""),
        (1, 5, None, 1_620_002_400.0, 2, "Pending one.", "anon", None),
    ]
    connection.executemany(
        "INSERT INTO comments (tid, id, parent, created, mode, text, author, email, voters)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, x'00')", rows)
    connection.commit()
    connection.close()
