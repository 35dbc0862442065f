"""Moderation writes: settings, word rules, moderators' decisions, reports, appeals and
sanctions. Every status change of a comment goes through `moderation.transitions`."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from townhall.accounts.models import Account
from townhall.comments.models import Comment, Status
from townhall.core import clock, ratelimit
from townhall.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from townhall.moderation import signals
from townhall.moderation.access import can_moderate_site
from townhall.moderation.defaults import site_moderation_setup
from townhall.moderation.guidelines import DEFAULT_GUIDELINES, localized
from townhall.moderation.models import (
    AccountAction,
    ActionKind,
    Appeal,
    AppealStatus,
    Decision,
    GuidelineSet,
    LinkPolicy,
    Report,
    SiteModeration,
    Source,
    WordAction,
    WordRule,
)
from townhall.moderation.phases import link_host
from townhall.moderation.pipeline import OPTIONAL_PHASES, SKIPPABLE_PHASES
from townhall.moderation.selectors import guideline_codes, guidelines_current, site_settings
from townhall.moderation.toxicity.normalize import fold_text
from townhall.moderation.transitions import comment_transition
from townhall.stories.models import Site
from townhall.stories.services import story_touch

log = logging.getLogger(__name__)


# --- Site set-up and settings ---------------------------------------------------------


_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


@transaction.atomic
def guidelines_publish(*, site: Site, items: list[dict[str, Any]],
                       actor: Account | None = None) -> GuidelineSet:
    """Store a new version of the site's guidelines (each with en and fr texts)."""
    if not items or len(items) > 30:
        raise Invalid("items", "out_of_range", _("Give from 1 to 30 guidelines."))
    seen: set[str] = set()
    clean = []
    for index, item in enumerate(items):
        code = str(item.get("code", "")).strip().lower()
        if not _CODE.match(code) or code == "other":
            raise Invalid(f"items.{index}.code", "invalid",
                          _("Use lower-case letters, digits and hyphens (at most 32)."))
        if code in seen:
            raise Invalid(f"items.{index}.code", "duplicate", _("Each code must be unique."))
        seen.add(code)
        entry: dict[str, Any] = {"code": code, "title": {}, "explanation": {}}
        for part, limit in (("title", 200), ("explanation", 2000)):
            texts = item.get(part) or {}
            for lang in ("en", "fr"):
                value = str(texts.get(lang, "") if isinstance(texts, dict) else "").strip()
                if not value or len(value) > limit:
                    raise Invalid(f"items.{index}.{part}.{lang}", "required",
                                  _("Write this text (at most %(limit)d characters).")
                                  % {"limit": limit})
                entry[part][lang] = value
        clean.append(entry)
    current = GuidelineSet.objects.select_for_update().filter(site=site).first()
    if current is not None and current.items == clean:
        return current
    return GuidelineSet.objects.create(site=site, items=clean, created_by=actor,
                                       version=(current.version + 1) if current else 1)


SETTINGS_FIELDS = {
    "disabled_phases", "new_commenter_holds", "toxicity_hold", "toxicity_reject",
    "link_policy", "link_domains", "report_threshold", "trusted_after", "trusted_skips",
    "flood_limit", "email_authors",
}


def _check_threshold(name: str, value: Any) -> None:
    if value is not None and not (isinstance(value, (int, float)) and 0 < value <= 1):
        raise Invalid(name, "out_of_range", _("Use a score between 0 and 1."))


