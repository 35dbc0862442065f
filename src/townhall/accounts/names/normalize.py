"""Turn a name as typed into its display form and into keys the rules compare.

Three forms matter:

- ``clean_part``: what the person meant to type. Unicode compatibility forms are
  folded (NFKC), invisible characters dropped, whitespace collapsed and dash,
  apostrophe and dot look-alikes unified. Nothing visible is lost.
- ``display_case``: the clean form with the case fixed where it was clearly
  accidental (all capitals, all lower case, caps lock inverted).
- ``fold``: a matching key that ignores case, accents and look-alike letters
  from other alphabets, so word lists need one entry per word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# Separators a name may contain besides letters and spaces.
APOSTROPHES = frozenset("'\u2019\u2018\u02bc\u02bb")  # ' ’ ‘ ʼ ʻ (ʻokina)
HYPHENS = frozenset("-\u05be")  # hyphen-minus, Hebrew maqaf
MIDDLE_DOTS = frozenset("\u00b7\u30fb")  # Catalan l·l, Chinese and Japanese name dots
GERESH = frozenset("\u05f3\u05f4")  # Hebrew transliteration marks (ג׳ורג׳)
ZERO_WIDTH_JOINERS = frozenset("\u200c\u200d")
SEPARATORS = APOSTROPHES | HYPHENS | MIDDLE_DOTS | GERESH | frozenset(".")

COMMON = "COMMON"

# Typed look-alikes mapped before NFKC, which would otherwise turn a lone
# acute accent into a space plus a combining mark.
_PREMAP = str.maketrans(
    {
        "`": "'",
        "\u00b4": "'",  # acute accent typed as an apostrophe
        "\u2032": "'",  # prime
        "\u02b9": "'",  # modifier prime
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2022": "\u00b7",
        "\u2027": "\u00b7",
        "\u2219": "\u00b7",
        "\u22c5": "\u00b7",
        "\u0640": None,  # Arabic tatweel only stretches letters for decoration
    }
)

# Invisible code points that are not category Cf but still render as nothing;
# Hangul fillers in particular are a known way to submit a blank name.
_INVISIBLE = frozenset(
    "\u034f"  # combining grapheme joiner
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u17b4\u17b5"  # Khmer inherent vowels (deprecated, invisible)
)

# Scripts in which ZWNJ/ZWJ change spelling (Persian half-space, Indic
# conjuncts), so they survive between two letters of the same such script.
_JOINER_SCRIPTS = frozenset(
    {
        "ARABIC",
        "SYRIAC",
        "DEVANAGARI",
        "BENGALI",
        "GURMUKHI",
        "GUJARATI",
        "ORIYA",
        "TAMIL",
        "TELUGU",
        "KANNADA",
        "MALAYALAM",
        "SINHALA",
        "MYANMAR",
        "KHMER",
    }
)

_MULTI_WORD_SCRIPTS = (
    "CANADIAN SYLLABICS",
    "OL CHIKI",
    "NEW TAI LUE",
    "TAI THAM",
    "TAI VIET",
    "TAI LE",
    "MEETEI MAYEK",
    "HANIFI ROHINGYA",
    "PAHAWH HMONG",
    "NYIAKENG PUACHUE HMONG",
    "MASARAM GONDI",
    "GUNJALA GONDI",
    "SYLOTI NAGRI",
    "KAYAH LI",
)

# Scripts where one character is a syllable or a word, so a one-character
# name is a whole name rather than an initial.
SYLLABIC_SCRIPTS = frozenset(
    {
        "HAN",
        "HANGUL",
        "HIRAGANA",
        "KATAKANA",
        "BOPOMOFO",
        "YI",
        "ETHIOPIC",
        "CANADIAN SYLLABICS",
        "CHEROKEE",
        "VAI",
        "TANGUT",
    }
)

# Scripts with upper and lower case where title case is the convention.
# Georgian and Cherokee have case too, but names are written in one case.
CASED_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC", "ARMENIAN"})

# Scripts that may share one word: Japanese mixes kanji and kana (さち子),
# Korean may mix hanja and hangul.
_COMPATIBLE_SCRIPTS = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HAN", "HANGUL"}),
    frozenset({"HAN", "BOPOMOFO"}),
)


@lru_cache(maxsize=8192)
def script_of(char: str) -> str:
    """Return the script of a letter or mark, or ``COMMON`` for anything else."""
    category = unicodedata.category(char)
    if category[0] not in "LM" or char in APOSTROPHES:
        return COMMON
    name = unicodedata.name(char, "")
    if not name:
        return "UNKNOWN"
    if name.startswith(("KATAKANA-HIRAGANA", "MODIFIER LETTER", "COMBINING")):
        return COMMON
    if "IDEOGRAPH" in name or name.startswith(("CJK ", "IDEOGRAPHIC ")):
        return "HAN"
    for script in _MULTI_WORD_SCRIPTS:
        if name.startswith(script):
            return script
    return name.split(" ", 1)[0]


def scripts_in(text: str) -> frozenset[str]:
    """Return the scripts of the letters in ``text``, ignoring shared characters."""
    return frozenset(s for s in map(script_of, text) if s != COMMON)


def scripts_compatible(scripts: frozenset[str]) -> bool:
    """Say whether letters of these scripts may legitimately share one word."""
    if len(scripts) <= 1:
        return True
    return any(scripts <= group for group in _COMPATIBLE_SCRIPTS)


def is_letter(char: str) -> bool:
    """Say whether ``char`` is a letter (apostrophe-like modifier letters excluded)."""
    return unicodedata.category(char)[0] == "L" and char not in APOSTROPHES


def is_mark(char: str) -> bool:
    """Say whether ``char`` is a combining mark."""
    return unicodedata.category(char)[0] == "M"


def _keep_joiner(text: str, index: int) -> bool:
    if index == 0 or index == len(text) - 1:
        return False
    before, after = text[index - 1], text[index + 1]
    if not (is_letter(before) or is_mark(before)) or not is_letter(after):
        return False
    script = script_of(before)
    return script == script_of(after) and script in _JOINER_SCRIPTS


def _drop_invisible(text: str) -> str:
    kept: list[str] = []
    for char in text:
        if char in ZERO_WIDTH_JOINERS:
            kept.append(char)  # decided below, with both neighbours known
            continue
        if (
            char in _INVISIBLE
            or "\ufe00" <= char <= "\ufe0f"
            or "\U000e0100" <= char <= "\U000e01ef"
        ):
            continue
        category = unicodedata.category(char)
        if char.isspace() or category in ("Zs", "Zl", "Zp"):
            kept.append(" ")
        elif category in ("Cf", "Cc"):
            continue
        else:
            kept.append(char)
    joined = "".join(kept)
    return "".join(
        char
        for index, char in enumerate(joined)
        if char not in ZERO_WIDTH_JOINERS or _keep_joiner(joined, index)
    )


_SPACES = re.compile(r" {2,}")
_SPACED_HYPHEN = re.compile(r" ?([-\u05be]) ?")


def _clean_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.translate(_PREMAP))
    text = _drop_invisible(text).translate(_PREMAP)
    text = _SPACES.sub(" ", text).strip()
    return _SPACED_HYPHEN.sub(r"\1", text)


def clean_part(text: str) -> str:
    """Normalise Unicode, drop invisible characters and collapse whitespace.

    Repeat until nothing changes: removing an invisible character can bring a
    letter and its accent together, which the next NFKC pass then composes.
    """
    for _ in range(5):
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text


# --- display case -----------------------------------------------------------

# Lower-case surname particles, lowered only inside the last name and only
# before another word ("van Gogh"; a lone "Do" or "Van" is a Vietnamese name).
_PARTICLES = frozenset(
    {
        "van", "von", "de", "del", "della", "delle", "dalla", "dello", "di", "da",
        "das", "dos", "do", "du", "des", "ten", "ter", "te", "zu", "zum", "zur",
        "af", "av", "bin", "binti", "bint", "ibn", "y", "e", "i", "wa", "arap",
        "ap", "verch", "ferch",
    }
)  # fmt: skip
# Articles lowered only right after a lowered particle ("de la Cruz", "van der Berg").
_PARTICLE_FOLLOWERS = frozenset({"la", "las", "los", "le", "lo", "der", "den", "dem", "het", "'t"})
_GENERATION_SUFFIXES = frozenset({"ii", "iii", "iv"})
_LATIN_VOWELS = frozenset("aeiouy")
_SEGMENT_BREAK = re.compile(r"([-\u05be.\u00b7\u30fb'\u2019\u2018\u02bc\u02bb])")


_FINAL_SIGMA = re.compile(r"(?<=[^\W\d_])σ(?![^\W\d_])")


def _lower(text: str) -> str:
    # Lower-case letter by letter: "İ".lower() adds a combining dot, and
    # str.lower()'s own final-sigma rule looks across apostrophes, which makes
    # the result depend on neighbours that casing itself changes. Greek final
    # sigma is then applied where a word ends: ΝΙΚΟΣ becomes Νικος.
    lowered = "".join("i" if c == "\u0130" else c.lower() for c in text)
    return _FINAL_SIGMA.sub("ς", lowered)


def _capitalise(segment: str) -> str:
    for index, char in enumerate(segment):
        if is_letter(char):
            upper = char.title()
            # Only where the change round-trips, so casing stays idempotent.
            if len(upper) == 1 and _lower(upper) == char:
                return segment[:index] + upper + segment[index + 1 :]
            return segment
    return segment


def _title_segment(segment: str) -> str:
    if segment.startswith("mc") and len(segment) > 3:
        return "Mc" + _capitalise(segment[2:])
    if segment.startswith("ij") and len(segment) > 2 and segment[2] not in _LATIN_VOWELS:
        return "IJ" + segment[2:]  # Dutch IJ is one letter: IJzerman, IJsbrand
    return _capitalise(segment)


def _title_word(lower: str) -> str:
    pieces = _SEGMENT_BREAK.split(lower)
    out: list[str] = []
    capitalise_next = True
    for piece in pieces:
        if not piece:
            continue
        if _SEGMENT_BREAK.fullmatch(piece):
            out.append(piece)
            if piece in APOSTROPHES:
                previous = out[-2] if len(out) > 1 else ""
                # O'Brien, N'Dour, D'Angelo; but Sa'id, Ka'ahumanu, Ze'ev.
                capitalise_next = len(previous) <= 1
            else:
                capitalise_next = True
            continue
        out.append(_title_segment(piece) if capitalise_next else piece)
        capitalise_next = False
    return "".join(out)


def _needs_case_fix(word: str) -> bool:
    cased = [c for c in word if c.isupper() or c.islower() or c.istitle()]
    if not cased or not scripts_in(word) <= CASED_SCRIPTS:
        return False
    uppers = sum(1 for c in cased if not c.islower())
    if uppers == 0 or uppers == len(cased):
        return True
    # Caps lock inverted: "jOHN".
    return cased[0].islower() and uppers == len(cased) - 1 and uppers >= 2


def display_case(part: str, *, is_last_name: bool) -> str:
    """Fix accidental case per word; keep mixed case that looks deliberate.

    ``JOHN`` and ``john`` become ``John``; ``DeShawn``, ``MacKenzie`` and
    ``van der Berg`` stay as typed. Only Latin, Greek, Cyrillic and Armenian
    words are touched.
    """
    words = part.split(" ")
    out: list[str] = []
    previous_particle = False
    for index, word in enumerate(words):
        lower = _lower(word)
        followed = index < len(words) - 1
        particle = (
            is_last_name
            and followed
            and (lower in _PARTICLES or (previous_particle and lower in _PARTICLE_FOLLOWERS))
        )
        if not _needs_case_fix(word):
            out.append(word)
        elif particle:
            out.append(lower)
        elif is_last_name and index > 0 and lower in _GENERATION_SUFFIXES:
            out.append(lower.upper())
        else:
            out.append(_title_word(lower))
        previous_particle = particle
    return unicodedata.normalize("NFC", " ".join(out))


# --- matching keys ----------------------------------------------------------

# Letters NFKD does not decompose, and Cyrillic/Greek letters that look Latin.
_FOLD = str.maketrans(
    {
        "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe",
        "ı": "i", "ħ": "h", "ŀ": "l", "ƒ": "f", "ŋ": "ng",
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h",
        "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
        "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w",
        "ӏ": "l", "ь": "b", "п": "n", "г": "r", "и": "u",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u",
        "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ζ": "z",
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'", "\u05be": "-",
        "\u30fb": "\u00b7",
    }
)  # fmt: skip
_KEY_BREAK = re.compile(r"[-'.\u00b7\u05f3\u05f4\u200c\u200d]+")

# Cyrillic and Greek letters that pass for Latin ones at a glance in either
# case (compared lower-cased, so display casing cannot change the verdict).
# A whole word made only of these beside Latin words is an impersonation.
_LOOKALIKES_AS_TYPED = (
    "аесорхуіјѕԁһԛԝӏАВЕКМНОРСТХУІЈЅ"  # Cyrillic
    "οανρικτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"  # Greek
)
LATIN_LOOKALIKES = frozenset(c.lower() for c in _LOOKALIKES_AS_TYPED)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Return a key that ignores case, accents and Latin look-alike letters."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not is_mark(c))
    return unicodedata.normalize("NFC", stripped.translate(_FOLD))


def word_keys(text: str) -> Iterator[tuple[str, list[str]]]:
    """Yield, per space-separated word, its joined key and its segment keys.

    ``O'Brien`` yields ``("obrien", ["o", "brien"])`` so lists can match both.
    """
    for word in text.split(" "):
        folded = fold(word)
        segments = [s for s in _KEY_BREAK.split(folded) if s]
        joined = "".join(segments)
        if joined:
            yield joined, segments
