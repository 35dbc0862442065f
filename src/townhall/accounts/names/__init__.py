"""Real-name policy: accept real human names from every culture, refuse pseudonyms.

Applied on sign-up, on every name change and to names arriving by SSO.
``check_name`` normalises a first/last name pair and returns its display form
or raises ``NameRejected`` naming the field and the rule; ``suspicion_score``
rates names that pass but deserve a moderator's look. Word lists live in
``data/`` and sites extend them through ``check_name(extra_words=...)``.
"""

from townhall.accounts.names.messages import NAME_RULES
from townhall.accounts.names.policy import NameCheck, NameRejected, check_name, suspicion_score

__all__ = ["NAME_RULES", "NameCheck", "NameRejected", "check_name", "suspicion_score"]
