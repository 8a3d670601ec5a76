"""The Discord adapter's options: from listbot's configuration and from the environment."""

from __future__ import annotations

import discord
import pytest
from discord_bot import DiscordAdapter, DiscordOptions

from listbot.config import DiscordSettings, Secret, Settings
from tests.fakes.discord_harness import fake_discord, listbot_core


def test_options_come_from_the_discord_and_maintainer_settings():
    """Token, guilds, shards and endpoints are taken from the settings."""
    settings = Settings(
        discord=DiscordSettings(
            token=Secret("t0ken"),
            guilds=("123",),
            shard_count=4,
            shard_ids=(2, 3),
            api_base="http://127.0.0.1:1/api/v10",
        ),
    )
    options = DiscordOptions.from_settings(settings)
    assert (options.token, options.guild_ids, options.shard_count) == ("t0ken", (123,), 4)
    assert options.shard_ids == (2, 3)
    assert options.api_base == "http://127.0.0.1:1/api/v10"
    assert options.sharded


def test_the_environment_gives_the_token_and_guilds():
    """python -m discord_bot reads LISTBOT_DISCORD_TOKEN and the optional guild ids."""
    env = {"LISTBOT_DISCORD_TOKEN": " abc ", "LISTBOT_DISCORD_GUILDS": "1, 2"}
    options = DiscordOptions.from_environment(env)
    assert (options.token, options.guild_ids) == ("abc", (1, 2))
    assert not options.sharded


def test_without_a_token_the_command_says_which_variable_to_set():
    """A missing token stops python -m discord_bot with the variable's name."""
    with pytest.raises(SystemExit, match="LISTBOT_DISCORD_TOKEN"):
        DiscordOptions.from_environment({})


async def test_a_wrong_token_fails_to_start_and_leaves_nothing_open():
    """A token Discord refuses makes start() raise LoginFailure, with the sessions closed."""
    async with fake_discord() as fake:
        fake.fail(r"GET /users/@me", 401, code=0, message="401: Unauthorized")
        options = DiscordOptions(
            token="wrong", api_base=fake.api_base, gateway_url=fake.gateway_url
        )
        adapter = DiscordAdapter(listbot_core(), options)
        with pytest.raises(discord.LoginFailure):
            await adapter.start()
        assert adapter.client.is_closed()
