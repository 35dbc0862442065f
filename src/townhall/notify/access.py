"""Resolve notify's objects reached from user input, checking whose they are."""

from __future__ import annotations

from django.utils.translation import gettext as _

from townhall.core.errors import NotFound
from townhall.notify.models import Webhook
from townhall.stories.models import Site


def access_webhook(site: Site, webhook_id: int) -> Webhook:
    """Return a webhook of a site the caller may edit (`accounts.access.access_site_as_editor`);
    another site's webhook is the same 404 as one that does not exist."""
    webhook = Webhook.objects.filter(site=site, pk=webhook_id).first()
    if webhook is None:
        raise NotFound(_("Unknown webhook."), field="id")
    return webhook
