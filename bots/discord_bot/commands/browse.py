"""Browsing the list: /topic (with autocomplete), /topics, /latest, /release and /stats."""

from __future__ import annotations

from discord import app_commands

from discord_bot.commands.base import Command, Context
from discord_bot.core import Interaction, command_text


def commands(ctx: Context) -> list[Command]:
    """The browse feature's slash commands."""

    @app_commands.command(name="topic", description="A topic's papers, newest first")
    @app_commands.describe(name="A topic (section) of the list")
    async def topic(interaction: Interaction, name: str) -> None:
        """A section's papers, paginated."""
        await ctx.answerer.answer(interaction, command_text("topic", name))

    @topic.autocomplete("name")
    async def topic_names(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Topic names as the user types."""
        return await ctx.answerer.complete(ctx.answerer.core.complete_topics(current, 25))

    @app_commands.command(name="topics", description="The list's topics, with counts")
    async def topics(interaction: Interaction) -> None:
        """The sections of the list."""
        await ctx.answerer.answer(interaction, command_text("topics"))

    @app_commands.command(name="latest", description="The papers most recently added to the list")
    @app_commands.describe(count="How many (default: a page)")
    async def latest(
        interaction: Interaction, count: app_commands.Range[int, 1, 50] | None = None
    ) -> None:
        """The newest additions."""
        await ctx.answerer.answer(interaction, command_text("latest", count))

    @app_commands.command(name="release", description="What a release of the list added")
    @app_commands.describe(tag="A release tag (default: the newest)")
    async def release(interaction: Interaction, tag: str | None = None) -> None:
        """A release's additions."""
        await ctx.answerer.answer(interaction, command_text("release", tag))

    @app_commands.command(name="stats", description="Counts by topic and year, newest release")
    async def stats(interaction: Interaction) -> None:
        """Statistics of the list."""
        await ctx.answerer.answer(interaction, command_text("stats"))

    return [topic, topics, latest, release, stats]
