"""Delivery: the worker drains the outbox through the Sender port, paced, and never loses a post."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from listbot.context import Chat, ChatKind
from listbot.follow.delivery import DeliveryWorker, RetryPolicy
from listbot.follow.pacing import JITTER, TELEGRAM, Limit, Pacer, PlatformLimits
from listbot.sender import (
    ChatMoved,
    ChatUnavailable,
    PermanentFailure,
    RetryAfter,
    TransientFailure,
)
from listbot.store import Post, SqliteStore, Status, Store
from listbot.testing import FakeClock, FakeSender, MemoryStore
from tests.follow_support import T0, subscription


def _broadcast(store: Store, chats: int, key: str = "digest:1") -> None:
    subs = [store.save_subscription(subscription(str(n))) for n in range(chats)]
    store.enqueue([Post(s.id, key, {"text": f"to {s.chat.chat_id}"}) for s in subs], T0)


def _worker(
    store: Store, sender: FakeSender, clock: FakeClock, **options: object
) -> DeliveryWorker:
    return DeliveryWorker(store, {"telegram": sender}, clock, **options)  # type: ignore[arg-type]


async def test_every_row_is_sent_once_and_marked_with_the_message_id() -> None:
    """A drained outbox has every row sent, each with the id the platform returned."""
    store, clock, sender = MemoryStore(), FakeClock(T0), FakeSender()
    _broadcast(store, 5)
    stats = await _worker(store, sender, clock).drain()
    assert stats.sent == 5
    assert sorted(m.chat.chat_id for m in sender.sent) == ["0", "1", "2", "3", "4"]
    assert {d.message_id for d in store.deliveries(Status.SENT)} == {"1", "2", "3", "4", "5"}


async def test_a_429_waits_its_retry_after_and_retries_only_that_message() -> None:
    """A rate-limited message is retried after retry_after; the others are not held up."""
    store, clock, sender = MemoryStore(), FakeClock(T0), FakeSender()
    _broadcast(store, 3)
    sender.script("1", RetryAfter(30))
    worker = _worker(store, sender, clock)
    await worker.drain()
    assert [m.chat.chat_id for m in sender.sent] == ["0", "2"]
    (waiting,) = store.deliveries(Status.PENDING)
    assert (waiting.chat.chat_id, waiting.next_attempt_at.timestamp()) == (
        "1",
        pytest.approx(clock.now().timestamp() + 30, abs=2),
    )
    clock.advance(31)
    await worker.drain()
    assert [m.chat.chat_id for m in sender.sent] == ["0", "2", "1"]
    assert worker.stats.rate_limited == 1


async def test_a_server_error_retries_with_backoff_and_keeps_the_row() -> None:
    """5xx and network errors keep the row pending with a growing delay, then deliver it."""
    store, clock, sender = MemoryStore(), FakeClock(T0), FakeSender()
    _broadcast(store, 1)
    sender.script("0", TransientFailure("HTTP 502"), TransientFailure("HTTP 503"))
    worker = _worker(store, sender, clock, retry=RetryPolicy(base=10, factor=2))
    await worker.drain()
    (row,) = store.deliveries(Status.PENDING)
    assert row.last_error == "HTTP 502"
    clock.advance(10)
    await worker.drain()
    (row,) = store.deliveries(Status.PENDING)
    assert (row.last_error, row.next_attempt_at - clock.now()) == (
        "HTTP 503",
        timedelta(seconds=20),
    )
    clock.advance(20)
    await worker.drain()
    assert store.deliveries(Status.SENT)[0].attempts == 3


async def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt() -> None:
    """After max_attempts transient failures the row is failed, with the reason."""
    store, clock, sender = MemoryStore(), FakeClock(T0), FakeSender()
    _broadcast(store, 1)
    sender.script("0", *[TransientFailure("HTTP 500")] * 3)
    worker = _worker(store, sender, clock, retry=RetryPolicy(base=1, max_attempts=3))
    for _ in range(4):
        await worker.drain()
        clock.advance(60)
    (row,) = store.deliveries(Status.FAILED)
    assert row.last_error == "gave up after 3 attempts: HTTP 500"


async def test_an_unavailable_chat_pauses_its_subscription_with_the_reason() -> None:
    """403 blocked or kicked pauses the subscription; resubscribing resumes it."""
    store, clock, sender = MemoryStore(), FakeClock(T0), FakeSender()
    _broadcast(store, 2)
    sender.script("0", ChatUnavailable("Forbidden: bot was kicked from the group chat"))
    await _worker(store, sender, clock).drain()
    paused = store.subscriptions(chat=subscription("0").chat)[0]
    assert paused.paused_reason == "Forbidden: bot was kicked from the group chat"
    assert [m.chat.chat_id for m in sender.sent] == ["1"]
    assert store.save_subscription(subscription("0")).active


async def test_a_lost_thread_pauses_that_thread_and_not_its_chat() -> None:
    """A thread-only ChatUnavailable pauses the thread's subscription; the chat's goes on."""
    store, clock, sender = MemoryStore(), FakeClock(T0), FakeSender()
    in_thread = replace(subscription("5"), chat=Chat("telegram", "5", "77", ChatKind.GROUP))
    store.save_subscription(subscription("5"))
    thread_sub = store.save_subscription(in_thread)
    store.enqueue([Post(thread_sub.id, "new:1", {"text": "hi"})], T0)
    sender.script("5", ChatUnavailable("message thread not found", thread_only=True))
    await _worker(store, sender, clock).drain()
    by_thread = {s.chat.thread_id: s.active for s in store.subscriptions()}
    assert by_thread == {None: True, "77": False}


async def test_a_refused_message_fails_at_once_without_retries() -> None:
    """A PermanentFailure marks the row failed on the first attempt, with the reason."""
    store, clock, sender = MemoryStore(), FakeClock(T0), FakeSender()
    _broadcast(store, 1)
    sender.script("0", PermanentFailure("Bad Request: can't parse entities"))
    stats = await _worker(store, sender, clock).drain()
    (row,) = store.deliveries(Status.FAILED)
    assert "can't parse entities" in (row.last_error or "")
    assert (stats.failed, stats.retried, row.attempts) == (1, 0, 1)


async def test_a_migrated_group_gets_its_message_at_the_new_chat_id() -> None:
    """ChatMoved moves the subscriptions and the same row is delivered to the new id."""
    store, clock, sender = MemoryStore(), FakeClock(T0), FakeSender()
    _broadcast(store, 1)
    sender.script("0", ChatMoved("-1001"))
    await _worker(store, sender, clock).drain()
    assert [m.chat.chat_id for m in sender.sent] == ["-1001"]
    assert store.subscriptions()[0].chat.chat_id == "-1001"
    assert len(store.deliveries(Status.SENT)) == 1


async def test_an_unexpected_sender_error_is_retried_not_fatal() -> None:
    """A bug in an adapter's sender keeps the row and the worker alive."""
    store, clock = MemoryStore(), FakeClock(T0)

    class Broken(FakeSender):
        async def send(self, chat: Chat, payload: object, *, key: str | None = None) -> str:  # type: ignore[override]
            raise KeyError("oops")

    _broadcast(store, 1)
    await _worker(store, Broken(), clock).drain()
    assert store.deliveries(Status.PENDING)[0].last_error == "'oops'"


