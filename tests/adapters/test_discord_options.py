"""The Discord adapter's options: from listbot's configuration and from the environment."""

from __future__ import annotations

import discord
import pytest
from discord_bot import DiscordAdapter, DiscordOptions

from listbot.config import ConfigError, DiscordSettings, Secret, Settings
from tests.fakes.discord_harness import fake_discord, listbot_core, running_adapter


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


@pytest.mark.parametrize(
    ("count", "ids", "problem"),
    [(None, (0,), "needs discord.shard_count"), (2, (2,), "from 0 to shard_count - 1: \\(2,\\)"),
     (2, (1, 1), "must be distinct"), (0, (), "at least 1")],
)  # fmt: skip
def test_shard_settings_that_cannot_work_are_a_configuration_error(count, ids, problem):
    """Shard ids without a count, out of range or repeated are refused, saying what to fix."""
    settings = Settings(discord=DiscordSettings(shard_count=count, shard_ids=ids))
    with pytest.raises(ConfigError, match=problem) as raised:
        DiscordOptions.from_settings(settings)
    assert raised.value.key == "discord"


@pytest.mark.parametrize(
    ("ids", "syncs"), [((), True), ((0, 1), True), ((2, 3), False)]
)  # fmt: skip
def test_only_the_process_running_shard_0_syncs_the_commands(ids, syncs):
    """Extra shard processes leave the slash commands to the one that runs shard 0."""
    assert DiscordOptions(token="t", shard_count=4, shard_ids=ids).syncs_commands is syncs


async def test_an_extra_shard_process_connects_without_syncing_commands():
    """A process running shard 3 of 4 identifies as it and syncs no command."""
    async with fake_discord() as fake:
        async with running_adapter(fake, shard_count=4, shard_ids=(3,)):
            await fake.wait(lambda: fake.identifies)
        assert [identify["shard"] for identify in fake.identifies] == [[3, 4]]
        assert fake.commands == {}
