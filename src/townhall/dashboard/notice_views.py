"""The notices queue (DSA art. 16): notices of illegal content on the moderator's sites,
trusted flaggers' first; one notice's page takes it in review, adds notes and decides it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from townhall.accounts.models import Account
from townhall.core.errors import TownhallError
from townhall.dashboard import labels
from townhall.dashboard.views import _base, _errors, _guidelines_by_site, staff_required
from townhall.moderation import access, selectors
from townhall.moderation.models import NoticeStatus
from townhall.moderation.services import notices as notice_services


@staff_required
def notices(request: HttpRequest) -> HttpResponse:
    viewer: Account = request.user  # type: ignore[assignment]
    access.require_moderator(viewer)
    status = request.GET.get("status", "")
    if status not in NoticeStatus.values:
        status = ""
    rows = selectors.notices_queue(viewer, status=status, site=request.GET.get("site", ""))
    return render(request, "dashboard/notices.html", _base(
        request, _("Notices of illegal content"), section="notices", notices=rows,
        status=status, statuses=NoticeStatus.choices,
        notice_counts=selectors.notice_counts(viewer)))


@require_http_methods(["GET", "POST"])
@staff_required
def notice_page(request: HttpRequest, notice_id: int) -> HttpResponse:
    viewer: Account = request.user  # type: ignore[assignment]
    notice = access.access_notice_as_moderator(notice_id, viewer)
    errors: list[str] = []
    if request.method == "POST":
        data = request.POST
        try:
            step = data.get("step", "")
            if step == "review":
                notice_services.notice_review(moderator=viewer, notice=notice)
            elif step == "note":
                notice_services.notice_note_add(moderator=viewer, notice=notice,
                                                text=data.get("text", ""))
            else:
                notice_services.notice_decide(
                    moderator=viewer, notice=notice, outcome=data.get("outcome", ""),
                    guideline=data.get("guideline", ""), reasons=data.get("reasons", ""),
                    manifestly_illegal=data.get("manifestly_illegal") == "on",
                    manifestly_unfounded=data.get("manifestly_unfounded") == "on")
                messages.success(request, _("Notice decided."))
            return redirect(reverse("dashboard:notice", args=[notice.pk]))
        except TownhallError as error:
            errors = _errors(error)
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("en", "fr") else "en"
    history = selectors.notice_history(notice)
    return render(request, "dashboard/notice.html", _base(
        request, notice.reference, section="notices", notice=notice, errors=errors,
        notes=selectors.notice_notes(notice),
        history=[(entry, labels.audit_action_label("entry", entry.action))
                 for entry in history],
        guidelines=_guidelines_by_site([notice.site], language)[notice.site.pk],
    ), status=422 if errors else 200)


@require_http_methods(["GET", "POST"])
@staff_required
def trusted_flaggers(request: HttpRequest) -> HttpResponse:
    """Administrators register trusted flaggers (DSA art. 22) and see their figures."""
    admin = access.require_admin(request.user)  # type: ignore[arg-type]
    errors: list[str] = []
    key = ""
    if request.method == "POST":
        try:
            flagger, key = notice_services.trusted_flagger_register(
                admin=admin, name=request.POST.get("name", ""),
                contact=request.POST.get("contact", ""),
                expertise=request.POST.get("expertise", ""))
            messages.success(request, _("%(name)s is registered.") % {"name": flagger.name})
        except TownhallError as error:
            errors = _errors(error)
    return render(request, "dashboard/trusted_flaggers.html", _base(
        request, _("Trusted flaggers"), section="flaggers", errors=errors, key=key,
        flaggers=selectors.trusted_flagger_figures(),
    ), status=422 if errors else 200)
