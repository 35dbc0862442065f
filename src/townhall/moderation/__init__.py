"""Own moderation: guidelines, the pipeline and its phases, classifiers, and the decision log."""
