"""listbot on Discord: a discord.py adapter with slash commands, buttons and a Sender.

``DiscordAdapter(core, DiscordOptions(...))`` runs inside an existing event loop
(``await adapter.start()`` / ``await adapter.stop()``); ``adapter.sender`` posts the
delivery worker's messages. ``python -m discord_bot`` runs it alone for manual use.
"""

from __future__ import annotations

from discord_bot.adapter import INTENTS, DiscordAdapter, build_client, point_at
from discord_bot.options import DiscordOptions
from discord_bot.sender import DiscordSender

__all__ = [
    "INTENTS",
    "DiscordAdapter",
    "DiscordOptions",
    "DiscordSender",
    "build_client",
    "point_at",
]
