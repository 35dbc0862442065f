"""The default community policy texts a new site starts with, in English and French."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _


def default_texts(*, site_title: str, language: str) -> dict[str, Any]:
    """Return the default policy texts for a site, written in `language`."""
    with translation.override(language):
        publisher = site_title
        return {
            "real_names": _(
                "To encourage thoughtful and respectful conversations, first and last names "
                "appear with each comment. Pseudonyms are not permitted."
            ),
            "youth_names": _(
                "This is a youth community: names are never shown. Each member appears under "
                "a friendly nickname."
            ),
            "licence": _(
                "By submitting a comment, you accept that %(publisher)s has the right to "
                "reproduce and publish it in whole or in part, in any manner %(publisher)s "
                "chooses."
            ) % {"publisher": publisher},
            "endorsement": _(
                "%(publisher)s does not endorse the opinions expressed in comments."
            ) % {"publisher": publisher},
            "moderation": _(
                "Comments are moderated according to our Submission Guidelines."
            ),
            "open_closed": _(
                "Comments are welcome while open. We reserve the right to close comments at "
                "any time."
            ),
            "guidelines_url": "",
        }
