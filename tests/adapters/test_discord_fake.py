"""The fake Discord enforces Discord's limits, so the end-to-end tests can rely on it."""

from __future__ import annotations

import aiohttp
import discord
import discord_bot.adapter
import pytest

from listbot.context import Chat
from listbot.sender import DeliveryError
from tests.fakes.discord_api import CHANNEL_ID
from tests.fakes.discord_harness import fake_discord, running_adapter

CHANNEL = Chat("discord", str(CHANNEL_ID))


def row(count: int, custom_id: str = "b") -> dict:
    """An action row of ``count`` buttons."""
    buttons = [
        {"type": 2, "style": 2, "label": str(n), "custom_id": f"{custom_id}{n}"}
        for n in range(count)
    ]
    return {"type": 1, "components": buttons}


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"content": "x" * 2001}, "content: 2001 > 2000"),
        ({"embeds": [{"title": "t" * 257}]}, "title: 257 > 256"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "6000"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "value: 1025 > 1024"),
        ({"content": "hi", "components": [row(6)]}, "6 items in one row"),
        ({"content": "hi", "components": [row(1, "x" * 100)]}, "custom_id"),
    ],
)
async def test_a_message_over_discords_limits_is_refused_and_recorded(payload, problem):
    """Oversized content, embeds, rows and custom ids get 400 and a recorded violation."""
    async with fake_discord() as fake, running_adapter(fake) as adapter:
        with pytest.raises(DeliveryError):
            await adapter.sender.send(CHANNEL, payload)
        found, fake.violations[:] = list(fake.violations), []
    assert any(problem in violation for violation in found), found


async def test_a_message_that_could_ping_is_refused():
    """A message whose allowed_mentions do not parse nothing gets 400 and a violation."""
    async with fake_discord() as fake, aiohttp.ClientSession() as session:
        url = f"{fake.api_base}/channels/{CHANNEL_ID}/messages"
        async with session.post(url, json={"content": "@everyone"}) as response:
            status = response.status
    assert status == 400
    assert any("allowed_mentions" in violation for violation in fake.violations)


async def test_autocomplete_with_more_than_25_choices_is_refused():
    """More than 25 autocomplete choices, or names over 100 characters, get 400."""
    async with fake_discord() as fake:
        async with running_adapter(fake):
            exchange = await fake.autocomplete("paper", "query", "x")
            await fake.wait(lambda: exchange.callbacks)
        choices = [{"name": "n" * 101, "value": str(n)} for n in range(26)]
        async with aiohttp.ClientSession() as session:
            url = f"{fake.api_base}/interactions/{exchange.id}/{exchange.token}/callback"
            exchange.callbacks.clear()
            body = {"type": 8, "data": {"choices": choices}}
            async with session.post(url, json=body) as response:
                status = response.status
    assert status == 400
    assert any("choices: 26 > 25" in violation for violation in fake.violations)
    assert any("choice name of 101" in violation for violation in fake.violations)


async def post(fake, path: str, body: object, method: str = "POST") -> tuple[int, dict, object]:
    """A raw request to the fake: status, headers and JSON body (None when empty)."""
    url = f"{fake.api_base}{path}"
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, url, json=body) as answer,
    ):
        data = await answer.json() if answer.status != 204 else None
        return answer.status, dict(answer.headers), data


async def test_autocomplete_cannot_be_deferred_or_answered_with_a_message():
    """An autocomplete interaction accepts only choices (type 8), as on Discord."""
    async with fake_discord() as fake:
        async with running_adapter(fake):
            exchange = await fake.autocomplete("paper", "query", "x")
            await fake.wait(lambda: exchange.callbacks)
        assert [callback["type"] for callback in exchange.callbacks] == [8]
        exchange.callbacks.clear()
        path = f"/interactions/{exchange.id}/{exchange.token}/callback"
        status, _, body = await post(fake, path, {"type": 5})
    assert (status, body["code"], body["message"]) == (400, 50035, "Invalid Form Body")
    assert any("callback type 5 is not valid" in violation for violation in fake.violations)


async def test_an_interaction_not_acknowledged_within_3_seconds_is_unknown():
    """A callback after Discord's 3-second window gets 404 Unknown interaction (10062)."""
    async with fake_discord() as fake:
        async with running_adapter(fake):
            exchange = await fake.autocomplete("paper", "query", "x")
            await fake.wait(lambda: exchange.callbacks)
        exchange.callbacks.clear()
        exchange.created -= 3.5
        path = f"/interactions/{exchange.id}/{exchange.token}/callback"
        status, _, body = await post(fake, path, {"type": 8, "data": {"choices": []}})
    assert (status, body) == (404, {"code": 10062, "message": "Unknown interaction"})