async def test_rows_for_a_platform_without_a_sender_wait_for_its_adapter() -> None:
    """A Discord row stays pending while only Telegram runs, and goes once Discord is added."""
    store, clock, sender = MemoryStore(), FakeClock(T0), FakeSender()
    sub = store.save_subscription(subscription("d1", platform="discord"))
    store.enqueue([Post(sub.id, "k", {})], T0)
    worker = _worker(store, sender, clock)
    await worker.drain()
    assert [d.status for d in store.deliveries()] == [Status.PENDING]
    discord = FakeSender("discord")
    worker.senders["discord"] = discord
    await worker.drain()
    assert [m.chat.chat_id for m in discord.sent] == ["d1"]


async def test_a_message_deferred_by_pacing_keeps_no_error() -> None:
    """A second message to a busy chat waits for its slot without counting as a failure."""
    store, clock, sender = MemoryStore(), FakeClock(T0), FakeSender()
    sub = store.save_subscription(subscription("1"))
    store.enqueue([Post(sub.id, "a#1", {}), Post(sub.id, "a#2", {})], T0)
    worker = _worker(store, sender, clock)
    await worker.drain()
    (waiting,) = store.deliveries(Status.PENDING)
    assert (waiting.content_key, waiting.last_error, worker.stats.deferred) == ("a#2", None, 1)
    clock.advance(2)
    await worker.drain()
    assert [m.payload for m in sender.sent] == [{}, {}]
    assert store.outbox_stats().errors == ()


class CrashAfterSend(FakeSender):
    """Accepts the message, then hangs until the process is 'killed' before the mark."""

    def __init__(self, crash_on: int) -> None:
        super().__init__()
        self.crash_on = crash_on

    async def send(self, chat: Chat, payload: object, *, key: str | None = None) -> str:  # type: ignore[override]
        message_id = await super().send(chat, payload, key=key)  # type: ignore[arg-type]
        if len(self.sent) == self.crash_on:
            await asyncio.Event().wait()
        return message_id


