"""Any message, through Listbot and every renderer, gives valid payloads within every limit."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from listbot.app import Listbot
from listbot.context import Actor
from listbot.render import render_discord, render_telegram, render_text
from listbot.replies import Reply
from tests.render_checks import discord_problems, telegram_problems

NASTY = [
    "@everyone",
    "@here",
    "<@123>",
    "<@!456>",
    "<@&789>",
    "<script>alert(1)</script>",
    "**bold** _it_ ~~s~~ `code` ||spoiler||",
    "[link](https://example.com)",
    "&amp; &lt; &",
    '" onmouseover="x',
    "مرحبا بالعالم \u202eevil\u202c",
    "שלום",
    "👨‍👩‍👧‍👦 🏳️‍🌈 \u200d\u200b",
    "\x00\x01\x1b[31m\x7f",
    "\r\n\t",
    "flashattention",
    "paged attn",
    "year:2024",
    "page:3",
    "topic:kv",
    "org:",
    "\ud800",
    "<b>unclosed",
    "</a>",
    "# heading",
    "> quote",
    "- item",
]
PREFIXES = ["", "/paper ", "/search ", "/topic ", "/latest ", "/release ", "/help ",
            "/random", "/stats", "/about", "/topics", "/paper@SomeBot ", "/", "/nope "]  # fmt: skip
PIECES = st.one_of(
    st.sampled_from(NASTY), st.text(alphabet=st.characters(exclude_categories=()), max_size=60)
)
MESSAGES = st.builds(
    lambda prefix, parts: prefix + " ".join(parts),
    st.sampled_from(PREFIXES),
    st.lists(PIECES, max_size=6),
)
BIG = "x" * 100_000
BIG_SEARCH = "/search " + "<@&1> @everyone 👨‍👩‍👧 " * 4000


def assert_valid(reply: Reply) -> None:
    """Every rendering of the reply is valid for its platform and pings nobody."""
    assert isinstance(render_text(reply), str)
    telegram = render_telegram(reply)
    assert telegram
    for payload in telegram:
        assert telegram_problems(payload) == [], payload
    discord = render_discord(reply)
    assert discord
    for payload in discord:
        assert discord_problems(payload) == [], payload


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message=MESSAGES)
@example(message="")
@example(message=BIG)
@example(message="/paper " + BIG)
@example(message=BIG_SEARCH)
@example(message="/paper @everyone <script>")
@example(message="/latest ²")
@example(message="/latest 99999999999999999999 page:99")
@example(message="/topic page:0")
@example(message="/release \x00 page:2")
def test_any_message_yields_valid_payloads_for_every_platform(
    bot: Listbot, actor: Actor, message: str
) -> None:
    """No message raises, and every payload it produces is within its platform's limits."""
    reply = bot.handle(message, actor)
    assert reply.meta["command"] != "error", "an internal error was caught"
    assert_valid(reply)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.text(max_size=120),
        st.sampled_from(
            [
                "paper:0:",
                "search:9999:kv",
                "topic:3:nope",
                "latest:0:-1",
                "release:2:v0",
                "x:y:z",
                "random:0:",
                "help:0:",
                "paper:0:" + "a" * 300,
                "choose:0:",
                ":0:",
                "paper:-1:x",
            ]
        ),
    )
)
def test_any_button_data_gets_a_polite_valid_reply(bot: Listbot, actor: Actor, data: str) -> None:
    """Forged or stale callback data never raises and renders validly."""
    reply = bot.press(data, actor)
    assert reply.meta["command"] != "error", "an internal error was caught"
    assert_valid(reply)


@settings(max_examples=40, deadline=None)
@given(message=MESSAGES)
def test_every_button_of_any_reply_can_be_pressed(bot: Listbot, actor: Actor, message: str) -> None:
    """Pressing any choice or button of an answer gives another valid answer."""
    reply = bot.handle(message, actor)
    actions = [c.action for c in reply.choices] + [b.action for b in reply.buttons if b.action]
    for action in actions[:4]:
        assert_valid(bot.press(action.encode(), actor))


@pytest.mark.parametrize(
    "message",
    ["/search kv cache", "/topic kv", "/latest 50", "/release v0.2", "/stats", "/help",
     "/topics", "/paper vllm", "/paper attention", "/search year:2024", "/random", "/about"],
)  # fmt: skip
def test_every_page_of_every_command_renders_validly(
    bot: Listbot, actor: Actor, message: str
) -> None:
    """Walking the Next buttons of a real answer, every page is valid on every platform."""
    reply = bot.handle(message, actor)
    for _ in range(20):
        assert_valid(reply)
        following = [b.action for b in reply.buttons if b.action and b.label.startswith("Next")]
        if not following:
            break
        reply = bot.press(following[0].encode(), actor)