@transaction.atomic
def site_moderation_update(*, site: Site, **fields: Any) -> SiteModeration:
    """Change a site's moderation settings after checking every value."""
    unknown = set(fields) - SETTINGS_FIELDS
    if unknown:
        raise Invalid(sorted(unknown)[0], "unknown_field", _("This setting does not exist."))
    config = site_moderation_setup(site=site)
    for name, allowed in (("disabled_phases", OPTIONAL_PHASES),
                          ("trusted_skips", SKIPPABLE_PHASES)):
        if name in fields:
            value = fields[name]
            if not isinstance(value, list) or any(v not in allowed for v in value):
                raise Invalid(name, "invalid_choice", _("Choose among: %(choices)s.")
                              % {"choices": ", ".join(allowed)})
            fields[name] = sorted(set(value))
    for name in ("toxicity_hold", "toxicity_reject"):
        if name in fields:
            _check_threshold(name, fields[name])
    hold = fields.get("toxicity_hold", config.toxicity_hold)
    reject = fields.get("toxicity_reject", config.toxicity_reject)
    if hold is not None and reject is not None and reject < hold:
        raise Invalid("toxicity_reject", "out_of_range",
                      _("The reject threshold must be at least the hold threshold."))
    for name, top in (("new_commenter_holds", 50), ("report_threshold", 100),
                      ("trusted_after", 10_000), ("flood_limit", 100)):
        if name in fields:
            value = fields[name]
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
                raise Invalid(name, "out_of_range", _("Use a whole number from 0 to %(top)d.")
                              % {"top": top})
    if "report_threshold" in fields and fields["report_threshold"] < 1:
        raise Invalid("report_threshold", "out_of_range", _("Use at least 1."))
    if "link_policy" in fields and fields["link_policy"] not in LinkPolicy.values:
        raise Invalid("link_policy", "invalid_choice", _("Choose allow or hold."))
    if "link_domains" in fields:
        domains = fields["link_domains"]
        if not isinstance(domains, list) or len(domains) > 200:
            raise Invalid("link_domains", "invalid", _("Give a list of up to 200 domains."))
        clean = []
        for domain in domains:
            host = link_host(str(domain).strip())
            if not host or "." not in host or len(host) > 253:
                raise Invalid("link_domains", "invalid_domain",
                              _("%(value)s is not a domain name.") % {"value": domain})
            clean.append(host)
        fields["link_domains"] = sorted(set(clean))
    if "email_authors" in fields and not isinstance(fields["email_authors"], bool):
        raise Invalid("email_authors", "invalid", _("Use true or false."))
    for name, value in fields.items():
        setattr(config, name, value)
    config.updated_at = clock.now()
    config.save()
    return config


@transaction.atomic
def word_rule_add(*, site: Site, phrase: str, action: str, guideline: str,
                  language: str = "") -> WordRule:
    """Add (or change) a word or phrase on the site's list."""
    site_moderation_setup(site=site)
    phrase = " ".join((phrase or "").split())
    folded = " ".join(fold_text(phrase).split())
    if not folded or len(phrase) > 100:
        raise Invalid("phrase", "invalid", _("Give a word or phrase (at most 100 characters)."))
    if action not in WordAction.values:
        raise Invalid("action", "invalid_choice", _("Choose block, hold or flag."))
    if language not in ("", "en", "fr"):
        raise Invalid("language", "invalid_choice", _("Choose en, fr or both."))
    if guideline not in guideline_codes(site):
        raise Invalid("guideline", "unknown_guideline", _("Choose one of the site's guidelines."))
    rule, _created = WordRule.objects.update_or_create(
        site=site, language=language, folded=folded,
        defaults={"phrase": phrase, "action": action, "guideline": guideline},
    )
    return rule


@transaction.atomic
def word_rule_remove(*, site: Site, rule_id: int) -> None:
    deleted, _rows = WordRule.objects.filter(site=site, pk=rule_id).delete()
    if not deleted:
        raise NotFound(_("Unknown word rule."), field="id")


# --- Decisions on comments -------------------------------------------------------------

COMMENT_ACTIONS = ("approve", "reject", "feature", "unfeature")


def _send_after_commit(account: Account, template: str, context: dict[str, Any]) -> None:
    with translation.override(account.language if account.language in ("en", "fr") else "en"):
        subject = render_to_string(f"moderation/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"moderation/email/{template}.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[account.email])

    def send() -> None:
        try:
            message.send()
        except Exception:  # a mail outage must not undo or fail the moderator's decision
            log.exception("could not email %s about a moderation decision", account.pk)

    transaction.on_commit(send)


def _guideline_title(site: Site, code: str, language: str) -> str:
    for item in guidelines_current(site).items:
        if item["code"] == code:
            return localized(item, language)["title"]
    return code


def _tell_author_rejected(comment: Comment, guideline: str, note: str) -> None:

    site = comment.story.site
    if not site_settings(site).email_authors or not comment.author.is_active:
        return
    language = comment.author.language
    _send_after_commit(comment.author, "rejected", {
        "comment": comment, "story": comment.story, "note": note, "guideline": guideline,
        "guideline_title": _guideline_title(site, guideline, language),
        "link": f"{settings.PUBLIC_URL}/guidelines/{site.name}/?lang={language}",
    })


