"""What the Discord adapter is told: token, where to sync commands, sharding, endpoints."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from listbot.config import Settings

TOKEN_VARIABLE = "LISTBOT_DISCORD_TOKEN"
PAGE_TIMEOUT = 180.0
"""Seconds of inactivity after which a reply's buttons are disabled."""
GUILD_READY_TIMEOUT = 2.0
"""Seconds discord.py waits for the guilds of READY before it reports ready."""


@dataclass(frozen=True, slots=True)
class DiscordOptions:
    """The adapter's configuration, independent of how it was read.

    ``guild_ids`` empty syncs the slash commands globally (they can take up to an hour to
    appear); set them to sync instantly to those guilds while developing. ``shard_count``
    set runs an ``AutoShardedClient`` over ``shard_ids`` (all shards when empty), so a large
    deployment can split its shards across processes.
    """

    token: str
    guild_ids: tuple[int, ...] = ()
    shard_count: int | None = None
    shard_ids: tuple[int, ...] = ()
    api_base: str | None = None
    gateway_url: str | None = None
    page_timeout: float = PAGE_TIMEOUT
    guild_ready_timeout: float = GUILD_READY_TIMEOUT
    sync_commands: bool = True

    def __post_init__(self) -> None:
        """Refuse shard settings discord.py would reject later, saying what to fix."""
        if self.shard_ids and self.shard_count is None:
            raise ValueError("discord.shard_ids needs discord.shard_count (the total)")
        if self.shard_count is not None and self.shard_count < 1:
            raise ValueError(f"discord.shard_count must be at least 1, not {self.shard_count}")
        wrong = [shard for shard in self.shard_ids if not 0 <= shard < (self.shard_count or 0)]
        if wrong or len(set(self.shard_ids)) != len(self.shard_ids):
            raise ValueError(
                f"discord.shard_ids must be distinct, from 0 to shard_count - 1: {self.shard_ids}"
            )

    @property
    def sharded(self) -> bool:
        """Whether this process runs an ``AutoShardedClient``."""
        return self.shard_count is not None or bool(self.shard_ids)

    @property
    def syncs_commands(self) -> bool:
        """Whether this process syncs the slash commands at start.

        When the shards are split across processes only the one running shard 0 syncs, so
        the extra processes do not overwrite the same commands again.
        """
        return self.sync_commands and (not self.shard_ids or 0 in self.shard_ids)

    @classmethod
    def from_settings(cls, settings: Settings) -> DiscordOptions:
        """The options of ``listbot serve``'s validated configuration.

        Raises ``ConfigError`` for shard settings that cannot work together.
        """
        from listbot.config import ConfigError

        discord = settings.discord
        try:
            return cls(
                token=str(discord.token or ""),
                guild_ids=tuple(int(guild) for guild in discord.guilds),
                shard_count=discord.shard_count,
                shard_ids=tuple(discord.shard_ids),
                api_base=discord.api_base,
                gateway_url=discord.gateway_url,
            )
        except ValueError as error:
            raise ConfigError(str(settings.origin), "discord", str(error)) from error

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> DiscordOptions:
        """Options for ``python -m discord_bot``, from the environment.

        ``LISTBOT_DISCORD_TOKEN`` (required) and ``LISTBOT_DISCORD_GUILDS`` (comma-separated ids).
        """
        env = os.environ if environ is None else environ
        token = env.get(TOKEN_VARIABLE, "").strip()
        if not token:
            raise SystemExit(f"set {TOKEN_VARIABLE} to the bot's token")
        return cls(
            token=token,
            guild_ids=tuple(int(part) for part in _ids(env.get("LISTBOT_DISCORD_GUILDS", ""))),
        )


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]
