"""Friendly generated handles that stand in for real names in youth communities.

A handle is stable per account and site, never derived from the name, and keyed with the
server's secret so it cannot be reversed into an account id.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

ADJECTIVES = {
    "en": ["Curious", "Brave", "Gentle", "Clever", "Cheerful", "Quiet", "Bright", "Kind",
           "Swift", "Patient", "Bold", "Calm", "Friendly", "Lively", "Thoughtful", "Sunny"],
    "fr": ["curieux", "brave", "doux", "malin", "joyeux", "calme", "vif", "gentil",
           "rapide", "patient", "hardi", "serein", "aimable", "espiègle", "songeur", "radieux"],
}
ANIMALS = {
    "en": ["Otter", "Fox", "Owl", "Heron", "Beaver", "Lynx", "Moose", "Loon", "Puffin",
           "Marten", "Caribou", "Badger", "Falcon", "Walrus", "Narwhal", "Raven"],
    "fr": ["Castor", "Renard", "Hibou", "Héron", "Lynx", "Orignal", "Huard", "Macareux",
           "Blaireau", "Faucon", "Morse", "Narval", "Corbeau", "Caribou", "Écureuil", "Loup"],
}


def youth_handle(account_id: int, site_id: int, language: str) -> str:
    """Return the account's handle on a site, e.g. 'Curious Otter 42' or 'Castor curieux 42'."""
    lang = language if language in ADJECTIVES else "en"
    digest = hmac.new(settings.SECRET_KEY.encode(), f"youth:{site_id}:{account_id}".encode(),
                      hashlib.sha256).digest()
    adjective = ADJECTIVES[lang][digest[0] % len(ADJECTIVES[lang])]
    animal = ANIMALS[lang][digest[1] % len(ANIMALS[lang])]
    number = int.from_bytes(digest[2:4], "big") % 90 + 10
    if lang == "fr":
        return f"{animal} {adjective} {number}"
    return f"{adjective} {animal} {number}"
