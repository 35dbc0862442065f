"""Each site's retention policy, enforced once a day (docs/privacy.md).

Per site (`SiteModeration.retain_*_days`, 0 keeps forever): decided or set-aside notices
go, with the notifier's name, email and their notes, that long after their decision;
rejected comments lose their text that long after their latest decision (the row, its
status and its decisions stay: the transparency figures and the author's statement still
need them); moderators' notes on decisions are blanked. Address digests of sessions span
sites and follow the installation's TOWNHALL_ADDRESS_RETENTION_DAYS
(`accounts.services.accounts_purge`). Each run logs and audits what it deleted.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Max

from townhall.accounts.audit import audit_record
from townhall.comments.models import Comment, Status
from townhall.core import clock
from townhall.moderation.models import Decision, Notice, NoticeStatus, SiteModeration

log = logging.getLogger(__name__)


def _site_retention(config: SiteModeration, now: dt.datetime) -> dict[str, int]:
    site = config.site
    done = {"notices": 0, "rejected_texts": 0, "decision_notes": 0}
    if config.retain_notices_days:
        cutoff = now - dt.timedelta(days=config.retain_notices_days)
        old = Notice.objects.filter(site=site, decided_at__lt=cutoff,
                                    status__in=(NoticeStatus.DECIDED, NoticeStatus.VOID))
        done["notices"] = old.delete()[1].get(Notice._meta.label, 0)
    if config.retain_rejected_days:
        cutoff = now - dt.timedelta(days=config.retain_rejected_days)
        stale = (Comment.objects.filter(story__site=site, status=Status.REJECTED)
                 .exclude(source="")
                 .annotate(last=Max("decisions__created_at")).filter(last__lt=cutoff)
                 .values_list("pk", flat=True))
        done["rejected_texts"] = Comment.objects.filter(pk__in=list(stale)).update(
            source="", body_html="", findings=[])
    if config.retain_notes_days:
        cutoff = now - dt.timedelta(days=config.retain_notes_days)
        done["decision_notes"] = (Decision.objects.filter(comment__story__site=site,
                                                          created_at__lt=cutoff)
                                  .exclude(note="").update(note=""))
    return done


def retention_enforce(*, now: dt.datetime | None = None) -> dict[str, dict[str, int]]:
    """Apply every site's retention policy (the daily task); return and log what went."""
    moment = now or clock.now()
    report: dict[str, dict[str, int]] = {}
    for config in SiteModeration.objects.select_related("site"):
        with transaction.atomic():
            done = _site_retention(config, moment)
            if any(done.values()):
                audit_record("retention.run", actor=None, site=config.site, changes=done)
        report[config.site.name] = done
        if any(done.values()):
            log.info("retention on %s deleted %s", config.site.name, done)
    return report
