"""Email leaves through the task queue, never inside a request.

`QueuedBackend` is the `default` mailer: sending a message stores it as a job, and the task
runner hands it to the `outgoing` mailer (SMTP, the outbox files…). An SMTP outage therefore
answers no request with a 500, and no request waits on the mail server: the job retries with
backoff until the server takes the message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend

from townhall.core.mail import BrandedEmail
from townhall.notify import tasks

OUTGOING = "outgoing"
# About a day of retries: 1, 2, 4 … minutes, capped by the task runner's longest backoff.
ATTEMPTS = 12
BACKOFF_SECONDS = 60


class QueuedBackend(BaseEmailBackend):
    """Queue each message for the task runner instead of sending it."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            tasks.enqueue("townhall.notify.mailqueue.deliver", max_attempts=ATTEMPTS,
                          backoff_seconds=BACKOFF_SECONDS, message=_as_json(message))
        return len(email_messages)


def _as_json(message: EmailMessage) -> dict[str, Any]:
    alternatives = getattr(message, "alternatives", [])
    return {
        "subject": str(message.subject), "body": str(message.body),
        "from_email": message.from_email, "to": list(message.to), "cc": list(message.cc),
        "bcc": list(message.bcc), "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [[str(content), str(mimetype)] for content, mimetype in alternatives],
    }


def deliver(*, message: dict[str, Any]) -> None:
    """Hand one queued message to the outgoing mailer; raise (and be retried) if it fails."""
    # Built again as composed (core/mail.py): long header lines such as List-Unsubscribe kept
    # whole.
    email = BrandedEmail(
        subject=message["subject"], body=message["body"], from_email=message["from_email"],
        to=message["to"], cc=message["cc"], bcc=message["bcc"], reply_to=message["reply_to"],
        headers=message["headers"],
    )
    for content, mimetype in message["alternatives"]:
        email.attach_alternative(content, mimetype)
    mailers[OUTGOING].send_messages([email])
