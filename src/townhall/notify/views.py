"""Pages: the one-click unsubscribe (no sign-in) and the webhook delivery log for staff."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from townhall.core.errors import NotFound
from townhall.notify import selectors, services
from townhall.notify.models import Delivery, Webhook
from townhall.stories.models import Site, SiteRole


@csrf_exempt  # the signed token is the credential; mail clients POST here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Show the choice (GET) or apply it (POST): no more emails, or a daily digest."""
    try:
        account = services.account_for_unsubscribe(token)
    except NotFound:
        return render(request, "notify/unsubscribe.html",
                      {"title": _("Unsubscribe"), "invalid": True}, status=404)
    with translation.override(account.language):
        context: dict[str, object] = {"title": _("Notification emails"), "account": account,
                                      "current": services.preference_of(account)}
        if request.method == "POST":
            choice = request.POST.get("email", Delivery.OFF)
            if choice not in Delivery.values:
                choice = Delivery.OFF
            services.unsubscribe(token=token, email=choice)
            context["done"], context["current"] = choice, choice
        response = render(request, "notify/unsubscribe.html", context)
    response["Content-Language"] = account.language
    return response


def _staff_sites(request: HttpRequest) -> list[Site] | None:
    user = request.user
    if not user.is_authenticated or not getattr(user, "is_staff", False):
        return None
    if getattr(user, "is_admin", False):
        return list(Site.objects.all())
    return list(Site.objects.filter(pk__in=SiteRole.objects.filter(account=user)
                                    .values("site_id")))


@require_http_methods(["GET"])
def webhooks_page(request: HttpRequest) -> HttpResponse:
    """List each site's webhooks with their latest deliveries and the receivers' answers."""
    sites = _staff_sites(request)
    if sites is None:
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode({'next': request.path})}")
    hooks = []
    for webhook in Webhook.objects.filter(site__in=sites).select_related("site"):
        hooks.append({"webhook": webhook,
                      "deliveries": selectors.deliveries_of(webhook, limit=20)})
    return render(request, "notify/webhooks.html", {
        "title": _("Webhooks"), "hooks": hooks, "sites": sites,
    })
