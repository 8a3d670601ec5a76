"""The SQLite store: one file, WAL journal, one transaction per method."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, time
from pathlib import Path

from listbot.context import Chat, ChatKind
from listbot.store.migrations import migrate
from listbot.store.records import (
    ANY_BASE,
    Filters,
    Kind,
    Post,
    Release,
    Schedule,
    Seen,
    SeenPaper,
    StaleSync,
    Subscription,
    SyncedVersion,
)
from listbot.store.sqlite_outbox import OutboxQueries
from listbot.store.timefmt import from_db, to_db

_SUB_COLUMNS = (
    "id, platform, chat_id, thread_id, chat_kind, kind, filters, weekday, at, tz, "
    "created_by, created_at, paused_reason, last_period, quiet_note"
)


class SqliteStore(OutboxQueries):
    """The Store port over one SQLite file (created and migrated on open)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA busy_timeout = 5000")
        migrate(self._db)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.rollback()
            raise
        self._db.commit()

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    # -- subscriptions ------------------------------------------------------------------
    def save_subscription(self, sub: Subscription, *, resume_chat: bool = False) -> Subscription:
        """Insert, or replace the one of the same chat and kind (resuming it); with
        ``resume_chat`` the chat's (or thread's) other paused subscriptions too."""
        place = (sub.chat.platform, sub.chat.chat_id, sub.chat.thread_id or "")
        with self._tx() as db:
            if resume_chat:
                db.execute(
                    "UPDATE subscriptions SET paused_reason = NULL WHERE platform = ?"
                    " AND chat_id = ? AND thread_id = ?",
                    place,
                )
            db.execute(
                "INSERT INTO subscriptions (platform, chat_id, thread_id, chat_kind, kind, filters,"
                " weekday, at, tz, created_by, created_at, paused_reason, last_period, quiet_note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (platform, chat_id, thread_id, kind) DO UPDATE SET"
                " chat_kind = excluded.chat_kind, filters = excluded.filters,"
                " weekday = excluded.weekday, at = excluded.at, tz = excluded.tz,"
                " created_by = excluded.created_by, created_at = excluded.created_at,"
                " paused_reason = excluded.paused_reason, last_period = excluded.last_period,"
                " quiet_note = excluded.quiet_note",
                _sub_params(sub),
            )
            row = db.execute(
                f"SELECT {_SUB_COLUMNS} FROM subscriptions WHERE platform = ? AND chat_id = ?"
                " AND thread_id = ? AND kind = ?",
                (*place, sub.kind.value),
            ).fetchone()
        return _subscription(row)

    def remove_subscriptions(self, chat: Chat, kinds: Collection[Kind]) -> int:
        """Delete the chat's subscriptions of these kinds and their outbox rows."""
        marks = ",".join("?" * len(kinds))
        with self._tx() as db:
            cursor = db.execute(
                "DELETE FROM subscriptions WHERE platform = ? AND chat_id = ? AND thread_id = ?"
                f" AND kind IN ({marks})",
                (chat.platform, chat.chat_id, chat.thread_id or "", *[k.value for k in kinds]),
            )
        return cursor.rowcount

    def subscriptions(
        self, *, chat: Chat | None = None, kind: Kind | None = None, active_only: bool = False
    ) -> list[Subscription]:
        """Subscriptions, optionally of one chat (and thread) or kind, in id order."""
        where, params = ["1 = 1"], []
        if chat is not None:
            where.append("platform = ? AND chat_id = ? AND thread_id = ?")
            params += [chat.platform, chat.chat_id, chat.thread_id or ""]
        if kind is not None:
            where.append("kind = ?")
            params.append(kind.value)
        if active_only:
            where.append("paused_reason IS NULL")
        rows = self._db.execute(
            f"SELECT {_SUB_COLUMNS} FROM subscriptions WHERE {' AND '.join(where)} ORDER BY id",
            params,
        ).fetchall()
        return [_subscription(row) for row in rows]

    def pause_chat(
        self, platform: str, chat_id: str, reason: str, *, thread_id: str | None = None
    ) -> int:
        """Pause every subscription of a chat (or one thread) and fail its pending rows."""
        where, params = "platform = ? AND chat_id = ?", [platform, chat_id]
        if thread_id is not None:
            where, params = f"{where} AND thread_id = ?", [*params, thread_id]
        with self._tx() as db:
            db.execute(
                "UPDATE outbox SET status = 'failed', last_error = ? WHERE status IN"
                f" ('pending', 'sending') AND subscription_id IN (SELECT id FROM subscriptions"
                f" WHERE {where})",
                (f"chat unavailable: {reason}", *params),
            )
            cursor = db.execute(
                f"UPDATE subscriptions SET paused_reason = ? WHERE {where}", (reason, *params)
            )
        return cursor.rowcount

    def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> int:
        """Give a chat's subscriptions a new chat id; ones already at the new id are paused
        and their unsent rows failed (the subscription at the new id gets its own posts)."""
        reason = f"chat moved to {new_chat_id}, already subscribed there"
        with self._tx() as db:
            cursor = db.execute(
                "UPDATE OR IGNORE subscriptions SET chat_id = ? WHERE platform = ? AND chat_id = ?",
                (new_chat_id, platform, old_chat_id),
            )
            db.execute(
                "UPDATE outbox SET status = 'failed', last_error = ? WHERE status IN"
                " ('pending', 'sending') AND subscription_id IN (SELECT id FROM subscriptions"
                " WHERE platform = ? AND chat_id = ?)",
                (reason, platform, old_chat_id),
            )
            db.execute(
                "UPDATE subscriptions SET paused_reason = ? WHERE platform = ? AND chat_id = ?",
                (reason, platform, old_chat_id),
            )
        return cursor.rowcount

    # -- list state -----------------------------------------------------------------------
    def synced_version(self) -> SyncedVersion | None:
        """The last synced version, or None before the first sync."""
        row = self._db.execute(
            "SELECT content_hash, text, synced_at, etag, last_modified, ref, catalog"
            " FROM list_state"
        ).fetchone()
        if row is None:
            return None
        return SyncedVersion(row[0], row[1], from_db(row[2]), row[3], row[4], row[5], row[6])

    def record_sync(
        self,
        version: SyncedVersion,
        seen: Sequence[SeenPaper],
        posts: Sequence[Post],
        *,
        base: str | None = ANY_BASE,
    ) -> int:
        """Store the version, first-seen rows (existing ones kept) and posts; with ``base``,
        only if the stored version is still that one (else ``StaleSync``)."""
        with self._tx() as db:
            if base != ANY_BASE:
                row = db.execute("SELECT content_hash FROM list_state").fetchone()
                if (row and row[0]) != base:
                    raise StaleSync(base, row and row[0])
            db.execute(
                "INSERT OR REPLACE INTO list_state (id, content_hash, text, synced_at, etag,"
                " last_modified, ref, catalog) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                (
                    version.content_hash,
                    version.text,
                    to_db(version.synced_at),
                    version.etag,
                    version.last_modified,
                    version.ref,
                    version.catalog,
                ),
            )
            db.executemany(
                "INSERT OR IGNORE INTO first_seen (paper_id, first_seen, status) VALUES (?, ?, ?)",
                [(s.paper_id, to_db(s.first_seen), s.status.value) for s in seen],
            )
            return self._insert_posts(db, posts, version.synced_at)

    def seen_papers(
        self, *, status: Seen | None = None, since: datetime | None = None
    ) -> list[SeenPaper]:
        """First-seen rows, optionally of one status and first seen at or after ``since``."""
        rows = self._db.execute(
            "SELECT paper_id, first_seen, status FROM first_seen WHERE (? IS NULL OR status = ?)"
            " AND (? IS NULL OR first_seen >= ?) ORDER BY first_seen, paper_id",
            (
                status and status.value,
                status and status.value,
                since and to_db(since),
                since and to_db(since),
            ),
        ).fetchall()
        return [SeenPaper(r[0], from_db(r[1]), Seen(r[2])) for r in rows]

    def resolve_papers(
        self, paper_ids: Collection[str], status: Seen, posts: Sequence[Post], now: datetime
    ) -> int:
        """Set these papers' status and enqueue posts in one step."""
        with self._tx() as db:
            db.executemany(
                "UPDATE first_seen SET status = ? WHERE paper_id = ?",
                [(status.value, paper_id) for paper_id in paper_ids],
            )
            return self._insert_posts(db, posts, now)

    def releases(self) -> list[Release]:
        """Known release tags, oldest first."""
        rows = self._db.execute(
            "SELECT tag, seen_at, published_at FROM releases ORDER BY seen_at, rowid"
        ).fetchall()
        return [Release(r[0], from_db(r[1]), r[2] and from_db(r[2])) for r in rows]

    def record_releases(
        self, releases: Sequence[Release], posts: Sequence[Post], now: datetime
    ) -> int:
        """Remember release tags (existing kept) and enqueue posts."""
        with self._tx() as db:
            db.executemany(
                "INSERT OR IGNORE INTO releases (tag, seen_at, published_at) VALUES (?, ?, ?)",
                [
                    (r.tag, to_db(r.seen_at), r.published_at and to_db(r.published_at))
                    for r in releases
                ],
            )
            return self._insert_posts(db, posts, now)

    def get_meta(self, key: str) -> str | None:
        """A small named value, or None."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str | None) -> None:
        """Set a named value; None deletes it."""
        with self._tx() as db:
            if value is None:
                db.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- outbox ---------------------------------------------------------------------------


def _sub_params(sub: Subscription) -> tuple[object, ...]:
    chat, schedule = sub.chat, sub.schedule
    return (
        chat.platform,
        chat.chat_id,
        chat.thread_id or "",
        chat.kind.value,
        sub.kind.value,
        json.dumps(sub.filters.to_json()),
        schedule.weekday,
        schedule.at.strftime("%H:%M"),
        schedule.tz,
        sub.created_by,
        to_db(sub.created_at),
        sub.paused_reason,
        sub.last_period,
        int(schedule.quiet_note),
    )


def _subscription(row: sqlite3.Row | tuple[object, ...]) -> Subscription:
    (sub_id, platform, chat_id, thread_id, chat_kind, kind, filters, weekday, at, tz) = row[:10]
    created_by, created_at, paused, period, quiet = row[10:]
    chat = Chat(str(platform), str(chat_id), str(thread_id) or None, ChatKind(chat_kind))
    schedule = Schedule(int(str(weekday)), time.fromisoformat(str(at)), str(tz), bool(quiet))
    return Subscription(
        chat=chat,
        kind=Kind(str(kind)),
        filters=Filters.from_json(json.loads(str(filters))),
        schedule=schedule,
        created_by=str(created_by),
        created_at=from_db(str(created_at)),
        paused_reason=None if paused is None else str(paused),
        last_period=None if period is None else str(period),
        id=int(str(sub_id)),
    )
