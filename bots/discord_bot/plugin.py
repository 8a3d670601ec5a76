"""The ``listbot.adapters`` entry point of the Discord adapter."""

from __future__ import annotations

from discord_bot.adapter import DiscordAdapter
from discord_bot.options import DiscordOptions
from listbot.app import Listbot
from listbot.config import Settings


def create(settings: Settings, core: Listbot) -> DiscordAdapter:
    """The Discord adapter configured by ``settings`` over ``core``."""
    return DiscordAdapter(core, DiscordOptions.from_settings(settings))
