"""The Store port in memory: same behaviour as ``SqliteStore``, for service-layer tests."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

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
    StaleSync,
    Status,
    Subscription,
    SyncedVersion,
)


class MemoryStore:
    """The Store port in memory, for service-layer tests."""

    def __init__(self) -> None:
        self._subs: dict[int, Subscription] = {}
        self._version: SyncedVersion | None = None
        self._seen: dict[str, SeenPaper] = {}
        self._releases: dict[str, Release] = {}
        self._meta: dict[str, str] = {}
        self._outbox: dict[int, Delivery] = {}
        self._ids = itertools.count(1)

    # -- subscriptions ------------------------------------------------------------------
    def save_subscription(self, sub: Subscription, *, resume_chat: bool = False) -> Subscription:
        """Insert, or replace the one of the same chat and kind (and resume the chat's)."""
        if resume_chat:
            for other in self.subscriptions(chat=sub.chat):
                self._subs[other.id] = replace(other, paused_reason=None)
        old = next((s for s in self._subs.values() if _same_place(s, sub.chat, sub.kind)), None)
        saved = replace(sub, id=old.id if old else next(self._ids))
        self._subs[saved.id] = saved
        return saved

    def remove_subscriptions(self, chat: Chat, kinds: Collection[Kind]) -> int:
        """Delete the chat's subscriptions of these kinds and their outbox rows."""
        gone = [s.id for s in self._subs.values() if any(_same_place(s, chat, k) for k in kinds)]
        for sub_id in gone:
            del self._subs[sub_id]
        self._outbox = {i: d for i, d in self._outbox.items() if d.subscription_id not in gone}
        return len(gone)

    def subscriptions(
        self, *, chat: Chat | None = None, kind: Kind | None = None, active_only: bool = False
    ) -> list[Subscription]:
        """Subscriptions, optionally of one chat (and thread) or kind, in id order."""
        return [
            s
            for _, s in sorted(self._subs.items())
            if (chat is None or _same_chat(s.chat, chat))
            and (kind is None or s.kind is kind)
            and (s.active or not active_only)
        ]

    def pause_chat(
        self, platform: str, chat_id: str, reason: str, *, thread_id: str | None = None
    ) -> int:
        """Pause every subscription of a chat (or one thread) and fail its pending rows."""
        hit = [
            s
            for s in self._subs.values()
            if (s.chat.platform, s.chat.chat_id) == (platform, chat_id)
            and thread_id in (None, s.chat.thread_id)
        ]
        for sub in hit:
            self._subs[sub.id] = replace(sub, paused_reason=reason)
            self._fail_unsent(sub.id, f"chat unavailable: {reason}")
        return len(hit)

    def _fail_unsent(self, sub_id: int, error: str) -> None:
        for row in list(self._outbox.values()):
            if row.subscription_id == sub_id and row.status in (Status.PENDING, Status.SENDING):
                self._set(row.id, status=Status.FAILED, last_error=error)

    def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> int:
        """Give a chat's subscriptions a new chat id; ones already there are paused."""
        moved = 0
        for sub in [
            s
            for s in self._subs.values()
            if (s.chat.platform, s.chat.chat_id) == (platform, old_chat_id)
        ]:
            new_chat = replace(sub.chat, chat_id=new_chat_id)
            if any(_same_place(s, new_chat, sub.kind) for s in self._subs.values()):
                reason = f"chat moved to {new_chat_id}, already subscribed there"
                self._subs[sub.id] = replace(sub, paused_reason=reason)
                self._fail_unsent(sub.id, reason)
            else:
                self._subs[sub.id] = replace(sub, chat=new_chat)
                moved += 1
        return moved

    # -- list state -----------------------------------------------------------------------
    def synced_version(self) -> SyncedVersion | None:
        """The last synced version."""
        return self._version

    def record_sync(
        self,
        version: SyncedVersion,
        seen: Sequence[SeenPaper],
        posts: Sequence[Post],
        *,
        base: str | None = ANY_BASE,
    ) -> int:
        """Store the version, first-seen rows and posts (``StaleSync`` as the real store)."""
        stored = self._version.content_hash if self._version else None
        if base != ANY_BASE and stored != base:
            raise StaleSync(base, stored)
        self._version = version
        for row in seen:
            self._seen.setdefault(row.paper_id, row)
        return self._insert(posts, version.synced_at)

    def seen_papers(
        self, *, status: Seen | None = None, since: datetime | None = None
    ) -> list[SeenPaper]:
        """First-seen rows, optionally filtered."""
        rows = [
            s
            for s in self._seen.values()
            if (status is None or s.status is status) and (since is None or s.first_seen >= since)
        ]
        return sorted(rows, key=lambda s: (s.first_seen, s.paper_id))

    def resolve_papers(
        self, paper_ids: Collection[str], status: Seen, posts: Sequence[Post], now: datetime
    ) -> int:
        """Set these papers' status and enqueue posts."""
        for paper_id in paper_ids:
            if paper_id in self._seen:
                self._seen[paper_id] = replace(self._seen[paper_id], status=status)
        return self._insert(posts, now)

    def releases(self) -> list[Release]:
        """Known release tags, oldest first."""
        return list(self._releases.values())

    def record_releases(
        self, releases: Sequence[Release], posts: Sequence[Post], now: datetime
    ) -> int:
        """Remember release tags and enqueue posts."""
        for release in releases:
            self._releases.setdefault(release.tag, release)
        return self._insert(posts, now)

    def get_meta(self, key: str) -> str | None:
        """A small named value, or None."""
        return self._meta.get(key)

    def set_meta(self, key: str, value: str | None) -> None:
        """Set a named value; None deletes it."""
        if value is None:
            self._meta.pop(key, None)
        else:
            self._meta[key] = value

    # -- outbox ---------------------------------------------------------------------------
    def enqueue(
        self, posts: Sequence[Post], now: datetime, periods: Mapping[int, str] | None = None
    ) -> int:
        """Add posts and record digest periods."""
        for sub_id, period in (periods or {}).items():
            self._subs[sub_id] = replace(self._subs[sub_id], last_period=period)
        return self._insert(posts, now)

    def _insert(self, posts: Sequence[Post], now: datetime) -> int:
        keys = {(d.subscription_id, d.content_key) for d in self._outbox.values()}
        added = 0
        for post in posts:
            if (post.subscription_id, post.content_key) in keys:
                continue
            keys.add((post.subscription_id, post.content_key))
            row_id = next(self._ids)
            chat = self._subs[post.subscription_id].chat
            self._outbox[row_id] = Delivery(
                row_id,
                post.subscription_id,
                post.content_key,
                dict(post.payload),
                chat,
                Status.PENDING,
                0,
                now,
                now,
            )
            added += 1
        return added

    def _set(self, row_id: int, **changes: Any) -> None:
        if row_id in self._outbox:
            self._outbox[row_id] = replace(self._outbox[row_id], **changes)

    def _with_chat(self, row: Delivery) -> Delivery:
        return replace(row, chat=self._subs[row.subscription_id].chat)

    def due_deliveries(
        self, now: datetime, limit: int, platforms: Collection[str] | None = None
    ) -> list[Delivery]:
        """Pending rows of active subscriptions due at ``now``, oldest first."""
        due, waiting = [], set()
        for _, row in sorted(self._outbox.items()):
            sub = self._subs[row.subscription_id]
            if row.status not in (Status.PENDING, Status.SENDING) or sub.id in waiting:
                continue
            waiting.add(sub.id)
            if (
                row.status is Status.PENDING
                and row.next_attempt_at <= now
                and sub.active
                and (platforms is None or sub.chat.platform in platforms)
            ):
                due.append(self._with_chat(row))
        return due[:limit]

    def mark_sending(self, delivery_id: int) -> bool:
        """One more attempt, in flight; False when no longer pending."""
        row = self._outbox.get(delivery_id)
        if row is None or row.status is not Status.PENDING:
            return False
        self._set(delivery_id, status=Status.SENDING, attempts=row.attempts + 1)
        return True

    def mark_sent(self, delivery_id: int, message_id: str, now: datetime) -> None:
        """Accepted by the platform."""
        self._set(delivery_id, status=Status.SENT, message_id=message_id, last_error=None)

    def mark_retry(self, delivery_id: int, error: str | None, next_attempt_at: datetime) -> None:
        """Back to pending (None keeps the last error)."""
        row = self._outbox[delivery_id]
        if row.status in (Status.PENDING, Status.SENDING):
            self._set(
                delivery_id,
                status=Status.PENDING,
                last_error=row.last_error if error is None else error,
                next_attempt_at=next_attempt_at,
            )

    def mark_failed(self, delivery_id: int, error: str) -> None:
        """Given up."""
        self._set(delivery_id, status=Status.FAILED, last_error=error)

    def recover_in_flight(self) -> int:
        """Rows left sending go back to pending."""
        stuck = [d.id for d in self._outbox.values() if d.status is Status.SENDING]
        for row_id in stuck:
            self._set(row_id, status=Status.PENDING)
        return len(stuck)

    def deliveries(self, status: Status | None = None) -> list[Delivery]:
        """Outbox rows, optionally of one status, in id order."""
        return [
            self._with_chat(d)
            for _, d in sorted(self._outbox.items())
            if status is None or d.status is status
        ]

    def outbox_stats(self) -> OutboxStats:
        """Counts by status, the oldest pending row and the commonest errors."""
        rows = list(self._outbox.values())
        waiting = [d.created_at for d in rows if d.status in (Status.PENDING, Status.SENDING)]
        errors = Counter(
            d.last_error
            for d in rows
            if d.last_error and d.status in (Status.PENDING, Status.FAILED)
        )
        counts = Counter(d.status for d in rows)
        return OutboxStats(dict(counts), min(waiting, default=None), tuple(errors.most_common(5)))

    def close(self) -> None:
        """Nothing to release."""


def _same_chat(a: Chat, b: Chat) -> bool:
    return (a.platform, a.chat_id, a.thread_id or "") == (b.platform, b.chat_id, b.thread_id or "")


def _same_place(sub: Subscription, chat: Chat, kind: Kind) -> bool:
    return sub.kind is kind and _same_chat(sub.chat, chat)
