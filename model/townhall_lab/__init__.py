"""Townhall's model lab: training, evaluation and the news-comment set, outside the runtime.

The runtime (`townhall.moderation.toxicity`) only loads and scores the committed artifact;
this package needs scikit-learn and SciPy (the `dev` extra) and the labelled data beside the
checkout. Run it with `make model` and `make evaluate-model`, or `python -m townhall_lab.train`
from `model/`; `townhall train-model` and `townhall evaluate-model` find it in a checkout.
"""
