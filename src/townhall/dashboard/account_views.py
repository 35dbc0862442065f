"""Account pages: sign in and out, profile (name, email, password), my comments, deletion,
and the pages emailed links open (verify an address, reset a password).

Pages use Django's session (with CSRF); the widget uses bearer tokens. The language is the
`?lang=` asked for, else the signed-in account's, else the browser's (Accept-Language).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from townhall.accounts import services, sso
from townhall.accounts.models import Account
from townhall.comments.access import access_comment_for_reading
from townhall.comments.models import Comment, Status
from townhall.comments.selectors import comments_of
from townhall.core import clock
from townhall.core.errors import Conflict, Invalid, TownhallError
from townhall.core.ratelimit import client_address
from townhall.dashboard.params import row_id
from townhall.moderation.models import Appeal, Decision
from townhall.moderation.selectors import appeal_days_by_site, guidelines_current
from townhall.moderation.services import appeal_create, appeal_deadline
from townhall.moderation.statements import Statement, statements_for
from townhall.notify import selectors as notify_selectors
from townhall.notify import services as notify_services
from townhall.notify.emails import comment_link, describe
from townhall.stories.models import Story

LANGUAGES = ("en", "fr")
BACKEND = "django.contrib.auth.backends.ModelBackend"

View = Callable[..., HttpResponse]


def page_language(request: HttpRequest) -> str:
    """Choose the page language: `?lang=`, then the account's, then the browser's."""
    wanted = request.GET.get("lang") or parse_qs(
        urlsplit(request.GET.get("next", "")).query).get("lang", [""])[0]
    if wanted in LANGUAGES:
        return str(wanted)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in LANGUAGES:
        return str(user.language)
    found = translation.get_language_from_request(request)
    return found if found in LANGUAGES else "en"


def localized(view: View) -> View:
    """Render the view in the page language and offer the other one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = page_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return view(request, *args, **kwargs)

    return wrapper


@dataclass
class FormErrors:
    """Errors of one submitted form: per field, and those that name no field."""

    fields: dict[str, list[str]]
    general: list[str]

    @classmethod
    def of(cls, error: TownhallError, known: set[str]) -> FormErrors:
        fields: dict[str, list[str]] = {}
        general: list[str] = []
        for item in error.items:
            if item.field in known:
                fields.setdefault(str(item.field), []).append(item.message)
            else:
                general.append(item.message)
        return cls(fields=fields, general=general)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# ------------------------------------------------------------------- sign in and out


@require_http_methods(["GET", "POST"])
@localized
def sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in with email and password (and a TOTP code for staff who use one)."""
    next_url = _safe_next(request, reverse("accounts:profile"))
    if request.method == "GET" and request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    context: dict[str, Any] = {"title": _("Sign in"), "next": next_url, "email": "",
                               "ask_totp": False}
    if request.method == "POST":
        context["email"] = request.POST.get("email", "").strip()
        try:
            account = services.authenticate(
                email=context["email"], password=request.POST.get("password", ""),
                address=client_address(request),
                totp_code=request.POST.get("totp") or None,
                device=request.COOKIES.get(services.DEVICE_COOKIE),
            )
        except TownhallError as error:
            context["errors"] = FormErrors.of(error, {"email", "password", "totp"})
            context["ask_totp"] = any(i.field == "totp" for i in error.items) or bool(
                request.POST.get("totp"))
            return render(request, "accounts/sign_in.html", context,
                          status=429 if error.status == 429 else 401)
        login(request, account, backend=BACKEND)
        return remember_device(HttpResponseRedirect(next_url), account)
    return render(request, "accounts/sign_in.html", context)


def remember_device(response: HttpResponse, account: Account) -> HttpResponse:
    """Mark the browser as one its owner signed in from (see services.authenticate)."""
    response.set_cookie(services.DEVICE_COOKIE, services.device_token(account.email),
                        max_age=services.DEVICE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out of the pages."""
    language = page_language(request)
    services.page_session_end(request.session)  # the widget on this origin signs out too
    logout(request)
    return redirect(f"{reverse('accounts:sign-in')}?lang={language}&signed_out=1")


@require_http_methods(["GET", "POST"])
@localized
def forgot_password(request: HttpRequest) -> HttpResponse:
    """Ask for a password reset link (the answer never says whether the address has one)."""
    context: dict[str, Any] = {"title": _("Reset your password"), "email": ""}
    if request.method == "POST":
        context["email"] = request.POST.get("email", "").strip()
        try:
            services.password_reset_request(email=context["email"],
                                            address=client_address(request))
            context["sent"] = True
        except TownhallError as error:
            context["errors"] = FormErrors.of(error, {"email"})
            return render(request, "accounts/forgot_password.html", context, status=429)
    return render(request, "accounts/forgot_password.html", context)


# ------------------------------------------------------------------- profile


