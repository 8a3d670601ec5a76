"""The ``listbot.adapters`` entry point of the Telegram adapter."""

from __future__ import annotations

from listbot.app import Listbot
from listbot.config import Settings
from telegram_bot.adapter import TelegramAdapter
from telegram_bot.settings import BotSettings


def create(settings: Settings, core: Listbot) -> TelegramAdapter:
    """The Telegram adapter configured by ``settings`` over ``core``."""
    return TelegramAdapter(core, BotSettings.from_config(settings))
