"""End to end: subscribe on Telegram, then the core's sync, digests and delivery worker post
through ``TelegramSender`` to the fake Bot API, honouring 429, 403 and group migration."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from listbot.app import Listbot
from listbot.catalog.bundle import load_bundled
from listbot.follow.config import FollowConfig
from listbot.follow.fetch import FileSource
from listbot.follow.service import Follow
from listbot.store.records import Status
from listbot.store.sqlite import SqliteStore
from listbot.testing import FakeClock
from tests.fakes.telegram_api import FakeTelegramAPI, channel, group, user
from tests.fakes.telegram_harness import running_bot
from tests.follow_support import T0, readme

ADA = user(1001, "Ada")
READERS = group(-1001234567890)
FORUM = group(-1009876543210, "Forum", forum=True)


@dataclass
class Deployment:
    """A follow deployment over a README file the test rewrites, with a controlled clock."""

    follow: Follow
    core: Listbot
    clock: FakeClock
    readme: Path

    async def publish(self, tag: str) -> None:
        """Upstream now has the README of ``tag``; sync it."""
        self.readme.write_text(readme(tag), encoding="utf-8")
        await self.follow.syncer.sync()


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    """SQLite store, fake clock, and the list synced once at v2.6.16."""
    store, clock = SqliteStore(tmp_path / "listbot.sqlite3"), FakeClock(T0)
    path = tmp_path / "README.md"
    follow = Follow(store, FollowConfig(), clock=clock, source=FileSource(path))
    core = Listbot(load_bundled(), extra=[follow.commands()])
    yield Deployment(follow, core, clock, path)
    store.close()


async def subscribe(fake: FakeTelegramAPI, chat: dict, text: str, thread_id: int | None = None):
    """Ada, an admin of ``chat``, sends a /subscribe command; returns the bot's answer."""
    fake.make_admin(chat["id"], ADA["id"])
    before = len(fake.calls_to("sendMessage"))
    fake.send_text(text, chat, ADA, thread_id=thread_id)
    return (await fake.wait_for_count("sendMessage", before + 1))[-1]


async def test_new_papers_are_announced_once_in_the_subscribed_topic(deployment) -> None:
    """/subscribe new in a forum topic, then a sync adding papers: one post, in that topic."""
    await deployment.publish("v2.6.16")
    async with running_bot(deployment.core) as (fake, bot):
        answer = await subscribe(fake, FORUM, "/subscribe new", thread_id=77)
        assert "Subscribed" in answer.params["text"]
        deployment.follow.add_sender(bot.sender)
        await deployment.publish("v2.6.17")
        await deployment.follow.worker.drain()
        await deployment.follow.worker.drain()
        posts = [c for c in fake.calls_to("sendMessage") if c.chat_id == FORUM["id"]][1:]
    assert len(posts) == 1
    assert posts[0].error is None
    assert int(posts[0].params["message_thread_id"]) == 77
    [row] = deployment.follow.store.deliveries()
    assert (row.status, row.message_id) == (Status.SENT, str(posts[0].result["message_id"]))


async def test_a_weekly_digest_is_delivered_at_its_time(deployment) -> None:
    """/subscribe weekly, new papers during the week, Monday 09:00: the digest is posted."""
    await deployment.publish("v2.6.16")
    async with running_bot(deployment.core) as (fake, bot):
        await subscribe(fake, READERS, "/subscribe weekly")
        deployment.follow.add_sender(bot.sender)
        deployment.clock.advance(days=1)
        await deployment.publish("v2.6.17")
        deployment.clock.advance(days=6, hours=1)
        assert deployment.follow.digests.run_due() >= 1
        await deployment.follow.worker.drain()
        digest = fake.calls_to("sendMessage")[-1]
    assert digest.error is None
    assert digest.chat_id == READERS["id"]
    assert "weekly: 2 new papers" in digest.params["text"]


async def test_a_429_is_honoured_and_the_post_sent_after_retry_after(deployment) -> None:
    """429 retry_after=30 keeps the post for 30 s; after that it is sent once."""
    await deployment.publish("v2.6.16")
    async with running_bot(deployment.core) as (fake, bot):
        await subscribe(fake, READERS, "/subscribe new")
        deployment.follow.add_sender(bot.sender)
        fake.rate_limit("sendMessage", 30, chat_id=READERS["id"])
        await deployment.publish("v2.6.17")
        await deployment.follow.worker.drain()
        [row] = deployment.follow.store.deliveries()
        assert row.status is Status.PENDING
        assert row.next_attempt_at >= deployment.clock.now() + timedelta(seconds=29)
        deployment.clock.advance(seconds=30)
        await deployment.follow.worker.drain()
    [row] = deployment.follow.store.deliveries()
    assert row.status is Status.SENT
    assert deployment.follow.worker.stats.rate_limited == 1