def _resolve_reports(comment: Comment) -> None:
    Report.objects.filter(comment=comment, resolved_at__isnull=True).update(resolved_at=clock.now())
    Comment.objects.filter(pk=comment.pk).update(report_count=0)
    comment.report_count = 0


@transaction.atomic
def comment_moderate(*, moderator: Account, comment: Comment, action: str,
                     guideline: str = "", note: str = "") -> Comment:
    """Approve, reject (naming a guideline), feature or unfeature a comment; log it."""
    if action not in COMMENT_ACTIONS:
        raise Invalid("action", "invalid_choice", _("Choose one of: %(choices)s.")
                      % {"choices": ", ".join(COMMENT_ACTIONS)})
    note = (note or "").strip()
    if len(note) > 2000:
        raise Invalid("note", "too_long", _("Use at most 2,000 characters."))
    comment = (Comment.objects.select_for_update().select_related("story__site", "author")
               .get(pk=comment.pk))
    if comment.status == Status.DELETED:
        raise Conflict("deleted", _("The author removed this comment."), "id")
    now = clock.now()
    old = comment.status
    appeal = Appeal.objects.filter(comment=comment, status=AppealStatus.OPEN).first()
    if (appeal is not None and action in ("approve", "reject")
            and appeal.rejected_by_id == moderator.pk):
        raise PermissionDenied(_("Another moderator must decide an appeal of your decision."),
                               code="same_moderator")
    if action == "reject":
        if guideline not in guideline_codes(comment.story.site):
            raise Invalid("guideline", "unknown_guideline",
                          _("Name the guideline this comment breaks."))
        target: str = Status.REJECTED
        comment.guideline, comment.featured_at = guideline, None
    elif action == "approve":
        target = Status.PUBLISHED
    else:
        target = comment.status
        if comment.status != Status.PUBLISHED:
            raise Conflict("not_published", _("Only published comments can be featured."), "id")
        comment.featured_at = now if action == "feature" else None
        story_touch(story=comment.story)
    if action in ("approve", "reject"):
        _resolve_reports(comment)
        comment.reviewed_at = now
        Appeal.objects.filter(comment=comment, status=AppealStatus.OPEN).update(
            status=AppealStatus.OVERTURNED if action == "approve" else AppealStatus.UPHELD,
            decided_by=moderator, decided_at=now, note=note,
        )
    Comment.objects.filter(pk=comment.pk).update(
        reviewed_at=comment.reviewed_at, featured_at=comment.featured_at,
        guideline=comment.guideline,
    )
    comment_transition(comment, target, source=Source.MODERATOR, actor=moderator, rule=action,
                       guideline=guideline if action == "reject" else "", note=note)
    if action == "reject" and old != Status.REJECTED:
        _tell_author_rejected(comment, guideline, note)
    return comment


@transaction.atomic
def comments_moderate_bulk(*, moderator: Account, comments: list[Comment], action: str,
                           guideline: str = "", note: str = "") -> int:
    """Approve or reject many comments at once (all or none)."""
    if action not in ("approve", "reject"):
        raise Invalid("action", "invalid_choice", _("Choose approve or reject."))
    for comment in comments:
        comment_moderate(moderator=moderator, comment=comment, action=action,
                         guideline=guideline, note=note)
    return len(comments)


# --- Reports --------------------------------------------------------------------------


@transaction.atomic
def report_create(*, account: Account, comment: Comment, reason: str, text: str = "") -> Report:
    """Report a published comment once; enough reports in good standing hold it."""
    if comment.status != Status.PUBLISHED:
        raise NotFound(_("Unknown comment."), field="id")
    if comment.author_id == account.pk:
        raise Conflict("own_comment", _("You cannot report your own comment."), "id")
    site = comment.story.site
    text = (text or "").strip()
    if reason != "other" and reason not in guideline_codes(site):
        raise Invalid("reason", "invalid_choice",
                      _("Choose one of the site's guidelines, or other."))
    if reason == "other" and not text:
        raise Invalid("text", "required", _("Say what is wrong with this comment."))
    if len(text) > 500:
        raise Invalid("text", "too_long", _("Use at most 500 characters."))
    ratelimit.guard("report", account=account.pk, story=comment.story_id, site=site)
    try:
        with transaction.atomic():
            report = Report.objects.create(comment=comment, account=account, reason=reason,
                                           text=text)
    except IntegrityError:
        raise Conflict("already_reported", _("You have already reported this comment."),
                       "id") from None
    Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    comment = Comment.objects.select_for_update().select_related("story__site").get(
        pk=comment.pk)
    signals.comment_reported.send(sender=Comment, comment=comment, report=report)
    reasons = _good_standing_reasons(comment)
    threshold = site_settings(site).report_threshold
    if comment.status == Status.PUBLISHED and len(reasons) >= threshold:
        codes = [r for r in reasons if r != "other"]
        guideline = max(set(codes), key=codes.count) if codes else ""
        Comment.objects.filter(pk=comment.pk).update(guideline=guideline)
        comment.guideline = guideline
        comment_transition(comment, Status.PENDING, source=Source.RULE, rule="reader_reports",
                           guideline=guideline, note=f"{len(reasons)} reports")
    return report


