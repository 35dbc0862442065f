"""Template filters that show moderation codes as words (see townhall.dashboard.labels)."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from townhall.dashboard import labels

register = template.Library()

register.filter("phase_label", labels.phase_label)
register.filter("finding_action_label", labels.finding_action_label)
register.filter("reason_label", labels.reason_label)
register.filter("rule_label", labels.rule_label)
register.filter("status_label", labels.status_label)
register.filter("score_label", labels.score_label)
register.filter("flag_label", labels.flag_label)


@register.filter
def guideline_title(code: str, titles: Mapping[str, str] | None) -> str:
    return labels.guideline_title(code, titles or {})


@register.filter
def report_reason_label(code: str, titles: Mapping[str, str] | None) -> str:
    return labels.report_reason_label(code, titles or {})
