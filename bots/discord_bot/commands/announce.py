"""The maintainers' commands: /announce (a text or a release) and /held.

/announce answers privately with a preview and a confirm button; pressing it (only the
maintainer who asked can) broadcasts through the outbox. /held shows, releases or discards
the papers a sync held back. The core decides who is a maintainer (the configured user ids)
and refuses anyone else, privately.
"""

from __future__ import annotations

from typing import Literal

from discord import app_commands

from discord_bot.commands.base import Command, Context
from discord_bot.core import Interaction, command_text


def commands(ctx: Context) -> list[Command]:
    """The maintainers' slash commands."""

    @app_commands.command(name="announce", description="Maintainers: announce to subscribers")
    @app_commands.describe(
        text="A message to every subscribed channel", release="A release tag to announce"
    )
    async def announce(
        interaction: Interaction, text: str | None = None, release: str | None = None
    ) -> None:
        """Preview an announcement; a confirm button broadcasts it."""
        line = command_text("announce", "release", release) if release else None
        line = line or command_text("announce", text)
        await ctx.answerer.answer(interaction, line, slow=True, ephemeral=True)

    @app_commands.command(name="held", description="Maintainers: papers a sync held back")
    @app_commands.describe(action="release: announce them; discard: drop them")
    async def held(
        interaction: Interaction, action: Literal["release", "discard"] | None = None
    ) -> None:
        """Show, release or discard the held papers."""
        await ctx.answerer.answer(
            interaction, command_text("held", action), slow=True, ephemeral=True
        )

    return [announce, held]
