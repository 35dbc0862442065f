"""Shape heuristics: initials, repeated letters and keyboard mashing.

Each check looks at one cleaned name part and answers yes or no. They are
tuned to stay quiet on real names with long consonant clusters (Mkrtchyan,
Szczepański, Brzęczyszczykiewicz, Nietzsche, Tjhin, Llwyd, Ng) and to catch
what a person types when they do not want to give a name.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

from townhall.accounts.names.normalize import (
    SYLLABIC_SCRIPTS,
    fold,
    is_letter,
    scripts_in,
    word_keys,
)

_LATIN_VOWELS = frozenset("aeiouy")
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєў")
_GREEK_VOWELS = frozenset("αεηιουω")
_GENERATION_SUFFIXES = frozenset({"ii", "iii", "iv", "jr", "sr"})


def _letters(word: str) -> list[str]:
    return [c for c in word if is_letter(c)]


def _has_vowel(word: str) -> bool:
    # Accents stripped but no look-alike folding: Greek μ is no Latin u.
    bare = unicodedata.normalize("NFKD", word.lower())
    return any(c in _LATIN_VOWELS or c in _CYRILLIC_VOWELS or c in _GREEK_VOWELS for c in bare)


# --- initials ---------------------------------------------------------------


# Alphabets that write vowels as letters, where a vowelless "JS" is initials.
# Abjads and abugidas (Arabic, Hebrew, Devanagari, Thai…) leave vowels
# implicit, so a short word there says nothing about initials.
_VOWEL_ALPHABETS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN"})
# Abjad letters are consonants: one alone is an initial, as in Latin.
_ABJADS = frozenset({"ARABIC", "HEBREW", "SYRIAC"})


def _is_initial(word: str) -> bool:
    """Say whether one word is an initial or a run of initials."""
    letters = _letters(word)
    scripts = scripts_in(word)
    if not letters or scripts & SYLLABIC_SCRIPTS:
        return False
    segments = [s for s in re.split(r"[.\-]", word) if s]
    if len(segments) > 1 and all(len(_letters(s)) == 1 for s in segments):
        return True  # J.S., J.-P., A.E.
    if len(letters) == 1:
        if "." in word or scripts & _ABJADS:
            return True
        # A lone vowel is a name in its own right: Korean O, Vietnamese Y.
        return bool(scripts & _VOWEL_ALPHABETS) and not _has_vowel(word)
    if len(letters) <= 3 and scripts <= _VOWEL_ALPHABETS and not _has_vowel(word):
        key = fold("".join(letters))
        if key.endswith("ng"):
            return False  # syllabic nasal: Ng, Hng, Sng, Png
        # Syllabic r and l make Czech Vlk, Krk, Krč names; anything else is JS, JFK, Mr.
        syllabic = len(key) == 3 and key[1] in "rl" and len(set(key)) == 3
        return not syllabic or word.isupper()
    return False


def is_initials_only(part: str) -> bool:
    """Say whether every word of the part is an initial (``J. S.``, ``JS``)."""
    words = part.split(" ")
    return all(_is_initial(w) for w in words)


# --- repetition -------------------------------------------------------------

_REPEATED_UNIT = re.compile(r"(.{1,3}?)\1{2,}.{0,2}")
_REPEATED_PAIR = re.compile(r"(..)\1{3,}")


def _entropy(text: str) -> float:
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def has_repeated_characters(part: str) -> bool:
    """Say whether a word stutters: ``Aaaaaa``, ``Hahaha``, ``Lalalala``.

    Doubled syllables are common in real names (Momo, Lulu, Bongbong), so a
    unit must repeat at least three times, or the word must use almost no
    distinct letters for its length.
    """
    for joined, segments in word_keys(part):
        if joined in _GENERATION_SUFFIXES:
            continue
        for segment in segments:
            if re.search(r"(.)\1\1", segment):
                return True
        if len(joined) >= 6 and (_REPEATED_UNIT.fullmatch(joined) or _REPEATED_PAIR.search(joined)):
            return True
        # Low character entropy: about two letters spread over 8 or more
        # (shorter words like Inuktitut Qaqqaq are real).
        if len(joined) >= 8 and _entropy(joined) <= 1.0:
            return True
    return False


# --- keyboard mashing -------------------------------------------------------

# (row, shortest run that counts). Top rows hold vowels and real names cross
# them (Ewert, Trewin, Gerty), so they need longer runs.
_KEYBOARD_ROWS: tuple[tuple[str, int], ...] = (
    ("qwertyuiop", 5),
    ("asdfghjkl", 4),
    ("zxcvbnm", 4),
    ("azertyuiop", 5),
    ("qsdfghjklm", 4),
    ("wxcvbn", 4),
    ("qwertzuiop", 5),
    ("yxcvbnm", 4),
    ("йцукенгшщзхъ", 5),
    ("фывапролджэ", 5),
    ("ячсмитьбю", 5),
    ("abcdefghijklmnopqrstuvwxyz", 4),
)
_HOME_ROWS = (frozenset("asdfghjkl"), frozenset("qsdfghjklm"))

# Consonant letter groups that spell one sound in some orthography, so
# "Mkrtchyan" or "Chrzczonowicz" are not read as long random clusters.
_CONSONANT_GROUPS = (
    "tsch", "sch", "tch", "dzs", "tsh",
    "ch", "sh", "th", "ph", "gh", "kh", "zh", "dh", "bh", "jh", "rh", "wh",
    "sz", "cz", "rz", "dz", "zs", "cs", "gy", "ny", "ly", "ts", "tz", "ck", "ng",
)  # fmt: skip
_LONGEST_CONSONANT_RUN = 7


def _keyboard_run(word: str) -> bool:
    # A short run typed twice is as telling as a long one: asdasd, qweqwe.
    doubled = re.fullmatch(r"(.{3})\1", word)
    for row, threshold in _KEYBOARD_ROWS:
        if doubled and (doubled.group(1) in row or doubled.group(1) in row[::-1]):
            return True
        backwards = row[::-1]
        for start in range(len(word) - threshold + 1):
            window = word[start : start + threshold]
            if window in row or window in backwards:
                return True
    return False


def _consonant_units(run: str) -> int:
    units = 0
    index = 0
    while index < len(run):
        for group in _CONSONANT_GROUPS:
            if run.startswith(group, index):
                index += len(group)
                break
        else:
            # A doubled letter is one sound: "ll", "ss".
            index += 2 if run[index : index + 2] == run[index] * 2 else 1
        units += 1
    return units


def _longest_consonant_cluster(word: str) -> int:
    clusters = re.findall(r"[b-df-hj-np-tv-xz]+", word)
    return max((_consonant_units(c) for c in clusters), default=0)


def _looks_mashed(word: str) -> bool:
    if _keyboard_run(word):
        return True
    if not word.isascii():
        return False  # the remaining checks read Latin letters only
    vowels = sum(1 for c in word if c in _LATIN_VOWELS)
    if len(word) >= 5 and vowels == 0 and "w" not in word:
        return True  # Xkcdfg, Hfjdks; Welsh w is a vowel (Crwth)
    if len(word) >= 5 and vowels <= 1 and any(set(word) <= row for row in _HOME_ROWS):
        return True  # Ajsjdj: both hands resting on the home row
    return _longest_consonant_cluster(word) >= _LONGEST_CONSONANT_RUN


def is_keyboard_mash(part: str) -> bool:
    """Say whether any word looks like random typing rather than a name."""
    for word in part.split(" "):
        scripts = scripts_in(word)
        if not scripts <= {"LATIN", "CYRILLIC"}:
            continue  # keyboard rows and vowels below are Latin and Cyrillic only
        if _keyboard_run(re.sub(r"\W", "", word.casefold())):
            return True
        if scripts == {"LATIN"}:
            for joined, segments in word_keys(word):
                if any(_looks_mashed(w) for w in {joined, *segments}):
                    return True
    return False
