"""The real Telegram adapter running against the fake Bot API, for end-to-end tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

from telegram_bot import BotSettings, TelegramAdapter

from listbot.app import Listbot
from listbot.catalog.bundle import load_bundled
from listbot.commands import CommandSet
from tests.fakes.telegram_api import FakeTelegramAPI


def listbot_core(extra: Iterable[CommandSet] = ()) -> Listbot:
    """The real core over the bundled list (plus ``extra`` command sets)."""
    return Listbot(load_bundled(), extra=extra)


@asynccontextmanager
async def running_bot(
    core: Any = None, prepare: Callable[[FakeTelegramAPI], None] | None = None, **settings: Any
) -> AsyncIterator[tuple[FakeTelegramAPI, TelegramAdapter]]:
    """Start the fake API (``prepare`` it) and the adapter (1 s long polls); stop both after.

    ``settings`` are ``BotSettings`` fields, and ``on_chat_moved`` the adapter's hook.
    """
    fake = FakeTelegramAPI()
    await fake.start()
    if prepare is not None:
        prepare(fake)
    hook = settings.pop("on_chat_moved", None)
    options: dict[str, Any] = {"poll_timeout": 1} | settings
    bot_settings = BotSettings(token=fake.token, base_url=fake.base_url, **options)
    adapter = TelegramAdapter(core or listbot_core(), bot_settings, on_chat_moved=hook)
    try:
        await adapter.start()
        yield fake, adapter
    finally:
        await adapter.stop()
        await fake.close()
