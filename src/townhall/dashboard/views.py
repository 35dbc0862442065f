"""The moderator dashboard: staff sign-in, the queues with keyboard shortcuts, comment and
author pages, story and site settings, staff management, charts and the audit export.

Server-rendered with htmx; every write goes through a moderation or story service. Pages
send no inline script (the CSP is `script-src 'self'`): behaviour lives in
static/dashboard/dashboard.js.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from townhall.accounts import services as account_services
from townhall.accounts.models import Account, NameStatus
from townhall.api.moderation import csv_download, decisions_csv
from townhall.comments import markup
from townhall.core import clock
from townhall.core.errors import Invalid, NotFound, PermissionDenied, TownhallError
from townhall.core.ratelimit import client_address
from townhall.dashboard import charts, labels
from townhall.dashboard.account_views import remember_device
from townhall.dashboard.params import row_id
from townhall.live import presence
from townhall.moderation import access, audit_log, presenters, selectors, services, stats
from townhall.moderation.guidelines import CATEGORIES
from townhall.moderation.guidelines import localized as guideline_localized
from townhall.moderation.models import ActionKind, AppealStatus, LinkPolicy, WordAction
from townhall.moderation.pipeline import OPTIONAL_PHASES, SKIPPABLE_PHASES
from townhall.stories import selectors as story_selectors
from townhall.stories.models import ModerationMode, Site, SiteRole, Story

BACKEND = "django.contrib.auth.backends.ModelBackend"
LANGUAGES = ("en", "fr")
LANGUAGE_COOKIE = "th_dashboard_lang"
# A queue narrowed by one of these does not take new cards live (they may not match).
LIVE_BREAKERS = ("site", "story", "language", "guideline", "min_score", "author", "category",
                 "cursor")
# The decisions of the last bulk action, for the queue's Undo toast (shown once).
BULK_UNDO = "th_bulk_undo"
View = Callable[..., HttpResponseBase]
QUEUE_TITLES = {
    "pending": gettext_lazy("Pending"), "reported": gettext_lazy("Reported"),
    "unreviewed": gettext_lazy("Unreviewed"), "approved": gettext_lazy("Approved"),
    "rejected": gettext_lazy("Rejected"), "appeals": gettext_lazy("Appeals"),
}


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang") or request.COOKIES.get(LANGUAGE_COOKIE)
    if wanted in LANGUAGES:
        return str(wanted)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in LANGUAGES:
        return str(user.language)
    found = translation.get_language_from_request(request)
    return found if found in LANGUAGES else "en"


def _in_language(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        language = _language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        if request.GET.get("lang") in LANGUAGES:
            response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400,
                                samesite="Lax", httponly=True)
        return response

    return wrapper


def staff_required(view: View) -> View:
    """Let in admins, moderators and site staff; send others to the sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('dashboard:sign-in')}?next={request.get_full_path()}")
        if not access.is_staff_anywhere(request.user):
            return render(request, "dashboard/denied.html", {"title": _("Not allowed")},
                          status=403)
        if request.user.name_status == NameStatus.MISSING:
            return redirect(f"{reverse('dashboard:your-name')}?next={request.get_full_path()}")
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Http404):
            return render(request, "dashboard/denied.html", {"title": _("Not found")},
                          status=404)
        except PermissionDenied as error:
            return render(request, "dashboard/denied.html",
                          {"title": _("Not allowed"), "message": error.items[0].message},
                          status=403)

    return _in_language(wrapper)


def _is_moderator(account: Account) -> bool:
    return bool(account.is_admin or selectors.moderated_site_ids(account))


def _base(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    viewer: Account = request.user  # type: ignore[assignment]
    moderator = _is_moderator(viewer)
    counts = selectors.queue_counts(viewer) if moderator else {}
    return {
        "title": title, "viewer": viewer, "is_moderator": moderator, "counts": counts,
        "queue_links": [{"key": k, "label": v, "count": counts.get(k, 0),
                         "hot": k in ("pending", "reported", "appeals") and counts.get(k)}
                        for k, v in QUEUE_TITLES.items()],
        "queue_titles": QUEUE_TITLES, "section": extra.pop("section", ""),
        # The navigation links the first site's settings from every page; read only where a
        # page shows it (not for the counts that refresh after each decision).
        "sites": extra.pop("sites", None) or SimpleLazyObject(
            lambda: selectors.visible_sites(viewer) if moderator else []),
        **extra,
    }


def _errors(error: TownhallError) -> list[str]:
    return [item.message for item in error.items]


# --- Sign-in ----------------------------------------------------------------------------


def _safe_back(request: HttpRequest) -> str:
    """Return the dashboard page a form came from: a path of this dashboard, else the queue."""
    target = request.POST.get("back") or ""
    if target.startswith("/moderation/") and "\\" not in target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("dashboard:queue", args=["pending"])


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/moderation/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}):
        return target
    return reverse("dashboard:home")


