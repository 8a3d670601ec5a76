"""The outbox half of the SQLite store: enqueue, claim, mark and report deliveries."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime

from listbot.context import Chat, ChatKind
from listbot.store.records import Delivery, OutboxStats, Post, Status
from listbot.store.timefmt import from_db, to_db

_OUTBOX_SELECT = (
    "SELECT o.id, o.subscription_id, o.content_key, o.payload, o.status, o.attempts, "
    "o.next_attempt_at, o.created_at, o.last_error, o.message_id, "
    "s.platform, s.chat_id, s.thread_id, s.chat_kind "
    "FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id"
)


class OutboxQueries:
    """Outbox methods of ``SqliteStore`` (which provides ``_db`` and ``_tx``)."""

    _db: sqlite3.Connection
    _tx: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def enqueue(
        self, posts: Sequence[Post], now: datetime, periods: Mapping[int, str] | None = None
    ) -> int:
        """Add posts (duplicates ignored) and record digest periods, in one step."""
        with self._tx() as db:
            db.executemany(
                "UPDATE subscriptions SET last_period = ? WHERE id = ?",
                [(period, sub_id) for sub_id, period in (periods or {}).items()],
            )
            return self._insert_posts(db, posts, now)

    @staticmethod
    def _insert_posts(db: sqlite3.Connection, posts: Sequence[Post], now: datetime) -> int:
        """Insert posts, ignoring duplicates of (subscription, content key); the count added."""
        before = db.total_changes
        stamp = to_db(now)
        db.executemany(
            "INSERT OR IGNORE INTO outbox (subscription_id, content_key, payload,"
            " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)",
            [
                (p.subscription_id, p.content_key, json.dumps(p.payload), stamp, stamp)
                for p in posts
            ],
        )
        return db.total_changes - before

    def due_deliveries(
        self, now: datetime, limit: int, platforms: Collection[str] | None = None
    ) -> list[Delivery]:
        """Pending rows of active subscriptions due at ``now``, oldest first; a row waits
        while an earlier row of its subscription is unsent (each chat gets posts in order)."""
        only = "" if platforms is None else f" AND s.platform IN ({','.join('?' * len(platforms))})"
        rows = self._db.execute(
            f"{_OUTBOX_SELECT} WHERE o.status = 'pending' AND o.next_attempt_at <= ?"
            f" AND s.paused_reason IS NULL{only} AND NOT EXISTS (SELECT 1 FROM outbox e"
            " WHERE e.subscription_id = o.subscription_id AND e.id < o.id"
            " AND e.status IN ('pending', 'sending')) ORDER BY o.id LIMIT ?",
            (to_db(now), *(platforms or ()), limit),
        ).fetchall()
        return [_delivery(row) for row in rows]

    def mark_sending(self, delivery_id: int) -> bool:
        """Record that the row is being handed to the platform; False if no longer pending."""
        return self._update(
            "status = 'sending', attempts = attempts + 1 WHERE id = ? AND status = 'pending'",
            delivery_id,
        )

    def mark_sent(self, delivery_id: int, message_id: str, now: datetime) -> None:
        """Record that the platform accepted the row, with its message id."""
        self._update(
            "status = 'sent', message_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
            message_id,
            to_db(now),
            delivery_id,
        )

    def mark_retry(self, delivery_id: int, error: str | None, next_attempt_at: datetime) -> None:
        """Put the row back to pending, to try again at ``next_attempt_at``."""
        self._update(
            "status = 'pending', last_error = COALESCE(?, last_error), next_attempt_at = ?"
            " WHERE id = ?"
            " AND status IN ('pending', 'sending')",
            error,
            to_db(next_attempt_at),
            delivery_id,
        )

    def mark_failed(self, delivery_id: int, error: str) -> None:
        """Give up on the row."""
        self._update("status = 'failed', last_error = ? WHERE id = ?", error, delivery_id)

    def _update(self, clause: str, *params: object) -> bool:
        with self._tx() as db:
            cursor = db.execute(f"UPDATE outbox SET {clause}", params)
        return cursor.rowcount > 0

    def recover_in_flight(self) -> int:
        """Put rows left ``sending`` by a crash back to pending."""
        with self._tx() as db:
            cursor = db.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
        return cursor.rowcount

    def deliveries(self, status: Status | None = None) -> list[Delivery]:
        """Outbox rows, optionally of one status, in id order."""
        rows = self._db.execute(
            f"{_OUTBOX_SELECT} WHERE ? IS NULL OR o.status = ? ORDER BY o.id",
            (status and status.value, status and status.value),
        ).fetchall()
        return [_delivery(row) for row in rows]

    def outbox_stats(self) -> OutboxStats:
        """Counts by status, the oldest pending row's time and the commonest errors."""
        counts = {
            Status(s): n
            for s, n in self._db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        }
        oldest = self._db.execute(
            "SELECT MIN(created_at) FROM outbox WHERE status IN ('pending', 'sending')"
        ).fetchone()[0]
        errors = Counter(
            str(e)
            for (e,) in self._db.execute(
                "SELECT last_error FROM outbox WHERE status IN ('pending', 'failed')"
                " AND last_error IS NOT NULL"
            )
        )
        return OutboxStats(counts, oldest and from_db(oldest), tuple(errors.most_common(5)))


def _delivery(row: tuple[object, ...]) -> Delivery:
    (row_id, sub_id, key, payload, status, attempts, next_at, created, error, message) = row[:10]
    platform, chat_id, thread_id, chat_kind = row[10:]
    chat = Chat(str(platform), str(chat_id), str(thread_id) or None, ChatKind(chat_kind))
    return Delivery(
        id=int(str(row_id)),
        subscription_id=int(str(sub_id)),
        content_key=str(key),
        payload=json.loads(str(payload)),
        chat=chat,
        status=Status(str(status)),
        attempts=int(str(attempts)),
        next_attempt_at=from_db(str(next_at)),
        created_at=from_db(str(created)),
        last_error=None if error is None else str(error),
        message_id=None if message is None else str(message),
    )
