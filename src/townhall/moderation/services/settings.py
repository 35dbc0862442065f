"""A site's moderation settings and its published Submission Guidelines."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from townhall.accounts.audit import audit_record, diff
from townhall.accounts.models import Account
from townhall.core import clock
from townhall.core.errors import Invalid
from townhall.moderation.defaults import site_moderation_setup
from townhall.moderation.models import GuidelineSet, LinkPolicy, SiteModeration
from townhall.moderation.phases import link_host
from townhall.moderation.pipeline import OPTIONAL_PHASES, SKIPPABLE_PHASES
from townhall.stories.brand import brand_validate
from townhall.stories.models import Site
from townhall.stories.services import site_update

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
    published = GuidelineSet.objects.create(site=site, items=clean, created_by=actor,
                                            version=(current.version + 1) if current else 1)
    before = {i["code"]: i for i in current.items} if current else {}
    audit_record("guidelines.publish", actor=actor, site=site, changes={
        "version": [current.version if current else None, published.version],
        "changed": [i["code"] for i in clean if before.get(i["code"]) != i],
        "removed": sorted(before.keys() - {i["code"] for i in clean}),
    })
    return published


SETTINGS_FIELDS = {
    "disabled_phases", "new_commenter_holds", "toxicity_hold", "toxicity_reject",
    "link_policy", "link_domains", "report_threshold", "trusted_after", "trusted_skips",
    "flood_limit", "email_authors", "hold_on_notice", "appeal_days", "retain_notices_days",
    "retain_rejected_days", "retain_notes_days",
}


def _check_threshold(name: str, value: Any) -> None:
    if value is not None and not (isinstance(value, (int, float)) and 0 < value <= 1):
        raise Invalid(name, "out_of_range", _("Use a score between 0 and 1."))


@transaction.atomic
def site_moderation_update(*, site: Site, actor: Account | None = None,
                           **fields: Any) -> SiteModeration:
    """Change a site's moderation settings after checking every value (the audit log
    records what changed, and who changed it)."""
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
    for name in ("retain_notices_days", "retain_rejected_days", "retain_notes_days"):
        if name in fields:
            value = fields[name]
            if not isinstance(value, int) or isinstance(value, bool) or not (
                    value == 0 or 30 <= value <= 3650):
                raise Invalid(name, "out_of_range",
                              _("Use 0 (keep) or a number of days from 30 to 3650."))
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
    for name in ("email_authors", "hold_on_notice"):
        if name in fields and not isinstance(fields[name], bool):
            raise Invalid(name, "invalid", _("Use true or false."))
    if "appeal_days" in fields:
        value = fields["appeal_days"]
        # DSA art. 20: complaints stay open for at least six months.
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or not 182 <= value <= 3650):
            raise Invalid("appeal_days", "out_of_range",
                          _("Use a whole number of days from 182 to 3650."))
    before = {name: getattr(config, name) for name in fields}
    for name, value in fields.items():
        setattr(config, name, value)
    config.updated_at = clock.now()
    config.save()
    changed = diff(before, fields)
    if changed:
        audit_record("settings.change", actor=actor, site=site, changes=changed)
    return config


@transaction.atomic
def site_brand_update(*, site: Site, actor: Account | None, title: str, brand_colour: str,
                      logo_url: str, home_url: str) -> Site:
    """Change how the site's emails look: its name, colour, logo and front page (recorded
    in the audit log)."""
    title, brand_colour = title.strip(), brand_colour.strip().lower()
    logo_url, home_url = logo_url.strip(), home_url.strip()
    if not title or len(title) > 200:
        raise Invalid("title", "invalid", _("Give the site a name of up to 200 characters."))
    brand_validate(brand_colour=brand_colour, logo_url=logo_url, home_url=home_url)
    after = {"title": title, "brand_colour": brand_colour, "logo_url": logo_url,
             "home_url": home_url}
    changed = diff({name: getattr(site, name) for name in after}, after)
    if changed:
        site_update(site=site, **after)
        audit_record("settings.change", actor=actor, site=site, changes=changed)
    return site
