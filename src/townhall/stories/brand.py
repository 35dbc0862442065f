"""The publisher behind an email: its name, colour, logo and front page (site settings).

Emails about a comment carry its site's brand. Emails about the account itself (a reset, a
second factor) have no story to go by: an install that serves one publisher signs them with
that publisher; one that serves several, with the install's own address.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from townhall.core.errors import Invalid
from townhall.core.mail import HEX, Brand
from townhall.stories.models import Site


def brand_of(site: Site | None) -> Brand:
    """Return the brand emails about this site carry (the install's, for None)."""
    if site is None:
        sites = list(Site.objects.order_by("pk")[:2])
        if len(sites) == 1:
            site = sites[0]
    if site is None:
        return Brand(name=urlsplit(settings.PUBLIC_URL).hostname or "Townhall",
                     home_url=settings.PUBLIC_URL)
    return Brand(name=site.title or site.name, colour=site.brand_colour,
                 logo_url=site.logo_url, home_url=site.home_url)


def site_of_page(url: str) -> Site | None:
    """Return the site whose registered origins include this page's, if any."""
    parts = urlsplit(url or "")
    origin = f"{parts.scheme}://{parts.netloc}"
    if not parts.netloc:
        return None
    return next((s for s in Site.objects.all() if origin in (s.origins or [])), None)


def brand_validate(*, brand_colour: str, logo_url: str, home_url: str) -> None:
    """Refuse a colour that is not #rrggbb and addresses that are not https (a logo over
    http would be blocked or flagged by mail clients)."""
    if not HEX.match(brand_colour):
        raise Invalid("brand_colour", "invalid", _("Enter a colour as #rrggbb."))
    for name, value in (("logo_url", logo_url), ("home_url", home_url)):
        if value and not re.match(r"^https://[^\s/]+\.[^\s]+$", value):
            raise Invalid(name, "invalid_url", _("Enter a full https:// address."))
