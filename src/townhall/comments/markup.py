"""The comment Markdown subset: paragraphs, line breaks, **bold**, *italic* and links.

Source text is escaped first, then the few constructs are turned into tags, then nh3 cleans
the result against an allowlist — so whatever a reader types, only these tags survive.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "a"}
# "*": no attribute on every tag (nh3 would otherwise keep `title` and `lang` everywhere).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}, "*": set()}
LINK_REL = "nofollow ugc noopener"

_LINK = re.compile(r"\[([^\[\]\n]{1,200})\]\((https?://[^\s()<>\"']{1,2000})\)")
_BARE_URL = re.compile(r"(?<![\"'=/\w])(https?://[^\s<>\"']{1,2000}[^\s<>\"'.,;:!?)\]])")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)


def clean_source(text: str) -> str:
    """Normalise what a reader typed: newlines, control characters, surrounding space."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def render(source: str) -> str:
    """Return safe HTML for cleaned comment source."""
    paragraphs = [p for p in source.split("\n\n") if p.strip()]
    rendered = [f"<p>{_inline(p.strip())}</p>" for p in paragraphs]
    return sanitize("".join(rendered))


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=True)
    links: list[str] = []

    def stash(anchor: str) -> str:
        links.append(anchor)
        return f"\x00{len(links) - 1}\x00"

    def named_link(match: re.Match[str]) -> str:
        label, url = match.group(1), html.unescape(match.group(2))
        return stash(f'<a href="{html.escape(url, quote=True)}">{label}</a>')

    def bare_link(match: re.Match[str]) -> str:
        url = html.unescape(match.group(1))
        return stash(f'<a href="{html.escape(url, quote=True)}">{match.group(1)}</a>')

    escaped = _LINK.sub(named_link, escaped)
    escaped = _BARE_URL.sub(bare_link, escaped)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _ITALIC.sub(r"<em>\1</em>", escaped)
    escaped = escaped.replace("\n", "<br>")
    return re.sub("\x00(\\d+)\x00", lambda m: links[int(m.group(1))], escaped)


def sanitize(fragment: str) -> str:
    """Clean an HTML fragment down to the comment allowlist."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        attribute_filter=_absolute_links_only,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    """Keep only absolute http(s) links: no relative, protocol-relative or odd-space URLs."""
    if attribute == "href" and not value.lower().startswith(("http://", "https://")):
        return None
    return value


def plain_text(source: str) -> str:
    """Return the source without Markdown markers (for classifiers and notifications)."""
    text = _LINK.sub(r"\1 \2", source)
    return re.sub(r"\*\*|(?<!\w)\*|\*(?!\w)", "", text)
