"""The store port: everything follow-and-announce persists, behind one Protocol.

``SqliteStore`` is the real implementation; ``listbot.testing.MemoryStore`` the fake.
Each method is one transaction: a method that changes several things (a sync that
records the new version, first-seen times and the announcements it enqueues) changes
all of them or none.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from listbot.context import Chat
from listbot.store.records import (
    ANY_BASE,
    Delivery,
    Kind,
    OutboxStats,
    Post,
    Release,
    Seen,
    SeenPaper,
    Status,
    Subscription,
    SyncedVersion,
)


class Store(Protocol):
    """Subscriptions, list state and the delivery outbox."""

    # -- subscriptions ------------------------------------------------------------------
    def save_subscription(self, sub: Subscription, *, resume_chat: bool = False) -> Subscription:
        """Insert, or replace the one of the same chat and kind (resuming it); return it saved.

        With ``resume_chat``, the other paused subscriptions of the same chat (and thread)
        resume too, in the same transaction.
        """
        ...

    def remove_subscriptions(self, chat: Chat, kinds: Collection[Kind]) -> int:
        """Delete the chat's subscriptions of these kinds and their outbox rows; the count."""
        ...

    def subscriptions(
        self, *, chat: Chat | None = None, kind: Kind | None = None, active_only: bool = False
    ) -> list[Subscription]:
        """Subscriptions, optionally of one chat (and thread) or kind, in id order."""
        ...

    def pause_chat(
        self, platform: str, chat_id: str, reason: str, *, thread_id: str | None = None
    ) -> int:
        """Pause every subscription of a chat (or of one of its threads) and fail its pending
        rows; the count paused."""
        ...

    def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> int:
        """Give a chat's subscriptions a new chat id (a migrated group); the count moved."""
        ...

    # -- list state -----------------------------------------------------------------------
    def synced_version(self) -> SyncedVersion | None:
        """The last synced version, or None before the first sync."""
        ...

    def record_sync(
        self,
        version: SyncedVersion,
        seen: Sequence[SeenPaper],
        posts: Sequence[Post],
        *,
        base: str | None = ANY_BASE,
    ) -> int:
        """Store the version, first-seen rows (existing ones kept) and posts; count enqueued.

        ``base`` is the content hash the sync diffed against (None: an empty store); if
        another process stored a different version meanwhile, raise ``StaleSync`` and
        change nothing. ``ANY_BASE`` skips the check.
        """
        ...

    def seen_papers(
        self, *, status: Seen | None = None, since: datetime | None = None
    ) -> list[SeenPaper]:
        """First-seen rows, optionally of one status and first seen at or after ``since``."""
        ...

    def resolve_papers(
        self, paper_ids: Collection[str], status: Seen, posts: Sequence[Post], now: datetime
    ) -> int:
        """Set these papers' status and enqueue posts in one step; the count enqueued."""
        ...

    def releases(self) -> list[Release]:
        """Known release tags, oldest first."""
        ...

    def record_releases(
        self, releases: Sequence[Release], posts: Sequence[Post], now: datetime
    ) -> int:
        """Remember release tags (existing kept) and enqueue posts; the count enqueued."""
        ...

    def get_meta(self, key: str) -> str | None:
        """A small named value (an ETag, a draft), or None."""
        ...

    def set_meta(self, key: str, value: str | None) -> None:
        """Set a named value; None deletes it."""
        ...

    # -- outbox ---------------------------------------------------------------------------
    def enqueue(
        self, posts: Sequence[Post], now: datetime, periods: Mapping[int, str] | None = None
    ) -> int:
        """Add posts (duplicates of a subscription and content key ignored), and record
        digest periods per subscription id, in one step; the count added."""
        ...

    def due_deliveries(
        self, now: datetime, limit: int, platforms: Collection[str] | None = None
    ) -> list[Delivery]:
        """Pending rows of active subscriptions due at ``now``, oldest first; only rows of
        these platforms when given (those with a running sender). A row waits while an
        earlier row of its subscription is pending or sending: each chat gets its posts in
        order."""
        ...

    def mark_sending(self, delivery_id: int) -> bool:
        """Record that the row is being handed to the platform (one more attempt);
        False when it is no longer pending (its subscription was paused or removed)."""
        ...

    def mark_sent(self, delivery_id: int, message_id: str, now: datetime) -> None:
        """Record that the platform accepted the row, with its message id."""
        ...

    def mark_retry(self, delivery_id: int, error: str | None, next_attempt_at: datetime) -> None:
        """Put the row back to pending, to try again at ``next_attempt_at``; an ``error``
        of None keeps the last error (a deferral is not a failure)."""
        ...

    def mark_failed(self, delivery_id: int, error: str) -> None:
        """Give up on the row."""
        ...

    def recover_in_flight(self) -> int:
        """Put rows left ``sending`` by a crash back to pending; the count."""
        ...

    def deliveries(self, status: Status | None = None) -> list[Delivery]:
        """Outbox rows, optionally of one status, in id order."""
        ...

    def outbox_stats(self) -> OutboxStats:
        """Counts by status, the oldest pending row's time and the commonest errors."""
        ...

    def close(self) -> None:
        """Release the underlying resources."""
        ...
