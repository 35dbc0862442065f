"""Account pages reached from emailed links: verify an address, reset a password."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from townhall.accounts import services
from townhall.core.errors import TownhallError


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Verify the address from the emailed link (a button, so link scanners do not use it)."""
    token = request.GET.get("token", "")
    context: dict[str, object] = {"token": token, "title": _("Verify your email")}
    if request.method == "POST":
        try:
            account = services.account_verify_email(token=request.POST.get("token", ""))
            context["verified"] = account
        except TownhallError as error:
            context["error"] = error.items[0].message
    return render(request, "accounts/verify.html", context,
                  status=422 if "error" in context else 200)


@require_http_methods(["GET", "POST"])
def reset_password(request: HttpRequest) -> HttpResponse:
    """Choose a new password from the emailed reset link."""
    token = request.GET.get("token", "") or request.POST.get("token", "")
    context: dict[str, object] = {"token": token, "title": _("Choose a new password")}
    if request.method == "POST":
        try:
            services.password_reset_confirm(token=token, password=request.POST.get("password", ""))
            context["done"] = True
        except TownhallError as error:
            context["errors"] = [item.message for item in error.items]
    return render(request, "accounts/reset_password.html", context,
                  status=422 if "errors" in context else 200)
