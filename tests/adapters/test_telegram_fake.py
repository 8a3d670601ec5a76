"""The fake Bot API validates what it receives as Telegram does."""

from __future__ import annotations

import pytest
from telegram import Bot

from tests.fakes.telegram_api import FakeTelegramAPI, private_chat, user
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


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a ="x">y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
        ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("ключ <br>", 'Unsupported start tag "br" at byte offset 9'),
    ],
)
def test_invalid_html_is_refused_with_telegrams_description(text: str, why: str) -> None:
    """Unknown, unclosed, mismatched and stray tags fail as TDLib words it (byte offsets)."""
    with pytest.raises(HtmlError) as raised:
        parse_html(text)
    assert str(raised.value) == why


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Tom & Jerry", "Tom & Jerry"),
        ("&nbsp; and &copy", "&nbsp; and &copy"),
        ("a > b", "a > b"),
        ("&lt&gt&amp&quot", '<>&"'),
        ("&#65;&#x42;&#67", "ABC"),
        ("<B>x</B><i>y</>", "xy"),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st"),
        ("<blockquote expandable>q</blockquote>", "q"),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1"),
        ('<a href="https://x.org/?a=1&amp;b=2"><code>c</code></a>', "c"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
    ],
)
def test_what_telegram_accepts_parses_to_its_visible_text(text: str, plain: str) -> None:
    """Bare ampersands, unknown entities, entities without ";", aliases and spoilers pass."""
    assert parse_html(text) == plain


def test_length_counts_utf16_units_after_entity_parsing() -> None:
    """4096 UTF-16 units of visible text pass; one more is "message is too long"."""
    check_text("<b>" + "&amp;" * 4096 + "</b>", "HTML")
    with pytest.raises(ApiError, match="message is too long"):
        check_text("😀" * 2049, "HTML")
    with pytest.raises(ApiError, match="message is too long"):
        check_text("&#x1F600;" * 2049, "HTML")
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


async def test_get_updates_confirms_by_offset_like_telegram() -> None:
    """offset forgets earlier updates, a negative one keeps the last few, limit caps the batch."""
    fake = FakeTelegramAPI()
    await fake.start()
    ada = user(1001)
    try:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            for text in ("one", "two", "three", "four"):
                fake.send_text(text, private_chat(ada), ada)
            first = await bot.get_updates(limit=2)
            assert [u.message.text for u in first] == ["one", "two"]
            assert len(await bot.get_updates()) == 4  # nothing confirmed yet
            rest = await bot.get_updates(offset=first[-1].update_id + 1)
            assert [u.message.text for u in rest] == ["three", "four"]
            assert [u.message.text for u in await bot.get_updates(offset=-1)] == ["four"]
            assert [u.message.text for u in await bot.get_updates()] == ["four"]
    finally:
        await fake.close()
