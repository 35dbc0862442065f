"""Fast data loader for benchmarks: rows go in bulk (executemany / COPY), not through HTTP.

Run inside a configured Townhall (`python -m bench.loader seed|grow|history ...`); it prints
JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.config.settings")

BENCH_SITE = "bench"
HOT_STORY = "breaking"
BIG_STORY = "big"
PASSWORD = "correct horse battery staple"
# A breaking story draws thousands of distinct commenters. With this many accounts each posts
# about once per flood window (4 comments per story in 10 minutes), as readers do, so the
# posting figure measures comments being published, not an account being held for flooding.
SEED_ACCOUNTS = 20_000


def _setup() -> None:
    import django

    django.setup()


def seed(*, accounts: int) -> dict[str, Any]:
    """Create the site, the 200-comment breaking story (through the services) and accounts."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    from townhall.accounts.models import Account, SessionToken
    from townhall.core import tokens as tokens_module
    from townhall.moderation import phases
    from townhall.moderation.posting import comment_create
    from townhall.moderation.services import site_moderation_update
    from townhall.stories.services import site_create, story_upsert

    try:  # the fixture thread is published whether or not a trained model is installed
        from townhall.moderation.toxicity.scorers import get_default_scorer

        get_default_scorer()
    except Exception:
        phases.use_scorer(_Calm())
    site, key = site_create(name=BENCH_SITE, origins=["http://127.0.0.1"], title="Bench Daily")
    site_moderation_update(site=site, new_commenter_holds=0)
    story, _created = story_upsert(site=site, external_id=HOT_STORY, title="Breaking story",
                                   url="https://news.example/breaking")
    hashed = make_password(PASSWORD)  # one hash for all: argon2 per account is slow
    now = dt.datetime.now(dt.UTC)
    Account.objects.bulk_create([
        Account(email=f"bench{n}@example.org", first_name=f"Reader{n}", last_name="Bench",
                password=hashed, email_verified_at=now)
        for n in range(accounts)
    ])
    people = list(Account.objects.filter(email__startswith="bench").order_by("id"))
    # Bearer tokens as `session_create` issues them, inserted in bulk.
    issued = [tokens_module.new_secret("ths") for _person in people]
    expires = now + dt.timedelta(days=settings.TOWNHALL_TOKEN_TTL_DAYS)
    SessionToken.objects.bulk_create([
        SessionToken(account=person, digest=digest, generation=person.token_generation,
                     expires_at=expires, address_digest="")
        for person, (_secret, digest) in zip(people, issued, strict=True)
    ], batch_size=2000)
    tokens = [secret for secret, _digest in issued]
    assert SessionToken.objects.count() >= accounts
    # 40 top-level comments with 4 replies each: the widget's first page shows 20 + 80.
    for n in range(40):
        top, _verdict = comment_create(
            account=people[n % len(people)], story=story, accept_terms=True,
            body=f"Top comment {n}: the council's **bridge** vote matters because of traffic, "
                 f"cost and the river. See https://news.example/bridge/{n} for the plan.")
        parent = top.pk
        for r in range(4):
            reply, _verdict = comment_create(
                account=people[(n * 4 + r + 1) % len(people)], story=story, accept_terms=True,
                parent_id=parent, body=f"Reply {r} to comment {n}: I *agree* with part of this, "
                                       "but the timeline seems optimistic to me.")
            parent = reply.pk if r % 2 == 0 else parent
    story.refresh_from_db()
    # The replies above queued reply notifications: send them now, not during the timed runs.
    from townhall.notify import tasks

    while tasks.run_due():
        pass
    return {"key": key, "tokens": tokens, "story_id": story.pk,
            "comments": story.comment_count}


class _Calm:
    def score(self, text: str) -> Any:
        from types import SimpleNamespace

        return SimpleNamespace(score=0.0, categories={}, spans=[], language="en",
                               model_version="bench-fixture")


def grow(*, total: int, big: int) -> dict[str, Any]:
    """Add published comments until the database holds `total`, one story holding `big`."""
    from django.db import connection
    from django.db.models import Count

    from townhall.accounts.models import Account
    from townhall.comments.models import Comment, Status
    from townhall.stories.models import Site, Story

    site = Site.objects.get(name=BENCH_SITE)
    have = Comment.objects.count()
    if have >= total:
        return {"comments": have}
    authors = list(Account.objects.filter(email__startswith="bench").values_list("id", flat=True))
    stories_needed = max(1, (total - big) // 100)
    existing = Story.objects.filter(site=site, external_id__startswith="s-").count()
    Story.objects.bulk_create([
        Story(site=site, external_id=f"s-{n}", title=f"Story {n}", language="en")
        for n in range(existing, stories_needed)
    ], batch_size=5000)
    big_story, _ = Story.objects.get_or_create(site=site, external_id=BIG_STORY,
                                               defaults={"title": "Big story"})
    story_ids = list(Story.objects.filter(site=site, external_id__startswith="s-")
                     .values_list("id", flat=True))
    in_big = Comment.objects.filter(story=big_story).count()
    template = Comment(story_id=big_story.pk, author_id=authors[0], status=Status.PUBLISHED,
                       source="x", body_html="<p>x</p>", terms_version=1, language="en")
    fields = [f for f in Comment._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    base = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields]
    index = {f.attname: i for i, f in enumerate(fields)}
    now = dt.datetime.now(dt.UTC)

    def row(n: int, story_id: int) -> list[Any]:
        values = list(base)
        text = f"Loaded comment {n} with a few words about the news of the day."
        values[index["story_id"]] = story_id
        values[index["author_id"]] = authors[n % len(authors)]
        values[index["source"]] = text
        values[index["body_html"]] = f"<p>{text}</p>"
        values[index["created_at"]] = now - dt.timedelta(seconds=n)
        return values

    rows_needed = total - have
    to_big = min(max(0, big - in_big), rows_needed)
    plan = [(n, big_story.pk) for n in range(to_big)]
    plan += [(to_big + n, story_ids[n % len(story_ids)]) for n in range(rows_needed - to_big)]
    table = Comment._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(plan), 50_000):
            chunk = [row(n, s) for n, s in plan[start:start + 50_000]]
            _insert(cursor, connection.vendor, table, columns, chunk)
    counts = (Comment.objects.filter(status=Status.PUBLISHED).values("story_id")
              .annotate(n=Count("id")))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Story._meta.db_table} SET comment_count = %s, version = version + 1 "
            "WHERE id = %s", [(c["n"], c["story_id"]) for c in counts])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return {"comments": Comment.objects.count(),
            "big_story": Comment.objects.filter(story=big_story).count()}


