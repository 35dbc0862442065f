"""Find executable or layout-breaking constructs in an HTML fragment by parsing it."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ALLOWED_TAGS = {"p", "br", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "rel"}}
SAFE_SCHEMES = ("http://", "https://")
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "href":
                url = _CONTROL.sub("", html.unescape(value or "")).lower()
                if not url.startswith(SAFE_SCHEMES):
                    self.problems.append(f"href {value!r}")
        if tag == "a" and "noopener" not in (dict(attrs).get("rel") or ""):
            self.problems.append("link without rel=noopener")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("CDATA or unknown declaration")


def problems(fragment: str) -> list[str]:
    """Return what in the fragment could run script, load something or escape its box."""
    finder = _Finder()
    finder.feed(fragment)
    finder.close()
    return finder.problems
