"""The real-name policy: accept real names from every culture, refuse pseudonyms.

``check_name`` runs an ordered list of small rules, cheapest and most certain
first; the first rule that objects decides, and the rejection names the field
and the rule so the form can tell the person what to fix. Rules look at the
cleaned text (see ``normalize``); the returned display form only differs from
it in letter case, so checking a display form again accepts it unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from townhall.accounts.names.heuristics import (
    has_repeated_characters,
    is_initials_only,
    is_keyboard_mash,
)
from townhall.accounts.names.messages import MESSAGES
from townhall.accounts.names.normalize import (
    APOSTROPHES,
    COMMON,
    GERESH,
    HYPHENS,
    LATIN_LOOKALIKES,
    MIDDLE_DOTS,
    SEPARATORS,
    ZERO_WIDTH_JOINERS,
    clean_part,
    display_case,
    fold,
    is_letter,
    is_mark,
    script_of,
    scripts_compatible,
    scripts_in,
)
from townhall.accounts.names.wordlists import (
    NameWords,
    WordList,
    common_words,
    default_list,
    site_lists,
)

FIELDS = ("first_name", "last_name")
MAX_PART_LENGTH = 50
MAX_FULL_LENGTH = 100
# Longer input is refused before any Unicode work, to bound the cost.
MAX_RAW_LENGTH = 1000
MAX_COMBINING_MARKS = 4  # Hebrew and Indic letters carry up to 3-4; more is "Zalgo" text


@dataclass(frozen=True)
class NameCheck:
    """An accepted name in its normalised display form."""

    first_name: str
    last_name: str
    display_name: str


class NameRejected(Exception):
    """A name broke a rule: ``field`` says where and ``code`` which rule."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(field, code)
        self.field = field
        self.code = code
        # Lazy, so a form rendered later shows it in the request's language.
        self.lazy_message = MESSAGES[code]

    @property
    def message(self) -> str:
        """Return what the person should fix, in the active language."""
        return str(self.lazy_message)

    def __str__(self) -> str:
        return f"{self.field}: {self.code}"


# --- characters -------------------------------------------------------------

_MARKUP = re.compile(r"[<>\[\]{}]|&#?[A-Za-z0-9]+;")
_TLDS = (
    "com|net|org|edu|gov|info|biz|io|co|ca|us|uk|fr|de|ru|cn|jp|in|br|au|me|tv|ly|gg|"
    "xyz|app|dev|online|site|top|club|news|blog|shop|store|link|live|tk|ml|ga|cf|gq|ws|cc|"
    "be|ch|nl|it|es|pl|se|no|dk|fi|eu|asia|quebec|onion|ai|to|fm|am|ink|wtf|lol"
)
_URL = re.compile(rf"://|\bwww\.|[^\W\d_]{{2,}}\.(?:{_TLDS})(?![^\W\d_])", re.IGNORECASE)
_HANDLE = re.compile(
    r"[@_#]"
    r"|[^\W\d_]{2,}\d+(?!\w)"  # TrollMaster99
    r"|(?<!\w)\d+[^\W\d_]{2,}"  # 99Troll
    r"|[^\W\d_]{4,}\.[^\W\d_]{2,}"  # john.smith (St.John and Ma.Teresa stay)
    r"|(?<!\w)[xX]{2}\w+[xX]{2}(?!\w)"  # xXJohnXx gamer-tag decoration
)
_EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),
    (0x2600, 0x27BF),
    (0x2300, 0x23FF),
    (0x2B00, 0x2BFF),
    (0x2190, 0x21FF),
    (0x25A0, 0x25FF),
    (0x2900, 0x297F),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3299),
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x20DD, 0x20E4),  # enclosing keycaps and circles
)


def _is_digit(char: str) -> bool:
    return unicodedata.category(char)[0] == "N"


def _is_emoji(char: str) -> bool:
    point = ord(char)
    in_emoji_block = any(low <= point <= high for low, high in _EMOJI_RANGES)
    return in_emoji_block or unicodedata.category(char) in ("So", "Me")


def _is_glottal_seven(text: str, index: int) -> bool:
    # Squamish and other Salish orthographies write the glottal stop as "7"
    # (Ta7talíya); accept it only between two Latin letters.
    if text[index] != "7" or index == 0 or index == len(text) - 1:
        return False
    before, after = text[index - 1], text[index + 1]
    return all(
        (is_letter(c) or is_mark(c)) and script_of(c) in ("LATIN", COMMON) for c in (before, after)
    ) and not _is_digit(before)


def _digit_rule(text: str) -> str | None:
    for index, char in enumerate(text):
        if _is_digit(char) and not _is_glottal_seven(text, index):
            return "contains_digits"
    return None


def _is_length_colon(text: str, index: int) -> bool:
    # Kanien'kéha (Mohawk) marks a long vowel with a colon: Kiawentí:io.
    if text[index] != ":" or index == 0 or index == len(text) - 1:
        return False
    before = fold(text[index - 1])
    return (
        before in ("a", "e", "i", "o", "u")
        and is_letter(text[index + 1])
        and script_of(text[index + 1]) == "LATIN"
    )