def _good_standing_reasons(comment: Comment) -> list[str]:
    """Return the reasons of open reports by verified accounts without sanctions."""
    from django.db.models import Q

    now = clock.now()
    sanctioned = AccountAction.objects.filter(
        kind__in=(ActionKind.BAN, ActionKind.SUSPEND), lifted_at__isnull=True,
    ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).filter(
        Q(site__isnull=True) | Q(site_id=comment.story.site_id)
    ).values("account_id")
    return list(
        Report.objects.filter(comment=comment, resolved_at__isnull=True,
                              account__is_active=True, account__email_verified_at__isnull=False)
        .exclude(account_id__in=sanctioned).values_list("reason", flat=True)
    )


# --- Appeals --------------------------------------------------------------------------


@transaction.atomic
def appeal_deadline(rejection: Decision | None) -> dt.datetime | None:
    """Return until when a rejection may be appealed (TOWNHALL_APPEAL_DAYS after it)."""
    if rejection is None:
        return None
    return rejection.created_at + dt.timedelta(days=settings.TOWNHALL_APPEAL_DAYS)


def appeal_create(*, account: Account, comment: Comment, message: str) -> Appeal:
    """Appeal a rejection once, within the appeal window, with an optional message."""
    if comment.author_id != account.pk:
        raise NotFound(_("Unknown comment."), field="id")
    if comment.status != Status.REJECTED:
        raise Conflict("not_rejected", _("Only a rejected comment can be appealed."), "id")
    message = (message or "").strip()
    if len(message) > 2000:
        raise Invalid("message", "too_long", _("Use at most 2,000 characters."))
    last = (Decision.objects.filter(comment=comment, new_status=Status.REJECTED)
            .order_by("-created_at", "-id").first())
    closes = appeal_deadline(last)
    if closes is not None and clock.now() > closes:
        raise Conflict("appeal_window_closed", _(
            "Decisions can be appealed for %(days)d days; this one can no longer be.")
            % {"days": settings.TOWNHALL_APPEAL_DAYS}, "id")
    ratelimit.hit("appeal-account", str(account.pk), limit=10, window=3600)
    try:
        with transaction.atomic():
            return Appeal.objects.create(
                comment=comment, account=account, message=message,
                rejected_by=last.actor if last is not None else None,
            )
    except IntegrityError:
        raise Conflict("already_appealed", _("You can appeal a decision only once."),
                       "id") from None


APPEAL_OUTCOMES = ("uphold", "overturn")


@transaction.atomic
def appeal_decide(*, moderator: Account, appeal: Appeal, outcome: str, note: str = "") -> Appeal:
    """Decide an appeal (by a moderator other than the one who rejected); tell the author."""
    if outcome not in APPEAL_OUTCOMES:
        raise Invalid("outcome", "invalid_choice", _("Choose uphold or overturn."))
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != AppealStatus.OPEN:
        raise Conflict("already_decided", _("This appeal has already been decided."), "id")
    if appeal.rejected_by_id == moderator.pk:
        raise PermissionDenied(_("Another moderator must decide an appeal of your decision."),
                               code="same_moderator")
    note = (note or "").strip()[:2000]
    comment = (Comment.objects.select_for_update().select_related("story__site", "author")
               .get(pk=appeal.comment_id))
    now = clock.now()
    target = comment.status
    if outcome == "overturn" and comment.status == Status.REJECTED:
        target = Status.PUBLISHED
        Comment.objects.filter(pk=comment.pk).update(reviewed_at=now, guideline="")
    appeal.status = AppealStatus.OVERTURNED if outcome == "overturn" else AppealStatus.UPHELD
    appeal.decided_by, appeal.decided_at, appeal.note = moderator, now, note
    appeal.save(update_fields=["status", "decided_by", "decided_at", "note"])
    comment_transition(comment, target, source=Source.MODERATOR, actor=moderator,
                       rule=f"appeal_{appeal.status}",
                       guideline=comment.guideline if outcome == "uphold" else "", note=note)
    if comment.author.is_active:
        _send_after_commit(comment.author, "appeal", {"comment": comment, "appeal": appeal,
                                                       "story": comment.story})
    return appeal


