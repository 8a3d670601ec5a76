"""End to end: the real discord.py adapter answering slash commands from the fake Discord."""

from __future__ import annotations

import asyncio

import discord
from discord_bot import answering

from listbot.context import Actor
from listbot.replies import Reply
from listbot.store.sqlite import SqliteStore
from tests.fakes.discord_api import (
    ALICE,
    BOB,
    EPHEMERAL,
    GUILD_ID,
    MANAGE_CHANNELS,
    dm,
)
from tests.fakes.discord_harness import (
    fake_discord,
    follow_core,
    listbot_core,
    running_adapter,
    running_bot,
)

COMMANDS = {
    "paper", "search", "random", "topic", "topics", "latest", "release", "stats", "help",
    "about", "subscribe", "unsubscribe", "subscriptions", "digest", "announce", "held",
}  # fmt: skip


def buttons(message: dict) -> list[dict]:
    """Every component of a message, row by row."""
    return [item for row in message["components"] for item in row["components"]]


def action_buttons(message: dict) -> list[dict]:
    """The buttons that ask the core for something (not links)."""
    return [item for item in buttons(message) if item["type"] == 2 and item.get("custom_id")]


async def test_the_bot_syncs_every_command_globally_and_asks_for_no_privileged_intent():
    """Login syncs all slash commands globally; IDENTIFY asks only for the guilds intent."""
    async with running_bot() as (fake, _):
        synced = {command["name"]: command for command in fake.commands[None]}
        assert set(synced) == COMMANDS
        assert fake.identifies[0]["intents"] == discord.Intents(guilds=True).value
        assert synced["subscribe"]["default_member_permissions"] == str(MANAGE_CHANNELS)
        assert synced["paper"]["default_member_permissions"] is None
        assert synced["paper"]["contexts"] == [0, 1]


def test_every_command_of_the_core_has_a_slash_command(tmp_path):
    """Each command the core (with the follow commands) offers is a slash command."""
    store = SqliteStore(tmp_path / "listbot.sqlite3")
    _, core = follow_core(store)
    assert {name for name, _ in core.commands()} == COMMANDS
    store.close()


async def test_configured_guilds_get_the_commands_instantly_instead_of_a_global_sync():
    """With guild ids configured, the commands are synced to those guilds."""
    async with running_bot(guild_ids=(GUILD_ID,)) as (fake, _):
        await fake.connected(GUILD_ID)
        assert {command["name"] for command in fake.commands[GUILD_ID]} == COMMANDS
        assert None not in fake.commands


async def test_paper_answers_with_an_embed_linking_the_paper():
    """/paper vllm answers publicly with the paper's embed, its links and no pings."""
    async with running_bot() as (fake, _):
        exchange = await fake.slash("paper", query="vllm")
        [message] = await fake.answered(exchange)
        [embed] = message["embeds"]
        assert embed["title"].startswith("vLLM")
        assert embed["url"].startswith("https://arxiv.org/")
        assert "[code](https://github.com/vllm-project/vllm)" in str(embed["fields"])
        assert not message["flags"] & EPHEMERAL
        assert exchange.callbacks[0]["data"]["allowed_mentions"] == {"parse": []}


async def test_paper_autocomplete_offers_at_most_25_short_names_and_a_pick_answers_that_paper():
    """Typing in /paper offers paper names (<= 25, <= 100 chars); a picked id is answered."""
    async with running_bot() as (fake, _):
        typing = await fake.autocomplete("paper", "query", "flash")
        await fake.wait(lambda: typing.callbacks)
        assert [callback["type"] for callback in typing.callbacks] == [8]  # never deferred
        choices = typing.callbacks[0]["data"]["choices"]
        assert 0 < len(choices) <= 25
        assert all(len(choice["name"]) <= 100 for choice in choices)
        pick = next(c for c in choices if c["name"].startswith("FlashAttention —"))
        exchange = await fake.slash("paper", query=pick["value"])
        [message] = await fake.answered(exchange)
        assert pick["value"] in message["embeds"][0]["footer"]["text"]


async def test_autocomplete_keeps_discords_limits_and_never_cuts_a_value():
    """At most 25 choices; long labels are shortened, values too long to fit are left out."""
    answerer = answering.Answerer(listbot_core(), render=lambda reply: [], page_timeout=1)
    values = [("L" * 150, "id-long-label"), ("too long", "v" * 101), "  "]
    values += [(f"paper {n}", f"id-{n}") for n in range(30)]
    choices = await answerer.complete(values)
    assert len(choices) == 25
    assert (len(choices[0].name), choices[0].name[-1], choices[0].value) == (
        100,
        "…",
        "id-long-label",
    )
    assert all(choice.value != "v" * 101 and choice.name.strip() for choice in choices)


async def test_topic_autocomplete_offers_the_lists_sections():
    """Typing in /topic offers matching section names."""
    async with running_bot() as (fake, _):
        typing = await fake.autocomplete("topic", "name", "kv")
        await fake.wait(lambda: typing.callbacks)
        names = [choice["name"] for choice in typing.callbacks[0]["data"]["choices"]]
        assert "KV Cache Scheduling/Quantize/Dropping" in names


async def test_a_page_button_turns_the_page_of_the_askers_message():
    """/search shows page 1 with buttons; the asker's click edits the message to page 2."""
    async with running_bot() as (fake, _):
        exchange = await fake.slash("search", query="attention")
        [message] = await fake.answered(exchange)
        first_page = message["content"]
        [forward] = [b for b in action_buttons(message) if b["custom_id"].startswith("search:1:")]
        click = await fake.click(message, forward["custom_id"], user=ALICE)
        await fake.wait(lambda: click.callbacks)
        assert click.callbacks[0]["type"] == 7
        assert message["content"] != first_page
        assert "\n9. " in message["content"]


