"""Email delivery: the default backend writes each message as an .eml file a person can open."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

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