async def test_the_callback_and_follow_ups_answer_a_body_only_when_asked():
    """Without ?with_response (callback) or ?wait=true (follow-up) Discord answers 204."""
    async with fake_discord() as fake:
        async with running_adapter(fake):
            exchange = await fake.slash("about")
            await fake.answered(exchange)
        exchange.callbacks.clear()
        callback = f"/interactions/{exchange.id}/{exchange.token}/callback"
        follow_up = {"content": "more", "allowed_mentions": {"parse": []}}
        webhook = f"/webhooks/1/{exchange.token}"
        assert (await post(fake, callback, {"type": 5}))[0] == 204
        assert (await post(fake, webhook, follow_up))[0] == 204
        status, _, message = await post(fake, webhook + "?wait=true", follow_up)
    assert (status, message["content"]) == (200, "more")


async def test_every_answer_carries_discords_rate_limit_headers():
    """Answers name their bucket, what is left and when it resets, and come 'Via' Discord."""
    async with fake_discord() as fake:
        status, headers, _ = await post(fake, "/users/@me", None, method="GET")
    assert status == 200
    assert headers["Via"] == "1.1 google"
    assert headers["X-RateLimit-Remaining"] == str(int(headers["X-RateLimit-Limit"]) - 1)
    assert {"X-RateLimit-Reset", "X-RateLimit-Reset-After", "X-RateLimit-Bucket"} <= set(headers)


async def test_a_request_beyond_an_exhausted_bucket_gets_429_with_retry_after():
    """With a bucket of one request, the second one is refused with Discord's 429."""
    async with fake_discord() as fake:
        fake.limit(r"GET /users/@me", 1, 60.0)
        await post(fake, "/users/@me", None, method="GET")
        status, headers, body = await post(fake, "/users/@me", None, method="GET")
    assert status == 429
    assert body["message"] == "You are being rate limited."
    assert body["global"] is False
    assert 59 <= body["retry_after"] <= 60
    assert (headers["Retry-After"], headers["X-RateLimit-Scope"]) == ("60", "user")
    assert fake.rate_limits.refused == ["GET /users/@me"]


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"allowed_mentions": {"parse": []}}, "empty message"),
        ({"embeds": [{"fields": [{"name": "n", "value": ""}]}]}, "name and value are required"),
        ({"content": "hi", "components": [{"type": 1, "components": [
            {"type": 2, "style": 1, "custom_id": "a"}]}]}, "label or an emoji"),
        ({"content": "hi", "flags": 1 << 1}, "flags"),
    ],
)  # fmt: skip
async def test_a_message_discord_would_refuse_for_its_form_is_refused(payload, problem):
    """Empty messages, empty fields, blank buttons and unknown flags get 400 Invalid Form Body."""
    async with fake_discord() as fake:
        status, _, body = await post(fake, f"/channels/{CHANNEL_ID}/messages", payload)
    assert (status, body["code"]) == (400, 50006 if problem == "empty message" else 50035)
    assert any(problem in violation for violation in fake.violations), fake.violations


@pytest.mark.parametrize(
    ("option", "problem"),
    [
        ({"name": "Query", "description": "d", "type": 3}, "option name 'Query'"),
        ({"name": "q", "description": "d" * 101, "type": 3}, "description must be 1-100"),
        ({"name": "q", "description": "d", "type": 3,
          "choices": [{"name": str(n), "value": str(n)} for n in range(26)]}, "choices: 26"),
    ],
)  # fmt: skip
async def test_a_command_sync_with_an_invalid_option_is_refused(option, problem):
    """Option names, descriptions and choices are checked as Discord checks them."""
    command = {"name": "paper", "description": "A paper", "type": 1, "options": [option]}
    async with fake_discord() as fake:
        status, _, body = await post(fake, "/applications/1/commands", [command], method="PUT")
    assert (status, body["message"]) == (400, "Invalid Form Body")
    assert any(problem in violation for violation in fake.violations), fake.violations


async def test_a_bot_asking_for_a_privileged_intent_is_refused_by_the_gateway(monkeypatch):
    """IDENTIFY with the message content intent is closed with 4014, as for an app without it."""
    intents = discord.Intents(guilds=True, message_content=True)
    monkeypatch.setattr(discord_bot.adapter, "INTENTS", intents)
    async with fake_discord() as fake:
        with pytest.raises(RuntimeError, match="ended before it was ready"):
            async with running_adapter(fake):
                pass
    assert fake.closed_with == [4014]
