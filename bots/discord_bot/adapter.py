"""The Discord adapter: a discord.py client, its slash-command tree, started inside a loop.

``listbot serve`` builds one ``DiscordAdapter(core, options)``, awaits ``start()`` (log in,
sync the commands, connect in a background task), hands ``adapter.sender`` to the delivery
worker, and awaits ``stop()`` on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from discord_bot.answering import Answerer
from discord_bot.commands import Context, register
from discord_bot.core import Core, Interaction, Renderer
from discord_bot.options import DiscordOptions
from discord_bot.sender import DiscordSender
from listbot.render.discord import render_discord
from listbot.replies import Action

log = logging.getLogger(__name__)

INTENTS = discord.Intents.none()
INTENTS.guilds = True
"""Slash commands need no privileged intent; ``guilds`` keeps channels and threads known."""


def point_at(api_base: str | None, gateway_url: str | None) -> None:
    """Send discord.py's REST calls and gateway connection elsewhere (a local fake, a proxy)."""
    if api_base:
        Route.BASE = api_base.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def build_client(options: DiscordOptions) -> discord.Client:
    """A ``Client``, or an ``AutoShardedClient`` when sharding is configured."""
    common: dict[str, object] = {
        "intents": INTENTS,
        "allowed_mentions": discord.AllowedMentions.none(),
        "guild_ready_timeout": options.guild_ready_timeout,
        "max_ratelimit_timeout": 30.0,
    }
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # listbot has no voice
    if not options.sharded:
        return discord.Client(**common)  # type: ignore[arg-type]
    if options.shard_ids:
        common["shard_ids"] = list(options.shard_ids)
    return discord.AutoShardedClient(shard_count=options.shard_count, **common)  # type: ignore[arg-type]


class DiscordAdapter:
    """listbot on Discord: slash commands in, replies and deliveries out."""

    def __init__(
        self, core: Core, options: DiscordOptions, *, render: Renderer = render_discord
    ) -> None:
        self.options = options
        self.client = build_client(options)
        self.tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(
            self.client,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True),
            allowed_installs=app_commands.AppInstallationType(guild=True),
        )
        self.answerer = Answerer(core, render, page_timeout=options.page_timeout)
        register(self.tree, Context(self.answerer))
        self.tree.error(self._command_failed)
        self.client.event(self.on_interaction)
        self.sender = DiscordSender(self.client)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Log in, sync the slash commands and connect to the gateway in the background.

        Raises ``discord.LoginFailure`` for a bad token (the sessions are closed again).
        """
        point_at(self.options.api_base, self.options.gateway_url)
        try:
            await self.client.login(self.options.token)
            if self.options.syncs_commands:
                await self.sync_commands()
        except BaseException:
            await self.client.close()
            raise
        self._task = asyncio.create_task(self._connect(), name="discord-gateway")

    async def _connect(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except Exception:
            log.exception("the Discord gateway connection ended with an error")
            raise

    async def wait_until_ready(self) -> None:
        """Return once the gateway session is ready (or raise if connecting failed)."""
        ready = asyncio.ensure_future(self.client.wait_until_ready())
        waits: set[asyncio.Future[None]] = {ready}
        if self._task is not None:
            waits.add(self._task)
        done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            raise RuntimeError("the Discord gateway connection ended before it was ready") from (
                self._ended_with()
            )

    @property
    def connection(self) -> asyncio.Task[None] | None:
        """The gateway task (done when the connection ended for good), None before ``start``."""
        return self._task

    def _ended_with(self) -> BaseException | None:
        task = self._task
        return (
            task.exception() if task is not None and task.done() and not task.cancelled() else None
        )

    async def stop(self) -> None:
        """Close the gateway and HTTP sessions; returns when the connection task has ended."""
        await self.client.close()
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, timeout=10)
            self._task = None

    async def sync_commands(self) -> None:
        """Sync globally, or to the configured guilds (instant, for development)."""
        if not self.options.guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d slash commands globally", len(synced))
            return
        for guild_id in self.options.guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d slash commands to guild %d", len(synced), guild_id)

    async def on_interaction(self, interaction: Interaction) -> None:
        """Clicks on our buttons under messages without a live view are answered statelessly."""
        if interaction.type is not discord.InteractionType.component:
            return
        message = interaction.message
        view = self.answerer.live.get(message.id) if message is not None else None
        if message is None or (view is not None and not view.is_finished()):
            return
        data = _action_data(interaction)
        if data is None or Action.decode(data) is None:
            return
        try:
            await self.answerer.stateless_press(interaction, data)
        except Exception as error:
            await self.answerer.failed(interaction, error)

    async def _command_failed(
        self, interaction: Interaction, error: app_commands.AppCommandError
    ) -> None:
        await self.answerer.failed(interaction, error)


def _action_data(interaction: Interaction) -> str | None:
    data: Mapping[str, object] = interaction.data or {}
    values = data.get("values")
    if isinstance(values, list) and values:
        return str(values[0])
    custom_id = data.get("custom_id")
    return str(custom_id) if custom_id else None
