"""The shared half of comment imports: formats read their files into `Thread`s and `Post`s;
this module turns them into stories, accounts and comments, once.

Every imported row is remembered in `ImportedItem` under its id in the other system, so running
an import again skips what it already brought in. Authors with an email address become
accounts without a password that their owner claims by signing up with that address; names
the real-name policy refuses are shown as "Former commenter" until then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, TextIO

import nh3
from django.db import transaction
from django.db.models import Count, Q

from townhall.accounts.models import Account
from townhall.accounts.services import checked_name, normalize_email
from townhall.comments import markup
from townhall.comments.models import Comment, Status
from townhall.core import clock
from townhall.core.errors import TownhallError
from townhall.moderation.transitions import comment_imported
from townhall.porting.models import ImportedItem
from townhall.stories.models import Site, Story
from townhall.stories.selectors import policy_current
from townhall.stories.services import story_touch, story_upsert

FORMER_FIRST, FORMER_LAST = "Former", "commenter"


@dataclass
class Thread:
    source_id: str
    external_id: str
    url: str = ""
    title: str = ""


@dataclass
class Post:
    source_id: str
    thread_id: str
    body: str
    created_at: dt.datetime
    parent_id: str | None = None
    author_name: str = ""
    author_email: str = ""
    author_key: str = ""
    # published | pending | deleted | spam | trash | pingback …; only the first three import.
    state: str = "published"
    body_is_html: bool = True


@dataclass
class Summary:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    # Replies kept although their parent was not: why, and how many.
    kept: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = [f"Stories created: {self.created['story']} (already there: "
               f"{self.existing['story']})",
               f"Comments created: {self.created['comment']} (already imported: "
               f"{self.existing['comment']})",
               f"Accounts created: {self.created['account']} (already there: "
               f"{self.existing['account']}; shown as “Former commenter”: "
               f"{self.created['former']})"]
        if self.skipped:
            out.append(f"Skipped: {sum(self.skipped.values())}")
            out += [f"  {reason}: {count}" for reason, count in self.skipped.most_common()]
        else:
            out.append("Skipped: 0")
        if self.kept:
            out.append("Kept so that their replies stay in the thread:")
            out += [f"  {reason}: {count}" for reason, count in self.kept.most_common()]
        return out

    def counts(self) -> dict[str, int]:
        return {"stories": self.created["story"], "comments": self.created["comment"],
                "accounts": self.created["account"]}


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, every 10% otherwise."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total, self.label, self.done = max(total, 0), label, 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_decile = -1

    def step(self, count: int = 1) -> None:
        self.done += count
        self._draw()

    def _draw(self) -> None:
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * 30)
        line = f"{self.label} [{bar:<30}] {share:4.0%} {self.done}/{self.total}"
        if self.tty:
            self.stream.write("\r" + line)
        elif int(share * 10) != self._last_decile:
            self._last_decile = int(share * 10)
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
        elif self._last_decile < 10:
            self.done = self.total
            self._draw()


def html_to_source(text: str) -> str:
    """Turn a comment's HTML (or plain text) into Townhall's source text."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)</p\s*>\s*", "\n\n", text)
    text = re.sub(r"(?i)<a\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>",
                  lambda m: m.group(2) if m.group(2) == m.group(1) else
                  f"{m.group(2)} ({m.group(1)})", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def split_name(name: str) -> tuple[str, str]:
    parts = " ".join((name or "").split()).rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


class Importer:
    """Bring one export's threads and posts into a site."""

    def __init__(self, *, site: Site, source: str, stdout: Any = None,
                 stderr: TextIO | None = None) -> None:
        self.site, self.source = site, source
        self.stdout, self.stderr = stdout, stderr
        self.summary = Summary()
        self._stories: dict[str, Story | None] = {}
        self._accounts: dict[str, Account] = {}
        self._skipped_ids: set[str] = set()
        self._comments: dict[str, int] = dict(
            ImportedItem.objects.filter(site=site, source=source, kind="comment")
            .values_list("source_id", "local_id"))

    # Rows --------------------------------------------------------------------------------

    def _remember(self, kind: str, source_id: str, local_id: int) -> None:
        ImportedItem.objects.create(site=self.site, source=self.source, kind=kind,
                                    source_id=source_id[:300], local_id=local_id)

    def _known(self, kind: str, source_id: str) -> int | None:
        return (ImportedItem.objects.filter(site=self.site, source=self.source, kind=kind,
                                            source_id=source_id[:300])
                .values_list("local_id", flat=True).first())

    def story_for(self, thread: Thread) -> Story | None:
        if thread.source_id in self._stories:
            return self._stories[thread.source_id]
        story = None
        known = self._known("story", thread.source_id)
        if known is not None:
            story = Story.objects.filter(pk=known).first()
            self.summary.existing["story"] += 1
        if story is None:
            existing = Story.objects.filter(site=self.site,
                                            external_id=thread.external_id[:200]).first()
            try:
                story, created = (existing, False) if existing else story_upsert(
                    site=self.site, external_id=thread.external_id[:200],
                    url=thread.url if thread.url.startswith(("http://", "https://")) else "",
                    title=thread.title[:500])
            except TownhallError:
                self._stories[thread.source_id] = None
                return None
            self.summary.created["story"] += int(created)
            self.summary.existing["story"] += int(not created)
            self._remember("story", thread.source_id, story.pk)
        self._stories[thread.source_id] = story
        return story

    def account_for(self, post: Post) -> Account:
        email = (post.author_email or "").strip().lower()
        key = email or post.author_key or post.author_name or "anonymous"
        if key in self._accounts:
            return self._accounts[key]
        account = None
        known = self._known("account", key)
        if known is not None:
            account = Account.objects.filter(pk=known).first()
        if account is None and email:
            account = Account.objects.filter(email=email).first()
            if account is not None:
                self.summary.existing["account"] += 1
        if account is None:  # an existing member's comments join their account
            account = self._new_account(post, email, key)
        self._accounts[key] = account
        return account

    def _new_account(self, post: Post, email: str, key: str) -> Account:
        first, last = split_name(post.author_name)
        try:
            checked = checked_name(first, last)
            first, last = checked.first_name, checked.last_name
        except TownhallError:
            first, last = FORMER_FIRST, FORMER_LAST
            self.summary.created["former"] += 1
        try:
            address = normalize_email(email) if email else ""
        except TownhallError:
            address = ""
        if not address:
            digest = hashlib.sha256(f"{self.site.pk}:{self.source}:{key}".encode()).hexdigest()
            address = f"imported-{digest[:20]}@invalid.townhall"
        account = Account(email=address, first_name=first, last_name=last,
                          language=self.site.default_language)
        account.set_unusable_password()
        account.save()
        self._remember("account", key, account.pk)
        self.summary.created["account"] += 1
        return account

    # The import ----------------------------------------------------------------------------

    def run(self, threads: list[Thread], posts: list[Post]) -> Summary:
        """Import everything; parents before replies; print the summary to stdout."""
        by_thread = {t.source_id: t for t in threads}
        present = {p.source_id for p in posts}
        self._holders = _placeholders_needed(posts)
        progress = Progress(len(posts), f"Importing {self.source}", self.stderr)
        touched: set[int] = set()
        pending = sorted(posts, key=lambda p: (p.created_at, p.source_id))
        while pending:
            deferred = []
            for post in pending:
                if post.parent_id and post.parent_id in present and \
                        post.parent_id not in self._comments and \
                        not self._parent_skipped(post.parent_id):
                    deferred.append(post)
                    continue
                story = self._import_post(post, by_thread, present)
                if story is not None:
                    touched.add(story)
                progress.step()
            if len(deferred) == len(pending):  # a cycle of parents: give up on them
                self.summary.skipped["parent never imported"] += len(deferred)
                progress.step(len(deferred))
                break
            pending = deferred
        progress.finish()
        for story_id in touched:
            _recount(story_id)
        if self.stdout is not None:
            for line in self.summary.lines():
                self.stdout.write(line)
        return self.summary

    def _parent_skipped(self, source_id: str) -> bool:
        return source_id in self._skipped_ids

    def _skip(self, post: Post, reason: str) -> None:
        self._skipped_ids.add(post.source_id)
        self.summary.skipped[reason] += 1

    @transaction.atomic
    def _import_post(self, post: Post, threads: dict[str, Thread],
                     present: set[str]) -> int | None:
        if post.source_id in self._comments:
            self.summary.existing["comment"] += 1
            return None
        placeholder = post.source_id in self._holders
        if post.state in _NOT_KEPT and not placeholder:
            self._skip(post, _NOT_KEPT[post.state])
            return None
        if post.state == "deleted" and not placeholder:
            self._skip(post, "deleted, without replies")
            return None
        thread = threads.get(post.thread_id)
        if thread is None:
            self._skip(post, "thread not in the export")
            return None
        story = self.story_for(thread)
        if story is None:
            self._skip(post, "thread without a usable identifier")
            return None
        parent = None
        if post.parent_id:
            parent_pk = self._comments.get(post.parent_id)
            if parent_pk is not None:
                parent = Comment.objects.get(pk=parent_pk)
            elif post.parent_id not in present:
                # The export lacks the parent altogether: the reply starts a thread of its own.
                self.summary.kept["replies to a comment missing from the export, now "
                                  "top-level"] += 1
            else:  # the parent was refused (its own thread is unknown): so is the reply
                self._skip(post, "reply to a comment that could not be imported")
                return None
        source = "" if post.state not in _KEPT_TEXT else (
            html_to_source(post.body) if post.body_is_html else markup.clean_source(post.body))
        if len(source) > 20_000 or (post.state in _KEPT_TEXT and not source):
            if not placeholder:
                self._skip(post, "empty" if not source else "longer than 20,000 characters")
                return None
            source = ""
        if not source:
            self.summary.kept[_HOLDER_REASON.get(post.state, "unreadable, with replies")] += 1
        status = {"published": Status.PUBLISHED, "pending": Status.PENDING}.get(
            post.state, Status.PENDING) if source else Status.DELETED
        # A spammer's placeholder keeps no trace of the spammer: no account is made for them.
        author = self.account_for(replace(
            post, author_name="", author_email="", author_key="") if post.state in _NOT_KEPT
            else post)
        comment = Comment.objects.create(
            story=story, author=author, parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=(parent.depth + 1) if parent else 0, status=status, source=source,
            body_html=markup.render(source) if source else "", language=story.language,
            terms_version=policy_current(story.site, story.language).version,
            created_at=post.created_at,
        )
        if comment.root_id is None:
            Comment.objects.filter(pk=comment.pk).update(root_id=comment.pk)
        comment_imported(comment, rule=f"import:{self.source}",
                         note=f"{self.source} id {post.source_id}", created_at=post.created_at)
        self._remember("comment", post.source_id, comment.pk)
        self._comments[post.source_id] = comment.pk
        self.summary.created["comment"] += 1
        return story.pk


# States whose text is never imported, and why; such a post with kept replies stays as a
# removed-comment placeholder (no text, no author shown), as a deleted one always did.
_NOT_KEPT = {"spam": "spam", "trash": "in the trash", "pingback": "pingback or trackback",
             "trackback": "pingback or trackback"}
_KEPT_TEXT = {"published", "pending"}
_HOLDER_REASON = {"deleted": "deleted, as placeholders for their replies",
                  "spam": "spam, as removed placeholders for their replies",
                  "trash": "in the trash, as removed placeholders for their replies",
                  "pingback": "pingbacks, as removed placeholders for their replies",
                  "trackback": "trackbacks, as removed placeholders for their replies"}


def _placeholders_needed(posts: list[Post]) -> set[str]:
    """Return the ids of posts not imported for their own sake that a kept reply hangs from:
    every ancestor of a published or pending post."""
    parent_of = {p.source_id: p.parent_id for p in posts}
    needed: set[str] = set()
    for post in posts:
        if post.state not in _KEPT_TEXT:
            continue
        ancestor, seen = post.parent_id, {post.source_id}
        while ancestor and ancestor in parent_of and ancestor not in seen:
            seen.add(ancestor)
            needed.add(ancestor)
            ancestor = parent_of[ancestor]
    return needed


@transaction.atomic
def _recount(story_id: int) -> None:
    """Set a story's comment count and its comments' reply counts from what is published."""
    story = Story.objects.get(pk=story_id)
    published = Q(replies__status=Status.PUBLISHED)
    for comment_id, replies in (Comment.objects.filter(story=story)
                                .annotate(n=Count("replies", filter=published))
                                .values_list("pk", "n")):
        Comment.objects.filter(pk=comment_id).exclude(reply_count=replies).update(
            reply_count=replies)
    Story.objects.filter(pk=story.pk).update(
        comment_count=Comment.objects.filter(story=story, status=Status.PUBLISHED).count(),
        updated_at=clock.now())
    story_touch(story=story)


def parse_time(value: str) -> dt.datetime:
    """Parse the timestamps exports use (ISO 8601, with Z or without a zone: UTC)."""
    text = (value or "").strip().replace("Z", "+00:00")
    if not text:
        return clock.now()
    moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
