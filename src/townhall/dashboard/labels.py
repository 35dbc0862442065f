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

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

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
    "reader_reports": pgettext_lazy("decision rule", "reader reports"),
    f"appeal_{AppealStatus.OVERTURNED}": pgettext_lazy("decision rule",
                                                        "appeal: comment restored"),
    f"appeal_{AppealStatus.UPHELD}": pgettext_lazy("decision rule", "appeal: rejection upheld"),
    "ban": pgettext_lazy("decision rule", "author banned"),
    "author_deleted": pgettext_lazy("decision rule", "deleted by the author"),
}

SCORES: dict[str, Promise] = {"toxicity": pgettext_lazy("score", "toxicity")}

PERSONAL_INFORMATION: dict[str, Promise] = {
    "email": pgettext_lazy("personal information", "email address"),
    "phone": pgettext_lazy("personal information", "phone number"),
    "address": pgettext_lazy("personal information", "street address"),
    "social": pgettext_lazy("personal information", "social media profile"),
}


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
