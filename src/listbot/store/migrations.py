"""The SQLite schema as forward migrations; ``PRAGMA user_version`` holds how many ran."""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: subscriptions, list state, first-seen times, releases, meta and the outbox.
    """
    CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        thread_id TEXT NOT NULL DEFAULT '',
        chat_kind TEXT NOT NULL,
        kind TEXT NOT NULL,
        filters TEXT NOT NULL DEFAULT '{}',
        weekday INTEGER NOT NULL DEFAULT 0,
        at TEXT NOT NULL DEFAULT '09:00',
        tz TEXT NOT NULL DEFAULT 'UTC',
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        paused_reason TEXT,
        last_period TEXT,
        UNIQUE (platform, chat_id, thread_id, kind)
    );
    CREATE TABLE list_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        content_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        synced_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        ref TEXT
    );
    CREATE TABLE first_seen (
        paper_id TEXT PRIMARY KEY,
        first_seen TEXT NOT NULL,
        status TEXT NOT NULL
    );
    CREATE INDEX first_seen_time ON first_seen (first_seen);
    CREATE TABLE releases (
        tag TEXT PRIMARY KEY,
        seen_at TEXT NOT NULL,
        published_at TEXT
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        content_key TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_error TEXT,
        message_id TEXT,
        sent_at TEXT,
        UNIQUE (subscription_id, content_key)
    );
    CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
    """,
    # 2: the "no new papers" note of quiet weeks; subscriptions looked up by kind.
    """
    ALTER TABLE subscriptions ADD COLUMN quiet_note INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX subscriptions_kind ON subscriptions (kind);
    """,
    # 3: the synced version's catalog in compact JSON, so a sync need not re-parse it.
    """
    ALTER TABLE list_state ADD COLUMN catalog TEXT;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The store was written by a newer listbot than this one."""


def schema_version(db: sqlite3.Connection) -> int:
    """The number of migrations applied to ``db``."""
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(db: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations up to ``target``, each in its own transaction."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the store has schema version {current}; this listbot knows up to {SCHEMA_VERSION}"
        )
    for number in range(current, target):
        script = (
            f"BEGIN IMMEDIATE;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;"
        )
        try:
            db.executescript(script)
        except sqlite3.Error:
            if db.in_transaction:
                db.rollback()
            raise
    return schema_version(db)
