"""Townhall's own offline toxicity model for English and French comments.

This package owns everything from raw comment text to a score a moderation phase can act
on, with no network and no third-party model:

* :mod:`.normalize` folds disguised text (``f u c k``, ``sh1t``, Cyrillic look-alikes,
  zero-width characters, mojibake) and keeps a map back to the original offsets;
* :mod:`.langdetect` tells English from French per comment;
* :mod:`.features` hashes word and character n-grams with numpy;
* :mod:`.model` loads and verifies the artifact (``artifacts/``, JSON plus ``.npz``, never
  pickle) and computes scores and per-word contributions;
* :mod:`.rules` adds hand-written threat, dehumanisation and obscenity signals;
* :mod:`.scorers` is the interface the pipeline calls: :class:`~.scorers.Scorer`,
  :func:`~.scorers.get_default_scorer`, :class:`~.scorers.HttpScorer` and the thresholds;
* :mod:`.train` and :mod:`.evaluate` retrain (optionally with moderators' decisions) and
  measure the model; :mod:`.newsset` builds the news-context set in ``data/``.

Training needs scikit-learn and scipy (development dependencies); scoring needs numpy only.
See ``docs/model-card.md`` for data, method, figures and known limits.
"""

from .scorers import (
    DEFAULT_HOLD_THRESHOLD,
    DEFAULT_REJECT_THRESHOLD,
    HttpScorer,
    LocalScorer,
    Scorer,
    ScorerUnavailable,
    Span,
    ToxicityResult,
    get_default_scorer,
)

__all__ = [
    "DEFAULT_HOLD_THRESHOLD",
    "DEFAULT_REJECT_THRESHOLD",
    "HttpScorer",
    "LocalScorer",
    "Scorer",
    "ScorerUnavailable",
    "Span",
    "ToxicityResult",
    "get_default_scorer",
]