@require_http_methods(["GET", "POST"])
@_in_language
def sign_in(request: HttpRequest) -> HttpResponse:
    """Staff sign in with email and password (and a one-time code when they use one)."""
    next_url = _safe_next(request)
    if request.method == "GET" and access.is_staff_anywhere(request.user):
        return HttpResponseRedirect(next_url)
    context: dict[str, Any] = {"title": _("Moderator sign-in"), "next": next_url, "email": ""}
    if request.method == "POST":
        context["email"] = request.POST.get("email", "").strip()
        try:
            extra = {"totp_code": request.POST.get("totp") or None} if request.POST.get(
                "totp") else {}
            account = account_services.authenticate(
                email=context["email"], password=request.POST.get("password", ""),
                address=client_address(request),
                device=request.COOKIES.get(account_services.DEVICE_COOKIE), **extra,
            )
        except TownhallError as error:
            context["errors"] = _errors(error)
            context["ask_totp"] = any(i.field == "totp" for i in error.items)
            return render(request, "dashboard/sign_in.html", context, status=401)
        if not access.is_staff_anywhere(account):
            context["errors"] = [_("This account is not a moderator or staff account.")]
            return render(request, "dashboard/sign_in.html", context, status=403)
        login(request, account, backend=BACKEND)
        return remember_device(HttpResponseRedirect(next_url), account)
    return render(request, "dashboard/sign_in.html", context)


