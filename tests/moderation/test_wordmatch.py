"""How a site's listed phrases and stems meet folded text."""

from __future__ import annotations

from townhall.moderation.toxicity.normalize import fold_text
from townhall.moderation.wordmatch import fold_phrase, matches


def _found(rules: list[tuple[str, str]], text: str) -> list[tuple[str, str, str]]:
    listed = tuple((fold_phrase(phrase), action, "obscenity") for phrase, action in rules)
    return [(match.group(0), phrase, action)
            for match, phrase, action, _guideline in matches(listed, fold_text(text))]


def test_a_whole_word_beats_the_stem_that_covers_it() -> None:
    rules = [("fuck*", "hold"), ("fucking", "block")]
    assert _found(rules, "F*CKING fuckwit") == [
        ("fucking", "fucking", "block"), ("fuckwit", "fuck*", "hold")]
    assert _found(rules, "afuck, unfucked") == []  # a stem starts a word


def test_a_multi_word_stem_ends_with_any_ending() -> None:
    assert _found([("son of a bitch*", "hold")], "Son  of a BITCHES.") == [
        ("son  of a bitches", "son of a bitch*", "hold")]


def test_no_entry_finds_an_innocent_word_after_a_hyphen() -> None:
    rules = [("nique", "hold"), ("niqu*", "block")]
    assert _found(rules, "Un pique-nique au parc.") == []
    assert _found(rules, "Nique ta mère. Ils niquent tout.") == [
        ("nique", "nique", "hold"), ("niquent", "niqu*", "block")]


def test_a_mask_listed_before_stems_existed_stays_literal() -> None:
    # A row stored as "f**" (a mask folding could not resolve) is not a stem of "f".
    listed = (("f**", "hold", "obscenity"),)
    assert [m.group(0) for m, *_ in matches(listed, "f** off, fumble")] == ["f**"]
