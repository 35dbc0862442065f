"""Fold obfuscated text into a canonical form and remember where each character came from.

Abusive writers dodge filters with tricks that a bag-of-n-grams model cannot see through:
``f u c k``, ``f*ck``, ``sh1t``, ``fuuuuck``, Cyrillic look-alikes (``іdіоt``), zero-width
characters, accents and fancy Unicode letters. :func:`fold` undoes these tricks before
featurisation, both in training and at inference, and returns an offset map so that spans
found in the folded text can be reported on the text the commenter actually wrote.

The steps, in order:

1. Per character: drop format characters (zero-width, soft hyphen) and combining marks,
   apply compatibility decomposition (fullwidth and mathematical letters, ligatures), map
   Cyrillic and Greek look-alikes to Latin, lower-case, and strip accents.
2. Join letters spaced out one by one (``f u c k``, ``s.h.i.t``).
3. In tokens that look disguised, shorten letters repeated three times or more to two, and
   resolve leet, masked and stretched spellings of words in a small abuse lexicon
   (``sh1t``, ``f*ck``, ``fuuuck``) to the plain word.

Steps 2 and 3 only change text that looks deliberately disguised, so ordinary prose passes
through unchanged apart from case and accents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["ABUSE_LEXICON", "fold", "fold_text", "original_span"]

# Words worth de-obfuscating. This list never scores anything by itself: it only tells the
# folding step which disguised tokens to restore, so that the learned model sees the word it
# was trained on. Longer words come first so that the regex alternation prefers them.
_LEXICON_GROUPS: dict[str, str] = {
    "English obscenities and insults": """
        fuck fucker fucking motherfucker shit shithead bullshit bitch bastard asshole ass
        arse dick dickhead cock cunt pussy whore slut twat wanker prick piss crap damn
        douche douchebag dumbass jackass idiot moron stupid dumb retard retarded loser scum
        scumbag jerk imbecile cretin trash garbage vermin pig suck sucks stfu gtfo kys hoe
        bollocks bugger tosser bitches idiots morons cunts whores sluts fucks dicks assholes
    """,
    # Slurs are restored so that the model can recognise and hold them.
    "English slurs": """
        nigger nigga fag faggot dyke tranny kike spic chink gook paki coon wetback raghead
        towelhead retards nazi pedo pedophile niggers faggots fags
    """,
    "English threats": """
        kill die rape hang shoot murder
    """,
    # Accents are already stripped when this list is used.
    "French obscenities and insults": """
        connard connasse conne con salope salaud pute putain merde encule enculer batard fdp
        ntm nique niquer abruti debile attarde mongol gogol tare ordure pourriture racaille
        vermine chienne cul bite couille couilles enfoire trouduc gueule creve bouffon
        cassos triso grognasse pouffiasse petasse branleur clochard boloss abrutis connards
        salopes putes encules batards ordures debiles
    """,
    "French slurs": """
        pd pede tapette gouine tafiole fiotte bougnoule negre negro bicot youpin raton
        chinetoque bamboula crouille bougnoul
    """,
    "French threats": """
        tuer crever buter egorger pendre
    """,
    # Calling a group animals or parasites is hate whatever the spelling: "anim@ux".
    "Dehumanising words": """
        animals animaux parasite parasites cockroach cockroaches cafard cafards subhuman
        subhumans savages sauvages vermines
    """,
}
ABUSE_LEXICON: tuple[str, ...] = tuple(
    sorted(
        {word for words in _LEXICON_GROUPS.values() for word in words.split()},
        key=lambda word: (-len(word), word),
    )
)

# Characters that stand in for a letter in leetspeak. Keys are the letters they replace.
_LEET: dict[str, str] = {
    "a": "4@",
    "b": "8",
    "e": "3",
    "g": "9",
    "i": "1!|",
    "l": "1|",
    "o": "0",
    "s": "5$",
    "t": "7+",
    "z": "2",
}
# Characters that hide a letter without resembling it (``f*ck``). They only count as a
# letter inside a word: a trailing full stop or hyphen is punctuation, not a mask.
_MASKS = "*#%_.-?"
_LEET_CHARS = "".join(sorted(set("".join(_LEET.values()))))

_ZERO_WIDTH_CATEGORIES = frozenset({"Cf", "Mn", "Me"})

# Letters from other scripts that render like Latin ones. Upper-case forms are mapped
# before lower-casing, so that a Cyrillic capital "В" becomes "b" rather than "в".
_HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ѕ": "s",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "һ": "h",
    "ӏ": "l",
    "ь": "b",
    "п": "n",
    "А": "a",
    "В": "b",
    "Е": "e",
    "К": "k",
    "М": "m",
    "Н": "h",
    "О": "o",
    "Р": "p",
    "С": "c",
    "Т": "t",
    "У": "y",
    "Х": "x",
    "Ѕ": "s",
    "І": "i",
    "Ј": "j",
    # Greek
    "α": "a",
    "β": "b",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "γ": "y",
    "ω": "w",
    "Α": "a",
    "Β": "b",
    "Ε": "e",
    "Ζ": "z",
    "Η": "h",
    "Ι": "i",
    "Κ": "k",
    "Μ": "m",
    "Ν": "n",
    "Ο": "o",
    "Ρ": "p",
    "Τ": "t",
    "Υ": "y",
    "Χ": "x",
    # Latin small capitals and other look-alikes that compatibility decomposition keeps
    "ᴀ": "a",
    "ʙ": "b",
    "ᴄ": "c",
    "ᴅ": "d",
    "ᴇ": "e",
    "ғ": "f",
    "ɢ": "g",
    "ʜ": "h",
    "ɪ": "i",
    "ᴊ": "j",
    "ᴋ": "k",
    "ʟ": "l",
    "ᴍ": "m",
    "ɴ": "n",
    "ᴏ": "o",
    "ᴘ": "p",
    "ǫ": "q",
    "ʀ": "r",
    "ꜱ": "s",
    "ᴛ": "t",
    "ᴜ": "u",
    "ᴠ": "v",
    "ᴡ": "w",
    "ʏ": "y",
    "ᴢ": "z",
    "ı": "i",
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ħ": "h",
    "ɑ": "a",
    "ɡ": "g",
    # Ligatures that decomposition leaves alone
    "œ": "oe",
    "Œ": "oe",
    "æ": "ae",
    "Æ": "ae",
    "ß": "ss",
    # Typographic punctuation, so that "l’idiot" and "l'idiot" fold alike
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "´": "'",
    "`": "'",
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "…": "...",
}


def _fold_char_once(char: str) -> str:
    """Fold one character by a single pass of look-alike mapping, decomposition and casing."""
    if char in _HOMOGLYPHS:
        return _HOMOGLYPHS[char]
    if char in "\t\n\r":
        return " "
    category = unicodedata.category(char)
    if category in _ZERO_WIDTH_CATEGORIES:
        return ""
    if category == "Cc" or category in {"Zl", "Zp", "Zs"}:
        # Control and separator characters act as spaces so that words stay apart.
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    out = []
    for part in decomposed:
        if unicodedata.category(part) in _ZERO_WIDTH_CATEGORIES:
            continue
        part = _HOMOGLYPHS.get(part, part)
        out.append(part.lower())
    return "".join(out)


class _CharTable(dict[int, str]):
    """Lazily filled ``str.translate`` table mapping a code point to its folded string."""

    def __missing__(self, code: int) -> str:
        folded = chr(code)
        # Iterate to a fixed point: lower-casing can expose a decomposable character and
        # decomposition can expose an upper-case one, and fold() must be idempotent.
        for _ in range(4):
            nxt = "".join(_fold_char_once(c) for c in folded)
            if nxt == folded:
                break
            folded = nxt
        self[code] = folded
        return folded


_TABLE = _CharTable()


def _letter_class(letter: str, *, interior: bool) -> str:
    chars = letter + _LEET.get(letter, "") + (_MASKS if interior else "")
    return "[" + re.escape(chars) + "]"


def _word_regex(word: str) -> re.Pattern[str]:
    """Compile a regex that matches ``word`` written with leet, masks or stretched letters.

    A run of ``n`` identical letters in the word accepts ``n`` or more characters, so
    ``fuuck`` matches ``fuck`` but ``as`` does not match ``ass``. Any lower-case suffix is
    accepted too (``sh1tty``) and captured, so that inflected forms keep their ending.
    """
    runs: list[tuple[str, int]] = []
    for char in word:
        if runs and runs[-1][0] == char:
            runs[-1] = (char, runs[-1][1] + 1)
        else:
            runs.append((char, 1))
    parts = [
        # Masks may stand for a letter anywhere but at the very start of the word.
        f"{_letter_class(char, interior=index > 0)}{{{count},}}?"
        for index, (char, count) in enumerate(runs)
    ]
    return re.compile("(?P<stem>" + "".join(parts) + ")(?P<suffix>[a-z]*)")


def _lexicon_index() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """Group the lexicon by every character that can open a disguised spelling of a word."""
    index: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for word in ABUSE_LEXICON:
        pattern = _word_regex(word)
        for opener in word[0] + _LEET.get(word[0], ""):
            index.setdefault(opener, []).append((word, pattern))
    return index


_LEXICON_INDEX = _lexicon_index()

_TOKEN = r"[\w@$*#%!|+?.\-]"
# A token is suspect when a letter is followed by leet or mask characters and then more of
# the word, when it opens with a leet character before a letter, or when it stretches a
# letter three times or more. Ordinary prose rarely matches, which keeps folding fast.
_SUSPECT_RE = re.compile(
    rf"(?<!{_TOKEN}){_TOKEN}*?"
    r"(?:[a-z][0-9@$*#%!|+?.\-]+[a-z0-9@$!|]|[0-9@$][a-z]|([a-z])\1\1)"
    rf"{_TOKEN}*"
)
_TRAILING_PUNCTUATION_RE = re.compile(r"[.\-?!]+$")
_LETTER_RUN_RE = re.compile(r"([a-z])\1{2,}")
_SPACED_RE = re.compile(r"\b[a-z0-9@$*!](?:[ .\-_][a-z0-9@$*!]){2,}\b")
_SPACE_SEPARATOR_RE = re.compile(r"[ .\-_]")
_ASCII_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

# UTF-8 read as Latin-1 or Windows-1252 ("dÃ©bile", "câ\x80\x99est") is common in
# scraped French text. A lead byte followed by the right number of continuation bytes is
# repaired by re-encoding and decoding; anything that does not decode is left alone.
_CP1252_CONTINUATIONS = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
_CONTINUATION = "[\x80-\xbf" + re.escape(_CP1252_CONTINUATIONS) + "]"
_MOJIBAKE_RE = re.compile(
    f"[\xc2-\xdf]{_CONTINUATION}|[\xe0-\xef]{_CONTINUATION}{{2}}|[\xf0-\xf4]{_CONTINUATION}{{3}}"
)
_MOJIBAKE_HINT_RE = re.compile("[\xc2-\xf4]")


def _mojibake_replacement(match: re.Match[str]) -> str:
    raw = bytearray()
    for char in match.group():
        if ord(char) < 0x100:
            raw.append(ord(char))
        else:
            raw.extend(char.encode("cp1252"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group()


def _resolve_lexicon(token: str) -> str | None:
    """Return the lexicon word, with its suffix, that a whole token disguises, or None."""
    if not token:
        return None
    for word, pattern in _LEXICON_INDEX.get(token[0], ()):
        match = pattern.fullmatch(token)
        if match is None:
            continue
        suffix = match.group("suffix")
        # A masked stem plus a suffix is too ambiguous to guess ("p.s" is not "pd" + "s").
        if suffix and any(char in _MASKS for char in match.group("stem")):
            continue
        # The stem is matched lazily so that "sh1tty" keeps its "tt"; a suffix that only
        # repeats the last letter is then stretching, not an ending ("fuckk").
        if suffix == word[-1] * len(suffix):
            suffix = ""
        return word + suffix
    return None


def _suspect_replacement(match: re.Match[str]) -> str:
    token = match.group()
    trailing = _TRAILING_PUNCTUATION_RE.search(token)
    tail = ""
    if trailing is not None and trailing.start() > 0:
        token, tail = token[: trailing.start()], token[trailing.start() :]
    token = _LETTER_RUN_RE.sub(r"\1\1", token)
    resolved = _resolve_lexicon(token)
    if resolved is not None:
        # Leet letters can lengthen a run ("45ssa" reads "asssa"): shorten it again, or a
        # second folding would change the text.
        resolved = _LETTER_RUN_RE.sub(r"\1\1", resolved)
    return (resolved if resolved is not None else token) + tail


def _spaced_replacement(match: re.Match[str]) -> str:
    joined = _SPACE_SEPARATOR_RE.sub("", match.group())
    # Three spaced letters are common in prose ("il y a à"); four or more, or three that
    # spell an abusive word, are almost always a deliberate disguise.
    if len(joined) >= 4 or _resolve_lexicon(joined) is not None:
        return joined
    return match.group()


def _substitute(
    pattern: re.Pattern[str],
    replace: Callable[[re.Match[str]], str],
    text: str,
    offsets: list[int] | None,
) -> tuple[str, list[int] | None]:
    """Apply ``replace`` to every match and carry the offset map through the edit."""
    pieces: list[str] = []
    new_offsets: list[int] | None = [] if offsets is not None else None
    position = 0
    for match in pattern.finditer(text):
        replacement = replace(match)
        start, end = match.span()
        if replacement == match.group():
            continue
        pieces.append(text[position:start])
        pieces.append(replacement)
        if offsets is not None and new_offsets is not None:
            new_offsets.extend(offsets[position:start])
            width = end - start
            count = len(replacement)
            if count == 1:
                new_offsets.append(offsets[start])
            else:
                # Spread the replacement over the replaced span so that the first and last
                # characters keep their own origins and the map stays monotonic.
                new_offsets.extend(
                    offsets[start + (i * (width - 1)) // (count - 1)] for i in range(count)
                )
        position = end
    if not pieces:
        return text, offsets
    pieces.append(text[position:])
    if offsets is not None and new_offsets is not None:
        new_offsets.extend(offsets[position:])
    return "".join(pieces), new_offsets


def _fold(text: str, *, want_offsets: bool) -> tuple[str, list[int] | None]:
    offsets: list[int] | None
    if text.isascii():
        folded = text.lower()
        if _ASCII_CONTROL_RE.search(folded):
            folded = folded.translate(_TABLE)
        offsets = list(range(len(text))) if want_offsets else None
    else:
        repaired, repaired_offsets = text, None
        # Repair until nothing changes: text garbled twice repairs to text garbled once,
        # which must repair again, or folding would not be idempotent. Each repair shortens
        # the text, so this ends.
        while _MOJIBAKE_HINT_RE.search(repaired):
            before = repaired
            repaired, repaired_offsets = _substitute(
                _MOJIBAKE_RE, _mojibake_replacement, repaired,
                repaired_offsets if repaired_offsets is not None else list(range(len(text))),
            )
            if repaired == before:
                break
        folded = repaired.translate(_TABLE)
        if want_offsets:
            offsets = []
            for index, code in enumerate(map(ord, repaired)):
                origin = repaired_offsets[index] if repaired_offsets is not None else index
                offsets.extend([origin] * len(_TABLE[code]))
        else:
            offsets = None
    folded, offsets = _substitute(_SPACED_RE, _spaced_replacement, folded, offsets)
    folded, offsets = _substitute(_SUSPECT_RE, _suspect_replacement, folded, offsets)
    return folded, offsets


def fold(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and return it with, for each folded character, its original index.

    The map has one entry per folded character, each a valid index into ``text``, and never
    decreases, so any folded span can be turned back into an original one with
    :func:`original_span`.
    """
    folded, offsets = _fold(text, want_offsets=True)
    assert offsets is not None
    return folded, offsets


def fold_text(text: str) -> str:
    """Fold ``text`` exactly as :func:`fold` does, without building the offset map."""
    return _fold(text, want_offsets=False)[0]


def original_span(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map the folded span ``[start, end)`` back to a span of the original ``text``.

    The end is widened over characters that folding deleted right after the span (combining
    accents, zero-width characters), so that the reported span covers what the reader sees.
    """
    if not offsets or start >= end:
        return 0, 0
    original_start = offsets[start]
    original_end = offsets[end - 1] + 1
    while original_end < len(text) and _TABLE[ord(text[original_end])] == "":
        original_end += 1
    return original_start, original_end
