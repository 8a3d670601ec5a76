"""The delivery worker: drains the outbox through each platform's Sender, paced and crash-safe.

A row goes ``pending`` -> ``sending`` (committed before the platform is called) ->
``sent`` (committed with the platform's message id after it accepted). A crash between
the platform accepting and the ``sent`` commit leaves the row ``sending``; at start-up
those rows go back to pending and are sent again. That is the at-least-once boundary:
at most ``concurrency`` messages (the ones in flight at the crash) can be duplicated;
none is ever lost. A graceful ``stop()`` finishes the in-flight sends, so a normal
restart duplicates nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from listbot.follow.clock import Clock
from listbot.follow.pacing import Pacer
from listbot.sender import (
    ChatMoved,
    ChatUnavailable,
    DeliveryError,
    PermanentFailure,
    RetryAfter,
    Sender,
)
from listbot.store.port import Store
from listbot.store.records import Delivery

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Backoff of transient failures: ``base * factor**(attempts-1)``, capped; then give up."""

    base: float = 5.0
    factor: float = 2.0
    cap: float = 3600.0
    max_attempts: int = 10

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt."""
        return float(min(self.cap, self.base * self.factor ** max(0, attempts - 1)))


@dataclass
class WorkerStats:
    """What the worker did since it was built (for logs and metrics)."""

    sent: int = 0
    rate_limited: int = 0
    retried: int = 0
    failed: int = 0
    paused: int = 0
    moved: int = 0
    deferred: int = 0


def delivery_key(row: Delivery) -> str:
    """The idempotency key of an outbox row, the same for every attempt (at most 25 chars)."""
    return f"listbot-{row.id}"


class DeliveryWorker:
    """Sends due outbox rows; ``run()`` until ``stop()``, or ``drain()`` once."""

    def __init__(
        self,
        store: Store,
        senders: Mapping[str, Sender],
        clock: Clock,
        *,
        pacer: Pacer | None = None,
        retry: RetryPolicy | None = None,
        concurrency: int = 4,
        batch: int = 500,
        idle_poll: float = 1.0,
    ) -> None:
        self.store, self.senders, self.clock = store, dict(senders), clock
        self.pacer = pacer or Pacer()
        self.retry = retry or RetryPolicy()
        self.batch, self.idle_poll = batch, idle_poll
        self.stats = WorkerStats()
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = False
        self._recovered = False

    def wake(self) -> None:
        """Look at the outbox now (call after enqueueing)."""
        self._wake.set()

    def recover(self) -> int:
        """Put rows a crash left ``sending`` back to pending (once, before the first pass)."""
        if self._recovered:
            return 0
        self._recovered = True
        count = self.store.recover_in_flight()
        if count:
            log.warning("resending %d deliveries that were in flight at the last stop", count)
        return count

    async def run(self) -> None:
        """Deliver until ``stop()``; sleeps when nothing is due, wakes on ``wake()``."""
        self.recover()
        while not self._stopping:
            self._wake.clear()
            try:
                dispatched = await self._pass()
            except Exception:  # a store error: log, wait, try again; never die silently
                log.exception("delivery pass failed")
                dispatched = 0
            if dispatched == 0 and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.idle_poll)

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop taking rows; wait up to ``timeout`` for in-flight sends, then cancel them."""
        self._stopping = True
        self._wake.set()
        if self._in_flight:
            _, pending = await asyncio.wait(set(self._in_flight), timeout=timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def drain(self) -> WorkerStats:
        """Deliver everything due now (and what becomes due while pacing); return the stats."""
        self.recover()
        while await self._pass() or self._in_flight:
            await asyncio.gather(*set(self._in_flight), return_exceptions=True)
        return self.stats

    async def _pass(self) -> int:
        self.pacer.forget_idle(self.clock.monotonic())
        rows = self.store.due_deliveries(self.clock.now(), self.batch, list(self.senders))
        dispatched = 0
        for row in rows:
            if self._stopping:
                break
            dispatched += await self._dispatch(row)
        return dispatched

    async def _dispatch(self, row: Delivery) -> int:
        sender = self.senders[row.chat.platform]
        delay, reserved = self.pacer.plan(row.chat, self.clock.monotonic())
        if not reserved:
            self.stats.deferred += 1
            self._defer(row, delay, None)
            return 0
        if delay > 0:
            await self.clock.sleep(delay)
        await self._slots.acquire()
        # Stopped while waiting (nothing may start after stop() waited for the in-flight
        # sends), or the row was paused or removed meanwhile: leave it for later.
        if self._stopping or not self.store.mark_sending(row.id):
            self._slots.release()
            return 0
        task = asyncio.create_task(self._send(sender, row))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return 1

    def _defer(self, row: Delivery, seconds: float, error: str | None) -> None:
        self.store.mark_retry(row.id, error, self.clock.now() + timedelta(seconds=seconds))

    async def _send(self, sender: Sender, row: Delivery) -> None:
        try:
            await self._attempt(sender, row)
        except Exception:  # the row stays "sending" and is resent after a restart
            log.exception("recording the outcome of delivery %d failed", row.id)
        finally:
            self._slots.release()

    async def _attempt(self, sender: Sender, row: Delivery) -> None:
        try:
            message_id = await sender.send(row.chat, row.payload, key=delivery_key(row))
        except DeliveryError as error:
            self._failed(row, error)
        except Exception as error:  # an adapter bug must not kill the worker
            log.exception("sender %s raised an unexpected error", row.chat.platform)
            self._failed(row, error)
        else:
            self.store.mark_sent(row.id, message_id, self.clock.now())
            self.stats.sent += 1

    def _failed(self, row: Delivery, error: Exception) -> None:
        chat = row.chat
        if isinstance(error, RetryAfter):
            self.stats.rate_limited += 1
            self.pacer.penalize(chat, self.clock.monotonic() + error.seconds)
            self._defer(row, error.seconds, str(error))
        elif isinstance(error, ChatMoved):
            self.stats.moved += 1
            self.store.move_chat(chat.platform, chat.chat_id, error.new_chat_id)
            self._defer(row, 0.0, str(error))
        elif isinstance(error, ChatUnavailable):
            self.stats.paused += 1
            thread = chat.thread_id if error.thread_only else None
            log.warning(
                "pausing %s chat %s: %s",
                chat.platform,
                chat.chat_id,
                error.reason,
                extra={"platform": chat.platform, "chat_id": chat.chat_id, "thread_id": thread},
            )
            self.store.pause_chat(chat.platform, chat.chat_id, error.reason, thread_id=thread)
        elif isinstance(error, PermanentFailure):
            self.stats.failed += 1
            self.store.mark_failed(row.id, f"refused by the platform: {error}")
        elif row.attempts + 1 >= self.retry.max_attempts:
            self.stats.failed += 1
            self.store.mark_failed(row.id, f"gave up after {row.attempts + 1} attempts: {error}")
        else:
            self.stats.retried += 1
            self._defer(row, self.retry.delay(row.attempts + 1), str(error) or type(error).__name__)
