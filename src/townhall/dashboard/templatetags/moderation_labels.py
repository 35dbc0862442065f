"""Template filters that show moderation codes as words (see townhall.dashboard.labels)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
register.filter("category_label", labels.category_label)


@register.simple_tag
def audit_action(row: Any) -> str:
    return labels.audit_action_label(row.kind, row.action)


@register.simple_tag
def audit_detail(row: Any) -> str:
    return labels.audit_detail(row.kind, row.action, row.detail)


@register.filter
def guideline_title(code: str, titles: Mapping[str, str] | None) -> str:
    return labels.guideline_title(code, titles or {})


@register.filter
def report_reason_label(code: str, titles: Mapping[str, str] | None) -> str:
    return labels.report_reason_label(code, titles or {})
