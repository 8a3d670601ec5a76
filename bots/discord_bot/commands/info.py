"""About listbot: /help and /about."""

from __future__ import annotations

from discord import app_commands

from discord_bot.commands.base import Command, Context
from discord_bot.core import Interaction, command_text


def commands(ctx: Context) -> list[Command]:
    """The info feature's slash commands."""

    @app_commands.command(name="help", description="What listbot can do, and the search syntax")
    @app_commands.describe(command="One command to explain, e.g. search")
    async def help_(interaction: Interaction, command: str | None = None) -> None:
        """The commands and the query syntax, or one command in detail."""
        await ctx.answerer.answer(interaction, command_text("help", command))

    @app_commands.command(name="about", description="The list, its source and license, listbot")
    async def about(interaction: Interaction) -> None:
        """Where the list comes from."""
        await ctx.answerer.answer(interaction, command_text("about"))

    return [help_, about]
