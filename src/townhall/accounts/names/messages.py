"""Rule codes, their descriptions and the messages shown to the person.

Messages are lazy so they render in the language of the request that shows
them. Their French text lives in ``data/messages_fr.json`` until the project
catalogue carries it; :func:`po_fragment` returns it in ``.po`` form::

    python -c "from townhall.accounts.names.messages import po_fragment; print(po_fragment())"
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from django.utils.translation import gettext_lazy


def gettext_noop(message: str) -> str:
    """Mark ``message`` for makemessages and return it unchanged.

    Django's own gettext_noop reads settings, which must not happen at import.
    """
    return message


# code -> short English description, for documentation and the dashboard.
NAME_RULES: dict[str, str] = {
    "required": "A first and a last name are both required.",
    "too_short": "A name part contains no letters.",
    "too_long": "A name part is over 50 characters or the full name is over 100.",
    "markup": "The name contains HTML or other markup.",
    "url": "The name contains a web address or domain.",
    "handle": "The name looks like a username or e-mail address (@, _, #, trailing digits).",
    "contains_digits": "The name contains digits.",
    "emoji": "The name contains emoji or pictographs.",
    "invalid_characters": "The name contains symbols or misplaced punctuation.",
    "mixed_scripts": "A word mixes alphabets, or imitates Latin letters with look-alikes.",
    "initials_only": "A name part is initials only.",
    "repeated_characters": "The name repeats letters or syllables abnormally.",
    "keyboard_mash": "The name looks like random typing.",
    "publisher_name": "The name is the publisher's own name.",
    "profanity": "The name contains an offensive word.",
    "role_word": "The name claims a role such as admin, moderator or staff.",
    "placeholder": "The name is a placeholder, test or fictional name.",
    "slogan": "The name is a description or slogan rather than a name.",
}

# English text, marked for makemessages without translating at import time.
ENGLISH_MESSAGES: dict[str, str] = {
    "required": gettext_noop(
        "Enter both your first and your last name. "
        "If you have only one name, enter it in both fields."
    ),
    "too_short": gettext_noop(
        "Enter a name with at least one letter; punctuation alone is not a name."
    ),
    "too_long": gettext_noop(
        "This name is too long: each field takes up to 50 characters and the full name up to 100. "
        "You can leave out some middle names."
    ),
    "markup": gettext_noop(
        "Names can't contain HTML or other markup such as < > [ ] { }. "
        "Enter your name as plain text."
    ),
    "url": gettext_noop("Names can't contain a web address. Enter your own first and last name."),
    "handle": gettext_noop(
        "This looks like a username or an e-mail address. "
        "Enter your real first and last name instead."
    ),
    "contains_digits": gettext_noop(
        "Names can't contain digits. Write your name as it appears on your official documents."
    ),
    "emoji": gettext_noop(
        "Names can't contain emoji or symbols. Remove them and keep the letters of your name."
    ),
    "invalid_characters": gettext_noop(
        "Names can contain letters, spaces, hyphens, apostrophes and periods only, "
        "each next to a letter. Remove the other symbols."
    ),
    "mixed_scripts": gettext_noop(
        "A word in this name mixes letters from different alphabets, which can imitate another "
        "name. Type each word again using a single alphabet."
    ),
    "initials_only": gettext_noop(
        "Initials alone aren't enough. Write out this name in full; "
        "you can keep initials for middle names."
    ),
    "repeated_characters": gettext_noop(
        "This name repeats the same letters too many times. Enter your real name; "
        "if it really is spelled this way, contact the moderators."
    ),
    "keyboard_mash": gettext_noop(
        "This looks like random typing rather than a name. Enter your real name; "
        "if it really is spelled this way, contact the moderators."
    ),
    "publisher_name": gettext_noop(
        "This is the name of the publication. Enter your own first and last name."
    ),
    "profanity": gettext_noop(
        "Names can't contain offensive words. Enter your real name; "
        "if this really is your name, contact the moderators."
    ),
    "role_word": gettext_noop(
        "Names can't include words such as Admin, Moderator, Staff or Editor, so that no one is "
        "mistaken for the team. Enter your own name."
    ),
    "placeholder": gettext_noop(
        "This looks like a placeholder, test or fictional name. Enter your own name; "
        "if this really is your name, contact the moderators."
    ),
    "slogan": gettext_noop(
        "Enter your name rather than a description or a slogan such as “Concerned Citizen”: "
        "comments here appear under real names."
    ),
}


# code -> message translated when rendered, in the language active then.
MESSAGES = {code: gettext_lazy(text) for code, text in ENGLISH_MESSAGES.items()}


@cache
def french_messages() -> dict[str, str]:
    """Return the French translation of every message, keyed by English msgid."""
    resource = files("townhall.accounts.names") / "data" / "messages_fr.json"
    loaded: dict[str, str] = json.loads(resource.read_text(encoding="utf-8"))
    return loaded


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def po_fragment() -> str:
    """Return the French messages as a ``.po`` fragment for the project catalogue."""
    french = french_messages()
    entries = []
    for code, msgid in ENGLISH_MESSAGES.items():
        entries.append(
            f"#. Name policy rule: {code}\n"
            "#: src/townhall/accounts/names/messages.py\n"
            f"msgid {_po_quote(msgid)}\nmsgstr {_po_quote(french[msgid])}\n"
        )
    return "\n".join(entries)
