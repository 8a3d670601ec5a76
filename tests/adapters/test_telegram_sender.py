"""End to end: ``TelegramSender`` posts through the fake API and maps Telegram's errors."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable

import pytest
from telegram import error as tg
from telegram_bot import delivery_error

from listbot.context import Chat, ChatKind
from listbot.render.telegram import render_telegram
from listbot.replies import text_reply
from listbot.sender import (
    ChatMoved,
    ChatUnavailable,
    DeliveryError,
    PermanentFailure,
    RetryAfter,
    TransientFailure,
)
from tests.fakes.telegram_harness import running_bot

GROUP_ID = -1001234567890
CHAT = Chat("telegram", str(GROUP_ID), None, ChatKind.GROUP)
PAYLOAD = render_telegram(text_reply("New in the list: <FlashAttention-4> & more"))[0]


async def test_a_message_is_posted_and_its_id_returned() -> None:
    """send() posts HTML to the chat and returns Telegram's message id."""
    async with running_bot() as (fake, bot):
        message_id = await bot.sender.send(CHAT, PAYLOAD)
        call = fake.calls_to("sendMessage")[0]
        assert call.error is None
        assert message_id == str(call.result["message_id"])
        assert "&lt;FlashAttention-4&gt; &amp; more" in call.params["text"]


async def test_a_topic_subscription_posts_to_its_topic() -> None:
    """A chat with a thread id posts with message_thread_id."""
    async with running_bot() as (fake, bot):
        await bot.sender.send(Chat("telegram", str(GROUP_ID), "77", ChatKind.GROUP), PAYLOAD)
        assert int(fake.calls_to("sendMessage")[0].params["message_thread_id"]) == 77


async def test_a_429_becomes_retry_after_with_telegrams_seconds() -> None:
    """429 with retry_after 7 raises RetryAfter(7); the next attempt goes through."""
    async with running_bot() as (fake, bot):
        fake.rate_limit("sendMessage", 7)
        with pytest.raises(RetryAfter) as raised:
            await bot.sender.send(CHAT, PAYLOAD)
        assert raised.value.seconds == 7
        assert await bot.sender.send(CHAT, PAYLOAD)


async def test_a_kicked_bot_gets_chat_unavailable() -> None:
    """403 "bot was kicked" raises ChatUnavailable with Telegram's reason."""
    async with running_bot() as (fake, bot):
        fake.kick(GROUP_ID)
        with pytest.raises(ChatUnavailable, match="kicked"):
            await bot.sender.send(CHAT, PAYLOAD)


async def test_a_lost_chat_gets_chat_unavailable() -> None:
    """400 "chat not found" raises ChatUnavailable."""
    async with running_bot() as (fake, bot):
        fake.lose(GROUP_ID)
        with pytest.raises(ChatUnavailable, match=r"(?i)chat not found"):
            await bot.sender.send(CHAT, PAYLOAD)


async def test_a_migrated_group_gets_chat_moved_to_the_supergroup() -> None:
    """400 with migrate_to_chat_id raises ChatMoved with the new id."""
    async with running_bot() as (fake, bot):
        fake.migrate(-4001, -1004001)
        with pytest.raises(ChatMoved) as raised:
            await bot.sender.send(Chat("telegram", "-4001", None, ChatKind.GROUP), PAYLOAD)
        assert raised.value.new_chat_id == "-1004001"


async def test_a_server_error_is_transient() -> None:
    """A 502 raises TransientFailure, so the message is kept and retried."""
    async with running_bot() as (fake, bot):
        fake.fail_next("sendMessage", 502, "Bad Gateway")
        with pytest.raises(TransientFailure):
            await bot.sender.send(CHAT, PAYLOAD)


async def test_a_refused_message_is_a_delivery_error_but_not_a_pause() -> None:
    """Invalid markup is a DeliveryError of the message, not ChatUnavailable."""
    async with running_bot() as (_, bot):
        with pytest.raises(DeliveryError) as raised:
            await bot.sender.send(CHAT, {"text": "<div>x</div>", "parse_mode": "HTML"})
        assert "can't parse entities" in str(raised.value).lower()
        assert not isinstance(raised.value, ChatUnavailable | TransientFailure)
        assert isinstance(raised.value, PermanentFailure)


