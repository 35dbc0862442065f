"""What posting reads about a site, kept per process under the site's configuration stamp.

Every comment needs the site's moderation settings, its word lists and its current policy
version; apps above moderation add what they read on every post (`extra_register`: notify
adds whether the site has webhooks). Those rows change rarely, so each process keeps one
read-only snapshot per site and checks it with a single-column read of `Site.config_stamp`
on every post. Saving or deleting any of those rows gives the site a new stamp (the signals
below, plus `stamp_renew` for bulk writes that send no signal), so the next post anywhere
loads the new configuration: the cache is exact, not time-based. Stamps are random, so a
rolled-back change or a reused site id never matches a stale snapshot.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from townhall.core.errors import NotFound
from townhall.moderation.defaults import site_moderation_setup
from townhall.moderation.models import SiteModeration, WordRule
from townhall.stories.models import Language, PolicyText, Site, config_stamp_new

_lock = threading.Lock()
_snapshots: dict[int, PostConfig] = {}
_pinned: ContextVar[PostConfig | None] = ContextVar("townhall_post_config", default=None)
# name -> loader(site_id): what apps above moderation add to the snapshot.
_extras: dict[str, Callable[[int], Any]] = {}


@dataclass(frozen=True)
class PostConfig:
    """One site's posting configuration. Treat every attribute as read-only."""

    site_id: int
    stamp: str
    moderation: SiteModeration
    extras: dict[str, Any]
    word_rules_by_language: dict[str, tuple[tuple[str, str, str], ...]]
    policies: dict[str, PolicyText]

    def word_rules(self, language: str) -> tuple[tuple[str, str, str], ...]:
        """Return the (folded phrase, action, guideline) rules that apply in a language."""
        return self.word_rules_by_language.get(language) or self.word_rules_by_language[""]

    def policy(self, language: str) -> PolicyText:
        """Return the current policy texts in a language (NotFound naming `lang` if none)."""
        row = self.policies.get(language)
        if row is None:
            raise NotFound(_("This site has no policy in that language."), field="lang")
        return row


def _stamp_of(site_id: int) -> str | None:
    table = connection.ops.quote_name(Site._meta.db_table)
    with connection.cursor() as cursor:  # one column by primary key: no ORM compilation
        cursor.execute(f"SELECT config_stamp FROM {table} WHERE id = %s", [site_id])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _load(site_id: int) -> PostConfig | None:
    """Read everything at once, the stamp first: rows changed after that read only make the
    snapshot newer than its stamp, which the next stamp check replaces."""
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return None
    site_moderation_setup(site=site)  # the defaults, on first use (renews the stamp)
    stamp = _stamp_of(site_id)
    if stamp is None:
        return None
    moderation = SiteModeration.objects.get(site_id=site_id)
    moderation.site = site
    rules: dict[str, list[tuple[str, str, str]]] = {"": []}
    languages = [code for code, _label in Language.choices]
    for language in languages:
        rules[language] = []
    for folded, action, guideline, language in (
            WordRule.objects.filter(site_id=site_id).order_by("folded")
            .values_list("folded", "action", "guideline", "language")):
        for target in ([language] if language else rules):
            rules.setdefault(target, []).append((folded, action, guideline))
    policies: dict[str, PolicyText] = {}
    for row in PolicyText.objects.filter(site_id=site_id).order_by("language", "-version"):
        policies.setdefault(row.language, row)
    return PostConfig(
        site_id=site_id, stamp=stamp, moderation=moderation,
        extras={name: load(site_id) for name, load in _extras.items()},
        word_rules_by_language={k: tuple(v) for k, v in rules.items()}, policies=policies,
    )


def post_config(site_id: int) -> PostConfig:
    """Return the site's posting configuration, reloading it when its stamp has changed."""
    pinned = _pinned.get()
    if pinned is not None and pinned.site_id == site_id:
        return pinned
    stamp = _stamp_of(site_id)
    snapshot = _snapshots.get(site_id)
    if snapshot is not None and stamp is not None and snapshot.stamp == stamp:
        return snapshot
    snapshot = _load(site_id)
    if snapshot is None:
        raise NotFound(_("Unknown site."), field="site")
    with _lock:
        _snapshots[site_id] = snapshot
    return snapshot


@contextmanager
def pinned(site_id: int) -> Iterator[PostConfig]:
    """Check the stamp once for a whole write: inside, `post_config` answers from memory."""
    config = post_config(site_id)
    token = _pinned.set(config)
    try:
        yield config
    finally:
        _pinned.reset(token)


def stamp_renew(site_id: int) -> None:
    """Give a site a new configuration stamp (after any change to what posting reads)."""
    _pinned.set(None)  # a change inside a pinned write: read the configuration afresh
    Site.objects.filter(pk=site_id).update(config_stamp=config_stamp_new())


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    site_id = getattr(instance, "site_id", None)
    if site_id is not None:
        stamp_renew(site_id)


def _renew_on_change(model: str) -> None:
    post_save.connect(_changed, sender=model, dispatch_uid=f"postconfig.save.{model}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"postconfig.delete.{model}")


def connect() -> None:
    """Renew the site's stamp whenever a row that posting reads is saved or deleted."""
    for model in ("moderation.SiteModeration", "moderation.WordRule", "stories.PolicyText"):
        _renew_on_change(model)


def extra_register(name: str, load: Callable[[int], Any], *, models: tuple[str, ...]) -> None:
    """Add `load(site_id)` to every snapshot as `extras[name]`, renewed when `models` change.

    For apps above moderation, from their `ready()`; `models` are "app_label.Model" names
    of rows that carry a `site_id`.
    """
    _extras[name] = load
    for model in models:
        _renew_on_change(model)