async def test_a_kicked_bot_pauses_the_subscription(deployment) -> None:
    """403 "bot was kicked" pauses the group's subscription with that reason."""
    await deployment.publish("v2.6.16")
    async with running_bot(deployment.core) as (fake, bot):
        await subscribe(fake, READERS, "/subscribe new")
        deployment.follow.add_sender(bot.sender)
        fake.kick(READERS["id"])
        await deployment.publish("v2.6.17")
        await deployment.follow.worker.drain()
    [sub] = deployment.follow.store.subscriptions()
    assert "kicked" in (sub.paused_reason or "")


async def test_a_migrated_group_keeps_its_subscription_under_the_new_id(deployment) -> None:
    """400 migrate_to_chat_id moves the subscription; the post goes to the supergroup."""
    old = group(-4001, "Old group")
    await deployment.publish("v2.6.16")
    async with running_bot(deployment.core) as (fake, bot):
        await subscribe(fake, old, "/subscribe new")
        deployment.follow.add_sender(bot.sender)
        fake.migrate(old["id"], -1004001)
        await deployment.publish("v2.6.17")
        await deployment.follow.worker.drain()
        await deployment.follow.worker.drain()
        delivered = [c for c in fake.calls_to("sendMessage") if c.result is not None]
    [sub] = deployment.follow.store.subscriptions()
    assert sub.chat.chat_id == "-1004001"
    assert delivered[-1].chat_id == -1004001


async def test_a_member_who_is_not_an_admin_cannot_subscribe(deployment) -> None:
    """A plain member's /subscribe is refused by the core and saves nothing."""
    async with running_bot(deployment.core) as (fake, _):
        fake.send_text("/subscribe new", READERS, user(1002, "Bob"))
        answer = await fake.wait_for("sendMessage")
    assert "Only this chat's admins" in answer.params["text"]
    assert deployment.follow.store.subscriptions() == []


async def test_a_channel_subscribed_by_a_post_gets_the_announcements(deployment) -> None:
    """/subscribe posted in a channel subscribes it; new papers are posted to the channel."""
    papers = channel(-1005555555555)
    await deployment.publish("v2.6.16")
    async with running_bot(deployment.core) as (fake, bot):
        fake.post_in_channel("/subscribe new", papers)
        await fake.wait_for("sendMessage")
        deployment.follow.add_sender(bot.sender)
        await deployment.publish("v2.6.17")
        await deployment.follow.worker.drain()
        posts = [c for c in fake.calls_to("sendMessage") if c.chat_id == papers["id"]]
    assert len(posts) == 2
    assert posts[1].error is None
    [sub] = deployment.follow.store.subscriptions()
    assert sub.chat.kind.value == "channel"


async def test_a_group_upgrade_moves_its_subscriptions_at_once(deployment) -> None:
    """The "migrated to a supergroup" service message moves the subscription before any post."""
    old, calls, both = group(-4001, "Old group"), [], asyncio.Event()

    def move(old_id: str, new_id: str) -> None:
        calls.append((old_id, new_id))
        deployment.follow.store.move_chat("telegram", old_id, new_id)
        if len(calls) == 2:
            both.set()

    async with running_bot(deployment.core, on_chat_moved=move) as (fake, _):
        await subscribe(fake, old, "/subscribe new")
        fake.upgrade(old, -1004001)  # "migrated to" in the group, "migrated from" in the new
        await asyncio.wait_for(both.wait(), 10)
        answers = len(fake.calls_to("sendMessage"))
    [sub] = deployment.follow.store.subscriptions()
    assert sub.chat.chat_id == "-1004001"
    assert sub.active
    assert calls == [("-4001", "-1004001")] * 2  # the second is harmless: nothing left to move
    assert answers == 1  # only the /subscribe answer: nothing said about the service messages


async def test_a_deleted_topic_pauses_only_its_subscription(deployment) -> None:
    """Posts to a deleted forum topic fail; that topic pauses, the other topic still gets them."""
    await deployment.publish("v2.6.16")
    async with running_bot(deployment.core) as (fake, bot):
        await subscribe(fake, FORUM, "/subscribe new", thread_id=77)
        await subscribe(fake, FORUM, "/subscribe new", thread_id=78)
        deployment.follow.add_sender(bot.sender)
        fake.close_topic(FORUM["id"], 77, deleted=True)
        await deployment.publish("v2.6.17")
        await deployment.follow.worker.drain()
        deployment.clock.advance(seconds=2)  # the pacer spaces posts to one chat
        await deployment.follow.worker.drain()
        sent = [c for c in fake.calls_to("sendMessage") if c.result is not None][2:]
    by_topic = {s.chat.thread_id: s for s in deployment.follow.store.subscriptions()}
    assert "thread not found" in (by_topic["77"].paused_reason or "")
    assert by_topic["78"].paused_reason is None
    assert [int(c.params["message_thread_id"]) for c in sent] == [78]
