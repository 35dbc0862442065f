"""Property tests: the sanitiser, the Markdown subset, cursors and the parsers of user input."""

from __future__ import annotations

import datetime as dt
import html
import re
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from townhall.accounts import totp
from townhall.comments import markup
from townhall.comments.models import Comment
from townhall.comments.selectors import SORTS, decode_cursor, encode_cursor
from townhall.core import privacy, ratelimit
from townhall.core.errors import Invalid

from tests.security.html_check import problems

# Text that looks like what people type, with the characters that matter to HTML and Markdown
# over-represented.
SPECIALS = "<>&\"'`=/\\*[]()!:;#\n\t \u200b\u202e\ufeff\x00"
typed = st.text(
    alphabet=st.one_of(st.sampled_from(SPECIALS), st.characters(codec="utf-8"),
                       st.sampled_from(string.ascii_letters)),
    max_size=300,
)
markdownish = st.lists(
    st.one_of(
        typed,
        st.sampled_from(["**", "*", "[", "](", ")", "https://", "http://ok.example/",
                         "javascript:", "<script>", "</a>", "<a href=", "onerror=", "\n\n",
                         "&#106;", "&lt;", "data:"]),
    ),
    max_size=25,
).map("".join)
quick = settings(max_examples=300, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


@quick
@given(markdownish)
@example("[x](javascript:alert(1))")
@example("**<img src=x onerror=alert(1)>**")
@example("https://ok.example/\"onmouseover=\"alert(1)")
def test_rendered_markdown_never_holds_executable_html(text: str) -> None:
    assert problems(markup.render(markup.clean_source(text))) == []


@quick
@given(typed)
def test_the_sanitiser_output_is_clean_and_stable(fragment: str) -> None:
    cleaned = markup.sanitize(fragment)
    assert problems(cleaned) == []
    assert markup.sanitize(cleaned) == cleaned


@quick
@given(markdownish)
def test_rendering_keeps_every_letter_the_reader_typed(text: str) -> None:
    source = markup.clean_source(text)
    rendered = markup.render(source)
    visible = html.unescape(re.sub(r"<[^>]*>", " ", rendered))
    hrefs = " ".join(html.unescape(h) for h in re.findall(r'href="([^"]*)"', rendered))
    for word in re.findall(r"[A-Za-z0-9]+", source):
        assert word in visible or word in hrefs, (word, source, rendered)


@quick
@given(typed)
def test_clean_source_is_idempotent_and_drops_invisible_controls(text: str) -> None:
    once = markup.clean_source(text)
    assert markup.clean_source(once) == once
    assert not set(once) & set("\x00\u200b\u202e\ufeff\r")


@quick
@given(st.text(max_size=200))
@example("")
@example("eyJzIjoibmV3ZXN0IiwiayI6MSwiaSI6MX0")
def test_any_cursor_text_is_read_or_refused_naming_the_cursor(cursor: str) -> None:
    for sort in SORTS:
        try:
            decode_cursor(cursor, sort)
        except Invalid as error:
            assert error.items[0].field == "cursor"


@quick
@given(st.sampled_from(SORTS), st.integers(min_value=0, max_value=2**53),
       st.integers(min_value=0, max_value=10**6),
       st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                    timezones=st.just(dt.UTC)))
def test_cursors_round_trip(sort: str, ident: int, likes: int, moment: dt.datetime) -> None:
    comment = Comment(pk=ident, like_count=likes, created_at=moment)
    key, decoded_id = decode_cursor(encode_cursor(sort, comment), sort)
    assert decoded_id == ident
    assert key == (likes if sort == "top" else moment)


@quick
@given(st.text(max_size=12), st.integers(min_value=0, max_value=4 * 10**9))
def test_totp_codes_are_checked_without_crashing(code: str, at: int) -> None:
    secret = "JBSWY3DPEHPK3PXP"
    step = totp.matching_step(secret, code, at)
    assert step is None or totp.totp(secret, step * totp.STEP_SECONDS) == code.strip()


@quick
@given(st.integers(min_value=0, max_value=4 * 10**9))
def test_the_current_totp_code_is_always_accepted_once(at: int) -> None:
    secret = totp.new_secret()
    code = totp.totp(secret, at)
    step = totp.matching_step(secret, code, at)
    assert step == totp.time_step(at)
    assert totp.matching_step(secret, code, at, after_step=step) is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10, max_value=10**6) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from([*ratelimit.DEFAULT_RULES, "account", "address", "x"]),
                      children, max_size=3),
    max_leaves=12,
)


@quick
@given(json_values)
@example({"post": {"account": [1, 60]}})
def test_site_rate_limit_settings_are_accepted_or_refused_naming_the_field(data: Any) -> None:
    try:
        rules = ratelimit.validate_rules(data)
    except Invalid as error:
        assert (error.items[0].field or "").startswith("rate_limits")
        return
    for action, scopes in rules.items():
        for scope, value in scopes.items():
            assert scope in ratelimit.DEFAULT_RULES[action]
            assert value is None or (value[0] >= 1 and 1 <= value[1] <= ratelimit.MAX_WINDOW)


@quick
@given(st.one_of(st.ip_addresses().map(str), st.text(max_size=60)))
def test_any_client_address_is_counted_and_hashed_without_crashing(address: str) -> None:
    network = privacy.address_network(address)
    assert len(network) <= 100
    digest = privacy.address_digest(address)
    assert digest == "" or re.fullmatch(r"[0-9a-f]{32}", digest)


@quick
@given(st.text(max_size=300))
def test_any_email_is_normalised_or_refused_naming_the_field(text: str) -> None:
    from townhall.accounts.services import normalize_email

    try:
        email = normalize_email(text)
    except Invalid as error:
        assert error.items[0].field == "email"
        return
    assert email == email.strip().lower() and "@" in email


@quick
@given(st.text(max_size=80), st.text(max_size=80))
@example("<script>", "alert(1)")
@example("Robert'); DROP TABLE", "Students;--")
def test_the_name_policy_accepts_or_refuses_naming_a_field(first: str, last: str) -> None:
    from townhall.accounts.names import NameRejected, check_name

    try:
        checked = check_name(first, last)
    except NameRejected as error:
        assert error.field in {"first_name", "last_name", "name"}
        return
    for part in (checked.first_name, checked.last_name):
        assert "<" not in part and ">" not in part
        assert part == part.strip()


@quick
@given(st.text(max_size=300))
def test_any_origin_is_normalised_or_refused_naming_the_field(text: str) -> None:
    from townhall.stories.services import normalize_origin

    try:
        origin = normalize_origin(text)
    except Invalid as error:
        assert error.items[0].field == "origins"
        return
    assert re.fullmatch(r"https?://[^/\s]+", origin)


@pytest.mark.parametrize("line", ['{"model": "accounts.account"', "[]", "null", '"x"', "{}",
                                  '{"model": "nope.nope", "pk": 1, "fields": {}}'])
def test_the_backup_reader_refuses_broken_lines_naming_the_line(line: str, db: None) -> None:
    import io

    from townhall.porting.townhall_jsonl import ImportRefused, import_stream

    stream = io.StringIO('{"format": "townhall-jsonl", "version": 1}\n' + line + "\n")
    with pytest.raises(ImportRefused, match="line 2"):
        import_stream(stream)
