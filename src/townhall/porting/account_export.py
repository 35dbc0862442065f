""""Download my data": everything Townhall keeps about one account, as one JSON document.

Secrets (password hash, token digests, the TOTP secret) and keyed address digests are left
out: they are not readable data about the person, and handing them out would weaken them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from townhall.accounts.consent import acceptances_of
from townhall.accounts.models import Account, NameHistory, SessionToken
from townhall.comments.models import Comment, Like, Revision
from townhall.core import clock
from townhall.moderation.models import Notice, Report

EXPORT_FORMAT = "townhall-account-export/1"


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def account_export(account: Account) -> dict[str, Any]:
    """Return the account's personal data: profile, names, sessions, consent, comments, likes,
    reports."""
    comments = list(Comment.objects.filter(author=account).select_related("story__site")
                    .order_by("created_at", "id"))
    revisions: dict[int, list[dict[str, Any]]] = {}
    for revision in Revision.objects.filter(comment__author=account).order_by("created_at", "id"):
        revisions.setdefault(revision.comment_id, []).append(
            {"source": revision.source, "created_at": _when(revision.created_at)})
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _when(clock.now()),
        "account": {
            "id": account.pk, "email": account.email, "first_name": account.first_name,
            "last_name": account.last_name, "role": account.role, "language": account.language,
            "created_at": _when(account.created_at),
            "email_verified_at": _when(account.email_verified_at),
            "last_login": _when(account.last_login),
            "totp_enabled": account.totp_enabled,
            "deletion_requested_at": _when(account.deletion_requested_at),
        },
        "name_history": [
            {"first_name": row.first_name, "last_name": row.last_name, "event": row.event,
             "created_at": _when(row.created_at)}
            for row in NameHistory.objects.filter(account=account).order_by("created_at", "id")
        ],
        "sessions": [
            {"created_at": _when(row.created_at), "expires_at": _when(row.expires_at)}
            for row in SessionToken.objects.filter(account=account).order_by("created_at")
        ],
        "terms_accepted": [
            {"site": row.site.name, "language": row.language, "version": row.version,
             "accepted_at": _when(row.accepted_at)}
            for row in reversed(acceptances_of(account))
        ],
        "site_roles": [
            {"site": role.site.name, "kind": role.kind}
            for role in account.site_roles.select_related("site").order_by("site__name")
        ],
        "comments": [
            {
                "id": c.pk, "site": c.story.site.name, "story": c.story.external_id,
                "story_url": c.story.url, "story_title": c.story.title,
                "parent_id": c.parent_id, "status": c.status, "body": c.source,
                "language": c.language, "terms_version": c.terms_version,
                "created_at": _when(c.created_at), "edited_at": _when(c.edited_at),
                "like_count": c.like_count, "revisions": revisions.get(c.pk, []),
            }
            for c in comments
        ],
        "likes": [
            {"comment_id": like.comment_id, "created_at": _when(like.created_at)}
            for like in Like.objects.filter(account=account).order_by("created_at", "id")
        ],
        "reports": [
            {"comment_id": r.comment_id, "reason": r.reason, "text": r.text,
             "created_at": _when(r.created_at)}
            for r in Report.objects.filter(account=account).order_by("created_at", "id")
        ],
        # Notices of illegal content filed while signed in (DSA art. 16).
        "notices": [
            {"reference": n.reference, "comment_id": n.comment_id, "ground": n.ground,
             "law": n.law, "explanation": n.explanation, "name": n.name, "email": n.email,
             "status": n.status, "outcome": n.outcome, "created_at": _when(n.created_at),
             "decided_at": _when(n.decided_at)}
            for n in Notice.objects.filter(account=account).order_by("created_at", "id")
        ],
    }
