"""Asking about papers: /paper (with autocomplete), /search and /random."""

from __future__ import annotations

from discord import app_commands

from discord_bot.commands.base import Command, Context
from discord_bot.core import Interaction, command_text


def commands(ctx: Context) -> list[Command]:
    """The ask feature's slash commands."""

    @app_commands.command(name="paper", description="A paper of the list, by name or title")
    @app_commands.describe(query="A name, short name or title, e.g. flashattention")
    async def paper(interaction: Interaction, query: str) -> None:
        """The best match in full, with other candidates."""
        await ctx.answerer.answer(interaction, command_text("paper", query))

    @paper.autocomplete("query")
    async def paper_names(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Paper names as the user types (answered at once: autocomplete cannot wait)."""
        return await ctx.answerer.complete(ctx.answerer.core.complete_papers(current, 25))

    @app_commands.command(name="search", description="Search the list; filters like year:2024")
    @app_commands.describe(query="Words, names or filters: year: topic: org: has:code")
    async def search(interaction: Interaction, query: str) -> None:
        """Ranked matches, paginated."""
        await ctx.answerer.answer(interaction, command_text("search", query))

    @app_commands.command(name="random", description="A random paper of the list")
    async def random(interaction: Interaction) -> None:
        """One paper picked at random."""
        await ctx.answerer.answer(interaction, command_text("random"))

    return [paper, search, random]
