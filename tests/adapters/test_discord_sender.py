"""End to end: DiscordSender posting through discord.py to the fake Discord, faults included."""

from __future__ import annotations

import pytest

from listbot.context import Chat, ChatKind
from listbot.render.discord import render_discord
from listbot.replies import text_reply
from listbot.sender import (
    ChatUnavailable,
    DeliveryError,
    PermanentFailure,
    RetryAfter,
    TransientFailure,
)
from tests.fakes.discord_api import CHANNEL_ID, THREAD_ID
from tests.fakes.discord_harness import running_bot

CHANNEL = Chat("discord", str(CHANNEL_ID), None, ChatKind.GROUP)
THREAD = Chat("discord", str(CHANNEL_ID), str(THREAD_ID), ChatKind.GROUP)
POST = rf"POST /channels/{CHANNEL_ID}/messages"


def payload(text: str = "📣 v3 is out @everyone") -> dict:
    """A rendered announcement."""
    [rendered] = render_discord(text_reply(text))
    return rendered


async def test_a_message_is_posted_to_the_channel_as_rendered_and_its_id_returned():
    """The payload is posted to the channel, pinging nobody; the message id comes back."""
    async with running_bot() as (fake, adapter):
        message_id = await adapter.sender.send(CHANNEL, payload())
        [posted] = fake.posted(CHANNEL_ID)
        assert posted["id"] == message_id
        assert "v3 is out" in posted["content"]
        assert fake.requests[-1][2]["allowed_mentions"] == {"parse": []}


async def test_a_thread_subscription_is_posted_into_the_thread():
    """A chat with a thread id posts to the thread, not its parent channel."""
    async with running_bot() as (fake, adapter):
        await adapter.sender.send(THREAD, payload())
        assert len(fake.posted(THREAD_ID)) == 1
        assert fake.posted(CHANNEL_ID) == []


async def test_a_short_429_is_waited_out_by_discord_py_and_the_message_sent_once():
    """A 429 with Discord's headers is retried after retry_after; one message results."""
    async with running_bot() as (fake, adapter):
        fake.fail(POST, 429, retry_after=0.01)
        await adapter.sender.send(CHANNEL, payload())
        assert len(fake.posted(CHANNEL_ID)) == 1
        assert [r[1] for r in fake.requests].count(f"/channels/{CHANNEL_ID}/messages") == 2


async def test_a_long_429_is_handed_to_the_outbox_as_retry_after():
    """A retry_after beyond discord.py's patience becomes RetryAfter with those seconds."""
    async with running_bot() as (fake, adapter):
        fake.fail(POST, 429, retry_after=120.0)
        with pytest.raises(RetryAfter) as raised:
            await adapter.sender.send(CHANNEL, payload())
        assert raised.value.seconds == 120.0
        assert fake.posted(CHANNEL_ID) == []


async def test_a_429_without_discords_via_header_is_retry_after_too():
    """A 429 from a proxy (no Via header) is not retried by discord.py but still RetryAfter."""
    async with running_bot() as (fake, adapter):
        fake.fail(POST, 429, retry_after=7.0, via=False)
        with pytest.raises(RetryAfter) as raised:
            await adapter.sender.send(CHANNEL, payload())
        assert raised.value.seconds == 7.0


@pytest.mark.parametrize(("status", "reason"), [(403, "missing access"), (404, "unknown channel")])
async def test_lost_access_is_chat_unavailable_with_discords_reason(status, reason):
    """403 Missing Access and 404 Unknown Channel make the chat unavailable, saying why."""
    async with running_bot() as (fake, adapter):
        fake.lose(CHANNEL_ID, status=status)
        with pytest.raises(ChatUnavailable) as raised:
            await adapter.sender.send(CHANNEL, payload())
        assert reason in raised.value.reason


async def test_a_server_error_is_a_transient_failure():
    """A 503 is transient: the outbox keeps the row and retries later."""
    async with running_bot() as (fake, adapter):
        fake.fail(POST, 503)
        with pytest.raises(TransientFailure):
            await adapter.sender.send(CHANNEL, payload())


async def test_lost_access_to_a_thread_pauses_only_the_thread():
    """403 on a thread's message makes that thread, not its channel, unavailable."""
    async with running_bot() as (fake, adapter):
        fake.lose(THREAD_ID, status=403)
        with pytest.raises(ChatUnavailable) as raised:
            await adapter.sender.send(THREAD, payload())
        assert raised.value.thread_only


async def test_a_refused_payload_is_a_permanent_failure():
    """A 400 is neither transient nor a lost chat: retrying it cannot help."""
    async with running_bot() as (fake, adapter):
        fake.fail(POST, 400, code=50035, message="Invalid Form Body")
        with pytest.raises(DeliveryError) as raised:
            await adapter.sender.send(CHANNEL, payload())
        assert not isinstance(raised.value, TransientFailure | ChatUnavailable | RetryAfter)
        assert isinstance(raised.value, PermanentFailure)


async def test_a_stopped_adapter_cannot_send_and_says_so_transiently():
    """After stop(), sending is a transient failure (the row waits for the next start)."""
    async with running_bot() as (_, adapter):
        pass
    with pytest.raises(TransientFailure):
        await adapter.sender.send(CHANNEL, payload())


async def test_a_refused_token_is_transient_not_the_messages_fault():
    """A 401 (the token was reset) keeps the row for later instead of dropping the message."""
    async with running_bot() as (fake, adapter):
        fake.fail(POST, 401, message="401: Unauthorized")
        with pytest.raises(TransientFailure):
            await adapter.sender.send(CHANNEL, payload())


async def test_a_global_429_is_waited_out_by_discord_py():
    """A short global rate limit is waited out; the message is then sent once."""
    async with running_bot() as (fake, adapter):
        fake.fail(POST, 429, retry_after=0.01, is_global=True)
        await adapter.sender.send(CHANNEL, payload())
        assert len(fake.posted(CHANNEL_ID)) == 1


async def test_discord_py_waits_for_an_exhausted_bucket_instead_of_hitting_429():
    """With one message allowed per window, discord.py reads the headers and waits its turn."""
    async with running_bot() as (fake, adapter):
        fake.limit(POST, 1, 0.05)
        for _ in range(3):
            await adapter.sender.send(CHANNEL, payload())
        assert len(fake.posted(CHANNEL_ID)) == 3
        assert fake.rate_limits.refused == []
