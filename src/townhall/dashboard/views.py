"""The moderator dashboard: staff sign-in, the queues with keyboard shortcuts, comment and
author pages, story and site settings, staff management, charts and the audit export.

Server-rendered with htmx; every write goes through a moderation or story service. Pages
send no inline script (the CSP is `script-src 'self'`): behaviour lives in
static/dashboard/dashboard.js.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from townhall.accounts import services as account_services
from townhall.accounts.models import Account, NameStatus, Role
from townhall.api.moderation import decisions_csv
from townhall.comments import markup
from townhall.core import clock
from townhall.core.errors import Invalid, NotFound, PermissionDenied, TownhallError
from townhall.core.ratelimit import client_address
from townhall.dashboard import charts, labels
from townhall.dashboard.account_views import remember_device
from townhall.dashboard.params import row_id
from townhall.moderation import access, presenters, selectors, services, stats
from townhall.moderation.guidelines import localized as guideline_localized
from townhall.moderation.models import AccountAction, ActionKind, LinkPolicy, WordAction
from townhall.moderation.pipeline import OPTIONAL_PHASES, SKIPPABLE_PHASES
from townhall.stories import selectors as story_selectors
from townhall.stories import services as story_services
from townhall.stories.models import ModerationMode, Site, SiteRole, Story

BACKEND = "django.contrib.auth.backends.ModelBackend"
LANGUAGES = ("en", "fr")
LANGUAGE_COOKIE = "th_dashboard_lang"
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


def _is_staff(account: Any) -> bool:
    if not getattr(account, "is_authenticated", False) or not account.is_active:
        return False
    return bool(account.is_admin or SiteRole.objects.filter(account=account).exists())


def staff_required(view: View) -> View:
    """Let in admins, moderators and site staff; send others to the sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('dashboard:sign-in')}?next={request.get_full_path()}")
        if not _is_staff(request.user):
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
    if request.method == "GET" and _is_staff(request.user):
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
        if not _is_staff(account):
            context["errors"] = [_("This account is not a moderator or staff account.")]
            return render(request, "dashboard/sign_in.html", context, status=403)
        login(request, account, backend=BACKEND)
        return remember_device(HttpResponseRedirect(next_url), account)
    return render(request, "dashboard/sign_in.html", context)