@require_http_methods(["GET", "POST"])
@_in_language
def your_name(request: HttpRequest) -> HttpResponse:
    """Ask a staff member created without a name (`createstaff`) for their real name."""
    if not access.is_staff_anywhere(request.user):
        return redirect(f"{reverse('dashboard:sign-in')}?next={request.get_full_path()}")
    account: Account = request.user  # type: ignore[assignment]
    next_url = _safe_next(request)
    if account.name_status != NameStatus.MISSING:
        return HttpResponseRedirect(next_url)
    context: dict[str, Any] = {"title": _("Your name"), "next": next_url,
                               "first_name": "", "last_name": "", "errors": {}}
    if request.method == "POST":
        context["first_name"] = request.POST.get("first_name", "")
        context["last_name"] = request.POST.get("last_name", "")
        try:
            account_services.staff_name_give(account=account,
                                             first_name=context["first_name"],
                                             last_name=context["last_name"])
        except TownhallError as error:
            context["errors"] = {i.field or "first_name": i.message for i in error.items}
            return render(request, "dashboard/your_name.html", context, status=422)
        return HttpResponseRedirect(next_url)
    return render(request, "dashboard/your_name.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(reverse("dashboard:sign-in"))


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    if _is_moderator(request.user):  # type: ignore[arg-type]
        return redirect(reverse("dashboard:queue", args=["pending"]))
    return redirect(reverse("dashboard:stories"))


# --- Queues -----------------------------------------------------------------------------


def _id_param(raw: str, field: str) -> int | None:
    """Read an id typed into a form or a filter: empty, or digits a database row can have."""
    raw = (raw or "").strip()
    if not raw:
        return None
    found = row_id(raw)
    if found is None:
        raise Invalid(field, "invalid", _("Enter the number of an existing item."))
    return found


def _filters(request: HttpRequest) -> selectors.QueueFilters:
    get = request.GET
    score = (get.get("min_score") or "").strip()
    author_id = _id_param(get.get("author") or "", "author")
    try:
        min_score = float(score) if score else None
    except ValueError:
        raise Invalid("min_score", "invalid", _("Enter a number.")) from None
    if min_score is not None and not 0 <= min_score <= 1:  # refuses nan and infinities too
        raise Invalid("min_score", "out_of_range", _("Enter a score from 0 to 1."))
    return selectors.QueueFilters(
        site=get.get("site", ""), story=get.get("story", ""), language=get.get("language", ""),
        guideline=get.get("guideline", ""), min_score=min_score, author=author_id,
        category=get.get("category", ""), sort=get.get("sort", "oldest") or "oldest",
    )


def _guidelines_by_site(sites: list[Site], language: str) -> dict[int, list[dict[str, str]]]:
    return {site.pk: [guideline_localized(i, language)
                      for i in selectors.guidelines_current(site).items] for site in sites}


def _cards(page: selectors.QueuePage, guidelines: dict[int, list[dict[str, str]]],
           language: str) -> list[dict[str, Any]]:
    titles = {site_id: labels.guideline_titles([items], language)
              for site_id, items in guidelines.items()}
    cards = []
    for comment in page.comments:
        text = markup.plain_text(comment.source)
        appeal = getattr(comment, "appeal", None)
        if appeal is not None and appeal.status != AppealStatus.OPEN:
            appeal = None
        site_id = comment.story.site_id
        cards.append({
            "comment": comment, "record": page.records.get(comment.author_id),
            "text": presenters.highlighted(text, comment.findings or []),
            "parent_text": markup.plain_text(comment.parent.source)[:400]
            if comment.parent else "",
            "guidelines": guidelines.get(site_id, []),
            "guideline_titles": titles.get(site_id) or labels.guideline_titles([], language),
            "appeal": appeal,
            # The decision an appeal contests, for the moderator who reviews it.
            "rejection": selectors.appealed_rejection(comment) if appeal is not None else None,
            "reports": getattr(comment, "open_reports", None),
        })
    return cards


@staff_required
def queue(request: HttpRequest, queue: str) -> HttpResponse:
    """One screen per queue, with filters, sort, bulk actions and keyboard shortcuts."""
    viewer: Account = request.user  # type: ignore[assignment]
    access.require_moderator(viewer)
    if queue not in selectors.QUEUES:
        raise NotFound()
    sites = selectors.visible_sites(viewer)
    language = translation.get_language() or "en"
    try:
        filters = _filters(request)
        page = selectors.queue_page(viewer, queue, filters, cursor=request.GET.get("cursor"))
        errors: list[str] = []
    except TownhallError as error:
        filters, errors = selectors.QueueFilters(), _errors(error)
        page = selectors.queue_page(viewer, queue, filters)
    status = 422 if errors else 200
    guidelines = _guidelines_by_site(sites, language)
    cards = _cards(page, guidelines, language)
    claims = presence.claims_of([c.pk for c in page.comments], viewer)
    for item in cards:
        item["claim"] = claims.get(item["comment"].pk)
    context = _base(request, str(QUEUE_TITLES[queue]), section=queue, queue=queue,
                    cards=cards, next_cursor=page.next_cursor,
                    # A filtered queue stays as it is; the whole queue takes new cards live.
                    live=not any(request.GET.get(k) for k in LIVE_BREAKERS),
                    filters=filters, sites=sites, errors=errors,
                    all_guidelines=next(iter(guidelines.values()), []),
                    categories=[(code, labels.category_label(code)) for code in CATEGORIES],
                    query=request.GET.urlencode(),
                    bulk_undo=request.session.pop(BULK_UNDO, None),
                    undo_seconds=int(services.undo_window().total_seconds()))
    if request.headers.get("HX-Request") and request.GET.get("cursor"):
        return render(request, "dashboard/_cards.html", context, status=status)
    return render(request, "dashboard/queue.html", context, status=status)


@staff_required
def picks(request: HttpRequest) -> HttpResponse:
    """Editor's picks: the featured comments of each story, with Unfeature."""
    viewer: Account = request.user  # type: ignore[assignment]
    access.require_moderator(viewer)
    site = request.GET.get("site", "")
    return render(request, "dashboard/picks.html", _base(
        request, _("Editor's picks"), section="picks",
        stories=selectors.editors_picks(viewer, site=site), site=site,
        sites=selectors.visible_sites(viewer)))


@staff_required
def counts(request: HttpRequest) -> HttpResponse:
    """The queue counts in the side bar (refreshed by htmx after each decision)."""
    return render(request, "dashboard/_counts.html", _base(request, ""))


@require_POST
@staff_required
def decide(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Approve, reject with a guideline, feature or unfeature one comment.

    htmx gets the decided card with its Undo button; a plain form goes back to its page with
    the outcome as a message. The card's `seen` refuses to overwrite another moderator's
    decision made since the card was shown (409, naming them).
    """
    viewer: Account = request.user  # type: ignore[assignment]
    comment = access.access_comment_as_moderator(comment_id, viewer)
    action = request.POST.get("action", "")
    error, status, decision = "", 200, None
    try:
        decision = services.comment_decide(
            moderator=viewer, comment=comment, action=action,
            guideline=request.POST.get("guideline", ""), note=request.POST.get("note", ""),
            seen=row_id(request.POST.get("seen", "")),
        )
        comment = decision.comment
    except TownhallError as failure:
        error, status = " ".join(_errors(failure)), failure.status
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Decision recorded."))
        return redirect(_safe_back(request))
    language = translation.get_language() or "en"
    titles = labels.guideline_titles(
        _guidelines_by_site([comment.story.site], language).values(), language)
    response = render(request, "dashboard/_decided.html", {
        "comment": comment, "action": action, "error": error, "decision": decision,
        "undo_seconds": int(services.undo_window().total_seconds()),
        "guideline": labels.guideline_title(request.POST.get("guideline", ""), titles),
    }, status=status if error else 200)
    response["HX-Trigger"] = "th-counts"
    return response


@require_POST
@staff_required
def claim(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Say that this moderator is looking at a card (the others' queues show it live)."""
    viewer: Account = request.user  # type: ignore[assignment]
    access.require_moderator(viewer)
    comment = access.access_comment_as_moderator(comment_id, viewer)
    presence.claim(comment, viewer)
    return HttpResponse(status=204)


@staff_required
def card(request: HttpRequest, comment_id: int) -> HttpResponse:
    """One queue card, as the queue shows it: what a live queue inserts when a comment is
    held while it is open."""
    viewer: Account = request.user  # type: ignore[assignment]
    access.require_moderator(viewer)
    comment = access.access_comment_as_moderator(comment_id, viewer)
    return render(request, "dashboard/_card.html", {"card": _one_card(comment, viewer)})


def _one_card(comment: Any, viewer: Account, seen: int | None = None) -> dict[str, Any]:
    language = translation.get_language() or "en"
    comment.seen_decision = (seen if seen is not None
                             else selectors.latest_decision_ids([comment.pk])[0])
    page = selectors.QueuePage("", [comment], selectors.author_records([comment.author_id],
                                                                      viewer), None)
    card = _cards(page, _guidelines_by_site([comment.story.site], language), language)[0]
    card["claim"] = presence.claims_of([comment.pk], viewer).get(comment.pk)
    return card


@require_POST
@staff_required
def undo(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Undo a decision: from its toast (htmx gets the comment's card back, to decide
    again) or from the comment's history (back to that page with a message)."""
    viewer: Account = request.user  # type: ignore[assignment]
    access.require_moderator(viewer)
    decision = access.access_decision_as_moderator(decision_id, viewer)
    try:
        undone = services.decision_undo(moderator=viewer, decision=decision)
    except TownhallError as failure:
        if request.headers.get("HX-Request"):
            return render(request, "dashboard/_decided.html", {
                "comment": decision.comment, "error": " ".join(_errors(failure)),
            }, status=failure.status)
        messages.error(request, " ".join(_errors(failure)))
        return redirect(_safe_back(request))
    if not request.headers.get("HX-Request"):
        messages.success(request, _("Decision undone."))
        return redirect(_safe_back(request))
    comment = access.access_comment_as_moderator(undone.comment_id, viewer)
    response = render(request, "dashboard/_card.html", {
        "card": _one_card(comment, viewer, seen=undone.pk), "undone": True})
    response["HX-Trigger"] = "th-counts"
    return response


@require_POST
@staff_required
def bulk(request: HttpRequest) -> HttpResponse:
    """Approve or reject the selected comments at once; the queue then offers to undo."""
    viewer: Account = request.user  # type: ignore[assignment]
    back = _safe_back(request)
    try:
        ids = [int(i) for i in request.POST.getlist("ids")]
        if not ids:
            raise Invalid("ids", "required", _("Select at least one comment."))
        comments = [access.access_comment_as_moderator(i, viewer) for i in ids]
        decisions = services.comments_decide_bulk(
            moderator=viewer, comments=comments, action=request.POST.get("action", ""),
            guideline=request.POST.get("guideline", ""), note=request.POST.get("note", ""),
        )
        request.session[BULK_UNDO] = [d.pk for d in decisions]
        messages.success(request, _("%(count)d comments updated.") % {"count": len(decisions)})
    except (TownhallError, ValueError) as error:
        text = " ".join(_errors(error)) if isinstance(error, TownhallError) else str(error)
        messages.error(request, text)
    return redirect(back)


@require_POST
@staff_required
def undo_bulk(request: HttpRequest) -> HttpResponse:
    """Undo a bulk decision from the queue's toast (all or none)."""
    viewer: Account = request.user  # type: ignore[assignment]
    access.require_moderator(viewer)
    try:
        ids = [row_id(i) for i in request.POST.getlist("ids")]
        decisions = [access.access_decision_as_moderator(i, viewer) for i in ids if i]
        if not decisions:
            raise Invalid("ids", "required", _("Nothing to undo."))
        undone = services.decisions_undo(moderator=viewer, decisions=decisions)
        messages.success(request, ngettext("%(count)d decision undone.",
                                           "%(count)d decisions undone.", len(undone))
                         % {"count": len(undone)})
    except TownhallError as error:
        messages.error(request, " ".join(_errors(error)))
    return redirect(_safe_back(request))


@staff_required
def comment_page(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment with its context, reports, appeal and full decision history."""
    viewer: Account = request.user  # type: ignore[assignment]
    comment = access.access_comment_as_moderator(comment_id, viewer)
    language = translation.get_language() or "en"
    reports = selectors.reports_of(comment)
    text = markup.plain_text(comment.source)
    guidelines = [guideline_localized(i, language)
                  for i in selectors.guidelines_current(comment.story.site).items]
    history = selectors.comment_history(comment)
    return render(request, "dashboard/comment.html", _base(
        request, _("Comment %(id)d") % {"id": comment.pk}, comment=comment,
        text=presenters.highlighted(text, comment.findings or []),
        record=selectors.author_records([comment.author_id], viewer).get(comment.author_id),
        history=history, undoable=_undoable(history), reports=reports,
        appeal=selectors.open_appeal(comment), guidelines=guidelines,
        guideline_titles=labels.guideline_titles([guidelines], language),
    ))


def _undoable(history: list[Any]) -> int | None:
    """The id of the decision the comment page offers to undo: the newest one standing (not
    an undo, not undone), if it is a moderator's."""
    undone = {d.undoes_id for d in history if d.undoes_id}
    standing = [d for d in history if d.rule != "undo" and d.pk not in undone]
    newest = max(standing, key=lambda d: d.pk, default=None)
    if newest is None or not selectors.is_undoable(newest):
        return None
    return int(newest.pk)


@require_POST
@staff_required
def appeal_decide(request: HttpRequest, comment_id: int) -> HttpResponse:
    viewer: Account = request.user  # type: ignore[assignment]
    found = access.access_appeal_as_moderator(comment_id, viewer)
    try:
        services.appeal_decide(moderator=viewer, appeal=found,
                               outcome=request.POST.get("outcome", ""),
                               note=request.POST.get("note", ""))
        messages.success(request, _("Appeal decided."))
    except TownhallError as error:
        messages.error(request, " ".join(_errors(error)))
    return redirect(reverse("dashboard:comment", args=[comment_id]))


# --- Accounts ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def account_page(request: HttpRequest, account_id: int) -> HttpResponse:
    """An author's record and history, and the actions moderators take on the account."""
    viewer: Account = request.user  # type: ignore[assignment]
    account = access.access_account_as_moderator(account_id, viewer)
    sites = selectors.visible_sites(viewer)
    errors: list[str] = []
    if request.method == "POST":
        try:
            site_name = request.POST.get("site", "")
            site = access.access_site_as_moderator(site_name, viewer) if site_name else None
            days_raw = request.POST.get("days", "")
            services.account_act(
                moderator=viewer, account=account, kind=request.POST.get("kind", ""),
                site=site, message=request.POST.get("message", ""),
                guideline=request.POST.get("guideline", ""),
                days=int(days_raw) if days_raw.isdigit() else None,
                reject_comments=request.POST.get("reject_comments") == "on",
            )
            messages.success(request, _("Done."))
            return redirect(reverse("dashboard:account", args=[account.pk]))
        except TownhallError as error:
            errors = _errors(error)
    language = translation.get_language() or "en"
    actions = selectors.account_actions(account, viewer)
    history = selectors.account_history(account, viewer, limit=100)
    # Guidelines are named as the sites of these decisions and actions define them.
    site_ids = {d.comment.story.site_id for d in history} | {
        a.site_id for a in actions if a.site_id is not None}
    involved = [s for s in sites if s.pk in site_ids]
    guidelines = _guidelines_by_site(list(dict.fromkeys(involved + sites[:1])), language)
    return render(request, "dashboard/account.html", _base(
        request, account.display_name, account=account, errors=errors, sites=sites,
        record=selectors.author_records([account.pk], viewer).get(account.pk),
        actions=actions, history=history, kinds=ActionKind.choices,
        guidelines=guidelines[sites[0].pk] if sites else [],
        guideline_titles=labels.guideline_titles(guidelines.values(), language),
    ), status=422 if errors else 200)


@require_POST
@staff_required
def action_lift(request: HttpRequest, action_id: int) -> HttpResponse:
    viewer: Account = request.user  # type: ignore[assignment]
    found = access.access_account_action(action_id, viewer)
    services.account_action_lift(moderator=viewer, action=found)
    return redirect(reverse("dashboard:account", args=[found.account_id]))


# --- Stories ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def stories(request: HttpRequest) -> HttpResponse:
    """Story settings: close, reopen, schedule a close, pre- or post-moderation."""
    viewer: Account = request.user  # type: ignore[assignment]
    errors: list[str] = []
    if request.method == "POST":
        story = access.access_story_as_staff(row_id(request.POST.get("story", "")) or 0,
                                             viewer)
        try:
            _story_change(story, request.POST, viewer)
            messages.success(request, _("Story updated."))
            return redirect(reverse("dashboard:stories") + f"?site={story.site.name}")
        except TownhallError as error:
            errors = _errors(error)
    found = selectors.stories_for_staff(viewer, site=request.GET.get("site", ""),
                                        title=request.GET.get("q", ""))
    return render(request, "dashboard/stories.html", _base(
        request, _("Stories"), section="stories", stories=found, errors=errors,
        sites=selectors.visible_sites(viewer, moderation=False), modes=ModerationMode.choices,
        now=clock.now(),
    ), status=422 if errors else 200)


def _story_change(story: Story, data: Any, viewer: Account) -> None:
    """Turn the stories form into one `story_change` (which writes and audits it)."""
    action = data.get("action", "")
    if action == "close":
        services.story_change(story=story, actor=viewer, closes_at=clock.now())
    elif action == "reopen":
        services.story_change(story=story, actor=viewer, closes_at=None)
    elif action == "schedule":
        try:
            moment = dt.datetime.fromisoformat(data.get("closes_at", ""))
        except ValueError:
            raise Invalid("closes_at", "invalid", _("Choose a date and time.")) from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        services.story_change(story=story, actor=viewer, closes_at=moment)
    elif action == "mode":
        services.story_change(story=story, actor=viewer,
                              moderation_mode=data.get("moderation_mode", ""))
    else:
        raise Invalid("action", "invalid_choice", _("Choose an action."))


# --- Site settings ----------------------------------------------------------------------


def _number(data: Any, name: str, kind: type = int) -> Any:
    raw = (data.get(name) or "").strip()
    if raw == "":
        return None
    try:
        return kind(raw)
    except ValueError:
        raise Invalid(name, "invalid", _("Enter a number.")) from None


@require_http_methods(["GET", "POST"])
@staff_required
def site_settings(request: HttpRequest, site: str) -> HttpResponse:
    """Guidelines, word list, thresholds, link policy and new-commenter holds of a site."""
    viewer: Account = request.user  # type: ignore[assignment]
    found = access.access_site_as_moderator(site, viewer)
    errors: list[str] = []
    if request.method == "POST":
        try:
            _settings_change(found, viewer, request.POST)
            messages.success(request, _("Settings saved."))
            return redirect(reverse("dashboard:site-settings", args=[found.name]))
        except TownhallError as error:
            errors = _errors(error)
    config = selectors.site_settings(found)
    current = selectors.guidelines_current(found)
    language = translation.get_language() or "en"
    return render(request, "dashboard/site_settings.html", _base(
        request, _("Settings of %(site)s") % {"site": found.title or found.name},
        section="settings", site=found, config=config, guidelines=current,
        guideline_titles=labels.guideline_titles(
            [[guideline_localized(i, language) for i in current.items]], language),
        rules=list(found.word_rules.all()), errors=errors,
        optional_phases=OPTIONAL_PHASES, skippable_phases=SKIPPABLE_PHASES,
        link_policies=LinkPolicy.choices, word_actions=WordAction.choices,
        sites=selectors.visible_sites(viewer), default_appeal_days=settings.TOWNHALL_APPEAL_DAYS,
    ), status=422 if errors else 200)


_POLICY_FIELDS = ("appeal_days", "retain_notices_days", "retain_rejected_days",
                  "retain_notes_days")


def _settings_change(site: Site, viewer: Account, data: Any) -> None:
    part = data.get("part", "")
    if part == "thresholds":
        services.site_moderation_update(
            site=site, actor=viewer,
            disabled_phases=[p for p in OPTIONAL_PHASES if data.get(f"phase_{p}") != "on"],
            trusted_skips=[p for p in SKIPPABLE_PHASES if data.get(f"skip_{p}") == "on"],
            toxicity_hold=_number(data, "toxicity_hold", float),
            toxicity_reject=_number(data, "toxicity_reject", float),
            new_commenter_holds=_number(data, "new_commenter_holds") or 0,
            report_threshold=_number(data, "report_threshold") or 0,
            trusted_after=_number(data, "trusted_after") or 0,
            flood_limit=_number(data, "flood_limit") or 0,
            link_policy=data.get("link_policy", ""),
            link_domains=[d for d in data.get("link_domains", "").split() if d],
            email_authors=data.get("email_authors") == "on",
            hold_on_notice=data.get("hold_on_notice") == "on",
            # A form without these fields (an older page) leaves them as they are.
            **{name: _number(data, name) if name == "appeal_days" else
               (_number(data, name) or 0) for name in _POLICY_FIELDS if name in data},
        )
    elif part == "brand":
        services.site_brand_update(site=site, actor=viewer, title=data.get("title", ""),
                                   brand_colour=data.get("brand_colour", ""),
                                   logo_url=data.get("logo_url", ""),
                                   home_url=data.get("home_url", ""))
    elif part == "word_add":
        services.word_rule_add(site=site, phrase=data.get("phrase", ""),
                               action=data.get("action", ""),
                               guideline=data.get("guideline", ""),
                               language=data.get("language", ""), actor=viewer)
    elif part == "word_remove":
        services.word_rule_remove(site=site, rule_id=_number(data, "rule") or 0, actor=viewer)
    elif part == "guidelines":
        columns = ("code", "title_en", "title_fr", "explanation_en", "explanation_fr")
        rows = [data.getlist(name) for name in columns]
        if len({len(row) for row in rows}) != 1:
            raise Invalid("code", "incomplete_rows",
                          _("Each guideline needs its code, titles and explanations."))
        items = []
        for code, title_en, title_fr, explanation_en, explanation_fr in zip(*rows, strict=True):
            if not code.strip() and not title_en.strip():
                continue
            items.append({"code": code, "title": {"en": title_en, "fr": title_fr},
                          "explanation": {"en": explanation_en, "fr": explanation_fr}})
        services.guidelines_publish(site=site, items=items, actor=viewer)
    else:
        raise Invalid("part", "invalid_choice", _("Unknown form."))


# --- Staff ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def staff(request: HttpRequest) -> HttpResponse:
    """Administrators give and take site roles (moderator or site staff)."""
    viewer = access.require_admin(request.user)  # type: ignore[arg-type]
    errors: list[str] = []
    if request.method == "POST":
        try:
            _staff_change(request.POST, viewer)
            messages.success(request, _("Staff updated."))
            return redirect(reverse("dashboard:staff"))
        except TownhallError as error:
            errors = _errors(error)
    staff = selectors.staff_list()
    return render(request, "dashboard/staff.html", _base(
        request, _("Staff"), section="staff", roles=staff.roles, admins=staff.admins,
        errors=errors,
        sites=selectors.visible_sites(viewer), kinds=SiteRole.Kind.choices,
    ), status=422 if errors else 200)


def _staff_change(data: Any, viewer: Account) -> None:
    if data.get("remove"):
        account_services.site_role_take(role_id=_number(data, "remove") or 0, actor=viewer)
        return
    account_services.site_role_give_by_email(email=data.get("email", ""),
                                             site_name=data.get("site", ""),
                                             kind=data.get("kind", ""), actor=viewer)


# --- Charts and export ------------------------------------------------------------------


@staff_required
def stats_page(request: HttpRequest) -> HttpResponse:
    """Charts of the last seven days."""
    viewer: Account = request.user  # type: ignore[assignment]
    access.require_moderator(viewer)
    site_ids = selectors.moderated_site_ids(viewer)
    wanted = request.GET.get("site", "")
    if wanted:
        site_ids = [access.access_site_as_moderator(wanted, viewer).pk]
    figures = stats.week(site_ids)
    day_labels = [formats.date_format(d, "D j") for d in figures.days]
    share = figures.model_approved_share
    sites = selectors.visible_sites(viewer)
    language = translation.get_language() or "en"
    titles = labels.guideline_titles(
        _guidelines_by_site([s for s in sites if s.name == wanted] or sites, language).values(),
        language)
    return render(request, "dashboard/stats.html", _base(
        request, _("Last 7 days"), section="stats", figures=figures, sites=sites, site=wanted,
        share=None if share is None else round(share * 100),
        per_hour=charts.bars(_("Comments per hour"), figures.comments_per_hour, day_labels),
        queue_size=charts.line(_("Comments waiting for review"), figures.queue_size,
                               day_labels),
        median=charts.bars(_("Median minutes to a decision"), figures.median_minutes,
                           day_labels, unit=""),
        has_median=any(v is not None for v in figures.median_minutes),
        rejections=charts.hbars(_("Rejections by guideline"), [
            (labels.guideline_title(code, titles), n)
            for code, n in figures.rejections_by_guideline]),
        total_comments=sum(figures.comments_per_hour),
        waiting_now=next((v for v in reversed(figures.queue_size) if v is not None), 0),
    ))


@staff_required
def export(request: HttpRequest) -> HttpResponseBase:
    """The decision log as CSV (optionally one site or one author)."""
    viewer: Account = request.user  # type: ignore[assignment]
    access.require_moderator(viewer)
    try:
        account_id = _id_param(request.GET.get("account", ""), "account")
    except Invalid as error:
        return HttpResponse(error.items[0].message, status=422,
                            content_type="text/plain; charset=utf-8")
    return decisions_csv(selectors.decisions_for_export(
        viewer, site=request.GET.get("site", ""), account_id=account_id))


# --- Audit log --------------------------------------------------------------------------


def _audit_filters(get: Any) -> audit_log.AuditFilters:
    def day(name: str) -> dt.date | None:
        raw = (get.get(name) or "").strip()
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise Invalid(name, "invalid", _("Enter a date as YYYY-MM-DD.")) from None

    return audit_log.AuditFilters(
        site=get.get("site", ""), story=(get.get("story") or "").strip(),
        moderator=_id_param(get.get("moderator") or "", "moderator"),
        author=_id_param(get.get("author") or "", "author"),
        action=get.get("action", ""), since=day("since"), until=day("until"))


@staff_required
def audit(request: HttpRequest) -> HttpResponse:
    """The audit log, for administrators: filter, page, and export the same filter as CSV."""
    viewer = access.require_admin(request.user)  # type: ignore[arg-type]
    errors: list[str] = []
    try:
        filters = _audit_filters(request.GET)
        page = audit_log.audit_page(filters, page=_id_param(request.GET.get("page") or "",
                                                            "page") or 1)
    except TownhallError as error:
        errors, filters = _errors(error), audit_log.AuditFilters()
        page = audit_log.audit_page(filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "dashboard/audit.html", _base(
        request, _("Audit log"), section="audit", page=page, filters=filters, errors=errors,
        query=query.urlencode(), groups=list(labels.AUDIT_GROUPS.items()),
        moderators=_staff_people(), sites=selectors.visible_sites(viewer),
    ), status=422 if errors else 200)


def _staff_people() -> list[Account]:
    staff = selectors.staff_list()
    people = {a.pk: a for a in staff.admins} | {r.account.pk: r.account for r in staff.roles}
    return sorted(people.values(), key=lambda a: (a.last_name, a.first_name, a.pk))


AUDIT_CSV_HEADER = ["at", "kind", "action", "actor_id", "actor", "site", "story", "comment_id",
                    "account_id", "account", "detail"]


@staff_required
def audit_csv(request: HttpRequest) -> HttpResponseBase:
    """The audit log under the page's filters, as CSV (every row, newest first)."""
    access.require_admin(request.user)  # type: ignore[arg-type]
    try:
        rows = audit_log.audit_rows(_audit_filters(request.GET))
    except TownhallError as error:
        return HttpResponse(" ".join(_errors(error)), status=422,
                            content_type="text/plain; charset=utf-8")
    return csv_download(AUDIT_CSV_HEADER, map(_audit_csv_row, rows), "townhall-audit.csv")


def _audit_csv_row(row: audit_log.AuditRow) -> list[Any]:
    return [row.at.isoformat(), row.kind, row.action, row.actor.pk if row.actor else "",
            row.actor.email if row.actor else "", row.site.name if row.site else "",
            row.story.external_id if row.story else "", row.comment.pk if row.comment else "",
            row.account.pk if row.account else "",
            row.account.display_name if row.account else "",
            json.dumps(row.detail, ensure_ascii=False, default=str)]


# --- Public guidelines page -------------------------------------------------------------


def guidelines_page(request: HttpRequest, site: str) -> HttpResponse:
    """The site's Submission Guidelines, in English and French side by side."""
    try:
        found = story_selectors.site_get(site)
    except NotFound:
        raise Http404 from None
    current = selectors.guidelines_current(found)
    wanted = request.GET.get("lang", "")
    first = wanted if wanted in LANGUAGES else found.default_language
    order = [first, *(lang for lang in LANGUAGES if lang != first)]
    columns = []
    for lang in order:
        with translation.override(lang):
            columns.append({
                "lang": lang,
                "heading": _("Submission Guidelines"),
                "intro": _("Comments are moderated according to these guidelines. A comment "
                           "that breaks one is not published; its author is told which."),
                "items": [guideline_localized(i, lang) for i in current.items],
                "version": _("Version %(version)d") % {"version": current.version},
            })
    with translation.override(first):
        return render(request, "dashboard/guidelines.html", {
            "title": columns[0]["heading"], "site": found, "columns": columns,
        })
