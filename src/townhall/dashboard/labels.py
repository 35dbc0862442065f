"""Words for the codes moderation stores, in the moderator's language.

Findings and decisions keep what the pipeline wrote: phase names, actions, guideline codes,
rule names and English reasons (the API and the audit export show them as stored, and old
rows never change). The dashboard shows them through these functions instead; a code they do
not know is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

from townhall.accounts.models import NameEvent
from townhall.accounts.naming import NAME_PHASE
from townhall.comments.models import Status
from townhall.moderation.guidelines import DEFAULT_GUIDELINES, localized
from townhall.moderation.models import ActionKind, AppealStatus

PHASES: dict[str, Promise] = {
    "story_closed": pgettext_lazy("moderation phase", "Story closed"),
    "body_limits": pgettext_lazy("moderation phase", "Length and layout"),
    "sanctions": pgettext_lazy("moderation phase", "Author sanctions"),
    NAME_PHASE: pgettext_lazy("moderation phase", "Real names"),
    "pre_moderation": pgettext_lazy("moderation phase", "Pre-moderation"),
    "youth_privacy": pgettext_lazy("moderation phase", "Youth privacy"),
    "word_lists": pgettext_lazy("moderation phase", "Word list"),
    "links": pgettext_lazy("moderation phase", "Links"),
    "toxicity": pgettext_lazy("moderation phase", "Toxicity model"),
    "spam": pgettext_lazy("moderation phase", "Spam and flooding"),
    "new_commenters": pgettext_lazy("moderation phase", "New commenters"),
    "trust": pgettext_lazy("moderation phase", "Author's record"),
}

FINDING_ACTIONS: dict[str, Promise] = {
    "pass": pgettext_lazy("finding action", "passed"),
    "flag": pgettext_lazy("finding action", "flagged"),
    "hold": pgettext_lazy("finding action", "held"),
    "reject": pgettext_lazy("finding action", "rejected"),
}

# Decision.rule: the phase that decided, or what a person or the system did.
RULES: dict[str, Promise] = {
    **PHASES,
    "author_request": pgettext_lazy("decision rule", "review asked by the author"),
    "approve": pgettext_lazy("decision rule", "approved"),
    "reject": pgettext_lazy("decision rule", "rejected"),
    "feature": pgettext_lazy("decision rule", "featured"),
    "unfeature": pgettext_lazy("decision rule", "feature removed"),
    "undo": pgettext_lazy("decision rule", "decision undone"),
    "reader_reports": pgettext_lazy("decision rule", "reader reports"),
    f"appeal_{AppealStatus.OVERTURNED}": pgettext_lazy("decision rule",
                                                        "appeal: comment restored"),
    f"appeal_{AppealStatus.UPHELD}": pgettext_lazy("decision rule", "appeal: rejection upheld"),
    "ban": pgettext_lazy("decision rule", "author banned"),
    "author_deleted": pgettext_lazy("decision rule", "deleted by the author"),
    "notice_hold": pgettext_lazy("decision rule", "held while a notice is reviewed"),
}

SCORES: dict[str, Promise] = {"toxicity": pgettext_lazy("score", "toxicity")}

# Comment.category: the kind of harm a comment's risk score stands for.
CATEGORY_LABELS: dict[str, Promise] = {
    "insult": pgettext_lazy("risk category", "insult"),
    "hate": pgettext_lazy("risk category", "hate"),
    "threat": pgettext_lazy("risk category", "threat"),
    "obscenity": pgettext_lazy("risk category", "obscenity"),
    "spam": pgettext_lazy("risk category", "spam"),
    "privacy": pgettext_lazy("risk category", "personal information"),
    "name": pgettext_lazy("risk category", "name"),
    "off_topic": pgettext_lazy("risk category", "off topic"),
    "unlawful": pgettext_lazy("risk category", "unlawful"),
}

PERSONAL_INFORMATION: dict[str, Promise] = {
    "email": pgettext_lazy("personal information", "email address"),
    "phone": pgettext_lazy("personal information", "phone number"),
    "address": pgettext_lazy("personal information", "street address"),
    "social": pgettext_lazy("personal information", "social media profile"),
}


# AuditEntry.action and the audit log's action filter.
AUDIT_ACTIONS: dict[str, Promise] = {
    "settings.change": pgettext_lazy("audit action", "settings changed"),
    "words.add": pgettext_lazy("audit action", "word list: added"),
    "words.remove": pgettext_lazy("audit action", "word list: removed"),
    "guidelines.publish": pgettext_lazy("audit action", "guidelines published"),
    "staff.create": pgettext_lazy("audit action", "staff account created"),
    "staff.role": pgettext_lazy("audit action", "staff role changed"),
    "staff.give": pgettext_lazy("audit action", "site role given"),
    "staff.take": pgettext_lazy("audit action", "site role taken back"),
    "story.change": pgettext_lazy("audit action", "story changed"),
    "sanction.add": pgettext_lazy("audit action", "sanction"),
    "sanction.lift": pgettext_lazy("audit action", "sanction lifted"),
    "appeal.open": pgettext_lazy("audit action", "appeal filed"),
    "notice.receive": pgettext_lazy("audit action", "notice of illegal content received"),
    "notice.review": pgettext_lazy("audit action", "notice taken in review"),
    "notice.note": pgettext_lazy("audit action", "notice: note added"),
    "notice.decide": pgettext_lazy("audit action", "notice decided"),
    "notice.complaint": pgettext_lazy("audit action", "notice: the notifier contests the decision"),
    "flagger.add": pgettext_lazy("audit action", "trusted flagger registered"),
    "misuse.warn": pgettext_lazy("audit action", "misuse: warning"),
    "misuse.suspend": pgettext_lazy("audit action", "misuse: suspension"),
    "retention.run": pgettext_lazy("audit action", "retention: old data deleted"),
}
AUDIT_GROUPS: dict[str, Promise] = {
    "decision": pgettext_lazy("audit filter", "Comment decisions"),
    "moderator": pgettext_lazy("audit filter", "Moderators' decisions"),
    "name": pgettext_lazy("audit filter", "Names"),
    "settings": pgettext_lazy("audit filter", "Settings"),
    "words": pgettext_lazy("audit filter", "Word lists"),
    "guidelines": pgettext_lazy("audit filter", "Guidelines"),
    "staff": pgettext_lazy("audit filter", "Staff"),
    "story": pgettext_lazy("audit filter", "Stories"),
    "sanction": pgettext_lazy("audit filter", "Sanctions"),
    "appeal": pgettext_lazy("audit filter", "Appeals"),
    "notice": pgettext_lazy("audit filter", "Notices of illegal content"),
    "misuse": pgettext_lazy("audit filter", "Misuse"),
}


def audit_action_label(kind: str, action: str) -> str:
    """Name what an audit log row records, whichever table it comes from."""
    if kind == "decision":
        return rule_label(action)
    if kind == "name":
        return str(NameEvent(action).label) if action in NameEvent.values else action
    return str(AUDIT_ACTIONS.get(action, action))


def _audit_value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


# The entry fields kept as [before, after] (a settings change keeps every field so).
_PAIRS = frozenset({"kind", "role", "version", "closes_at", "moderation_mode"})


def audit_detail(kind: str, action: str, detail: Mapping[str, Any]) -> str:
    """Say in one line what changed: a decision's statuses, a name, or each field's before
    and after."""
    if kind == "decision":
        text = f"{status_label(detail.get('from') or '') or '—'} → {status_label(detail['to'])}"
        return text + (f" · {detail['note']}" if detail.get("note") else "")
    if kind == "name":
        return f"{detail.get('first_name', '')} {detail.get('last_name', '')}".strip()
    parts = []
    for name, value in detail.items():
        if (action == "settings.change" or name in _PAIRS) and isinstance(value, list) \
                and len(value) == 2:
            parts.append(f"{name}: {_audit_value(value[0])} → {_audit_value(value[1])}")
        else:
            parts.append(f"{name}: {_audit_value(value)}")
    return " · ".join(parts)


def phase_label(code: str) -> str:
    return str(PHASES.get(code, code))


def finding_action_label(code: str) -> str:
    return str(FINDING_ACTIONS.get(code, code))


def rule_label(code: str) -> str:
    if code.startswith("import:"):
        return gettext("imported from %(source)s") % {"source": code.removeprefix("import:")}
    return str(RULES.get(code, code))


def status_label(code: str) -> str:
    return str(Status(code).label) if code in Status.values else code


def score_label(code: str) -> str:
    return str(SCORES.get(code, code))


def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code))


def flag_label(code: str) -> str:
    """Name an account mark shown beside the author (trusted, suspected pseudonym)."""
    return str(ActionKind(code).label) if code in ActionKind.values else code


# --- Guidelines -------------------------------------------------------------------------


def guideline_titles(sites_guidelines: Iterable[list[dict[str, str]]], language: str
                     ) -> dict[str, str]:
    """Map guideline codes to titles: the sites' own guidelines (already in `language`; the
    first site that has a code names it), then the default guidelines for older codes."""
    titles = {item["code"]: localized(item, language)["title"] for item in DEFAULT_GUIDELINES}
    own: dict[str, str] = {}
    for guidelines in sites_guidelines:
        for item in guidelines:
            own.setdefault(item["code"], item["title"])
    return {**titles, **own}


def guideline_title(code: str, titles: Mapping[str, str]) -> str:
    return titles.get(code, code) if code else ""


def report_reason_label(code: str, titles: Mapping[str, str]) -> str:
    """A report names a guideline, or `other` (the reader then explains in words)."""
    if code == "other":
        return pgettext("report reason", "Other")
    return guideline_title(code, titles)


# --- Finding reasons --------------------------------------------------------------------


def _number(value: str) -> str:
    try:
        return str(formats.number_format(float(value), 2, use_l10n=True))
    except ValueError:
        return value


def _personal_information(value: str) -> str:
    return ", ".join(str(PERSONAL_INFORMATION.get(kind, kind)) for kind in value.split(", "))


@dataclass(frozen=True)
class _Reason:
    """One reason the phases write, as its English text with %(name)s where values go."""

    msgid: str
    convert: dict[str, Callable[[str], str]] = field(default_factory=dict)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"%\((\w+)\)s", self.msgid)
        return re.compile("".join(re.escape(part) if n % 2 == 0 else f"(?P<{part}>.+?)"
                                  for n, part in enumerate(parts)))

    def label(self, reason: str) -> str | None:
        found = self.pattern.fullmatch(reason)
        if found is None:
            return None
        values = {name: self.convert.get(name, str)(value)
                  for name, value in found.groupdict().items()}
        return gettext(self.msgid) % values if values else gettext(self.msgid)


# The reasons written in moderation/phases/ and moderation/pipeline.py;
# tests/dashboard/test_labels.py runs those phases to keep them in step.
REASONS: tuple[_Reason, ...] = (
    _Reason(gettext_noop("comments are closed on this story")),
    _Reason(gettext_noop("longer than the site allows")),
    _Reason(gettext_noop("unbroken run of characters")),
    _Reason(gettext_noop("too many line breaks")),
    _Reason(gettext_noop("author is banned")),
    _Reason(gettext_noop("author is suspended")),
    _Reason(gettext_noop("author's comments are always reviewed")),
    _Reason(gettext_noop("the author's name awaits confirmation")),
    _Reason(gettext_noop("story is pre-moderated")),
    _Reason(gettext_noop("personal information: %(kinds)s"), {"kinds": _personal_information}),
    _Reason(gettext_noop("listed words: %(words)s")),
    _Reason(gettext_noop("links to %(hosts)s")),
    _Reason(gettext_noop("model score %(score)s"), {"score": _number}),
    _Reason(gettext_noop("written in capitals")),
    _Reason(gettext_noop("same text posted again")),
    _Reason(gettext_noop("same text posted by %(accounts)s accounts")),
    _Reason(gettext_noop("%(count)s comments on this story in ten minutes")),
    _Reason(gettext_noop("new commenter: %(published)s of %(needed)s comments approved")),
    _Reason(gettext_noop("%(rejected)s of the last %(total)s comments rejected")),
    _Reason(gettext_noop("phase failed; held for safety")),
)
TRUSTED_SKIP = " (skipped: trusted account)"


def reason_label(reason: str) -> str:
    """Return a finding's reason in the active language (as stored when it is unknown)."""
    if reason.endswith(TRUSTED_SKIP):
        inner = reason_label(reason.removesuffix(TRUSTED_SKIP))
        return gettext("%(reason)s (skipped: trusted account)") % {"reason": inner}
    for known in REASONS:
        label = known.label(reason)
        if label is not None:
            return label
    return reason
