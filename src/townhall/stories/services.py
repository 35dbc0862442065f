"""Site and story writes: creation, API keys, story settings, open/close, policy versions."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from townhall.core import clock, tokens
from townhall.core.errors import Conflict, Invalid
from townhall.stories import policy, signals
from townhall.stories.models import (
    Community,
    Language,
    ModerationMode,
    PolicyText,
    Site,
    Story,
    new_embed_secret,
)
from townhall.stories.selectors import ORIGINS_CACHE_KEY


def normalize_origin(origin: str) -> str:
    """Return `scheme://host[:port]` for an origin or raise Invalid naming `origins`."""
    parts = urlsplit((origin or "").strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise Invalid("origins", "invalid_origin",
                      _("An origin looks like https://www.example.org"))
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


@transaction.atomic
def site_create(
    *, name: str, origins: list[str], language: str = "en", title: str = ""
) -> tuple[Site, str]:
    """Create a site with its default policy texts; return it and its API key (shown once)."""
    if language not in Language.values:
        raise Invalid("language", "invalid_choice", _("Choose en or fr."))
    key, digest = tokens.new_secret(f"thk_{name}")
    site = Site(
        name=name,
        title=title or name,
        origins=[normalize_origin(o) for o in origins],
        default_language=language,
        api_key_digest=digest,
    )
    try:
        site.full_clean(exclude=["api_key_digest"])
    except Exception as error:  # ValidationError with a message dict
        field = next(iter(getattr(error, "message_dict", {"name": None})))
        raise Invalid(field, "invalid", str(error)) from None
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError:
        raise Conflict("site_exists", _("A site with this name already exists."), "name") from None
    for lang in Language.values:
        PolicyText.objects.create(
            site=site, language=lang, version=1,
            texts=policy.default_texts(site_title=site.title, language=lang),
        )
    signals.site_created.send(sender=Site, site=site)
    transaction.on_commit(lambda: cache.delete(ORIGINS_CACHE_KEY))
    return site, key


@transaction.atomic
def site_rotate_key(*, site: Site) -> str:
    """Replace the site's API key and return the new one."""
    key, site.api_key_digest = tokens.new_secret(f"thk_{site.name}")
    site.save(update_fields=["api_key_digest"])
    return key


@transaction.atomic
def site_update(*, site: Site, **fields: Any) -> Site:
    """Change a site's settings (origins, language, limits)."""
    if "origins" in fields:
        fields["origins"] = [normalize_origin(o) for o in fields["origins"]]
    for name, value in fields.items():
        setattr(site, name, value)
    site.save()
    transaction.on_commit(lambda: cache.delete(ORIGINS_CACHE_KEY))
    return site


STORY_FIELDS = {"url", "title", "language", "community", "moderation_mode", "closes_at"}


