"""Statements of reasons in the EU DSA Transparency Database's submission format.

`statements_export` reads the restricting decisions since a date and renders each as one
statement of the database's `POST /api/v1/statements` batch body (`{"statements": [...]}`),
in English, with no personal data: no author, moderator, notifier, email, IP, comment text
or moderator's note, only ids Townhall made up (`puid`) and the facts as the decision record
states them. `docs/schemas/dsa-statement-of-reasons.schema.json` describes the shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from townhall.moderation import selectors
from townhall.moderation.guidelines import localized
from townhall.moderation.models import Decision
from townhall.moderation.statements import RESTRICTING, Statement, statement_of
from townhall.stories.models import Site

# EU member states and the EEA's three others: a comment can be read in all of them.
TERRITORIAL_SCOPE = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
]

# A guideline's code → the database's statement category.
CATEGORIES = {
    "respect": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "hate": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "threats": "STATEMENT_CATEGORY_VIOLENCE",
    "obscenity": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "spam": "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "privacy": "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "unlawful": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
}
OTHER_CATEGORY = "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"

SOURCE_TYPES = {"notice": "SOURCE_ARTICLE_16", "trusted_flagger": "SOURCE_TRUSTED_FLAGGER",
                "report": "SOURCE_TYPE_OTHER_NOTIFICATION"}
AUTOMATED_DECISIONS = {"fully": "AUTOMATED_DECISION_FULLY",
                       "partially": "AUTOMATED_DECISION_PARTIALLY",
                       "not": "AUTOMATED_DECISION_NOT_AUTOMATED"}


def _facts(statement: Statement) -> str:
    # The statement's own facts and how automated means took part; never the moderator's note
    # nor the story's title, either of which may name a person.
    return f"{statement.facts} {statement.means}"


def statement_submission(statement: Statement, *, guideline: dict[str, str],
                         source: str = "") -> dict[str, Any]:
    """Return one statement as the Transparency Database takes it."""
    body: dict[str, Any] = {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "decision_ground": ("DECISION_GROUND_ILLEGAL_CONTENT" if statement.ground == "law"
                            else "DECISION_GROUND_INCOMPATIBLE_CONTENT"),
        "decision_ground_reference_url":
            f"{settings.PUBLIC_URL}/guidelines/{statement.site}/?lang=en",
        "category": CATEGORIES.get(statement.guideline, OTHER_CATEGORY),
        "content_type": ["CONTENT_TYPE_TEXT"],
        "content_language": statement.content_language.upper(),
        "content_date": statement.content_date.date().isoformat(),
        "application_date": statement.decided_at.date().isoformat(),
        "decision_facts": _facts(statement)[:5000],
        "source_type": SOURCE_TYPES.get(source or statement.source or statement.detected_by,
                                        "SOURCE_VOLUNTARY"),
        "automated_detection": "Yes" if statement.automated_detection else "No",
        "automated_decision": AUTOMATED_DECISIONS[statement.automated_decision],
        "account_type": "ACCOUNT_TYPE_PRIVATE",
        "territorial_scope": TERRITORIAL_SCOPE,
        "puid": f"townhall-{statement.site}-decision-{statement.decision_id}",
    }
    if statement.ground == "law":
        # The kind of illegality only: a notifier's own words might name someone.
        body["illegal_content_legal_ground"] = (statement.law_kind or guideline["title"])[:500]
        body["illegal_content_explanation"] = guideline["explanation"][:2000]
    else:
        body["incompatible_content_ground"] = guideline["title"][:500]
        body["incompatible_content_explanation"] = guideline["explanation"][:2000]
        body["incompatible_content_illegal"] = "No"
    return body


def _restrictions(since: dt.datetime, site: Site | None) -> Iterator[Decision]:
    query = (Decision.objects.filter(created_at__gte=since, new_status__in=RESTRICTING)
             .select_related("comment__story__site").order_by("created_at", "id"))
    if site is not None:
        query = query.filter(comment__story__site=site)
    return query.iterator(chunk_size=500)


def statements_export(*, since: dt.datetime, site: Site | None = None) -> dict[str, Any]:
    """Return the statements of reasons of every restriction since `since` (one site's or
    all) as the Transparency Database's batch body."""
    guidelines: dict[int, dict[str, dict[str, str]]] = {}
    out = []
    for decision in _restrictions(since, site):
        if decision.old_status == decision.new_status:
            continue
        comment = decision.comment
        earlier = list(Decision.objects.filter(comment=comment, pk__lt=decision.pk)
                       .order_by("created_at", "id"))
        reported = comment.report_count > 0 or comment.reports.exists()
        site_ = comment.story.site
        if site_.pk not in guidelines:
            guidelines[site_.pk] = {i["code"]: localized(i, "en")
                                    for i in selectors.guidelines_current(site_).items}
        item = guidelines[site_.pk].get(decision.guideline) or {
            "code": decision.guideline, "title": decision.guideline or "Terms of service",
            "explanation": "The site's Submission Guidelines."}
        statement = statement_of(decision, earlier=earlier, guideline_title=item["title"],
                                 language="en", reported=reported,
                                 notice=selectors.notices_of_decisions([decision.pk])
                                 .get(decision.pk))
        if statement is not None:
            out.append(statement_submission(statement, guideline=item))
    return {"statements": out}