def _profile_change(request: HttpRequest, account: Account, action: str) -> str:
    """Apply one profile form; return the confirmation to show."""
    post = request.POST
    if action == "name":
        outcome = services.account_rename(account=account, first_name=post.get("first_name", ""),
                                          last_name=post.get("last_name", ""))
        if outcome.pending:
            return _("Your new name is waiting for a moderator's approval. Until then your "
                     "comments keep showing your current name.")
        return _("Your name is changed.")
    if action == "email":
        services.account_change_email(account=account, email=post.get("email", ""),
                                      password=post.get("current_password", ""))
        return _("Check your new address: open the link we sent to confirm it.")
    if action == "password":
        services.password_change(account=account,
                                 current_password=post.get("current_password", ""),
                                 new_password=post.get("new_password", ""))
        update_session_auth_hash(request, account)
        return _("Your password is changed. Other devices are signed out.")
    if action == "keep":
        services.account_deletion_cancel(account=account)
        return _("Your account is kept: the deletion is cancelled.")
    raise Invalid("action", "invalid_choice", _("Unknown change."))


@login_required
@require_http_methods(["GET", "POST"])
@localized
def profile(request: HttpRequest) -> HttpResponse:
    """Show and change the account's name, email address and password."""
    account: Account = request.user  # type: ignore[assignment]
    context: dict[str, Any] = {"title": _("My account"), "account": account, "form": "",
                               "due": services.deletion_due_at(account)}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            messages.success(request, _profile_change(request, account, action))
        except TownhallError as error:
            account.refresh_from_db()
            context.update(form=action, posted=request.POST, errors=FormErrors.of(
                error, {"first_name", "last_name", "email", "current_password",
                        "new_password", "password"}))
            context["due"] = services.deletion_due_at(account)
            return render(request, "accounts/profile.html", context, status=422)
        return HttpResponseRedirect(reverse("accounts:profile"))
    return render(request, "accounts/profile.html", context)


# ------------------------------------------------------------------- my comments


@dataclass
class MyComment:
    comment: Comment
    guideline: str
    note: str
    # For a rejected comment: its appeal, or until when one may be made.
    appeal: Any = None
    appeal_until: Any = None
    # For a restricted comment: its statement of reasons (DSA art. 17).
    statement: Statement | None = None


def my_comments_with_reasons(account: Account, language: str) -> list[MyComment]:
    """Return the account's comments with, for rejected ones, the guideline and the note."""
    comments = comments_of(account)
    rejected = [c.pk for c in comments if c.status == Status.REJECTED]
    appeals = {a.comment_id: a for a in Appeal.objects.filter(comment_id__in=[
        c.pk for c in comments])}
    last: dict[int, Decision] = {}
    for decision in Decision.objects.filter(comment_id__in=rejected,
                                            new_status=Status.REJECTED).order_by("created_at",
                                                                                 "id"):
        last[decision.comment_id] = decision
    titles: dict[int, dict[str, str]] = {}
    reasons = statements_for(comments, language=language)
    days = appeal_days_by_site([c.story.site_id for c in comments])
    rows = []
    for comment in comments:
        found = last.get(comment.pk)
        guideline = ""
        if found is not None and found.guideline:
            site = comment.story.site
            if site.pk not in titles:
                titles[site.pk] = {
                    item["code"]: item["title"].get(language) or item["title"].get("en", "")
                    for item in guidelines_current(site).items
                }
            guideline = titles[site.pk].get(found.guideline, found.guideline)
        until = (appeal_deadline(found, days=days[comment.story.site_id])
                 if comment.status == Status.REJECTED else None)
        rows.append(MyComment(comment=comment, guideline=guideline,
                              note=found.note if found is not None else "",
                              appeal=appeals.get(comment.pk),
                              appeal_until=until if until and until > clock.now() else None,
                              statement=reasons.get(comment.pk)))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
@localized
def my_comments(request: HttpRequest) -> HttpResponse:
    """List the account's comments with their status, why a rejected one was refused, and
    the appeal: its state, or a form to make it while the window is open."""
    account: Account = request.user  # type: ignore[assignment]
    errors: dict[int, str] = {}
    if request.method == "POST":
        from django.contrib import messages

        comment_id = row_id(request.POST.get("comment", "")) or 0
        try:
            comment = access_comment_for_reading(comment_id, account)
            appeal_create(account=account, comment=comment,
                          message=request.POST.get("message", ""))
        except TownhallError as error:
            errors[comment_id] = error.items[0].message
        else:
            messages.success(request, _("Your appeal is sent. Another moderator will decide "
                                        "it, and you will be told the outcome."))
            return redirect(reverse("accounts:comments") + f"#comment-{comment.pk}")
    return render(request, "accounts/my_comments.html", {
        "title": _("My comments"), "errors": errors,
        "rows": my_comments_with_reasons(account, translation.get_language() or "en"),
    }, status=422 if errors else 200)


# ------------------------------------------------------------------- notifications