def _validate_story_fields(fields: dict[str, Any]) -> None:
    choices = {
        "language": Language.values,
        "community": Community.values,
        "moderation_mode": ModerationMode.values,
    }
    for name, allowed in choices.items():
        if name in fields and fields[name] not in allowed:
            raise Invalid(name, "invalid_choice",
                          _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
    if fields.get("url"):
        parts = urlsplit(fields["url"])
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise Invalid("url", "invalid_url", _("Enter a full http(s) address."))
    if "title" in fields and len(fields["title"] or "") > 500:
        raise Invalid("title", "too_long", _("Use at most 500 characters."))


@transaction.atomic
def story_upsert(*, site: Site, external_id: str, **fields: Any) -> tuple[Story, bool]:
    """Create the story or update the given fields; return it and whether it was created."""
    unknown = set(fields) - STORY_FIELDS
    if unknown:
        raise Invalid(sorted(unknown)[0], "unknown_field", _("This field cannot be set."))
    external_id = (external_id or "").strip()
    if not external_id or len(external_id) > 200:
        raise Invalid("external_id", "invalid",
                      _("Give the story's identifier (1–200 characters)."))
    _validate_story_fields(fields)
    story = Story.objects.select_for_update().filter(site=site, external_id=external_id).first()
    created = story is None
    if story is None:
        fields.setdefault("language", site.default_language)
        story = Story(site=site, external_id=external_id)
    for name, value in fields.items():
        setattr(story, name, value if value is not None or name == "closes_at" else "")
    story.updated_at = clock.now()
    try:
        with transaction.atomic():
            story.save()
    except IntegrityError:
        # Another request registered the same story a moment ago; update that one.
        story = Story.objects.select_for_update().get(site=site, external_id=external_id)
        created = False
        for name, value in fields.items():
            setattr(story, name, value)
        story.save()
    if not created:
        story_touch(story=story)
    return story, created


@transaction.atomic
def story_set_closing(*, story: Story, closes_at: dt.datetime | None) -> Story:
    """Close now (a past or present time), schedule a close (future) or reopen (None)."""
    story.closes_at = closes_at
    story.updated_at = clock.now()
    story.save(update_fields=["closes_at", "updated_at"])
    story_touch(story=story)
    signals.story_closing_changed.send(sender=Story, story=story)
    return story


def story_touch(*, story: Story, comments: int = 0) -> None:
    """Bump the story's version so cached thread pages are invalidated.

    `comments` also moves the published comment count, in the same single statement.
    """
    table = connection.ops.quote_name(Story._meta.db_table)
    sql = (f"UPDATE {table} SET version = version + 1, "  # noqa: S608 - the table's own name
           "comment_count = comment_count + %s WHERE id = %s RETURNING version, comment_count")
    with connection.cursor() as cursor:  # one round trip: UPDATE ... RETURNING
        cursor.execute(sql, [comments, story.pk])
        row = cursor.fetchone()
    if row is None:
        return
    story.version, story.comment_count = row
    _versions_changed([(story.pk, story.version)])


def stories_touch(*, stories: Any) -> None:
    """Bump the version of every story in a queryset (e.g. all threads an author is in)."""
    ids = list(stories.values_list("pk", flat=True).distinct())
    if not ids:
        return
    Story.objects.filter(pk__in=ids).update(version=F("version") + 1)
    _versions_changed(list(Story.objects.filter(pk__in=ids).values_list("pk", "version")))


def _versions_changed(changes: list[tuple[int, int]]) -> None:
    transaction.on_commit(
        lambda: signals.story_versions_changed.send(sender=Story, changes=changes))


@transaction.atomic
def policy_publish(*, site: Site, language: str, texts: dict[str, Any]) -> PolicyText:
    """Store a new version of the site's policy texts in one language."""
    if language not in Language.values:
        raise Invalid("language", "invalid_choice", _("Choose en or fr."))
    current = PolicyText.objects.filter(site=site, language=language).first()
    allowed = set(policy.default_texts(site_title="", language="en"))
    for key, value in texts.items():
        if key not in allowed:
            raise Invalid(f"texts.{key}", "unknown_field", _("This text does not exist."))
        if not isinstance(value, str) or len(value) > 4000:
            raise Invalid(f"texts.{key}", "invalid", _("Use plain text up to 4,000 characters."))
    merged = {**(current.texts if current else {}), **texts}
    return PolicyText.objects.create(
        site=site, language=language,
        version=(current.version + 1) if current else 1, texts=merged,
    )


@transaction.atomic
def site_embed_secret_rotate(*, site: Site) -> Site:
    """Give the site a new embed secret (the old signatures stop registering stories)."""
    site.embed_secret = new_embed_secret()
    site.save(update_fields=["embed_secret"])
    return site


def story_signature(*, site: Site, external_id: str) -> str:
    """Return the signature a publisher's page gives for a story (`data-signature`):
    HMAC-SHA256 of `<site>:<external_id>` keyed with the site's embed secret, in hex."""
    return hmac.new(site.embed_secret.encode(), f"{site.name}:{external_id}".encode(),
                    hashlib.sha256).hexdigest()


def story_signature_valid(*, site: Site, external_id: str, signature: str) -> bool:
    expected = story_signature(site=site, external_id=external_id)
    return hmac.compare_digest(expected.encode(), (signature or "").strip().lower().encode())

