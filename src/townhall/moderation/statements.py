"""Statements of reasons (DSA art. 17), built from the decision record alone.

A statement is never stored: `statement_of` reads the restricting `Decision` and the
decisions before it (how the comment was detected, who or what decided), so the text the
author reads, the email and the Transparency Database export can never fall out of step
with the log. The author's text is rendered in their language through gettext.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from townhall.comments.models import Comment, Status
from townhall.core import clock
from townhall.moderation import selectors
from townhall.moderation.guidelines import localized
from townhall.moderation.models import (
    AccountAction,
    Decision,
    Notice,
    NoticeGround,
    Report,
    Source,
)

# Statuses that restrict a comment's visibility, and so call for a statement.
RESTRICTING = (Status.REJECTED,)
# The guideline whose breach is a breach of the law rather than of the site's terms.
UNLAWFUL = "unlawful"

DETECTED_BY = ("rule", "model", "report", "notice", "person")
DECIDED_BY = ("rule", "model", "person")


@dataclass(frozen=True)
class Statement:
    """What one restriction of a comment was, on which ground, how it was reached, and the
    redress open to the author; `text` is the same in the author's language."""

    decision_id: int
    comment_id: int
    site: str
    restriction: str
    decided_at: dt.datetime
    content_date: dt.datetime
    content_language: str
    ground: str  # "guideline" or "law"
    guideline: str
    guideline_title: str
    law: str
    # The kind of illegality a notice invoked, without the notifier's own words.
    law_kind: str
    facts: str
    detected_by: str
    decided_by: str
    rule: str
    model_version: str
    automated_detection: bool
    automated_decision: str  # "fully", "partially" or "not"
    appeal_until: dt.datetime | None
    language: str
    # What brought the comment to a decider: "notice", "trusted_flagger", or "" (other).
    source: str = ""
    # How automated means took part, in one or two sentences of `language`.
    means: str = ""
    text: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return what the author's API reads."""
        return {
            "decision_id": self.decision_id, "restriction": self.restriction,
            "decided_at": self.decided_at, "ground": self.ground,
            "guideline": {"code": self.guideline, "title": self.guideline_title}
            if self.guideline else None,
            "law": self.law, "facts": self.facts,
            "detected_by": self.detected_by, "decided_by": self.decided_by,
            "rule": self.rule if self.decided_by != "person" else "",
            "model_version": self.model_version,
            "automated_detection": self.automated_detection,
            "automated_decision": self.automated_decision,
            "appeal_until": self.appeal_until, "language": self.language,
            "means": self.means, "text": self.text,
        }


def _detection(decision: Decision, earlier: list[Decision], reported: bool,
               notified: bool) -> tuple[str, str, str]:
    """Return how the comment came to a decider's attention: (kind, rule, model version)."""
    if decision.source in (Source.RULE, Source.MODEL):
        return str(decision.source), decision.rule, decision.model_version
    for previous in earlier:
        if previous.new_status in (Status.PENDING, Status.REJECTED) and previous.source in (
                Source.RULE, Source.MODEL):
            return str(previous.source), previous.rule, previous.model_version
    if notified:
        return "notice", "", ""
    if reported:
        return "report", "", ""
    return "person", "", ""


def _date(moment: dt.datetime) -> str:
    return str(formats.date_format(moment, "DATE_FORMAT"))


def _means(s: Statement) -> str:
    """Say, in the active language, how automated means took part."""
    detected = {
        "rule": _("It was detected by an automatic rule (%(rule)s).") % {"rule": s.rule},
        "model": _("It was detected by an automatic language model (version %(version)s).")
        % {"version": s.model_version or "?"},
        "report": _("It was brought to our attention by readers' reports."),
        "notice": _("It was brought to our attention by a notice of illegal content."),
        "person": _("It was found by a moderator."),
    }[s.detected_by]
    decided = {
        "rule": _("The decision was taken by automated means alone (rule %(rule)s).")
        % {"rule": s.rule},
        "model": _("The decision was taken by automated means alone (language model, version "
                   "%(version)s).") % {"version": s.model_version or "?"},
        "person": _("The decision was taken by a person, a moderator."),
    }[s.decided_by]
    return f"{detected} {decided}"


def _held_text(s: Statement, *, story_title: str) -> list[str]:
    """Render the paragraphs of a long hold in the active language."""
    what = _("What was restricted: your comment of %(date)s on “%(title)s” has been held for "
             "review since %(since)s; until a moderator decides, only you can see it.") % {
        "date": _date(s.content_date), "title": story_title, "since": _date(s.decided_at)}
    if s.guideline:
        ground = _("Ground: it may break the guideline “%(title)s”.") % {
            "title": s.guideline_title}
    else:
        ground = _("Ground: the site's moderation rules ask a moderator to read it first.")
    return [what, _("Facts: %(facts)s") % {"facts": s.facts}, ground,
            _("Automated means: %(means)s") % {"means": s.means},
            _("Redress: you will be told the decision; a removal can be appealed."),
            _("You may also refer the dispute to a certified out-of-court dispute "
              "settlement body (art. 21 of the Digital Services Act) or to the courts.")]


