"""Following the list in a channel: /subscribe, /unsubscribe, /subscriptions and /digest.

Changing subscriptions needs Manage Channels: Discord hides the commands from others by
default (``default_member_permissions``, which server admins may override), and the core
refuses at run time anyone whose ``Actor.is_chat_admin`` is false (see ``actor_of``).
"""

from __future__ import annotations

from typing import Literal

from discord import app_commands

from discord_bot.commands.base import Command, Context
from discord_bot.core import Interaction, command_text

Kind = Literal["new", "weekly", "releases", "notices"]


def commands(ctx: Context) -> list[Command]:
    """The follow feature's slash commands."""

    @app_commands.command(name="subscribe", description="Announce new papers in this channel")
    @app_commands.describe(
        kind="new: each new paper; weekly: a digest; releases: release news (notices: maintainers)",
        filters="Optional filters, e.g. topic:kv org:nvidia stars:100",
        schedule="Weekly digests: weekday time timezone, e.g. friday 17:00 Europe/Berlin",
    )
    @app_commands.default_permissions(manage_channels=True)
    async def subscribe(
        interaction: Interaction,
        kind: Kind | None = None,
        filters: str | None = None,
        schedule: str | None = None,
    ) -> None:
        """Subscribe this channel (or thread)."""
        text = command_text("subscribe", kind, filters, schedule)
        await ctx.answerer.answer(interaction, text, slow=True)

    @app_commands.command(name="unsubscribe", description="Stop announcements in this channel")
    @app_commands.describe(kind="Only this kind (default: all of this channel's)")
    @app_commands.default_permissions(manage_channels=True)
    async def unsubscribe(interaction: Interaction, kind: Kind | None = None) -> None:
        """Unsubscribe this channel."""
        await ctx.answerer.answer(interaction, command_text("unsubscribe", kind), slow=True)

    @app_commands.command(name="subscriptions", description="This channel's subscriptions")
    @app_commands.default_permissions(manage_channels=True)
    async def subscriptions(interaction: Interaction) -> None:
        """What this channel receives, with the next digest time."""
        await ctx.answerer.answer(interaction, command_text("subscriptions"), slow=True)

    @app_commands.command(name="digest", description="Preview this channel's weekly digest")
    @app_commands.default_permissions(manage_channels=True)
    async def digest(interaction: Interaction) -> None:
        """The digest as it would be posted now."""
        await ctx.answerer.answer(interaction, command_text("digest", "preview"), slow=True)

    return [subscribe, unsubscribe, subscriptions, digest]
