"""The moderation phases, one module each (the pipeline's types are in `pipeline.py`).

Each phase is small and answers one question about a submission. `TOWNHALL_PHASES` lists
them in the order they run: the first deciding finding ends the run, so cheap, certain checks
come before costly or uncertain ones. docs/moderation.md states each phase's failure policy.
"""

from townhall.moderation.phases.limits import BodyLimits
from townhall.moderation.phases.links import Links, link_host
from townhall.moderation.phases.newcomers import NewCommenters
from townhall.moderation.phases.real_names import NAME_PHASE, RealNamePhase
from townhall.moderation.phases.sanctions import AuthorSanctions
from townhall.moderation.phases.spam import SpamAndFlood
from townhall.moderation.phases.story import StoryClosed
from townhall.moderation.phases.toxicity import (
    Toxicity,
    toxicity_scorer,
    toxicity_thresholds,
    use_scorer,
)
from townhall.moderation.phases.trust import Trust
from townhall.moderation.phases.words import WordLists
from townhall.moderation.phases.youth import YouthPrivacy

__all__ = [
    "NAME_PHASE", "AuthorSanctions", "BodyLimits", "Links", "NewCommenters", "RealNamePhase",
    "SpamAndFlood", "StoryClosed", "Toxicity", "Trust", "WordLists", "YouthPrivacy",
    "link_host", "toxicity_scorer", "toxicity_thresholds", "use_scorer",
]
