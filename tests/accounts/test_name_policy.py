"""The real-name policy accepts real names from every culture and refuses pseudonyms."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from townhall.accounts.names import (
    NAME_RULES,
    NameCheck,
    NameRejected,
    check_name,
    suspicion_score,
)
from townhall.accounts.names.evaluate import (
    TARGET_PSEUDONYMS_REJECTED,
    TARGET_REAL_ACCEPTED,
    evaluate,
)
from townhall.accounts.names.messages import (
    ENGLISH_MESSAGES,
    MESSAGES,
    french_messages,
)
from townhall.accounts.names.normalize import clean_part, display_case


def rejection(first: str, last: str, **kwargs: object) -> NameRejected:
    with pytest.raises(NameRejected) as caught:
        check_name(first, last, **kwargs)  # type: ignore[arg-type]
    return caught.value


# --- the issue's acceptance names ------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "display"),
    [
        ("Nguyễn Văn", "An", "Nguyễn Văn An"),
        ("Văn An", "Nguyễn", "Văn An Nguyễn"),
        ("Aoife", "Ní Bhriain", "Aoife Ní Bhriain"),
        ("Ngozi", "Okonjo-Iweala", "Ngozi Okonjo-Iweala"),
        ("Li", "Na", "Li Na"),
    ],
)
def test_issue_acceptance_names_are_accepted_as_typed(first: str, last: str, display: str) -> None:
    assert check_name(first, last).display_name == display


@pytest.mark.parametrize(
    ("first", "last", "field", "code"),
    [
        ("TrollMaster99", "Smith", "first_name", "handle"),
        ("Jane", "TrollMaster99", "last_name", "handle"),
        ("Concerned", "Citizen", "first_name", "slogan"),
        ("Mickey", "Mouse", "first_name", "placeholder"),
    ],
)
def test_issue_pseudonyms_are_refused_with_their_rule(
    first: str, last: str, field: str, code: str
) -> None:
    refused = rejection(first, last)
    assert (refused.field, refused.code) == (field, code)


# --- names from many cultures ---------------------------------------------


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("Siila", "Watt-Cloutier"),
        ("Tanya", "Tagaq"),
        ("Mumilaaq", "Qaqqaq"),
        ("Youssou", "N’Dour"),
        ("Shaquille", "O'Neal"),
        ("Henrikh", "Mkrtchyan"),
        ("Władysław", "Szczepański"),
        ("Grzegorz", "Brzęczyszczykiewicz"),
        ("Rhodri", "Llwyd"),
        ("Bethan", "Gwynn"),
        ("Kwok Wai", "Ng"),
        ("Jung-hee", "O"),  # one-letter Korean surname
        ("Israel", "Kamakawiwoʻole"),  # ʻokina
        ("Kiawentí:io", "Tarbell"),  # Mohawk long-vowel colon
        ("Marcel·lí", "Domingo i Sanjuán"),  # Catalan middle dot
        ("Mohammed", "bin Rashid Al Maktoum"),
        ("علی‌رضا", "محمدی"),  # Persian half-space kept
        ("प्रिया", "शर्मा"),
        ("สมชาย", "ใจดี"),
        ("さち子", "鈴木"),  # kana and kanji in one word
        ("민준", "김"),
        ("娜", "李"),
        ("አበበ", "ቢቂላ"),
        ("דוד", "כהן"),
        ("ᑕᓐᔭ", "ᑕᒐᖅ"),
        ("Михаил", "Горбачёв"),
        ("Γιώργος", "Παπαδόπουλος"),
        ("Adebayo", "Shittu"),  # not profanity despite the prefix
        ("Siriporn", "Charoensuk"),
        ("Jean", "Dupont"),  # a real and common French name
        ("Ma. Teresa", "Reyes"),
        ("Martin Luther", "King Jr."),
    ],
)
def test_real_names_from_many_cultures_are_accepted(first: str, last: str) -> None:
    assert isinstance(check_name(first, last), NameCheck)


# --- each rule names itself -----------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        ("", "Smith", "required"),
        ("   ", "Smith", "required"),
        ("\u200b\u3164", "Smith", "required"),  # only invisible characters
        ("ー", "Smith", "too_short"),
        ("A" * 51, "Smith", "too_long"),
        ("Jean " * 12, "Tremblay " * 10, "too_long"),
        ("<b>John</b>", "Smith", "markup"),
        ("John", "example.com", "url"),
        ("@jane", "Doe", "handle"),
        ("jane_doe", "Smith", "handle"),
        ("john.smith", "Smith", "handle"),
        ("J0hn", "Smith", "contains_digits"),
        ("John", "🇨🇦", "emoji"),
        ("John!", "Smith", "invalid_characters"),
        ("Jаne", "Smith", "mixed_scripts"),  # Cyrillic а
        ("John", "Ѕеrео", "mixed_scripts"),  # a whole Cyrillic look-alike word
        ("J. S.", "Smith", "initials_only"),
        ("JS", "Smith", "initials_only"),
        ("John", "S.", "initials_only"),
        ("Aaaaaa", "Smith", "repeated_characters"),
        ("Asdfgh", "Qwerty", "keyboard_mash"),
        ("Xkcdfg", "Zzzz", "keyboard_mash"),
        ("Putain", "Merde", "profanity"),
        ("Shithead", "Smith", "profanity"),
        ("Site", "Admin", "role_word"),
        ("Le", "Modérateur", "role_word"),
        ("John", "Doe", "placeholder"),
        ("Harry James", "Potter", "placeholder"),
        ("Darth", "Vader", "placeholder"),
        ("Foo", "Bar", "placeholder"),
        ("Test", "User", "placeholder"),
        ("Proud", "Canadian", "slogan"),
        ("Citoyen", "inquiet", "slogan"),
        ("Truth", "Seeker", "slogan"),
    ],
)
def test_each_rule_reports_its_own_code(first: str, last: str, code: str) -> None:
    assert rejection(first, last).code == code


def test_publisher_name_passed_as_context_is_refused() -> None:
    refused = rejection("CBC", "News", publisher_names=["CBC News"])
    assert refused.code == "publisher_name"


def test_surname_that_spells_a_publisher_without_its_space_is_accepted() -> None:
    assert check_name("Pierre", "Lapresse", publisher_names=["La Presse"]).last_name == "Lapresse"


def test_everyday_words_that_are_also_surnames_are_accepted() -> None:
    for first, last in [
        ("Emily", "Proud"),
        ("Justice", "Smith"),
        ("Christopher", "Guest"),
        ("Joe", "Root"),
    ]:
        check_name(first, last)


def test_site_word_lists_extend_each_kind() -> None:
    extra = {
        "role": ["rédac chef"],
        "slogan": ["hockeyville"],
        "placeholder": ["ti-guy"],
        "profanity": ["zut*"],
    }
    assert rejection("Rédac", "Chef", extra_words=extra).code == "role_word"
    assert rejection("Marie", "Hockeyville", extra_words=extra).code == "slogan"
    assert rejection("Ti-Guy", "Tremblay", extra_words=extra).code == "placeholder"
    assert rejection("Zutalors", "Tremblay", extra_words=extra).code == "profanity"
    assert check_name("Marie", "Hockeyville").last_name == "Hockeyville"


def test_unknown_word_list_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="Unknown word list"):
        check_name("Marie", "Curie", extra_words={"slogans": ["x"]})


# --- display form ---------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "display"),
    [
        ("JOHN", "SMITH", "John Smith"),
        ("mary", "mcdonald", "Mary McDonald"),
        ("vincent", "VAN GOGH", "Vincent van Gogh"),
        ("juan carlos", "DE LA CRUZ", "Juan Carlos de la Cruz"),
        ("DeShawn", "MacKenzie", "DeShawn MacKenzie"),
        ("sean", "o'brien", "Sean O'Brien"),
        ("youssou", "N’DOUR", "Youssou N’Dour"),
        ("ayman", "sa'id", "Ayman Sa'id"),
        ("jean-pierre", "okonjo-iweala", "Jean-Pierre Okonjo-Iweala"),
        ("İSMAİL", "ŞAHİN", "Ismail Şahin"),
        ("ΝΙΚΟΣ", "ΠΑΠΑΔΟΠΟΥΛΟΣ", "Νικος Παπαδοπουλος"),  # final sigma
        ("hendrik", "ijzerman", "Hendrik IJzerman"),
        ("bill", "GATES III", "Bill Gates III"),
        ("van long", "do", "Van Long Do"),  # a lone Vietnamese "Do" is not a particle
        ("jOHN", "sMITH", "John Smith"),  # caps lock inverted
        ("Ｊｏｈｎ", "Ｓｍｉｔｈ", "John Smith"),  # full-width letters
        ("Jo\u200bhn", "  Smith  ", "John Smith"),  # zero-width space, padding
        ("Jean  -  Pierre", "Roy", "Jean-Pierre Roy"),
        ("Rene\u0301e", "Lévesque", "Renée Lévesque"),  # NFC
    ],
)
def test_display_form_fixes_accidental_case_and_spacing(
    first: str, last: str, display: str
) -> None:
    assert check_name(first, last).display_name == display


# --- messages -------------------------------------------------------------


def test_every_rule_code_is_described_and_has_a_message() -> None:
    assert set(NAME_RULES) == set(MESSAGES) == set(ENGLISH_MESSAGES)


def test_every_message_has_a_french_translation() -> None:
    french = french_messages()
    for code, english in ENGLISH_MESSAGES.items():
        assert french.get(english), code
        assert french[english] != english


def test_rejection_message_says_how_to_fix_it() -> None:
    refused = rejection("TrollMaster99", "Smith")
    assert "username" in refused.message
    assert str(refused) == "first_name: handle"


# --- suspicion ------------------------------------------------------------


def test_suspicion_flags_names_that_pass_but_look_doubtful() -> None:
    assert suspicion_score("Marie", "Tremblay") == 0.0
    assert suspicion_score("Justin", "Trudeau") >= 0.5  # famous
    assert suspicion_score("Silver", "Fox") >= 0.5  # everyday words only
    assert suspicion_score("Sukarno", "Sukarno") >= 0.4  # same first and last
    assert suspicion_score("MARIE", "TREMBLAY") > 0.0  # all capitals
    assert suspicion_score("Mickey", "Mouse") == 1.0  # refused outright


# --- properties -----------------------------------------------------------

_name_letters = st.characters(categories=("Lu", "Ll", "Lo", "Lm", "Mn"))
_name_words = st.text(_name_letters, min_size=1, max_size=10)
_name_like = st.lists(_name_words, min_size=1, max_size=3).map(" ".join) | st.sampled_from(
    [
        "Nguyễn Văn",
        "o'brien",
        "VAN DER BERG",
        "ΝΙΚΟΣ",
        "İSMAİL",
        "jOHN",
        "ijzerman",
        "mcdonald",
        "GATES III",
    ]
)


@given(st.text(), st.text())
@example("\u0301", "\ufe0f")
@example("ǰ" * 3, "ς")
def test_check_name_never_raises_anything_but_a_rejection(first: str, last: str) -> None:
    try:
        check_name(first, last, publisher_names=[first])
    except NameRejected as refused:
        assert refused.code in NAME_RULES
        assert refused.field in ("first_name", "last_name")
    assert 0.0 <= suspicion_score(first, last) <= 1.0


@given(st.text())
@example("a'σ")  # casing after an apostrophe once flipped final sigma
@example("İSMAİL ΟΔΥΣΣΕΥΣ")
def test_normalisation_is_idempotent(text: str) -> None:
    cleaned = clean_part(text)
    assert clean_part(cleaned) == cleaned
    for is_last_name in (False, True):
        cased = display_case(cleaned, is_last_name=is_last_name)
        assert display_case(clean_part(cased), is_last_name=is_last_name) == cased


@given(_name_like, _name_like)
def test_accepted_display_form_is_accepted_again_unchanged(first: str, last: str) -> None:
    try:
        accepted = check_name(first, last)
    except NameRejected:
        return
    assert check_name(accepted.first_name, accepted.last_name) == accepted


# --- measured -------------------------------------------------------------


def test_evaluation_set_meets_the_targets() -> None:
    report = evaluate()
    assert report["real_total"] >= 300
    assert report["pseudonym_total"] >= 150
    assert report["real_accepted_share"] >= TARGET_REAL_ACCEPTED, report["false_rejections"]
    assert report["pseudonym_rejected_share"] >= TARGET_PSEUDONYMS_REJECTED, report[
        "false_acceptances"
    ]
