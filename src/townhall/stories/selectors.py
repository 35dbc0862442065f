"""Site and story reads."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.utils.translation import gettext as _

from townhall.core.errors import NotFound
from townhall.core.rowsql import RowSelect
from townhall.stories.models import PolicyText, Site, Story

ORIGINS_CACHE_KEY = "townhall:site-origins"


def origins_by_site() -> dict[str, list[str]]:
    """Return each site's allowed origins by site name (cached; cleared when a site changes)."""
    by_site = cache.get(ORIGINS_CACHE_KEY)
    if not isinstance(by_site, dict):
        by_site = {name: list(origins or [])
                   for name, origins in Site.objects.values_list("name", "origins")}
        cache.set(ORIGINS_CACHE_KEY, by_site, 300)
    return by_site


def allowed_origins() -> frozenset[str]:
    """Return every origin any site allows."""
    return frozenset(o for origins in origins_by_site().values() for o in origins)


def site_origins(name: str) -> frozenset[str]:
    """Return the origins one site allows (none for an unknown site)."""
    return frozenset(origins_by_site().get(name, ()))


def site_get(name: str) -> Site:
    """Return the site by name or raise NotFound naming `site`."""
    site = Site.objects.filter(name=name).first()
    if site is None:
        raise NotFound(_("Unknown site."), field="site")
    return site


_STORY_ROW = RowSelect(
    [Story, Site],
    '{Story} INNER JOIN {Site} ON {Site}."id" = {Story}."site_id"',
    '{Site}."name" = %s AND {Story}."external_id" = %s',
)


def story_of_site(site_name: str, external_id: str) -> Story:
    """Return a story by its site's name and its id in one query, or raise NotFound naming
    `site` or `external_id`."""
    found = _STORY_ROW.first([site_name, external_id])
    if found is None:
        return story_get(site_get(site_name), external_id)  # to name what is unknown
    story, site = found
    assert isinstance(story, Story) and isinstance(site, Site)
    story.site = site
    return story


def story_get(site: Site, external_id: str) -> Story:
    """Return a story of the site or raise NotFound naming `external_id`."""
    story = Story.objects.filter(site=site, external_id=external_id).first()
    if story is None:
        raise NotFound(_("Unknown story."), field="external_id")
    story.site = site
    return story


def story_counts(site: Site, external_ids: Iterable[str]) -> dict[str, int]:
    """Return published comment counts for many stories in one query (unknown ids count 0)."""
    ids = list(dict.fromkeys(external_ids))
    found = dict(
        Story.objects.filter(site=site, external_id__in=ids).values_list(
            "external_id", "comment_count"
        )
    )
    return {i: found.get(i, 0) for i in ids}


def policy_current(site: Site, language: str) -> PolicyText:
    """Return the newest policy texts of the site in a language."""
    row = PolicyText.objects.filter(site=site, language=language).first()
    if row is None:
        raise NotFound(_("This site has no policy in that language."), field="lang")
    return row
