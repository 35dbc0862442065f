"""Consent to a site's terms, kept on the account: given once per version and language.

The widget asks only while `terms_accepted` is false for the story's current policy, so a
reader who accepted at sign-up, or with a comment on another story, in another browser, is
not asked again; a new version of the terms asks once more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from townhall.accounts.models import Account, TermsAcceptance
from townhall.core.rowsql import RowExists, RowInsert

if TYPE_CHECKING:
    from townhall.stories.models import PolicyText


_ACCEPTED = RowExists(TermsAcceptance, "account_id = %s AND site_id = %s AND language = %s "
                                        "AND version = %s")
_ACCEPTANCE_INSERT = RowInsert(TermsAcceptance, ignore_conflicts=True)


def terms_accepted(account: Account, policy: PolicyText) -> bool:
    """Say whether the account accepted this version of the site's terms in its language."""
    return _ACCEPTED([account.pk, policy.site_id, policy.language, policy.version])


def terms_accept(account: Account, policy: PolicyText) -> TermsAcceptance:
    """Record the account's acceptance of a policy version (once: a repeat changes nothing).

    It is called when the caller knows of no acceptance yet (a first comment, a sign-up), so
    it inserts first rather than reading first as `get_or_create` would: one query fewer on
    the posting path (`tests/perf/test_posting_queries.py` counts them), and a concurrent
    acceptance of the same version is skipped by the unique key, not raised."""
    acceptance = TermsAcceptance(account=account, site_id=policy.site_id,
                                 language=policy.language, version=policy.version)
    if _ACCEPTANCE_INSERT.insert(acceptance):
        return acceptance
    return TermsAcceptance.objects.get(account=account, site_id=policy.site_id,
                                       language=policy.language, version=policy.version)


def acceptances_of(account: Account) -> list[TermsAcceptance]:
    """Every acceptance the account gave, newest first, with its site."""
    return list(account.terms_acceptances.select_related("site"))
