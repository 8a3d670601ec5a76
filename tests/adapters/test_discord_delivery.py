"""End to end: the core's delivery worker posting through DiscordSender to the fake Discord."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from listbot.catalog.bundle import load_bundled
from listbot.context import Chat, ChatKind
from listbot.follow.clock import SystemClock
from listbot.follow.content import digest_reply, text_announcement
from listbot.follow.delivery import DeliveryWorker
from listbot.follow.posts import posts_for
from listbot.store.records import Kind, Status, Subscription
from listbot.store.sqlite import SqliteStore
from tests.fakes.discord_api import CHANNEL_ID, THREAD_ID
from tests.fakes.discord_harness import running_bot

NOW = datetime.now(UTC)


@pytest.fixture
def store(tmp_path):
    """A real SQLite store."""
    store = SqliteStore(tmp_path / "listbot.sqlite3")
    yield store
    store.close()


def subscribe(store, kind: Kind, thread_id: int | None = None) -> Subscription:
    """The test channel (or a thread of it) subscribed to ``kind``."""
    chat = Chat("discord", str(CHANNEL_ID), str(thread_id) if thread_id else None, ChatKind.GROUP)
    return store.save_subscription(Subscription(chat, kind, created_by="1", created_at=NOW))


async def deliver(store, adapter) -> DeliveryWorker:
    """Drain the outbox through the adapter's sender."""
    worker = DeliveryWorker(store, {"discord": adapter.sender}, SystemClock())
    await worker.drain()
    return worker


async def test_an_announcement_is_delivered_once_and_marked_sent_with_the_message_id(store):
    """A maintainer's announcement reaches the subscribed channel; the row records the id."""
    sub = subscribe(store, Kind.RELEASES)
    store.enqueue(posts_for(sub, "announce:1", text_announcement("v3 is out")), NOW)
    async with running_bot() as (fake, adapter):
        await deliver(store, adapter)
        await deliver(store, adapter)
        [message] = fake.posted(CHANNEL_ID)
    assert "v3 is out" in message["content"]
    [row] = store.deliveries()
    assert (row.status, row.message_id) == (Status.SENT, message["id"])


async def test_a_weekly_digest_is_delivered_into_the_subscribed_thread_with_embeds(store):
    """A digest of three papers is posted to the thread, grouped in embeds with links."""
    sub = subscribe(store, Kind.WEEKLY, thread_id=THREAD_ID)
    papers = load_bundled().catalog.papers[:3]
    reply = digest_reply(papers, NOW - timedelta(days=7), NOW)
    store.enqueue(posts_for(sub, "digest:w1", reply), NOW)
    async with running_bot() as (fake, adapter):
        await deliver(store, adapter)
        [message] = fake.posted(THREAD_ID)
    shown = str(message["embeds"])
    assert all(paper.title[:20] in shown for paper in papers)
    assert "weekly" in message["content"]


async def test_lost_access_pauses_the_subscription_with_the_reason(store):
    """403 Missing Access pauses the channel's subscription, saying why; nothing is posted."""
    subscribe(store, Kind.NEW)
    sub = subscribe(store, Kind.RELEASES)
    store.enqueue(posts_for(sub, "announce:2", text_announcement("hello")), NOW)
    async with running_bot() as (fake, adapter):
        fake.lose(CHANNEL_ID, status=403)
        await deliver(store, adapter)
    reasons = [s.paused_reason or "" for s in store.subscriptions(chat=sub.chat)]
    assert len(reasons) == 2
    assert all("missing access" in reason for reason in reasons)


async def test_a_long_rate_limit_keeps_the_row_for_later(store):
    """A 429 beyond discord.py's patience defers the row by retry_after; nothing is lost."""
    sub = subscribe(store, Kind.RELEASES)
    store.enqueue(posts_for(sub, "announce:3", text_announcement("later")), NOW)
    async with running_bot() as (fake, adapter):
        fake.fail(rf"POST /channels/{CHANNEL_ID}/messages", 429, retry_after=90.0)
        worker = await deliver(store, adapter)
    [row] = store.deliveries()
    assert (row.status, worker.stats.rate_limited) == (Status.PENDING, 1)
    assert row.next_attempt_at > datetime.now(UTC) + timedelta(seconds=60)


async def test_a_deleted_thread_pauses_only_the_threads_subscription(store):
    """404 Unknown Channel for a thread pauses that thread; its channel keeps receiving."""
    channel = subscribe(store, Kind.RELEASES)
    in_thread = subscribe(store, Kind.RELEASES, thread_id=THREAD_ID)
    store.enqueue(posts_for(channel, "announce:4", text_announcement("hi")), NOW)
    store.enqueue(posts_for(in_thread, "announce:4", text_announcement("hi")), NOW)
    async with running_bot() as (fake, adapter):
        fake.lose(THREAD_ID, status=404)
        await deliver(store, adapter)
        assert len(fake.posted(CHANNEL_ID)) == 1
    by_thread = {sub.chat.thread_id: sub for sub in store.subscriptions()}
    assert by_thread[None].active
    assert "unknown channel" in (by_thread[str(THREAD_ID)].paused_reason or "")


async def test_a_deleted_channel_pauses_its_subscription_with_the_reason(store):
    """404 Unknown Channel for the channel pauses its subscription, saying why."""
    sub = subscribe(store, Kind.RELEASES)
    store.enqueue(posts_for(sub, "announce:5", text_announcement("hi")), NOW)
    async with running_bot() as (fake, adapter):
        fake.lose(CHANNEL_ID, status=404)
        await deliver(store, adapter)
    [paused] = store.subscriptions()
    assert not paused.active
    assert "unknown channel (404/10003)" in (paused.paused_reason or "")


async def test_a_message_discord_refuses_fails_at_once_and_the_subscription_stays(store):
    """A 400 marks the row failed on the first attempt; the channel stays subscribed."""
    sub = subscribe(store, Kind.RELEASES)
    store.enqueue(posts_for(sub, "announce:6", text_announcement("hi")), NOW)
    async with running_bot() as (fake, adapter):
        fake.fail(rf"POST /channels/{CHANNEL_ID}/messages", 400, code=50035)
        worker = await deliver(store, adapter)
    [row] = store.deliveries()
    assert (row.status, row.attempts, worker.stats.failed) == (Status.FAILED, 1, 1)
    assert store.subscriptions()[0].active


async def test_a_message_resent_after_a_crash_is_not_posted_twice(store):
    """A row left 'sending' by a crash is sent again with the same nonce: Discord keeps one."""
    sub = subscribe(store, Kind.RELEASES)
    store.enqueue(posts_for(sub, "announce:2", text_announcement("v4 is out")), NOW)
    async with running_bot() as (fake, adapter):
        [row] = store.due_deliveries(NOW + timedelta(seconds=1), 10, ["discord"])
        assert store.mark_sending(row.id)
        first_id = await adapter.sender.send(row.chat, row.payload, key=f"listbot-{row.id}")
        # the process dies here: the platform accepted the message, the store never heard
        await deliver(store, adapter)  # the restarted worker recovers and resends the row
        [message] = fake.posted(CHANNEL_ID)
    [sent] = store.deliveries()
    assert (sent.status, sent.message_id) == (Status.SENT, first_id)
    assert message["id"] == first_id
