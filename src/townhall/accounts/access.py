"""Resolve what an account reaches from user input: sites it may edit as their staff."""

from __future__ import annotations

from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.core.errors import PermissionDenied
from townhall.stories.models import Site, SiteRole
from townhall.stories.selectors import site_get


def is_site_staff(account: Account, site: Site) -> bool:
    """Say whether an account works for a site (any role), or administers every site."""
    if account.is_admin:
        return True
    return SiteRole.objects.filter(site=site, account=account).exists()


def access_site_as_editor(site_name: str, *, key_site: Site | None,
                          account: Account | None) -> Site:
    """Return the site if the caller holds its API key (`key_site`) or is staff for it."""
    site = site_get(site_name)
    if key_site is not None and key_site.pk == site.pk:
        return site
    if account is not None and is_site_staff(account, site):
        return site
    raise PermissionDenied(_("Only this site's key or its staff can change stories."))
