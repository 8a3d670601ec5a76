"""End to end: who may subscribe and announce on Discord, as the core is told it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import discord
import pytest

from listbot.context import Actor, ChatKind
from listbot.follow.sync import parse_cached
from listbot.replies import Reply
from listbot.store import Seen, SeenPaper, SyncedVersion
from listbot.store.records import Kind
from listbot.store.sqlite import SqliteStore
from listbot.testing import FakeClock
from tests.fakes.discord_api import (
    ALICE,
    BOB,
    CHANNEL_ID,
    EPHEMERAL,
    GUILD_ID,
    MANAGE_CHANNELS,
    MEMBER_PERMISSIONS,
    THREAD_ID,
    dm,
    text_channel,
    thread,
)
from tests.fakes.discord_harness import fake_discord, follow_core, running_adapter, running_bot
from tests.follow_support import readme

MANAGER = MEMBER_PERMISSIONS | MANAGE_CHANNELS


@pytest.fixture
def store(tmp_path):
    """A real SQLite store."""
    store = SqliteStore(tmp_path / "listbot.sqlite3")
    yield store
    store.close()


@dataclass
class RecordingCore:
    """The real core (with the follow commands), remembering every line and who sent it."""

    core: object
    seen: list[tuple[str, Actor]] = field(default_factory=list)

    def handle(self, text: str, actor: Actor) -> Reply:
        self.seen.append((text, actor))
        return self.core.handle(text, actor)

    def __getattr__(self, name: str):
        return getattr(self.core, name)


async def test_subscribe_in_a_thread_by_a_channel_manager_reaches_the_core_as_its_admin(store):
    """/subscribe in a thread: the core gets the thread of its channel and an admin."""
    core = RecordingCore(follow_core(store)[1])
    async with running_bot(core) as (fake, _):
        exchange = await fake.slash(
            "subscribe", place=thread(), permissions=MANAGER, kind="weekly", filters="topic:kv"
        )
        await fake.answered(exchange)
    [(text, actor)] = core.seen
    assert text == "/subscribe weekly topic:kv"
    assert (actor.chat.chat_id, actor.chat.thread_id) == (str(CHANNEL_ID), str(THREAD_ID))
    assert actor.is_chat_admin
    assert exchange.callbacks[0]["type"] == 5  # store work is deferred at once


async def test_subscribe_without_manage_channels_reaches_the_core_as_not_an_admin(store):
    """A member without Manage Channels is passed on as not an admin of the channel."""
    core = RecordingCore(follow_core(store)[1])
    async with running_bot(core) as (fake, _):
        exchange = await fake.slash("subscribe", user=BOB, permissions=MEMBER_PERMISSIONS)
        await fake.answered(exchange)
    [(_, actor)] = core.seen
    assert (actor.user_id, actor.chat.kind, actor.is_chat_admin) == (
        str(BOB.id),
        ChatKind.GROUP,
        False,
    )


async def test_in_a_dm_the_user_manages_their_own_chat(store):
    """In a DM the user is the admin of the chat, which is private."""
    core = RecordingCore(follow_core(store)[1])
    async with running_bot(core) as (fake, _):
        exchange = await fake.slash("subscriptions", place=dm(ALICE))
        await fake.answered(exchange)
    [(text, actor)] = core.seen
    assert text == "/subscriptions"
    assert (actor.chat.kind, actor.is_chat_admin) == (ChatKind.PRIVATE, True)


async def test_an_announcement_channel_is_a_channel_for_the_core(store):
    """A Discord announcement channel is the core's CHANNEL kind."""
    core = RecordingCore(follow_core(store)[1])
    async with running_bot(core) as (fake, _):
        exchange = await fake.slash("digest", place=text_channel(news=True), permissions=MANAGER)
        await fake.answered(exchange)
    [(text, actor)] = core.seen
    assert (text, actor.chat.kind) == ("/digest preview", ChatKind.CHANNEL)


async def test_a_sharded_process_identifies_as_its_shard_and_answers_its_guilds():
    """shard_count 2 with shard_ids [1] identifies as shard 1 of 2 and answers guild events
    with the commands the process of shard 0 synced."""
    guild = GUILD_ID + (1 << 22)  # (guild >> 22) % 2 == 1
    async with fake_discord() as fake:
        async with running_adapter(fake, shard_count=2, shard_ids=(0,)):
            await fake.connected()
        async with running_adapter(fake, shard_count=2, shard_ids=(1,)) as adapter:
            assert isinstance(adapter.client, discord.AutoShardedClient)
            assert fake.identifies[-1]["shard"] == [1, 2]
            exchange = await fake.slash("about", place=text_channel(guild_id=guild))
            [message] = await fake.answered(exchange)
    assert message["content"] or message["embeds"]


async def test_subscribe_by_a_channel_manager_subscribes_the_channel(store):
    """/subscribe new with Manage Channels answers publicly and saves the subscription."""
    _, core = follow_core(store)
    async with running_bot(core) as (fake, _):
        exchange = await fake.slash("subscribe", permissions=MANAGER, kind="new")
        [message] = await fake.answered(exchange)
    assert "Subscribed" in message["content"]
    assert not message["flags"] & EPHEMERAL
    [sub] = store.subscriptions()
    assert (sub.kind, sub.chat.chat_id, sub.chat.thread_id) == (Kind.NEW, str(CHANNEL_ID), None)


