"""The slash commands, one module per feature, registered here in one visible place."""

from __future__ import annotations

import discord
from discord import app_commands

from discord_bot.commands import announce, ask, browse, follow, info
from discord_bot.commands.base import Command, Context

FEATURES = (ask, browse, info, follow, announce)
"""Each feature module offers ``commands(ctx)``; this order is /help's order on Discord."""


def all_commands(ctx: Context) -> list[Command]:
    """Every slash command, in feature order."""
    return [command for feature in FEATURES for command in feature.commands(ctx)]


def register(tree: app_commands.CommandTree[discord.Client], ctx: Context) -> None:
    """Add every command to ``tree`` (globally; a guild sync copies them)."""
    for command in all_commands(ctx):
        tree.add_command(command)


__all__ = ["FEATURES", "Context", "all_commands", "register"]
