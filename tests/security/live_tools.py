"""Run inside a separate process against a live server's database: seed it, or audit it.

`python -m tests.security.live_tools seed N` creates the site `live`, the story `s1` and N
verified accounts with session tokens, and prints them as JSON. `python -m
tests.security.live_tools audit FILE TAG` reads the acknowledged posts from FILE (JSON) and
prints what the database holds about them, and every sign of a half-written row.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.config.settings")
    import django

    django.setup()


def seed(count: int) -> dict[str, Any]:
    from townhall.accounts.services import account_create, session_create, staff_create
    from townhall.stories.services import site_create, story_upsert

    site, _key = site_create(name="live", origins=["https://live.example"], title="Live")
    story, _ = story_upsert(site=site, external_id="s1", title="Load", url="https://live.example/s1")
    tokens = []
    for n in range(count):
        # No password (nothing to hash): these accounts only ever use their session token.
        account = account_create(email=f"load{n}@example.org", password=None,
                                 first_name="Amara", last_name=f"Okafor{chr(97 + n % 26)}",
                                 verified=True)
        tokens.append(session_create(account=account))
    admin, _ = staff_create(email="admin@example.org", role="admin",
                            password="correct horse battery", first_name="Dana",
                            last_name="Whitfield", sites=[site])
    return {"story_id": story.pk, "tokens": tokens, "admin": session_create(account=admin)}


def audit(acknowledged: dict[str, int], tag: str) -> dict[str, Any]:
    """Check every acknowledged post (of one test: its `tag`) and the consistency of all rows."""
    from django.db.models import Count

    from townhall.comments.models import Comment, Status
    from townhall.moderation.models import Decision
    from townhall.stories.models import Story

    every = {c.pk: c for c in Comment.objects.all()}
    rows = {pk: c for pk, c in every.items() if c.source.startswith(f"{tag} ")}
    by_key = dict(Comment.objects.exclude(idempotency_key=None)
                  .values_list("idempotency_key").annotate(n=Count("id")).values_list(
                      "idempotency_key", "n"))
    missing = [key for key, pk in acknowledged.items() if pk not in rows]
    wrong_body = [key for key, pk in acknowledged.items()
                  if pk in rows and key not in rows[pk].source]
    duplicated = [key for key, n in by_key.items() if n > 1]
    decided = set(Decision.objects.values_list("comment_id", flat=True))
    half_written = [pk for pk, c in every.items()
                    if c.root_id is None or not c.body_html or pk not in decided]
    counts_off = []
    for story in Story.objects.all():
        published = Comment.objects.filter(story=story, status=Status.PUBLISHED).count()
        if story.comment_count != published:
            counts_off.append({"story": story.pk, "count": story.comment_count,
                               "published": published})
    statuses: dict[str, int] = {}
    for c in rows.values():
        statuses[c.status] = statuses.get(c.status, 0) + 1
    return {"stored": len(rows), "acknowledged": len(acknowledged), "missing": missing,
            "wrong_body": wrong_body, "duplicated": duplicated, "half_written": half_written,
            "counts_off": counts_off, "statuses": statuses}


def main(argv: list[str]) -> None:
    _setup()
    if argv[0] == "seed":
        print(json.dumps(seed(int(argv[1]))))
    elif argv[0] == "audit":
        with open(argv[1]) as stream:
            acknowledged = json.load(stream)
        print(json.dumps(audit(acknowledged, argv[2])))
    else:
        raise SystemExit(f"unknown command {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