async def test_a_crash_between_send_and_mark_resends_only_that_message(tmp_path: Path) -> None:
    """Stopped between the platform accepting and the mark, a restart resends that one only."""
    path = tmp_path / "s.sqlite3"
    store, clock = SqliteStore(path), FakeClock(T0)
    _broadcast(store, 10)
    crashing = CrashAfterSend(crash_on=4)
    worker = DeliveryWorker(store, {"telegram": crashing}, clock, concurrency=1)
    task = asyncio.create_task(worker.drain())
    while len(crashing.sent) < 4:
        await asyncio.sleep(0)
    task.cancel()  # the process dies: nothing after the platform accepted runs
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [d.chat.chat_id for d in store.deliveries(Status.SENDING)] == ["3"]
    store.close()
    restarted, sender = SqliteStore(path), FakeSender()
    await DeliveryWorker(restarted, {"telegram": sender}, clock).drain()
    received = Counter(m.chat.chat_id for m in crashing.sent + sender.sent)
    assert set(received) == {str(n) for n in range(10)}
    assert [chat for chat, n in received.items() if n > 1] == ["3"]
    assert len(restarted.deliveries(Status.SENT)) == 10
    restarted.close()


async def test_a_restart_in_the_middle_of_a_broadcast_loses_and_repeats_nothing(
    tmp_path: Path,
) -> None:
    """A worker stopped mid-broadcast and a new one started deliver each chat exactly once."""
    path = tmp_path / "s.sqlite3"
    store, clock = SqliteStore(path), FakeClock(T0)
    _broadcast(store, 40)
    first = FakeSender()
    worker = DeliveryWorker(store, {"telegram": first}, clock, concurrency=4)
    task = asyncio.create_task(worker.run())
    while len(first.sent) < 15:
        await asyncio.sleep(0)
    await worker.stop()
    await task
    store.close()
    restarted, second = SqliteStore(path), FakeSender()
    await DeliveryWorker(restarted, {"telegram": second}, clock).drain()
    received = Counter(m.chat.chat_id for m in first.sent + second.sent)
    assert received == Counter({str(n): 1 for n in range(40)})
    assert 15 <= len(first.sent) < 40
    restarted.close()


def test_the_pacer_lets_a_window_fill_then_waits_for_its_oldest_send() -> None:
    """30 messages to different chats go at once; the 31st waits until the first is a second old."""
    pacer = Pacer({"telegram": TELEGRAM}, margin=0.0)
    delays = [pacer.plan(Chat("telegram", str(n)), now=0.0)[0] for n in range(31)]
    assert delays == [0.0] * 30 + [pytest.approx(1.0 + JITTER)]


def test_the_pacer_defers_a_busy_chat_without_reserving_a_slot() -> None:
    """A 21st message to one group within a minute is deferred, and others are not delayed."""
    limits = PlatformLimits(Limit(1000), {ChatKind.GROUP: (Limit(20, 60.0),)})
    pacer = Pacer({"telegram": limits}, margin=0.0)
    group = Chat("telegram", "g", kind=ChatKind.GROUP)
    assert [pacer.plan(group, float(n))[1] for n in range(20)] == [True] * 20
    assert pacer.plan(group, 20.0) == (pytest.approx(40.0 + JITTER), False)
    assert pacer.plan(Chat("telegram", "other"), 20.0) == (0.0, True)


def test_a_penalized_chat_waits_until_its_retry_after() -> None:
    """After a 429 the chat's next slot is not before retry_after."""
    pacer = Pacer({"telegram": TELEGRAM})
    private = Chat("telegram", "p")
    pacer.penalize(private, until=12.0)
    assert pacer.plan(private, 10.0) == (pytest.approx(2.0), False)


def test_the_pacer_forgets_chats_whose_windows_emptied() -> None:
    """State for 10,000 chats does not stay in memory after their windows pass."""
    pacer = Pacer({"telegram": TELEGRAM})
    for n in range(100):
        pacer.plan(Chat("telegram", str(n)), now=0.0)
    pacer.forget_idle(now=10.0)
    assert pacer.plan(Chat("telegram", "0"), now=10.0) == (0.0, True)


class GatedClock(FakeClock):
    """A fake clock whose pacing sleeps last until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__(T0)
        self.gate, self.waiting = asyncio.Event(), asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        self.waiting.set()
        await self.gate.wait()
        await super().sleep(seconds)


async def test_a_stop_during_a_pacing_wait_starts_no_new_send() -> None:
    """A message waiting for its slot when the worker stops stays pending for the next run."""
    store, clock, sender = MemoryStore(), GatedClock(), FakeSender()
    _broadcast(store, 2)
    one_per_second = {"telegram": PlatformLimits(overall=Limit(1, 1.0), per_chat={})}
    worker = _worker(store, sender, clock, pacer=Pacer(one_per_second))
    task = asyncio.create_task(worker.run())
    await clock.waiting.wait()
    stopping = asyncio.create_task(worker.stop())
    await asyncio.sleep(0)
    clock.gate.set()
    await stopping
    await task
    assert [m.chat.chat_id for m in sender.sent] == ["0"]
    assert [d.chat.chat_id for d in store.deliveries(Status.PENDING)] == ["1"]
