"""Links: links are held or allowed by the site's link policy."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from townhall.moderation.phases.spans import span
from townhall.moderation.pipeline import Action, Finding, Submission

_LINK = re.compile(
    r"(?:https?://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+|"
    r"(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|net|org|info|biz|io|co|ca|fr|ly|xyz|ru|cn|top|"
    r"shop|site|online|club|app|me|tv|us|uk|de|be|ch|qc\.ca)(?:/[^\s<>\"')\]]*)?(?![\w.-]))",
    re.IGNORECASE,
)


def link_host(url: str) -> str:
    """Return the lower-case host of a URL-like string."""
    target = url if "://" in url else f"http://{url}"
    try:
        host = urlsplit(target).hostname or ""
    except ValueError:  # e.g. "http://[not-ipv6": judge the text as written
        host = target.split("://", 1)[1].split("/", 1)[0]
    return host.lower().removeprefix("www.")


def _host_allowed(host: str, allowed: set[str]) -> bool:
    return any(host == d or host.endswith(f".{d}") for d in allowed)


class Links:
    """Hold links to domains the site has not allowed (or only flag them, by setting)."""

    name = "links"

    def run(self, submission: Submission) -> Finding | None:
        text = submission.text
        found = [(m, link_host(m.group(0))) for m in _LINK.finditer(text)]
        if not found:
            return None
        config = submission.config
        allowed = {d.lower().removeprefix("www.") for d in config.link_domains}
        allowed |= {link_host(o) for o in submission.story.site.origins}
        if submission.story.url:
            allowed.add(link_host(submission.story.url))
        outside = [(m, host) for m, host in found if host and not _host_allowed(host, allowed)]
        if not outside:
            return None
        spans = [span(m.start(), m.end(), text, host=host) for m, host in outside]
        hosts = ", ".join(dict.fromkeys(h for _m, h in outside))
        action: Action = "hold" if config.link_policy == "hold" else "flag"
        return Finding(self.name, action, "spam", reason=f"links to {hosts}", spans=spans)
