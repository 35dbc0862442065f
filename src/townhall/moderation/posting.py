"""Posting, editing and withdrawing comments: each judged, stored and logged in one go.

The checks and the moderation pipeline only read, so they run before the transaction; the
writes go through `transitions`, the one owner of a comment's status and its log.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from townhall.accounts import consent
from townhall.accounts.models import Account, NameStatus
from townhall.comments import markup
from townhall.comments import signals as comment_signals
from townhall.comments.models import Comment, Like, Revision, Status
from townhall.comments.services import like_remove, validate_body
from townhall.core import clock, ratelimit
from townhall.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from townhall.core.rowsql import RowInsert
from townhall.moderation import pipeline, postconfig
from townhall.moderation.models import Source
from townhall.moderation.transitions import (
    VERDICT_STATUS,
    comment_arrival,
    comment_judged,
    comment_transition,
    verdict_queue_fields,
)
from townhall.stories.models import ErasurePolicy, PolicyText, Story
from townhall.stories.services import story_touch

_COMMENT_INSERT = RowInsert(Comment)  # one per post: its INSERT is written once


def _check_same_request(earlier: Comment, *, story: Story, body: str,
                        parent_id: int | None) -> None:
    """Refuse a key used before for another request: a retry repeats the request it retries.

    The text is compared only while the comment is unedited (an edit changes it on purpose).
    """
    same = (earlier.story_id == story.pk and earlier.parent_id == parent_id
            and (earlier.edited_at is not None or earlier.source == markup.clean_source(body)))
    if not same:
        raise Invalid("Idempotency-Key", "idempotency_mismatch", _(
            "This Idempotency-Key was already used for another comment: use a new key for a "
            "new comment."))


def _check_can_post(account: Account, story: Story) -> None:
    if not account.email_verified:
        raise PermissionDenied(
            _("Verify your email address before commenting."), code="email_not_verified"
        )
    if account.name_status == NameStatus.MISSING:
        raise PermissionDenied(_("Give your first and last name before commenting."),
                               code="name_missing")
    if not story.is_open():
        raise Conflict("story_closed", _("Comments are closed on this story."))


def comment_create(
    *,
    account: Account,
    story: Story,
    body: str,
    accept_terms: bool,
    parent_id: int | None = None,
    idempotency_key: str | None = None,
    review_requested: bool = False,
) -> tuple[Comment, pipeline.Verdict | None]:
    """Post a comment or reply: check, moderate, store, log the decision, announce it.

    The checks and the moderation pipeline only read, so they run before the transaction:
    it holds the write lock (all of SQLite, or the story's row) just for the writes.
    With an idempotency key already used by this account, return the earlier comment.
    """
    with postconfig.pinned(story.site_id):  # one configuration read for the whole post
        return _comment_judge(account=account, story=story, body=body,
                              accept_terms=accept_terms, parent_id=parent_id,
                              idempotency_key=idempotency_key, review_requested=review_requested)


def _comment_judge(*, account: Account, story: Story, body: str, accept_terms: bool,
                   parent_id: int | None, idempotency_key: str | None,
                   review_requested: bool) -> tuple[Comment, pipeline.Verdict | None]:
    if idempotency_key:
        earlier = Comment.objects.filter(author=account, idempotency_key=idempotency_key).first()
        if earlier is not None:
            _check_same_request(earlier, story=story, body=body, parent_id=parent_id)
            return earlier, None
    _check_can_post(account, story)
    terms = postconfig.post_config(story.site_id).policy(story.language)
    # Consent is asked once per version of the terms: a reader who gave it (at sign-up, on
    # another story, in another browser) posts without ticking the box again.
    accepted = consent.terms_accepted(account, terms)
    if accept_terms is not True and not accepted:
        raise Invalid("accept_terms", "required",
                      _("Accept the terms to post a comment."))
    source = validate_body(body, story=story)
    ratelimit.guard("post", account=account.pk, story=story.pk, site=story.site)
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, story=story, status=Status.PUBLISHED).first()
        if parent is None:
            raise Invalid("parent_id", "unknown_parent",
                          _("You can only reply to a published comment on this story."))
    comment = Comment(
        story=story, author=account, parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        depth=(parent.depth + 1) if parent else 0,
        source=source, body_html=markup.render(source), language=story.language,
        terms_version=terms.version, idempotency_key=idempotency_key or None,
        status=Status.PENDING,
    )
    submission = pipeline.Submission(
        story=story, text=markup.plain_text(source), account=account, parent=parent,
        language=story.language,
    )
    verdict = pipeline.run(submission)
    comment.fingerprint = submission.fingerprint
    if review_requested and verdict.action == "publish":
        verdict = pipeline.Verdict("hold", "author_request", "", verdict.findings,
                                   verdict.scores, verdict.model_version)
    # The verdict comes before the row: insert the comment with its status and queue fields.
    comment.status = VERDICT_STATUS[verdict.action]
    for name, value in verdict_queue_fields(verdict).items():
        setattr(comment, name, value)
    return _comment_store(comment, verdict, idempotency_key, None if accepted else terms)


@transaction.atomic
def _comment_store(comment: Comment, verdict: pipeline.Verdict, idempotency_key: str | None,
                   consent_given: PolicyText | None = None,
                   ) -> tuple[Comment, pipeline.Verdict | None]:
    """Insert a judged comment, log the decision and announce it, in one transaction; record
    the author's consent to the terms when this comment gave it."""
    account = comment.author
    try:
        if idempotency_key:  # a concurrent retry may win the unique key: keep ours undone
            with transaction.atomic():
                _COMMENT_INSERT.insert(comment)
        else:
            _COMMENT_INSERT.insert(comment)
    except IntegrityError:
        earlier = Comment.objects.filter(author=account, idempotency_key=idempotency_key).first()
        if earlier is None:
            raise
        return earlier, None
    if comment.root_id is None:  # a top-level comment is the root of its own thread
        _root_set(comment)
    if consent_given is not None:
        consent.terms_accept(account, consent_given)
    comment_arrival(comment, verdict)
    return comment, verdict


def _root_set(comment: Comment) -> None:
    table = connection.ops.quote_name(Comment._meta.db_table)
    with connection.cursor() as cursor:  # by primary key, on every post: skip the ORM
        cursor.execute(f"UPDATE {table} SET root_id = id WHERE id = %s",  # noqa: S608
                       [comment.pk])
    comment.root_id = comment.pk


def _edit_window_open(comment: Comment) -> bool:
    window = dt.timedelta(seconds=settings.TOWNHALL_EDIT_WINDOW_SECONDS)
    return clock.now() - comment.created_at <= window


@transaction.atomic
def comment_edit(*, account: Account, comment: Comment, body: str) -> Comment:
    """Change a comment's text within the edit window; keep the old text as a revision."""
    comment = Comment.objects.select_for_update().select_related("story__site").get(pk=comment.pk)
    if comment.author_id != account.pk:
        raise PermissionDenied(_("Only the author can change this comment."), field="id")
    if comment.status not in (Status.PUBLISHED, Status.PENDING):
        raise Conflict("not_editable", _("This comment can no longer be edited."), "id")
    if not _edit_window_open(comment):
        raise Conflict("edit_window_closed",
                       _("Comments can only be edited in the first few minutes."), "body")
    if not comment.story.is_open():
        raise Conflict("story_closed", _("Comments are closed on this story."))
    ratelimit.guard("edit", account=account.pk, site=comment.story.site)
    source = validate_body(body, story=comment.story)
    if source == comment.source:
        return comment
    Revision.objects.create(comment=comment, source=comment.source, body_html=comment.body_html,
                            created_at=comment.edited_at or comment.created_at)
    submission = pipeline.Submission(
        story=comment.story, text=markup.plain_text(source), account=account,
        parent=comment.parent, comment=comment, is_edit=True, language=comment.language,
    )
    comment.source, comment.body_html = source, markup.render(source)
    comment.edited_at = clock.now()
    comment.fingerprint = submission.fingerprint
    comment.save(update_fields=["source", "body_html", "edited_at", "fingerprint"])
    verdict = pipeline.run(submission)
    old = comment.status
    if verdict.action != "publish" or old == Status.PENDING:
        target = Status.REJECTED if verdict.action == "reject" else Status.PENDING
        comment_judged(comment, verdict, target)
    else:
        story_touch(story=comment.story)
        comment_signals.comment_changed.send(sender=Comment, comment=comment,
                                             kind="comment.edited")
    return comment


@transaction.atomic
def comment_delete(*, account: Account, comment: Comment) -> None:
    """Withdraw the author's comment; a placeholder stays while it has replies."""
    comment = Comment.objects.select_for_update().select_related("story").get(pk=comment.pk)
    if comment.author_id != account.pk:
        raise PermissionDenied(_("Only the author can delete this comment."), field="id")
    if comment.status == Status.DELETED:
        raise NotFound(_("Unknown comment."), field="id")
    comment_transition(comment, Status.DELETED, source=Source.AUTHOR, actor=account,
                       rule="author_deleted")


def comments_withdraw_all(*, account: Account) -> int:
    """Delete every comment of an account (used when the account is deleted)."""
    count = 0
    for comment in Comment.objects.filter(author=account).exclude(status=Status.DELETED):
        comment_delete(account=account, comment=comment)
        count += 1
    return count


@transaction.atomic
def comments_erase_author(*, account: Account) -> dict[str, int]:
    """Erase an account's traces in comments, as each comment's site chose (account erasure).

    `remove` sites withdraw the comments and blank their text and edit history; `anonymise`
    sites keep the text, shown under "Former member". Likes are taken back either way.
    """
    removed = anonymised = 0
    for comment in (Comment.objects.filter(author=account)
                    .select_related("story__site").order_by("id")):
        if comment.story.site.erasure_policy == ErasurePolicy.ANONYMISE:
            anonymised += 1
            continue
        if comment.status != Status.DELETED:
            comment_delete(account=account, comment=comment)
        Revision.objects.filter(comment=comment).delete()
        Comment.objects.filter(pk=comment.pk).update(source="", body_html="")
        removed += 1
    for like in Like.objects.filter(account=account).select_related("comment__story"):
        like_remove(account=account, comment=like.comment)
    return {"removed": removed, "anonymised": anonymised}