def _notifications_change(request: HttpRequest, account: Account) -> str:
    """Apply one form of the notifications page; return what to tell the reader."""
    action = request.POST.get("action", "")
    if action == "read":
        notify_services.notifications_mark_read(account=account, ids=None)
        return _("All notifications are marked as read.")
    if action == "email":
        notify_services.preference_set(account=account, email=request.POST.get("email", ""))
        return _("Saved.")
    target = row_id(request.POST.get("account", "")) or 0
    if action == "unmute":
        notify_services.mute_remove(account=account, muted=services.account_get(target))
        return _("The account is no longer muted.")
    if action == "unfollow":
        story = Story.objects.filter(pk=row_id(request.POST.get("story", "")) or 0).first()
        if story is None:
            raise Invalid("story", "not_found", _("Unknown story."))
        notify_services.follow_remove(account=account, story=story)
        return _("You no longer follow this story.")
    raise Invalid("action", "invalid_choice", _("Unknown action."))


@login_required
@require_http_methods(["GET", "POST"])
@localized
def notifications(request: HttpRequest) -> HttpResponse:
    """The notification centre on the account pages: what arrived, how reply emails arrive,
    the stories followed and the accounts muted (the widget's bell shows the same)."""
    account: Account = request.user  # type: ignore[assignment]
    error = ""
    if request.method == "POST":
        try:
            messages.success(request, _notifications_change(request, account))
        except TownhallError as refused:
            error = refused.items[0].message
        else:
            return redirect("accounts:notifications")
    rows = notify_selectors.notifications_of(account, limit=50)
    return render(request, "accounts/notifications.html", {
        "title": _("Notifications"), "error": error,
        "rows": [(n, describe(n)[0], comment_link(n)) for n in rows],
        "unread": notify_selectors.unread_count(account),
        "email": notify_services.preference_of(account),
        "email_choices": [("immediate", _("Right away")), ("daily", _("Once a day, in a digest")),
                          ("off", _("Never"))],
        "muted": notify_selectors.muted_accounts(account),
        "stories": notify_selectors.followed_stories(account),
    }, status=422 if error else 200)


# ------------------------------------------------------------------- delete the account


@login_required
@require_http_methods(["GET", "POST"])
@localized
def delete_account(request: HttpRequest) -> HttpResponse:
    """Confirm with the password, then schedule the erasure and sign out everywhere."""
    account: Account = request.user  # type: ignore[assignment]
    context: dict[str, Any] = {"title": _("Delete my account")}
    if request.method == "POST":
        try:
            services.password_confirm(account=account, password=request.POST.get("password", ""),
                                      field="password", message=_("The password is wrong."))
        except TownhallError as error:
            context["errors"] = FormErrors.of(error, {"password"})
            return render(request, "accounts/delete.html", context,
                          status=429 if error.status == 429 else 422)
        due = services.account_deletion_request(account=account)
        logout(request)
        return render(request, "accounts/delete.html", {**context, "due": due})
    return render(request, "accounts/delete.html", context)


# ------------------------------------------------------------------- emailed links


@require_http_methods(["GET", "POST"])
@localized
def verify(request: HttpRequest) -> HttpResponse:
    """Verify the address from the emailed link (a button, so link scanners do not use it)."""
    token = request.GET.get("token", "")
    back = services.safe_return(request.POST.get("next") or request.GET.get("next", ""))
    context: dict[str, object] = {"token": token, "title": _("Verify your email"), "next": back}
    if request.method == "POST":
        try:
            account = services.account_verify_email(token=request.POST.get("token", ""))
            context["verified"] = account
        except Conflict as already:  # the link was used before, and worked
            context["already"] = already.items[0].message
        except TownhallError as error:
            context["error"] = error.items[0].message
    return render(request, "accounts/verify.html", context,
                  status=422 if "error" in context else 200)


def _emailed_link_page(request: HttpRequest, template: str, title: Any, *,
                       preview: Any = None, confirm: Any) -> HttpResponse:
    """A page behind an emailed link: GET shows what it will do (with `preview`), POST does
    it (`confirm`), so that link scanners which open links change nothing."""
    token = request.GET.get("token", "") or request.POST.get("token", "")
    context: dict[str, object] = {"token": token, "title": title}
    try:
        if request.method == "POST":
            context["result"] = confirm(token=token)
            context["done"] = True
        elif preview is not None:
            context["result"] = preview(token=token)
    except TownhallError as error:
        context["error"] = error.items[0].message
    return render(request, template, context, status=422 if "error" in context else 200)


@require_http_methods(["GET", "POST"])
@localized
def totp_undo(request: HttpRequest) -> HttpResponse:
    """Turn off a two-factor sign-in its owner did not turn on (the emailed link)."""
    return _emailed_link_page(request, "accounts/totp_undo.html",
                              _("Turn two-factor sign-in off"), confirm=services.totp_undo)


@require_http_methods(["GET", "POST"])
@localized
def sso_link(request: HttpRequest) -> HttpResponse:
    """Connect an account to a publisher's sign-in from the emailed link."""
    return _emailed_link_page(request, "accounts/sso_link.html", _("Connect your account"),
                              preview=sso.sso_link_preview, confirm=sso.sso_link_confirm)


@require_http_methods(["GET", "POST"])
@localized
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


def home(request: HttpRequest) -> HttpResponse:
    """Send /accounts/ to the profile (or to sign-in)."""
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return HttpResponseRedirect(reverse("accounts:profile") + query)