def _is_stylised_letter(char: str) -> bool:
    # Small-capital Latin letters come from "fancy text" generators, never IDs.
    return unicodedata.name(char, "").startswith("LATIN LETTER SMALL CAPITAL")


def _letter_like(char: str) -> bool:
    return is_letter(char) or is_mark(char)


def _separator_misplaced(text: str, index: int) -> bool:
    char = text[index]
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if char in HYPHENS:
        return not (_letter_like(before) or before == ".") or not (
            is_letter(after) or after in APOSTROPHES
        )
    if char == ".":
        return not _letter_like(before) or not (after in " -" or is_letter(after))
    if char in APOSTROPHES:
        return not (_letter_like(before) or _letter_like(after)) or after in APOSTROPHES
    if char in MIDDLE_DOTS:
        return not (_letter_like(before) and is_letter(after))
    if char in GERESH:
        return not _letter_like(before)
    return False


def _symbol_rule(text: str) -> str | None:
    if any(_is_emoji(c) for c in text):
        return "emoji"
    marks_in_a_row = 0
    for index, char in enumerate(text):
        if is_mark(char):
            marks_in_a_row += 1
            before = text[index - 1] if index else " "
            if marks_in_a_row > MAX_COMBINING_MARKS or not (_letter_like(before)):
                return "invalid_characters"  # stacked or orphaned accents
            continue
        marks_in_a_row = 0
        if is_letter(char):
            if _is_stylised_letter(char):
                return "invalid_characters"
        elif (
            char == " "
            or char in ZERO_WIDTH_JOINERS
            or _is_glottal_seven(text, index)
            or _is_length_colon(text, index)
        ):
            continue
        elif char in SEPARATORS:
            if _separator_misplaced(text, index):
                return "invalid_characters"
        else:
            return "invalid_characters"
    return None


def _character_rule(text: str) -> str | None:
    if _MARKUP.search(text):
        return "markup"
    if _URL.search(text):
        return "url"
    if _HANDLE.search(text):
        return "handle"
    return _digit_rule(text) or _symbol_rule(text)


# --- part rules -------------------------------------------------------------


def _visible_length(text: str) -> int:
    # Vowel signs and niqqud are part of a letter, not extra length.
    return sum(1 for c in text if not is_mark(c))


def _script_rule(text: str) -> str | None:
    for word in text.split(" "):
        if not scripts_compatible(scripts_in(word)):
            return "mixed_scripts"
    return None


def _length_rule(text: str) -> str | None:
    if _visible_length(text) > MAX_PART_LENGTH:
        return "too_long"
    if not scripts_in(text):
        return "too_short"  # only punctuation or script-neutral marks (ー, ʼ)
    return None


def _shape_rule(text: str) -> str | None:
    if is_initials_only(text):
        return "initials_only"
    if has_repeated_characters(text):
        return "repeated_characters"
    if is_keyboard_mash(text):
        return "keyboard_mash"
    return None


# Certain rules first; the shape heuristics come last, after the word lists,
# so "CBC News" is reported as the publisher rather than as initials.
_CERTAIN_PART_RULES: tuple[Callable[[str], str | None], ...] = (
    _character_rule,
    _script_rule,
    _length_rule,
)


def _check_parts(parts: Mapping[str, str], rules: Iterable[Callable[[str], str | None]]) -> None:
    for field in FIELDS:
        if not parts[field]:
            raise NameRejected(field, "required")
        for rule in rules:
            code = rule(parts[field])
            if code is not None:
                raise NameRejected(field, code)


# --- whole-name rules ------------------------------------------------------


def _lookalike_rule(parts: Mapping[str, str]) -> None:
    """Refuse a Cyrillic or Greek word spelled only with Latin look-alikes.

    Beside Latin words, ``Ѕmith`` written wholly in Cyrillic letters is an
    impersonation; a name written wholly in Cyrillic is not concerned.
    """
    words = [(field, word) for field in FIELDS for word in parts[field].split(" ")]
    if not any(scripts_in(word) == {"LATIN"} for _, word in words):
        return
    for field, word in words:
        letters = [c for c in word if is_letter(c)]
        if (
            scripts_in(word) <= {"CYRILLIC", "GREEK"}
            and letters
            and all(c.lower() in LATIN_LOOKALIKES for c in letters)
        ):
            raise NameRejected(field, "mixed_scripts")


def _publisher_rule(name: NameWords, publisher_names: Iterable[str]) -> None:
    glued_name = "".join(name.tokens)
    for publisher in publisher_names:
        if not isinstance(publisher, str):
            continue
        words = NameWords.of(clean_part(publisher), "").tokens
        if not words:
            continue
        width = len(words)
        for start in range(len(name.tokens)):
            if name.tokens[start : start + width] == words:
                raise NameRejected(name.fields[start], "publisher_name")
        # The publisher's words glued together only count as the whole name:
        # "Lapresse" is a real surname beside the newspaper La Presse.
        if glued_name == "".join(words):
            raise NameRejected("first_name", "publisher_name")


