"""End to end: webhook mode registers the URL and secret, and refuses requests without it."""

from __future__ import annotations

import aiohttp
import pytest
from telegram.error import Conflict
from telegram_bot.webhook import SECRET_HEADER

from tests.fakes.telegram_api import private_chat, user
from tests.fakes.telegram_harness import running_bot

ADA = user(1001, "Ada")
WEBHOOK = {
    "mode": "webhook",
    "webhook_url": "https://bot.example.org/telegram/hook",
    "secret_token": "s3cret-token",
    "port": 0,
}


def _update(text: str) -> dict[str, object]:
    message = {"message_id": 5, "date": 0, "chat": private_chat(ADA), "from": ADA, "text": text}
    message["entities"] = [{"type": "bot_command", "offset": 0, "length": 6}]
    return {"update_id": 900, "message": message}


async def test_webhook_mode_sets_the_webhook_with_its_secret_and_does_not_poll() -> None:
    """Start-up calls setWebhook with the URL and secret token; getUpdates is never called."""
    async with running_bot(**WEBHOOK) as (fake, _):
        call = await fake.wait_for("setWebhook")
        assert call.params["url"] == WEBHOOK["webhook_url"]
        assert call.params["secret_token"] == WEBHOOK["secret_token"]
        assert "inline_query" in call.params["allowed_updates"]
    assert not fake.calls_to("getUpdates")


async def test_polling_while_the_webhook_is_set_is_a_conflict() -> None:
    """As on Telegram, getUpdates answers 409 while a webhook is set."""
    async with running_bot(**WEBHOOK) as (_, bot):
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.application.bot.get_updates()


async def test_an_update_with_the_secret_is_answered() -> None:
    """A POST carrying the secret token is processed like a polled update."""
    async with running_bot(**WEBHOOK) as (fake, bot), aiohttp.ClientSession() as http:
        assert bot.webhook is not None
        url = f"http://127.0.0.1:{bot.webhook.port}/telegram/hook"
        headers = {SECRET_HEADER: "s3cret-token"}
        async with http.post(url, json=_update("/paper awq"), headers=headers) as response:
            assert response.status == 200
        call = await fake.wait_for("sendMessage")
        assert "AWQ" in call.params["text"]


async def test_an_update_without_the_secret_is_refused() -> None:
    """A POST with a wrong or missing secret token gets 403 and is not processed."""
    async with running_bot(**WEBHOOK) as (fake, bot), aiohttp.ClientSession() as http:
        assert bot.webhook is not None
        url = f"http://127.0.0.1:{bot.webhook.port}/telegram/hook"
        for headers in ({SECRET_HEADER: "guess"}, {}):
            async with http.post(url, json=_update("/paper awq"), headers=headers) as response:
                assert response.status == 403
        async with http.post(url, json=_update("/help"), headers={SECRET_HEADER: "s3cret-token"}):
            pass
        first = await fake.wait_for("sendMessage")
        assert "AWQ" not in first.params["text"]
