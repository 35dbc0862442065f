"""Folding undoes the disguises abusive writers use, and never loses track of offsets."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townhall.moderation.toxicity.normalize import fold, fold_text, original_span


@pytest.mark.parametrize(
    ("disguised", "expected"),
    [
        ("f u c k you", "fuck you"),
        ("F*CK you", "fuck you"),
        ("f**k off", "fuck off"),
        ("you are a sh1t", "you are a shit"),
        ("fuuuuuck off", "fuck off"),
        ("fuckkkk", "fuck"),
        ("f.u.c.k", "fuck"),
        ("What a b!tch", "what a bitch"),
        ("a$$hole", "asshole"),
        ("sh1tty", "shitty"),
        ("n****r", "nigger"),
        ("Ｆｕｃｋ", "fuck"),
        ("𝐟𝐮𝐜𝐤", "fuck"),
        ("t'es qu'une s@lope", "t'es qu'une salope"),
        ("espèce de c0nnard", "espece de connard"),
    ],
)
def test_fold_restores_disguised_abuse(disguised: str, expected: str) -> None:
    assert fold_text(disguised) == expected


def test_fold_maps_cyrillic_lookalikes_and_drops_zero_width_characters() -> None:
    assert fold_text("іdіоt") == "idiot"  # Cyrillic і and о
    assert fold_text("you i\u200bd\u200ciot") == "you idiot"
    assert fold_text("ВАТARD") == "batard"


def test_fold_leaves_ordinary_prose_alone_apart_from_case_and_accents() -> None:
    assert fold_text("Il y a à manger, à Nîmes.") == "il y a a manger, a nimes."
    assert fold_text("The 2nd attack killed 1000 people in 2015.") == (
        "the 2nd attack killed 1000 people in 2015."
    )
    assert fold_text("P.S. well-known, e.g. this") == "p.s. well-known, e.g. this"


def test_fold_repairs_utf8_read_as_latin1() -> None:
    assert fold_text("c\u00e2\x80\x99est d\u00c3\u00a9bile") == "c'est debile"


def test_offsets_map_a_folded_span_back_to_what_the_reader_saw() -> None:
    text = "Honestly you are an і d і о t!!"
    folded, offsets = fold(text)
    start = folded.index("idiot")
    begin, end = original_span(text, offsets, start, start + len("idiot"))
    assert text[begin:end] == "і d і о t"


def test_original_span_covers_decomposed_accents_and_zero_width_tails() -> None:
    text = "un de\u0301bile\u200b ici"
    folded, offsets = fold(text)
    start = folded.index("debile")
    begin, end = original_span(text, offsets, start, start + len("debile"))
    assert text[begin:end] == "de\u0301bile\u200b"


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_offset_map_is_valid_for_any_text(text: str) -> None:
    folded, offsets = fold(text)
    assert len(offsets) == len(folded)
    assert all(0 <= offset < len(text) for offset in offsets)
    assert all(a <= b for a, b in itertools.pairwise(offsets))
    assert fold_text(text) == folded


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("abcdefghiklnorstu 013457@$!*.-_'ÀéèçÉіоа\u200b"), max_size=40)
)
def test_folding_twice_changes_nothing_on_disguise_alphabets(text: str) -> None:
    once = fold_text(text)
    assert fold_text(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_folding_twice_changes_nothing_on_arbitrary_unicode(text: str) -> None:
    once = fold_text(text)
    assert fold_text(once) == once
