"""The real Discord adapter (discord.py) running against the fake Discord, for end-to-end tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from discord_bot import DiscordAdapter, DiscordOptions

from listbot.app import Listbot
from listbot.catalog.bundle import load_bundled
from listbot.commands import CommandSet
from listbot.follow.config import FollowConfig
from listbot.follow.fetch import FileSource
from listbot.follow.service import Follow
from listbot.render.discord import render_discord
from tests.fakes.discord_api import FakeDiscord

TOKEN = "fake-discord-token"
NEWEST_LIST = Path(__file__).resolve().parents[2] / "data" / "awesome-llm-inference.md"


def listbot_core(extra: Iterable[CommandSet] = ()) -> Listbot:
    """The real core over the bundled list (plus ``extra`` command sets)."""
    return Listbot(load_bundled(), extra=extra)


@asynccontextmanager
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """The fake, with discord.py's endpoints restored afterwards."""
    saved_base, saved_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    fake = await FakeDiscord().start()
    try:
        yield fake
    finally:
        await fake.close()
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved_base, yarl.URL(str(saved_gateway))


@asynccontextmanager
async def running_adapter(
    fake: FakeDiscord, core: Any = None, **options: Any
) -> AsyncIterator[DiscordAdapter]:
    """Start the adapter against ``fake`` and wait until its gateway session is ready."""
    settings = DiscordOptions(
        token=TOKEN,
        api_base=fake.api_base,
        gateway_url=fake.gateway_url,
        guild_ready_timeout=0.01,
        **options,
    )
    adapter = DiscordAdapter(core or listbot_core(), settings, render=render_discord)
    try:
        await adapter.start()
        await adapter.wait_until_ready()
        yield adapter
    finally:
        await adapter.stop()
    assert fake.violations == [], fake.violations
    assert fake.rate_limits.refused == [], (
        f"discord.py ignored a bucket: {fake.rate_limits.refused}"
    )


@asynccontextmanager
async def running_bot(
    core: Any = None, **options: Any
) -> AsyncIterator[tuple[FakeDiscord, DiscordAdapter]]:
    """The fake and the adapter connected to it; every payload checked against the limits."""
    async with fake_discord() as fake, running_adapter(fake, core, **options) as adapter:
        yield fake, adapter


def follow_core(
    store: Any, maintainers: Iterable[str] = (), clock: Any = None
) -> tuple[Follow, Listbot]:
    """The follow service over ``store`` and the core with its commands (no network)."""
    config = FollowConfig(maintainers={"discord": frozenset(maintainers)})
    follow = Follow(store, config, clock=clock, source=FileSource(str(NEWEST_LIST)))
    return follow, listbot_core(extra=[follow.commands()])