def _text(s: Statement, *, story_title: str, site_title: str, note: str) -> list[str]:
    """Render the statement's paragraphs in the active language."""
    if s.restriction == "comment_held":
        return _held_text(s, story_title=story_title)
    what = _("What was restricted: your comment of %(date)s on “%(title)s” was removed from "
             "public view.") % {"date": _date(s.content_date), "title": story_title}
    if s.ground == "law":
        ground = _("Ground: illegal content — %(law)s.") % {"law": s.law or s.guideline_title}
    else:
        ground = _("Ground: the comment breaks the guideline “%(title)s” of the Submission "
                   "Guidelines of %(site)s.") % {"title": s.guideline_title or _("unstated"),
                                                  "site": site_title}
    facts = _("Facts: %(facts)s") % {"facts": s.facts}
    if note:
        facts = f"{facts} {_('Note from the moderator:')} {note}"
    redress = [_("Automated means: %(means)s") % {"means": s.means}]
    if s.appeal_until is not None:
        redress.append(_("Redress: you may appeal once, free of charge, from “My comments” "
                         "until %(date)s; a person other than the one who decided reviews "
                         "the appeal.") % {"date": _date(s.appeal_until)})
    else:
        redress.append(_("Redress: you may appeal once, free of charge, from “My comments”; "
                         "a person other than the one who decided reviews the appeal."))
    redress.append(_("You may also refer the dispute to a certified out-of-court dispute "
                     "settlement body (art. 21 of the Digital Services Act) or to the courts."))
    return [what, facts, ground, *redress]


def statement_of(decision: Decision, *, earlier: list[Decision], guideline_title: str,
                 language: str, appeal_until: dt.datetime | None = None,
                 reported: bool = False, notice: Notice | None = None,
                 held_long: bool = False) -> Statement | None:
    """Return the statement of reasons for a restricting decision (None for any other).

    `earlier` are the comment's decisions before this one, oldest first; `notice` is the
    notice of illegal content the decision upheld, if one led to it; `held_long` says that
    a hold has lasted past TOWNHALL_HOLD_STATEMENT_HOURS, which makes it a restriction too.
    """
    held = held_long and decision.new_status == Status.PENDING
    if (decision.new_status not in RESTRICTING and not held) or (
            decision.old_status == decision.new_status):
        return None
    if decision.rule.startswith("import:"):
        return None  # decided by the system the comment was imported from, not here
    comment: Comment = decision.comment
    language = language if language in ("en", "fr") else "en"
    detected, rule, version = _detection(decision, earlier, reported, notice is not None)
    law = kind = ""
    if notice is not None:
        with translation.override(language):
            label = str(NoticeGround(notice.ground).label)
        law = f"{label} ({notice.law})" if notice.law else label
        kind = label
    decider = str(decision.source) if decision.source in (Source.RULE, Source.MODEL) else "person"
    if held and decision.source == Source.SYSTEM:
        decider = "rule"  # a hold the system made: a notice's, a failed check
    automated = detected in ("rule", "model")
    ground = "law" if law or decision.guideline == UNLAWFUL else "guideline"
    with translation.override(language):
        if held:
            facts = _("A check of the comment asked for a moderator to read it before it is "
                      "shown, and none has decided yet.")
        elif decider == "person":
            facts = _("A moderator read the comment and found that it breaks the rule below.")
        else:
            facts = _("An automatic check of the comment found that it breaks the rule below.")
        base = Statement(
            decision_id=decision.pk, comment_id=comment.pk, site=comment.story.site.name,
            restriction="comment_held" if held else "comment_removed",
            decided_at=decision.created_at,
            content_date=comment.created_at, content_language=comment.language,
            ground=ground, guideline=decision.guideline, guideline_title=guideline_title,
            law=law, law_kind=kind, facts=facts, detected_by=detected, decided_by=decider,
            rule=rule if decider != "person" or automated else "",
            model_version=version if detected == "model" or decider == "model" else "",
            automated_detection=automated,
            automated_decision="fully" if decider != "person" else "not",
            appeal_until=None if held else appeal_until, language=language,
            source=("" if notice is None else
                    "trusted_flagger" if notice.trusted_flagger_id else "notice"),
        )
        base = Statement(**{**base.__dict__, "means": _means(base)})
        note = decision.note if decision.source == Source.MODERATOR else ""
        text = _text(base, story_title=comment.story.title or comment.story.external_id,
                     site_title=comment.story.site.title or comment.story.site.name, note=note)
    return Statement(**{**base.__dict__, "text": text})


