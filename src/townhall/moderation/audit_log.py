"""The audit log administrators browse: every comment decision, name event and recorded
change (settings, word lists, guidelines, staff, stories, sanctions, appeals), newest first.

Three tables hold it (`Decision`, `NameHistory`, `AuditEntry`); one UNION of their ids and
times pages through all three at once, and each page's rows are then read whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, F, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.accounts.models import Account, AuditEntry, NameEvent, NameHistory
from townhall.core import clock
from townhall.core.errors import Invalid
from townhall.moderation.models import Decision, Source

PAGE = 50
# The action filter: decisions (all, or moderators' only), names, and each kind of entry.
GROUPS = ("decision", "moderator", "name", "settings", "words", "guidelines", "staff", "story",
          "sanction", "appeal", "notice", "misuse")


@dataclass(frozen=True)
class AuditFilters:
    site: str = ""
    moderator: int | None = None
    author: int | None = None
    story: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass
class AuditRow:
    """One line of the log, whichever table it comes from."""

    kind: str  # decision, name or entry
    at: dt.datetime
    action: str  # the decision's rule, the name event, or the entry's action
    actor: Account | None
    site: Any = None
    story: Any = None
    comment: Any = None
    account: Account | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class AuditPage:
    rows: list[AuditRow]
    page: int
    has_next: bool


def _span(query: QuerySet[Any], filters: AuditFilters,
          upto: dt.datetime | None = None) -> QuerySet[Any]:
    if upto is not None:
        query = query.filter(created_at__lte=upto)
    if filters.since:
        query = query.filter(created_at__gte=timezone.make_aware(
            dt.datetime.combine(filters.since, dt.time.min)))
    if filters.until:
        query = query.filter(created_at__lt=timezone.make_aware(
            dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min)))
    return query


def _keys(query: QuerySet[Any], kind: str) -> QuerySet[Any]:
    return query.annotate(kind=Value(kind, output_field=CharField()), at=F("created_at")) \
        .values_list("kind", "id", "at").order_by()


# Where each source keeps what the filters name.
_PATHS: dict[str, dict[str, str]] = {
    "decision": {"site": "comment__story__site__name", "story": "comment__story__external_id",
                 "moderator": "actor_id", "author": "comment__author_id"},
    "name": {"moderator": "actor_id", "author": "account_id"},
    "entry": {"site": "site__name", "story": "story__external_id", "moderator": "actor_id",
              "author": "account_id"},
}


def _narrowed(query: QuerySet[Any], kind: str, filters: AuditFilters,
              upto: dt.datetime | None) -> QuerySet[Any]:
    for name, path in _PATHS[kind].items():
        value = getattr(filters, name)
        if value:
            query = query.filter(**{path: value})
    return _keys(_span(query, filters, upto), kind)


def _parts(filters: AuditFilters, upto: dt.datetime | None) -> list[QuerySet[Any]]:
    if filters.action and filters.action not in GROUPS:
        raise Invalid("action", "invalid_choice", _("Choose one of: %(choices)s.")
                      % {"choices": ", ".join(GROUPS)})
    if filters.since and filters.until and filters.until < filters.since:
        raise Invalid("until", "out_of_range", _("The end date comes before the start date."))
    want = filters.action
    parts = []
    if want in ("", "decision", "moderator"):
        decisions = Decision.objects.all()
        if want == "moderator":
            decisions = decisions.filter(source=Source.MODERATOR)
        parts.append(_narrowed(decisions, "decision", filters, upto))
    # Names belong to accounts, not to a site or a story.
    if want in ("", "name") and not filters.site and not filters.story:
        parts.append(_narrowed(NameHistory.objects.exclude(event=NameEvent.SIGNUP), "name",
                               filters, upto))
    # An appeal is filed as an audit entry and decided as a decision on the comment.
    if want == "appeal":
        parts.append(_narrowed(Decision.objects.filter(rule__startswith="appeal_"), "decision",
                               filters, upto))
    if want not in ("decision", "moderator", "name"):
        entries = AuditEntry.objects.all()
        if want:
            entries = entries.filter(action__startswith=f"{want}.")
        parts.append(_narrowed(entries, "entry", filters, upto))
    return parts


def _rows(keys: list[tuple[str, int, dt.datetime]]) -> list[AuditRow]:
    wanted: dict[str, list[int]] = {"decision": [], "name": [], "entry": []}
    for kind, ident, _at in keys:
        wanted[kind].append(ident)
    decisions = Decision.objects.select_related("actor", "comment__story__site",
                                                "comment__author").in_bulk(wanted["decision"])
    names = NameHistory.objects.select_related("actor", "account").in_bulk(wanted["name"])
    entries = AuditEntry.objects.select_related("actor", "site", "story", "comment",
                                                "account").in_bulk(wanted["entry"])
    rows = []
    for kind, ident, _at in keys:
        if kind == "decision":
            d = decisions[ident]
            rows.append(AuditRow(
                kind, d.created_at, d.rule or d.source, d.actor, d.comment.story.site,
                d.comment.story, d.comment, d.comment.author,
                {"source": d.source, "from": d.old_status, "to": d.new_status,
                 "guideline": d.guideline, "note": d.note}))
        elif kind == "name":
            n = names[ident]
            rows.append(AuditRow(kind, n.created_at, n.event, n.actor, account=n.account,
                                 detail={"first_name": n.first_name, "last_name": n.last_name,
                                         "note": n.note}))
        else:
            e = entries[ident]
            rows.append(AuditRow(kind, e.created_at, e.action, e.actor, e.site, e.story,
                                 e.comment, e.account, dict(e.changes)))
    return rows


def _ordered(filters: AuditFilters, upto: dt.datetime | None = None) -> QuerySet[Any] | None:
    parts = _parts(filters, upto)
    if not parts:
        return None
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-at", "-kind", "-id")


def audit_page(filters: AuditFilters, page: int = 1, size: int = PAGE) -> AuditPage:
    """Return one page of the log (page numbers from 1)."""
    if page < 1:
        raise Invalid("page", "out_of_range", _("Choose a page from 1."))
    ordered = _ordered(filters)
    if ordered is None:
        return AuditPage([], page, False)
    keys = list(ordered[(page - 1) * size: page * size + 1])
    return AuditPage(_rows(keys[:size]), page, len(keys) > size)


def audit_rows(filters: AuditFilters, chunk: int = 500) -> Iterator[AuditRow]:
    """Return every row of the log under the filters (for the CSV export), newest first, as
    it stood when the export began (rows written meanwhile would shift the pages). Bad
    filters raise here, before the first row."""
    ordered = _ordered(filters, upto=clock.now())
    return iter(()) if ordered is None else _chunks(ordered, chunk)


def _chunks(ordered: QuerySet[Any], chunk: int) -> Iterator[AuditRow]:
    start = 0
    while True:
        keys = list(ordered[start:start + chunk])
        yield from _rows(keys)
        if len(keys) < chunk:
            return
        start += chunk
