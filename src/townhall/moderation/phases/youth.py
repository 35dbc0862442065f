"""YouthPrivacy: in youth communities, personal details are held before anyone sees them."""

from __future__ import annotations

import re
from typing import Any

from townhall.moderation.phases.spans import span
from townhall.moderation.pipeline import Finding, Submission

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<!\w)(?:\+?\d{1,2}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)"
)
_STREET = re.compile(
    r"\b\d{1,5}\s*,?\s+(?:(?:rue|avenue|av\.?|boulevard|boul\.?|chemin|ch\.?|route|rang|place|"
    r"allée|impasse|côte)\s+[\w'’\- ]{2,40}|[\w'’\-]+(?:\s+[\w'’\-]+){0,3}\s+(?:street|st|"
    r"avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|crescent|cres|way|place|pl|"
    r"terrace|circle|cir)\b\.?)",
    re.IGNORECASE,
)
_SOCIAL = re.compile(
    r"(?:(?:https?://)?(?:www\.)?(?:instagram\.com|facebook\.com|fb\.com|tiktok\.com|"
    r"snapchat\.com|twitter\.com|x\.com|youtube\.com|discord\.gg|discord\.com|t\.me|"
    r"threads\.net|twitch\.tv)/\S+|(?<![\w@])@[A-Za-z0-9_.]{3,30}\b|"
    r"\b(?:snap(?:chat)?|insta(?:gram)?|tiktok|discord|kik|whatsapp)\s*[:=]?\s*@?[A-Za-z0-9_.]{3,30})",
    re.IGNORECASE,
)


class YouthPrivacy:
    """In youth communities, hold comments that share emails, phones, addresses or profiles."""

    name = "youth_privacy"

    def run(self, submission: Submission) -> Finding | None:
        if not submission.story.is_youth:
            return None
        text = submission.text
        spans: list[dict[str, Any]] = []
        for kind, pattern in (("email", _EMAIL), ("phone", _PHONE), ("address", _STREET),
                              ("social", _SOCIAL)):
            spans.extend(span(m.start(), m.end(), text, kind=kind)
                         for m in pattern.finditer(text))
        if not spans:
            return None
        spans.sort(key=lambda s: s["start"])
        kinds = sorted({s["kind"] for s in spans})
        return Finding(self.name, "hold", "privacy",
                       reason="personal information: " + ", ".join(kinds), spans=spans)
