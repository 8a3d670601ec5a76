"""Delivery and sync benchmarks.

1. One digest delivered to 10,000 subscribed Telegram chats through a fake sender that
   enforces Telegram's limits (30 messages per second overall, 1 per second per chat)
   scaled up by ``SCALE`` so that the run takes well under a minute, with a simulated
   network latency per send. Reports messages per second as a fraction of the (scaled)
   limit (goal >= 0.9), the 429s the fake answered, lost and duplicated messages (goal:
   none), and peak memory (RSS of the process, and traced Python allocations).
2. A sync of the newest README against the previous release, end to end without the
   network (file source, parse, diff, first-seen, announcements to 200 subscriptions, one
   SQLite transaction). Goal: at most 100 ms.

Run ``python benchmarks/bench_delivery.py``.
"""

from __future__ import annotations

import asyncio
import resource
import shutil
import statistics
import tempfile
import time
from collections import Counter, deque
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from listbot.context import Chat, ChatKind
from listbot.follow.clock import SystemClock
from listbot.follow.delivery import DeliveryWorker
from listbot.follow.fetch import FileSource
from listbot.follow.pacing import TELEGRAM, Limit, Pacer
from listbot.follow.sync import SyncConfig, Syncer, clear_caches, parse_cached
from listbot.sender import RetryAfter
from listbot.store import Filters, Kind, Post, SqliteStore, Status, Subscription

SCALE = 10
"""Telegram's limits times this: 300 messages/s overall, so 10,000 take about 34 s."""
CHATS = 10_000
LATENCY = 0.02 / SCALE
"""Simulated round trip of one sendMessage (20 ms), scaled like the limits."""
UPSTREAM = Path(__file__).resolve().parents[2] / "shared" / "upstream"
if not UPSTREAM.is_dir():
    UPSTREAM = Path("/work/shared/upstream")
NOW = datetime.now(UTC)


class LimitedTelegram:
    """A fake Telegram that answers 429 whenever a sliding-window limit would be crossed:
    more than ``overall.count`` messages in any ``overall.per`` seconds, or two messages to
    one chat closer than ``per_chat_window``."""

    platform = "telegram"

    def __init__(self, overall: Limit, per_chat_window: float) -> None:
        self.overall, self.per_chat_window = overall, per_chat_window
        self.window: deque[float] = deque()
        self.last_by_chat: dict[str, float] = {}
        self.received: list[str] = []
        self.too_many = 0

    async def send(self, chat: Chat, payload: Mapping[str, Any]) -> str:
        await asyncio.sleep(LATENCY / 2)
        now = time.monotonic()
        while self.window and self.window[0] <= now - self.overall.per:
            self.window.popleft()
        last = self.last_by_chat.get(chat.chat_id)
        if len(self.window) >= self.overall.count or (last and now - last < self.per_chat_window):
            self.too_many += 1
            raise RetryAfter(1.0 / SCALE)
        self.window.append(now)
        self.last_by_chat[chat.chat_id] = now
        self.received.append(chat.chat_id)
        await asyncio.sleep(LATENCY / 2)
        return str(len(self.received))


def _fill(store: SqliteStore) -> None:
    payload = {"text": "📚 Awesome-LLM-Inference weekly: 4 new papers …", "parse_mode": "HTML"}
    for n in range(CHATS):
        chat = Chat("telegram", str(1_000_000 + n), None, ChatKind.PRIVATE)
        sub = store.save_subscription(Subscription(chat, Kind.WEEKLY, created_at=NOW))
        store.enqueue([Post(sub.id, "digest:2026-11-30", payload)], NOW)


async def bench_delivery() -> None:
    """Deliver one digest to every chat and report the numbers."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.sqlite3")
        _fill(store)
        limits = TELEGRAM.scaled(SCALE)
        sender = LimitedTelegram(limits.overall, 1.0 / SCALE)
        worker = DeliveryWorker(
            store, {"telegram": sender}, SystemClock(), pacer=Pacer({"telegram": limits})
        )
        start = time.perf_counter()
        while store.deliveries(Status.PENDING):
            await worker.drain()
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - start
        rate, limit = CHATS / elapsed, limits.overall.count / limits.overall.per
        counts = Counter(sender.received)
        lost = CHATS - len(counts)
        duplicated = sum(n - 1 for n in counts.values())
        sent_rows = len(store.deliveries(Status.SENT))
        store.close()
    print(
        f"delivery: {CHATS} chats, Telegram limits x{SCALE} ({limit:.0f} msg/s), "
        f"{LATENCY * 1000:.1f} ms latency"
    )
    print(f"  {elapsed:.1f} s, {rate:.0f} msg/s = {rate / limit:.3f} of the limit (goal >= 0.9)")
    print(
        f"  429s: {sender.too_many}; lost: {lost}; duplicated: {duplicated}; "
        f"rows marked sent: {sent_rows}"
    )


def _sync_store(directory: Path) -> Path:
    path = directory / "base.sqlite3"
    store = SqliteStore(path)
    topics = parse_cached((UPSTREAM / "releases" / "README@v2.6.20.md").read_text()).sections
    for n in range(200):
        filters = Filters(topics=(topics[n % len(topics)],)) if n % 2 else Filters()
        chat = Chat("telegram", str(n), None, ChatKind.GROUP)
        store.save_subscription(Subscription(chat, Kind.NEW, filters, created_at=NOW))
    return path


async def bench_sync(runs: int = 15) -> None:
    """Time a full sync of main against v2.6.20, each on a fresh copy of the store."""
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = _sync_store(Path(tmp))
        seed = SqliteStore(base)
        await Syncer(
            seed, FileSource(UPSTREAM / "releases" / "README@v2.6.20.md"), SystemClock()
        ).sync()
        seed.close()
        for run in range(runs):
            path = Path(tmp) / f"run{run}.sqlite3"
            shutil.copy(base, path)
            store = SqliteStore(path)
            clear_caches()
            syncer = Syncer(
                store,
                FileSource(UPSTREAM / "README@main-2026-07-26.md"),
                SystemClock(),
                SyncConfig(hold_threshold=50),
            )
            start = time.perf_counter()
            result = await syncer.sync()
            times.append((time.perf_counter() - start) * 1000)
            store.close()
    print(f"sync main vs v2.6.20: {len(result.added)} new papers, {result.queued} posts queued")
    print(
        f"  median {statistics.median(times):.1f} ms, max {max(times):.1f} ms "
        f"over {runs} runs (goal <= 100 ms)"
    )


def main() -> None:
    """Run both benchmarks."""
    asyncio.run(bench_delivery())
    asyncio.run(bench_sync())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS of the whole run): {peak:.0f} MB")


if __name__ == "__main__":
    main()