# --- Account actions ------------------------------------------------------------------

NEEDS_MESSAGE = (ActionKind.NOTE, ActionKind.WARN)
NEEDS_GUIDELINE = (ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN)


@transaction.atomic
def account_act(*, moderator: Account, account: Account, kind: str, site: Site | None,
                message: str = "", guideline: str = "", days: int | None = None,
                reject_comments: bool = False) -> AccountAction:
    """Note, warn, suspend, ban, always-review, trust or flag an account (site-scoped)."""
    if kind not in ActionKind.values:
        raise Invalid("kind", "invalid_choice", _("Choose one of: %(choices)s.")
                      % {"choices": ", ".join(ActionKind.values)})
    if site is None and not moderator.is_admin:
        raise PermissionDenied(_("Only administrators can act on every site at once."),
                               field="site")
    if site is not None and not can_moderate_site(moderator, site.pk):
        raise NotFound(_("Unknown site."), field="site")
    if account.pk == moderator.pk:
        raise Conflict("own_account", _("You cannot act on your own account."), "id")
    message = (message or "").strip()
    if kind in NEEDS_MESSAGE and not message:
        raise Invalid("message", "required", _("Write the message."))
    if len(message) > 2000:
        raise Invalid("message", "too_long", _("Use at most 2,000 characters."))
    if kind in NEEDS_GUIDELINE or guideline:
        codes = guideline_codes(site) if site is not None else [
            g["code"] for g in DEFAULT_GUIDELINES]
        if guideline not in codes:
            raise Invalid("guideline", "unknown_guideline", _("Name the guideline broken."))
    ends_at = None
    if kind == ActionKind.SUSPEND:
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            raise Invalid("days", "out_of_range", _("Suspend for 1 to 365 days."))
        ends_at = clock.now() + dt.timedelta(days=days)
    action = AccountAction.objects.create(
        account=account, site=site, kind=kind, guideline=guideline, message=message,
        ends_at=ends_at, actor=moderator,
    )
    if not account.has_account_actions:
        Account.objects.filter(pk=account.pk).update(has_account_actions=True)
        account.has_account_actions = True
    if kind == ActionKind.BAN and reject_comments:
        _reject_all(moderator=moderator, account=account, site=site, guideline=guideline)
    return action


def _reject_all(*, moderator: Account, account: Account, site: Site | None,
                guideline: str) -> int:
    query = Comment.objects.select_for_update().select_related("story").filter(
        author=account, status__in=(Status.PUBLISHED, Status.PENDING))
    if site is not None:
        query = query.filter(story__site=site)
    count = 0
    now = clock.now()
    for comment in query:
        Comment.objects.filter(pk=comment.pk).update(guideline=guideline, reviewed_at=now,
                                                          featured_at=None)
        comment_transition(comment, Status.REJECTED, source=Source.MODERATOR, actor=moderator,
                           rule="ban", guideline=guideline, note=_("Author banned"))
        count += 1
    return count


@transaction.atomic
def account_action_lift(*, moderator: Account, action: AccountAction) -> AccountAction:
    """Lift a ban, suspension or mark (the row stays in the history)."""
    if action.site_id is None and not moderator.is_admin:
        raise PermissionDenied(_("Only administrators can lift this."))
    if action.site_id is not None and not can_moderate_site(moderator, action.site_id):
        raise NotFound(_("Unknown action."), field="id")
    if action.lifted_at is None:
        action.lifted_at, action.lifted_by = clock.now(), moderator
        action.save(update_fields=["lifted_at", "lifted_by"])
    return action


@transaction.atomic
def notice_acknowledge(*, account: Account, notice_id: int) -> None:
    """Mark a warning or sanction message as seen by its author."""
    updated = AccountAction.objects.filter(
        pk=notice_id, account=account, seen_at__isnull=True,
        kind__in=(ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN),
    ).update(seen_at=clock.now())
    if not updated:
        raise NotFound(_("Unknown notice."), field="id")