async def test_subscribe_without_manage_channels_is_refused_privately_and_changes_nothing(store):
    """A member without Manage Channels gets an ephemeral refusal; nothing is saved."""
    _, core = follow_core(store)
    async with running_bot(core) as (fake, _):
        exchange = await fake.slash("subscribe", user=BOB, kind="new")
        [refusal] = await fake.answered(exchange)
    assert refusal["flags"] & EPHEMERAL
    assert "admins" in refusal["content"]
    assert store.subscriptions() == []


async def test_a_maintainers_announcement_is_previewed_confirmed_and_delivered(store):
    """/announce shows a private preview; Confirm queues it; the worker posts it."""
    follow, core = follow_core(store, maintainers=[str(ALICE.id)])
    async with running_bot(core) as (fake, adapter):
        follow.add_sender(adapter.sender)
        await fake.answered(await fake.slash("subscribe", permissions=MANAGER, kind="releases"))
        exchange = await fake.slash("announce", text="v3 of the list is out")
        [preview] = await fake.answered(exchange)
        assert preview["flags"] & EPHEMERAL
        assert fake.posted(CHANNEL_ID) == []
        [send] = [b for b in preview["components"][0]["components"] if "Send" in b["label"]]
        click = await fake.click(preview, send["custom_id"])
        await fake.wait(lambda: click.callbacks)
        assert "Queued 1" in preview["content"]
        await follow.worker.drain()
        [posted] = fake.posted(CHANNEL_ID)
    assert "v3 of the list is out" in posted["content"]


async def test_a_release_announcement_is_previewed_and_cancel_sends_nothing(store):
    """/announce release:tag previews the release privately; Cancel leaves the outbox empty."""
    follow, core = follow_core(store, maintainers=[str(ALICE.id)])
    async with running_bot(core) as (fake, adapter):
        follow.add_sender(adapter.sender)
        await fake.answered(await fake.slash("subscribe", permissions=MANAGER, kind="releases"))
        [preview] = await fake.answered(await fake.slash("announce", release="v2.6.16"))
        assert preview["flags"] & EPHEMERAL
        assert "v2.6.16" in preview["content"]
        assert preview["embeds"]
        labels = {b["label"]: b for b in preview["components"][0]["components"]}
        assert labels.keys() == {"Cancel", next(k for k in labels if k.startswith("Send to 1 "))}
        click = await fake.click(preview, labels["Cancel"]["custom_id"])
        await fake.wait(lambda: click.callbacks)
        await follow.worker.drain()
        assert fake.posted(CHANNEL_ID) == []
    assert store.deliveries() == []


async def test_announce_by_someone_who_is_not_a_maintainer_is_refused_privately(store):
    """/announce from a user who is not a configured maintainer is refused, ephemerally."""
    _, core = follow_core(store, maintainers=[str(ALICE.id)])
    async with running_bot(core) as (fake, _):
        exchange = await fake.slash("announce", user=BOB, permissions=MANAGER, text="hi")
        [refusal] = await fake.answered(exchange)
    assert refusal["flags"] & EPHEMERAL
    assert "maintainers" in refusal["content"]


async def test_lost_access_pauses_the_channel_until_an_admin_subscribes_again(store):
    """A 403 on delivery pauses the subscription; /subscribe again resumes it."""
    follow, core = follow_core(store, maintainers=[str(ALICE.id)])
    async with running_bot(core) as (fake, adapter):
        follow.add_sender(adapter.sender)
        await fake.answered(await fake.slash("subscribe", permissions=MANAGER, kind="releases"))
        fake.lose(CHANNEL_ID, status=403)
        [preview] = await fake.answered(await fake.slash("announce", text="hello"))
        click = await fake.click(preview, preview["components"][0]["components"][0]["custom_id"])
        await fake.wait(lambda: click.callbacks)
        await follow.worker.drain()
        [paused] = store.subscriptions()
        assert "missing access" in (paused.paused_reason or "")
        again = await fake.slash("subscribe", permissions=MANAGER, kind="releases")
        [message] = await fake.answered(again)
    assert "Resumed" in message["content"]
    assert store.subscriptions()[0].active


async def test_a_weekly_subscription_gets_its_digest_at_monday_nine(store):
    """/subscribe weekly, then at Monday 09:00 the week's new papers are posted, with links."""
    clock = FakeClock(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))  # a Wednesday
    text = readme("v2.6.16")
    papers = parse_cached(text).papers
    seen = [SeenPaper(p.id, clock.now(), Seen.NEW) for p in papers[:3]]
    seen += [SeenPaper(p.id, clock.now() - timedelta(days=90), Seen.BASELINE) for p in papers[3:]]
    store.record_sync(SyncedVersion("h", text, clock.now()), seen, ())
    follow, core = follow_core(store, clock=clock)
    async with running_bot(core) as (fake, adapter):
        follow.add_sender(adapter.sender)
        subscribed = await fake.slash("subscribe", permissions=MANAGER, kind="weekly")
        await fake.answered(subscribed)
        clock.set(datetime(2026, 11, 30, 9, 5, tzinfo=UTC))
        assert follow.digests.run_due() == 1
        await follow.worker.drain()
        [digest] = fake.posted(CHANNEL_ID)
    assert "3 new papers" in digest["content"]
    assert all(paper.title[:20] in str(digest["embeds"]) for paper in papers[:3])