async def test_a_deleted_forum_topic_pauses_only_that_topic() -> None:
    """ "message thread not found" in a topic is ChatUnavailable for the topic alone."""
    async with running_bot() as (fake, bot):
        fake.fail_next("sendMessage", 400, "Bad Request: message thread not found")
        with pytest.raises(ChatUnavailable) as raised:
            await bot.sender.send(Chat("telegram", str(GROUP_ID), "77", ChatKind.GROUP), PAYLOAD)
        assert raised.value.thread_only


@pytest.mark.parametrize("deleted", [False, True])
async def test_a_closed_or_deleted_topic_pauses_only_that_topic(deleted: bool) -> None:
    """TOPIC_CLOSED and "message thread not found" pause the topic; the group is still fine."""
    topic = Chat("telegram", str(GROUP_ID), "77", ChatKind.GROUP)
    async with running_bot() as (fake, bot):
        fake.close_topic(GROUP_ID, 77, deleted=deleted)
        with pytest.raises(ChatUnavailable) as raised:
            await bot.sender.send(topic, PAYLOAD)
        assert raised.value.thread_only
        assert await bot.sender.send(CHAT, PAYLOAD)


async def test_lost_rights_in_a_group_pause_the_whole_chat() -> None:
    """ "not enough rights to send text messages" pauses the chat, even when sent to a topic."""
    topic = Chat("telegram", str(GROUP_ID), "77", ChatKind.GROUP)
    why = "Bad Request: not enough rights to send text messages to the chat"
    async with running_bot() as (fake, bot):
        fake.fail_next("sendMessage", 400, why)
        with pytest.raises(ChatUnavailable) as raised:
            await bot.sender.send(topic, PAYLOAD)
        assert not raised.value.thread_only


async def test_a_user_who_blocked_the_bot_pauses_their_private_chat() -> None:
    """403 "bot was blocked by the user" raises ChatUnavailable for the private chat."""
    async with running_bot() as (fake, bot):
        fake.kick(1001)
        with pytest.raises(ChatUnavailable, match="blocked"):
            await bot.sender.send(Chat("telegram", "1001"), PAYLOAD)


@pytest.mark.parametrize(
    ("make", "expected", "thread_only"),
    [
        (lambda: tg.RetryAfter(dt.timedelta(seconds=5)), RetryAfter, False),
        (lambda: tg.ChatMigrated(-1004001), ChatMoved, False),
        (lambda: tg.Forbidden("Forbidden: bot was kicked from the supergroup chat"),
         ChatUnavailable, False),
        (lambda: tg.Forbidden("Forbidden: bot is not a member of the channel chat"),
         ChatUnavailable, False),
        (lambda: tg.BadRequest("Bad Request: chat not found"), ChatUnavailable, False),
        (lambda: tg.BadRequest("Bad Request: PEER_ID_INVALID"), ChatUnavailable, False),
        (lambda: tg.BadRequest("Bad Request: need administrator rights in the channel chat"),
         ChatUnavailable, False),
        (lambda: tg.BadRequest("Bad Request: TOPIC_CLOSED"), ChatUnavailable, True),
        (lambda: tg.BadRequest("Bad Request: message thread not found"), ChatUnavailable, True),
        (lambda: tg.BadRequest("Bad Request: can't parse entities: Unsupported start tag"),
         PermanentFailure, False),
        (lambda: tg.BadRequest("Bad Request: message is too long"), PermanentFailure, False),
        (lambda: tg.TimedOut(), TransientFailure, False),
        (lambda: tg.NetworkError("Bad Gateway"), TransientFailure, False),
        (lambda: tg.Conflict("Conflict: terminated by other getUpdates request"),
         TransientFailure, False),
    ],
)  # fmt: skip
def test_each_telegram_error_has_one_delivery_meaning(
    make: Callable[[], tg.TelegramError], expected: type[DeliveryError], thread_only: bool
) -> None:
    """Waits, moves, pauses (of a topic only when it is the topic), refusals and retries."""
    with warnings.catch_warnings():  # PTB 22 warns about an int retry_after without opting in
        warnings.simplefilter("ignore")
        error = make()
    meaning = delivery_error(error, in_topic=True)
    assert type(meaning) is expected
    assert getattr(meaning, "thread_only", False) is thread_only