_LIST_CODES = {
    "profanity": "profanity",
    "role": "role_word",
    "placeholder": "placeholder",
    "slogan": "slogan",
}
# When a name is made only of weak words, the list holding most of them
# names the rule; ties go to the first kind here.
_WEAK_PRIORITY = ("slogan", "role", "placeholder", "profanity")


def _word_list_rule(name: NameWords, lists: Mapping[str, WordList]) -> None:
    for kind in ("profanity", "role", "placeholder", "slogan"):
        match = lists[kind].strong_match(name)
        if match is not None:
            raise NameRejected(match.field, _LIST_CODES[kind])
    if not name.tokens:
        return
    counts = {kind: sum(1 for t in name.tokens if t in lists[kind].weak) for kind in _WEAK_PRIORITY}
    if all(any(t in lists[kind].weak for kind in _WEAK_PRIORITY) for t in name.tokens):
        kind = max(_WEAK_PRIORITY, key=lambda k: (counts[k], -_WEAK_PRIORITY.index(k)))
        raise NameRejected("first_name", _LIST_CODES[kind])


def _clean_inputs(first_name: str, last_name: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for field, value in zip(FIELDS, (first_name, last_name), strict=True):
        text = value if isinstance(value, str) else ""
        if len(text) > MAX_RAW_LENGTH:
            raise NameRejected(field, "too_long")
        parts[field] = clean_part(text)
    return parts


def check_name(
    first_name: str,
    last_name: str,
    *,
    publisher_names: Iterable[str] = (),
    extra_words: Mapping[str, Iterable[str]] | None = None,
) -> NameCheck:
    """Normalise and check a first/last name pair; raise NameRejected naming the field and rule.

    ``publisher_names`` are the site's own names (``CBC News``), refused as
    a person's name. ``extra_words`` adds a site's entries to the
    ``profanity``, ``placeholder``, ``role`` and ``slogan`` lists, in the
    syntax of ``data/README.txt``.
    """
    lists = site_lists(extra_words)
    parts = _clean_inputs(first_name, last_name)
    _check_parts(parts, _CERTAIN_PART_RULES)
    _lookalike_rule(parts)
    if (
        _visible_length(parts["first_name"]) + 1 + _visible_length(parts["last_name"])
        > MAX_FULL_LENGTH
    ):
        raise NameRejected("last_name", "too_long")
    name = NameWords.of(parts["first_name"], parts["last_name"])
    _publisher_rule(name, publisher_names)
    _word_list_rule(name, lists)
    _check_parts(parts, (_shape_rule,))
    first = display_case(parts["first_name"], is_last_name=False)
    last = display_case(parts["last_name"], is_last_name=True)
    return NameCheck(first_name=first, last_name=last, display_name=f"{first} {last}")


# --- suspicion ------------------------------------------------------------

_CAMEL_HANDLE = re.compile(r"[a-z]{4,}[A-Z][a-z]")  # TrollMaster, not DeShawn or MacKenzie


def _signals(raw: str, checked: NameCheck) -> Iterator[float]:
    """Yield the weight of each doubt a passing name raises.

    Weights are tuned to the default flagging threshold of 0.8: a famous or
    prank name, or a name made only of everyday words, is flagged on its
    own; the weaker signals only when several come together.
    """
    name = NameWords.of(checked.first_name, checked.last_name)
    weak = frozenset().union(*(default_list(kind).weak for kind in _LIST_CODES))
    everyday = common_words() | weak
    if default_list("famous").strong_match(name) is not None:
        yield 0.8
    if all(t in everyday for t in name.tokens):
        yield 0.8
    elif name.tokens and name.tokens[0] in everyday:
        yield 0.3
    if _CAMEL_HANDLE.search(raw):
        yield 0.5
    # The same first and last name is also how people with one name fill the form.
    if fold(checked.first_name) == fold(checked.last_name):
        yield 0.4
    cased = [c for c in raw if c.isupper() or c.islower()]
    if len(cased) >= 4 and all(c.isupper() for c in cased):
        yield 0.2
    parts = (checked.first_name, checked.last_name)
    if any(sum(1 for c in p if is_letter(c)) == 1 for p in parts):
        yield 0.15
    scripts = scripts_in(checked.display_name)
    if "LATIN" in scripts and len(scripts) > 1:
        yield 0.2
    if "7" in checked.display_name:
        yield 0.2
    if any(len(p.split(" ")) > 4 for p in parts):
        yield 0.1


def suspicion_score(first_name: str, last_name: str) -> float:
    """Return 0..1: how doubtful a name that passes the rules still looks.

    Signals: a famous or prank name, words that are all everyday nouns or
    adjectives, handle-like capitals (TrollMaster), the same first and last
    name, all-capital input, a one-letter part, Latin beside other scripts.
    A refused name scores 1.
    """
    try:
        checked = check_name(first_name, last_name)
    except NameRejected:
        return 1.0
    raw = f"{first_name} {last_name}"
    return min(1.0, round(sum(_signals(raw, checked)), 2))