def _insert(cursor: Any, vendor: str, table: str, columns: list[str], rows: list[list[Any]]
            ) -> None:
    if vendor == "postgresql":
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row(values)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def history(*, label: str, authors: int, past: int, stories: int) -> dict[str, Any]:
    """Add `authors` accounts with `past` published comments each (one every 90 minutes back
    from now, so about 16 fall in the last day and the rest go back years) and `stories`
    open stories to post on; return their tokens and the stories' ids."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from townhall.accounts.models import Account, SessionToken
    from townhall.comments.models import Comment, Status
    from townhall.core import tokens as tokens_module
    from townhall.stories.models import Site, Story

    site = Site.objects.get(name=BENCH_SITE)
    now = dt.datetime.now(dt.UTC)
    hashed = make_password(PASSWORD)
    Account.objects.bulk_create([
        Account(email=f"{label}{n}@example.org", first_name=f"Writer{n}", last_name=label.title(),
                password=hashed, email_verified_at=now)
        for n in range(authors)
    ])
    people = list(Account.objects.filter(email__startswith=label).order_by("id"))
    issued = [tokens_module.new_secret("ths") for _person in people]
    SessionToken.objects.bulk_create([
        SessionToken(account=person, digest=digest, generation=person.token_generation,
                     expires_at=now + dt.timedelta(days=settings.TOWNHALL_TOKEN_TTL_DAYS),
                     address_digest="")
        for person, (_secret, digest) in zip(people, issued, strict=True)
    ])
    Story.objects.bulk_create([
        Story(site=site, external_id=f"{label}-{n}", title=f"{label} story {n}", language="en")
        for n in range(stories + 1)
    ])
    archive = Story.objects.get(site=site, external_id=f"{label}-{stories}")
    template = Comment(story_id=archive.pk, author_id=people[0].pk, status=Status.PUBLISHED,
                       source="x", body_html="<p>x</p>", terms_version=1, language="en")
    fields = [f for f in Comment._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    base = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields]
    index = {f.attname: i for i, f in enumerate(fields)}

    def row(person: int, n: int) -> list[Any]:
        values = list(base)
        text = f"Earlier comment {n} by writer {person} on an older story."
        values[index["author_id"]] = person
        values[index["source"]] = text
        values[index["body_html"]] = f"<p>{text}</p>"
        values[index["created_at"]] = now - dt.timedelta(minutes=90 * (n + 1))
        values[index["fingerprint"]] = f"{person:x}-{n:x}"
        return values

    table = Comment._meta.db_table
    with connection.cursor() as cursor:
        chunk: list[list[Any]] = []
        for person in people:
            for n in range(past):
                chunk.append(row(person.pk, n))
                if len(chunk) >= 50_000:
                    _insert(cursor, connection.vendor, table, columns, chunk)
                    chunk = []
        if chunk:
            _insert(cursor, connection.vendor, table, columns, chunk)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
    return {"tokens": [secret for secret, _digest in issued],
            "stories": [f"{label}-{n}" for n in range(stories)],
            "past_comments": past * len(people)}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    seed_p = sub.add_parser("seed")
    seed_p.add_argument("--accounts", type=int, default=SEED_ACCOUNTS)
    grow_p = sub.add_parser("grow")
    grow_p.add_argument("--total", type=int, required=True)
    grow_p.add_argument("--big", type=int, default=50_000)
    history_p = sub.add_parser("history")
    history_p.add_argument("--label", required=True)
    history_p.add_argument("--authors", type=int, default=64)
    history_p.add_argument("--past", type=int, required=True)
    history_p.add_argument("--stories", type=int, default=50)
    args = parser.parse_args()
    _setup()
    if args.command == "seed":
        out = seed(accounts=args.accounts)
    elif args.command == "grow":
        out = grow(total=args.total, big=args.big)
    else:
        out = history(label=args.label, authors=args.authors, past=args.past,
                      stories=args.stories)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