def statements_for(comments: list[Comment], *, language: str) -> dict[int, Statement]:
    """Return the statement of each restricted comment's latest restriction (three queries
    for any number of comments), in `language`."""
    hold_after = dt.timedelta(hours=settings.TOWNHALL_HOLD_STATEMENT_HOURS)
    now = clock.now()
    restricted = [c for c in comments if c.status in RESTRICTING
                  or (c.status == Status.PENDING and c.created_at <= now - hold_after)]
    if not restricted:
        return {}
    history: dict[int, list[Decision]] = {}
    for decision in (Decision.objects.filter(comment_id__in=[c.pk for c in restricted])
                     .order_by("comment_id", "created_at", "id")):
        history.setdefault(decision.comment_id, []).append(decision)
    reported = set(Report.objects.filter(comment_id__in=[c.pk for c in restricted])
                   .values_list("comment_id", flat=True))
    noticed = selectors.notices_of_decisions(
        [d.pk for rows in history.values() for d in rows if d.new_status in RESTRICTING])
    titles: dict[int, dict[str, str]] = {}
    days = selectors.appeal_days_by_site([c.story.site_id for c in restricted])
    out: dict[int, Statement] = {}
    for comment in restricted:
        decisions = history.get(comment.pk, [])
        wanted = (*RESTRICTING, Status.PENDING) if comment.status == Status.PENDING else RESTRICTING
        index = next((i for i in range(len(decisions) - 1, -1, -1)
                      if decisions[i].new_status in wanted
                      and decisions[i].old_status != decisions[i].new_status), None)
        if index is None:
            continue
        decision = decisions[index]
        decision.comment = comment
        site = comment.story.site
        if site.pk not in titles:
            titles[site.pk] = {i["code"]: localized(i, language)["title"]
                               for i in selectors.guidelines_current(site).items}
        found = statement_of(
            decision, earlier=decisions[:index],
            guideline_title=titles[site.pk].get(decision.guideline, decision.guideline),
            language=language,
            appeal_until=selectors.appeal_deadline(decision, days=days[site.pk]),
            reported=comment.pk in reported, notice=noticed.get(decision.pk),
            held_long=(comment.status == Status.PENDING
                       and decision.created_at <= now - hold_after))
        if found is not None:
            out[comment.pk] = found
    return out


def statement_for_decision(decision: Decision, *, language: str) -> Statement | None:
    """Return the statement of one decision (the email's), in `language`."""
    comment = decision.comment
    earlier = list(Decision.objects.filter(comment=comment, created_at__lte=decision.created_at)
                   .exclude(pk=decision.pk).filter(pk__lt=decision.pk)
                   .order_by("created_at", "id"))
    titles = {i["code"]: localized(i, language)["title"]
              for i in selectors.guidelines_current(comment.story.site).items}
    return statement_of(decision, earlier=earlier,
                        guideline_title=titles.get(decision.guideline, decision.guideline),
                        language=language, appeal_until=selectors.appeal_deadline(decision),
                        reported=Report.objects.filter(comment=comment).exists(),
                        notice=selectors.notices_of_decisions([decision.pk]).get(decision.pk))


# --- Restrictions of an account -------------------------------------------------------

ACCOUNT_RESTRICTIONS = ("suspend", "ban", "always_review")


def account_statement(action: AccountAction, *, language: str) -> list[str] | None:
    """Return the statement of reasons of a suspension, ban or pre-moderation of an account
    (None for other actions), read from the action's record, in `language`."""
    if action.kind not in ACCOUNT_RESTRICTIONS:
        return None
    site = action.site
    where = (site.title or site.name) if site is not None else None
    with translation.override(language if language in ("en", "fr") else "en"):
        if action.kind == "suspend":
            what = _("What was restricted: your account cannot post or react %(where)s until "
                     "%(date)s.") % {
                "where": _("on %(site)s") % {"site": where} if where else _("on any site"),
                "date": _date(action.ends_at) if action.ends_at else "?"}
        elif action.kind == "ban":
            what = _("What was restricted: your account can no longer post or react "
                     "%(where)s.") % {
                "where": _("on %(site)s") % {"site": where} if where else _("on any site")}
        else:
            what = _("What was restricted: a moderator reads each of your comments %(where)s "
                     "before it is published.") % {
                "where": _("on %(site)s") % {"site": where} if where else _("on any site")}
        title = action.guideline
        if site is not None:
            for item in selectors.guidelines_current(site).items:
                if item["code"] == action.guideline:
                    title = localized(item, language)["title"]
        paragraphs = [what]
        if title:
            paragraphs.append(_("Ground: the guideline “%(title)s”.") % {"title": title})
        if action.message:
            paragraphs.append(_("Facts: %(facts)s") % {"facts": action.message})
        paragraphs.append(_("Automated means: %(means)s") % {
            "means": _("The decision was taken by a person, a moderator.")})
        paragraphs.append(_("Redress: you can contest this decision by replying to the email "
                            "that told you of it; a person other than the one who decided "
                            "reviews it."))
        paragraphs.append(_("You may also refer the dispute to a certified out-of-court "
                            "dispute settlement body (art. 21 of the Digital Services Act) or "
                            "to the courts."))
    return paragraphs