@require_http_methods(["GET", "POST"])
@_in_language
def your_name(request: HttpRequest) -> HttpResponse:
    """Ask a staff member created without a name (`createstaff`) for their real name."""
    if not _is_staff(request.user):
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
        sort=get.get("sort", "oldest") or "oldest",
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
        site_id = comment.story.site_id
        cards.append({
            "comment": comment, "record": page.records.get(comment.author_id),
            "text": presenters.highlighted(text, comment.findings or []),
            "parent_text": markup.plain_text(comment.parent.source)[:400]
            if comment.parent else "",
            "guidelines": guidelines.get(site_id, []),
            "guideline_titles": titles.get(site_id) or labels.guideline_titles([], language),
            "appeal": getattr(comment, "appeal", None),
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
    context = _base(request, str(QUEUE_TITLES[queue]), section=queue, queue=queue,
                    cards=_cards(page, guidelines, language), next_cursor=page.next_cursor,
                    filters=filters, sites=sites, errors=errors,
                    all_guidelines=next(iter(guidelines.values()), []),
                    query=request.GET.urlencode())
    if request.headers.get("HX-Request") and request.GET.get("cursor"):
        return render(request, "dashboard/_cards.html", context, status=status)
    return render(request, "dashboard/queue.html", context, status=status)


@staff_required
def counts(request: HttpRequest) -> HttpResponse:
    """The queue counts in the side bar (refreshed by htmx after each decision)."""
    return render(request, "dashboard/_counts.html", _base(request, ""))


@require_POST
@staff_required
def decide(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Approve, reject with a guideline, feature or unfeature one comment."""
    viewer: Account = request.user  # type: ignore[assignment]
    comment = access.access_comment_as_moderator(comment_id, viewer)
    action = request.POST.get("action", "")
    error = ""
    try:
        comment = services.comment_moderate(
            moderator=viewer, comment=comment, action=action,
            guideline=request.POST.get("guideline", ""), note=request.POST.get("note", ""),
        )
    except TownhallError as failure:
        error = " ".join(_errors(failure))
    if not request.headers.get("HX-Request"):
        return redirect(_safe_back(request))
    language = translation.get_language() or "en"
    titles = labels.guideline_titles(
        _guidelines_by_site([comment.story.site], language).values(), language)
    response = render(request, "dashboard/_decided.html", {
        "comment": comment, "action": action, "error": error,
        "guideline": labels.guideline_title(request.POST.get("guideline", ""), titles),
    }, status=422 if error else 200)
    response["HX-Trigger"] = "th-counts"
    return response


@require_POST
@staff_required
def bulk(request: HttpRequest) -> HttpResponse:
    """Approve or reject the selected comments at once."""
    viewer: Account = request.user  # type: ignore[assignment]
    back = _safe_back(request)
    try:
        ids = [int(i) for i in request.POST.getlist("ids")]
        if not ids:
            raise Invalid("ids", "required", _("Select at least one comment."))
        comments = [access.access_comment_as_moderator(i, viewer) for i in ids]
        count = services.comments_moderate_bulk(
            moderator=viewer, comments=comments, action=request.POST.get("action", ""),
            guideline=request.POST.get("guideline", ""), note=request.POST.get("note", ""),
        )
        from django.contrib import messages

        messages.success(request, _("%(count)d comments updated.") % {"count": count})
    except (TownhallError, ValueError) as error:
        from django.contrib import messages

        text = " ".join(_errors(error)) if isinstance(error, TownhallError) else str(error)
        messages.error(request, text)
    return redirect(back)


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
    return render(request, "dashboard/comment.html", _base(
        request, _("Comment %(id)d") % {"id": comment.pk}, comment=comment,
        text=presenters.highlighted(text, comment.findings or []),
        record=selectors.author_records([comment.author_id], viewer).get(comment.author_id),
        history=selectors.comment_history(comment), reports=reports,
        appeal=selectors.open_appeal(comment), guidelines=guidelines,
        guideline_titles=labels.guideline_titles([guidelines], language),
    ))


@require_POST
@staff_required
def appeal_decide(request: HttpRequest, comment_id: int) -> HttpResponse:
    viewer: Account = request.user  # type: ignore[assignment]
    found = access.access_appeal_as_moderator(comment_id, viewer)
    from django.contrib import messages

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
        from django.contrib import messages

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
    found = AccountAction.objects.select_related("site").filter(pk=action_id).first()
    if found is None:
        raise NotFound()
    services.account_action_lift(moderator=viewer, action=found)
    return redirect(reverse("dashboard:account", args=[found.account_id]))


# --- Stories ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def stories(request: HttpRequest) -> HttpResponse:
    """Story settings: close, reopen, schedule a close, pre- or post-moderation."""
    viewer: Account = request.user  # type: ignore[assignment]
    ids = selectors.staff_site_ids(viewer)
    errors: list[str] = []
    if request.method == "POST":
        story = access.access_story_as_staff(row_id(request.POST.get("story", "")) or 0,
                                             viewer)
        try:
            _story_change(story, request.POST)
            from django.contrib import messages

            messages.success(request, _("Story updated."))
            return redirect(reverse("dashboard:stories") + f"?site={story.site.name}")
        except TownhallError as error:
            errors = _errors(error)
    query = Story.objects.select_related("site").order_by("-created_at")
    if ids is not None:
        query = query.filter(site_id__in=ids)
    if request.GET.get("site"):
        query = query.filter(site__name=request.GET["site"])
    if request.GET.get("q"):
        query = query.filter(title__icontains=request.GET["q"])
    return render(request, "dashboard/stories.html", _base(
        request, _("Stories"), section="stories", stories=list(query[:100]), errors=errors,
        sites=selectors.visible_sites(viewer, moderation=False), modes=ModerationMode.choices,
        now=clock.now(),
    ), status=422 if errors else 200)


def _story_change(story: Story, data: Any) -> None:
    action = data.get("action", "")
    if action == "close":
        story_services.story_set_closing(story=story, closes_at=clock.now())
    elif action == "reopen":
        story_services.story_set_closing(story=story, closes_at=None)
    elif action == "schedule":
        raw = data.get("closes_at", "")
        try:
            moment = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise Invalid("closes_at", "invalid", _("Choose a date and time.")) from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        story_services.story_set_closing(story=story, closes_at=moment)
    elif action == "mode":
        story_services.story_upsert(site=story.site, external_id=story.external_id,
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
        from django.contrib import messages

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
        sites=selectors.visible_sites(viewer),
    ), status=422 if errors else 200)


def _settings_change(site: Site, viewer: Account, data: Any) -> None:
    part = data.get("part", "")
    if part == "thresholds":
        services.site_moderation_update(
            site=site,
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
        )
    elif part == "word_add":
        services.word_rule_add(site=site, phrase=data.get("phrase", ""),
                               action=data.get("action", ""),
                               guideline=data.get("guideline", ""),
                               language=data.get("language", ""))
    elif part == "word_remove":
        services.word_rule_remove(site=site, rule_id=_number(data, "rule") or 0)
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
        from django.contrib import messages

        try:
            _staff_change(request.POST)
            messages.success(request, _("Staff updated."))
            return redirect(reverse("dashboard:staff"))
        except TownhallError as error:
            errors = _errors(error)
    roles = list(SiteRole.objects.select_related("site", "account").order_by(
        "account__last_name", "site__name"))
    admins = list(Account.objects.filter(role=Role.ADMIN, is_active=True))
    return render(request, "dashboard/staff.html", _base(
        request, _("Staff"), section="staff", roles=roles, admins=admins, errors=errors,
        sites=selectors.visible_sites(viewer), kinds=SiteRole.Kind.choices,
    ), status=422 if errors else 200)


def _staff_change(data: Any) -> None:
    if data.get("remove"):
        account_services.site_role_take(role_id=_number(data, "remove") or 0)
        return
    email = (data.get("email") or "").strip().lower()
    account = Account.objects.filter(email=email, is_active=True).first()
    if account is None:
        raise Invalid("email", "unknown_account",
                      _("No account uses this email address; ask the person to sign up."))
    site = story_selectors.site_get(data.get("site", ""))
    account_services.site_role_give(account=account, site=site, kind=data.get("kind", ""))


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


# --- Public guidelines page -------------------------------------------------------------


def guidelines_page(request: HttpRequest, site: str) -> HttpResponse:
    """The site's Submission Guidelines, in English and French side by side."""
    found = Site.objects.filter(name=site).first()
    if found is None:
        raise Http404
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
