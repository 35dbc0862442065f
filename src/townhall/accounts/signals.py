"""What happens to accounts, for the layers above to act on (`docs/architecture.md`).

Signals are sent inside the transaction that makes the change; receivers connect in their
own app's `ready()`.
"""

from django.dispatch import Signal

# A sign-up used an address that already has an account: `email`, `first_name`,
# `last_name`, `password`, `language`. A receiver that takes the sign-up over (an imported
# author claiming their comments) answers True; otherwise the owner is told by email.
signup_email_taken = Signal()
# An account's address was verified for the first time: `account`.
email_verified = Signal()
# An account is being erased, before its personal data goes: `account`.
account_erasing = Signal()
# A doubted name was settled (confirmed, cleared, replaced): `account`. What the account
# wrote while its name was in doubt can be judged again.
name_trusted = Signal()
