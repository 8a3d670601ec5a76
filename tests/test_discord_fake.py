"""The fake Discord enforces Discord's limits, so the end-to-end tests can rely on it."""

from __future__ import annotations

import aiohttp
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
