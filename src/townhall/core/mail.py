"""Email: the default backend writes each message as an .eml file a person can open; every
message a reader receives is composed here, as text and its branded HTML twin."""

from __future__ import annotations

import email.policy
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from townhall.core import clock


class OutboxBackend(BaseEmailBackend):
    """Write every message to `$TOWNHALL_DATA_DIR/outbox/<time>-<random>.eml`."""

    def __init__(self, *args: Any, file_path: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
            path = self.directory / f"{stamp}-{secrets.token_hex(4)}.eml"
            path.write_bytes(message.message().as_bytes())
            sent += 1
        return sent


# ----------------------------------------------------------------- branded messages

# RFC 5322 allows 998 characters a line; the default 78 would turn a long unsubscribe link
# into encoded words that mail clients do not read as a List-Unsubscribe address.
LONG_LINES = email.policy.default.clone(max_line_length=998)
URL = re.compile(r"(https?://[^\s<>\"]+)")
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#b3121b"


@dataclass(frozen=True)
class Brand:
    """Who an email comes from, as the reader knows them: the publisher's name, colour and
    logo (its site settings), and the address its name links to."""

    name: str
    colour: str = DEFAULT_COLOUR
    logo_url: str = ""
    home_url: str = ""

    @property
    def safe_colour(self) -> str:
        """The colour as #rrggbb, the default when the stored one is not."""
        return self.colour if HEX.match(self.colour) else DEFAULT_COLOUR

    @property
    def ink(self) -> str:
        """Black or white, whichever reads better on the brand colour (WCAG contrast)."""
        colour = self.safe_colour
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        return "#111111" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


class BrandedEmail(EmailMultiAlternatives):
    """A plain-text email with its HTML twin; long header lines kept whole."""

    def message(self, *, policy: Any = LONG_LINES) -> Any:
        return super().message(policy=policy)


def _paragraphs(text: str) -> list[dict[str, Any]]:
    """Split plain text into blocks for the HTML twin: paragraphs (lines kept), quotes
    ("> ") and headings ("== … =="); links become links, everything else is escaped."""
    blocks: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith(">") for line in lines):
            kind, lines = "quote", [line.lstrip()[1:].strip() for line in lines]
        elif len(lines) == 1 and lines[0].startswith("== ") and lines[0].endswith(" =="):
            kind, lines = "heading", [lines[0][3:-3]]
        else:
            kind = "text"
        html = _linked(lines[0])
        for line in lines[1:]:
            html = format_html("{}<br>{}", html, _linked(line))
        blocks.append({"kind": kind, "html": html})
    return blocks


def _linked(line: str) -> SafeString:
    """Escape a line of text, its http(s) addresses made links."""
    html = SafeString("")
    for n, part in enumerate(URL.split(line)):
        if n % 2:
            html = format_html('{}<a href="{}" style="color:inherit">{}</a>', html, part, part)
        else:
            html = format_html("{}{}", html, part)
    return html


def compose(*, subject: str, text: str, to: list[str], brand: Brand,
            headers: dict[str, str] | None = None) -> BrandedEmail:
    """Return the email a reader receives: the text as written, signed with the brand, and
    an HTML twin in the brand's colour and logo. A footer starts after a line "--"."""
    body, _sep, footer = text.partition("\n--\n")
    signed = f"{body.rstrip()}\n\n{brand.name}\n{brand.home_url}".rstrip()
    plain = f"{signed}\n\n--\n{footer.strip()}" if footer.strip() else signed
    language = translation.get_language() or "en"
    html = render_to_string("email/branded.html", {
        "subject": subject, "brand": brand, "language": language,
        "blocks": _paragraphs(body), "footer": _paragraphs(footer),
        "colour": brand.safe_colour,
        "logo": brand.logo_url if brand.logo_url.startswith("https://") else "",
    })
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@townhall.localhost"
    message = BrandedEmail(subject=subject, body=plain, to=to,
                           from_email=formataddr((brand.name, address)),
                           headers={"Content-Language": language, **(headers or {})})
    message.attach_alternative(html, "text/html")
    return message
