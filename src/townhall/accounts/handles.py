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


# Public references of youth authors sit above every real account id (JavaScript still holds
# them exactly: below 2**53), so neither can be taken for the other.
_YOUTH_REF_BASE = 1 << 52


def youth_author_ref(account_id: int, site_id: int) -> int:
    """Return the number that stands for an account in a youth community's public payloads.

    Keyed with the server's secret and the site, it links a youth author's comments on that
    site to one another and to nothing else: not to the account id, which general stories
    show, nor to the same person's reference on another site.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), f"youth-ref:{site_id}:{account_id}".encode(),
                      hashlib.sha256).digest()
    return _YOUTH_REF_BASE + int.from_bytes(digest[:6], "big")