async def test_a_click_by_someone_else_is_refused_privately_and_changes_nothing():
    """Only the asker can page: another user's click gets an ephemeral refusal."""
    async with running_bot() as (fake, _):
        exchange = await fake.slash("search", query="attention")
        [message] = await fake.answered(exchange)
        before = dict(message)
        click = await fake.click(message, action_buttons(message)[-1]["custom_id"], user=BOB)
        [refusal] = await fake.answered(click)
        assert refusal["flags"] & EPHEMERAL
        assert "Only the person who asked" in refusal["content"]
        assert message == before


async def test_buttons_are_disabled_when_the_reply_times_out():
    """After the page timeout the reply's action buttons are disabled."""
    async with running_bot(page_timeout=0.05) as (fake, _):
        exchange = await fake.slash("search", query="attention")
        [message] = await fake.answered(exchange)
        await fake.wait(lambda: message["components"] and all(
            item.get("disabled") for item in action_buttons(message)
        ))  # fmt: skip


async def test_an_ambiguous_query_offers_a_menu_and_a_pick_shows_that_paper():
    """A query without a decisive hit offers a select menu; picking edits in the paper."""
    async with running_bot() as (fake, _):
        exchange = await fake.slash("paper", query="attention")
        [message] = await fake.answered(exchange)
        [menu] = [item for item in buttons(message) if item["type"] == 3]
        option = menu["options"][0]
        pick = await fake.click(message, menu["custom_id"], values=[option["value"]])
        await fake.wait(lambda: pick.callbacks)
        paper_id = option["value"].rsplit(":", 1)[-1]
        assert paper_id in message["embeds"][0]["footer"]["text"]


async def test_read_commands_answer_in_a_dm():
    """/topics works in a DM with the bot."""
    async with running_bot() as (fake, _):
        exchange = await fake.slash("topics", place=dm(ALICE))
        [message] = await fake.answered(exchange)
        assert "KV Cache" in message["content"] + str(message["embeds"])
        assert message["channel_id"] == dm(ALICE).channel["id"]


async def test_a_button_from_before_a_restart_answers_privately_whoever_clicks():
    """After a restart a click has no live view: its page is sent to the clicker ephemerally."""
    async with fake_discord() as fake:
        async with running_adapter(fake):
            exchange = await fake.slash("search", query="attention")
            [message] = await fake.answered(exchange)
        async with running_adapter(fake):
            click = await fake.click(message, "search:1:attention", user=BOB)
            [answer] = await fake.answered(click)
        assert answer["flags"] & EPHEMERAL
        assert "\n9. " in answer["content"]


class SlowCore:
    """The real core, whose answers wait until the test lets them go."""

    def __init__(self) -> None:
        self.core = listbot_core()
        self.go = asyncio.Event()

    async def handle(self, text: str, actor: Actor) -> Reply:
        await self.go.wait()
        return self.core.handle(text, actor)

    def __getattr__(self, name: str):
        return getattr(self.core, name)


async def test_slow_work_is_deferred_and_the_answer_then_replaces_the_thinking_message(
    monkeypatch,
):
    """A core slower than the deferral deadline defers, then edits in the answer."""
    monkeypatch.setattr(answering, "DEFER_AFTER", 0.01)
    core = SlowCore()
    async with running_bot(core) as (fake, _):
        exchange = await fake.slash("paper", query="vllm")
        await fake.wait(lambda: exchange.callbacks)
        assert exchange.callbacks[0]["type"] == 5
        core.go.set()
        [message] = await fake.answered(exchange)
        assert message["embeds"][0]["title"].startswith("vLLM")


class BrokenCore:
    """A core whose answers fail."""

    def __init__(self) -> None:
        self.core = listbot_core()

    def handle(self, text: str, actor: Actor) -> Reply:
        raise RuntimeError("the core broke")

    def __getattr__(self, name: str):
        return getattr(self.core, name)


async def test_an_unexpected_failure_is_logged_and_told_only_to_the_asker(caplog):
    """An exception while answering becomes an ephemeral apology, never a traceback."""
    async with running_bot(BrokenCore()) as (fake, _):
        exchange = await fake.slash("stats")
        [apology] = await fake.answered(exchange)
    assert apology["flags"] & EPHEMERAL
    assert "went wrong" in apology["content"]
    assert "the core broke" in caplog.text


class BrokenButtons(BrokenCore):
    """A core whose buttons fail."""

    def press(self, data: str, actor: Actor) -> Reply:
        raise RuntimeError("the buttons broke")


async def test_a_failing_click_on_an_old_message_is_apologised_for_privately(caplog):
    """A click handled without a live view that fails gets an ephemeral apology, logged."""
    async with fake_discord() as fake:
        async with running_adapter(fake):
            exchange = await fake.slash("search", query="attention")
            [message] = await fake.answered(exchange)
        async with running_adapter(fake, BrokenButtons()):
            click = await fake.click(message, "search:1:attention", user=BOB)
            [apology] = await fake.answered(click)
    assert apology["flags"] & EPHEMERAL
    assert "went wrong" in apology["content"]
    assert "the buttons broke" in caplog.text


async def test_an_error_reply_of_the_core_is_shown_only_to_the_clicker():
    """A button the core no longer knows answers with its error, ephemerally."""
    async with fake_discord() as fake:
        async with running_adapter(fake):
            exchange = await fake.slash("search", query="attention")
            [message] = await fake.answered(exchange)
        async with running_adapter(fake):
            click = await fake.click(message, "gone:0:attention")
            [answer] = await fake.answered(click)
    assert answer["flags"] & EPHEMERAL
    assert "expired" in answer["content"]
