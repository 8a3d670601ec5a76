"""The fake Bot API validates what it receives as Telegram does."""

from __future__ import annotations

import pytest

from tests.fakes.telegram_checks import (
    ApiError,
    HtmlError,
    check_markup,
    check_text,
    parse_html,
    utf16_len,
)


def test_allowed_tags_parse_to_their_text() -> None:
    """Telegram's tags and entities leave only the visible text."""
    text = '<b>a</b><i>b</i><a href="https://x.org/?a=1&amp;b=2">c</a><code>&lt;d&gt;</code>'
    assert parse_html(text) == "abc<d>"


@pytest.mark.parametrize("text", ["<div>x</div>", "<b>x", "<b>x</i>", "a < b", "</b>"])
def test_unsupported_or_unbalanced_tags_are_refused(text: str) -> None:
    """Unknown, unclosed, mismatched and stray tags cannot be parsed."""
    with pytest.raises(HtmlError):
        parse_html(text)


def test_length_counts_utf16_units_after_entity_parsing() -> None:
    """4096 UTF-16 units of visible text pass; one more is "message is too long"."""
    check_text("<b>" + "&amp;" * 4096 + "</b>", "HTML")
    with pytest.raises(ApiError, match="message is too long"):
        check_text("😀" * 2049, "HTML")
    assert utf16_len("😀") == 2


def test_html_errors_read_like_telegrams() -> None:
    """An invalid text is a 400 "Bad Request: can't parse entities: ..."."""
    with pytest.raises(ApiError) as raised:
        check_text("<script>x</script>", "HTML")
    assert raised.value.code == 400
    assert raised.value.description.startswith("Bad Request: can't parse entities: ")


def test_callback_data_over_64_bytes_is_refused() -> None:
    """callback_data of 65 bytes is BUTTON_DATA_INVALID; 64 is fine."""
    check_markup({"inline_keyboard": [[{"text": "ok", "callback_data": "x" * 64}]]})
    with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
        check_markup({"inline_keyboard": [[{"text": "no", "callback_data": "é" * 33}]]})
