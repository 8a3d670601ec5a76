"""Forward migrations of the SQLite store: from every earlier schema version, data kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from listbot.store import Kind, Seen, SeenPaper, SqliteStore, Status
from listbot.store.migrations import MIGRATIONS, SCHEMA_VERSION, SchemaTooNew, migrate
from tests.follow_support import T0, subscription


@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
def test_migrations_run_forward_from_every_earlier_version(tmp_path: Path, start: int) -> None:
    """A store written at any earlier schema version opens, migrated, with its data kept."""
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, start)
    if start >= 1:
        db.executescript(_ROWS_OF_SCHEMA_1)
    db.close()
    store = SqliteStore(path)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    check.close()
    if start >= 1:
        (sub,) = store.subscriptions()
        assert (sub.chat.chat_id, sub.schedule.quiet_note, sub.last_period) == ("5", False, "p")
        version = store.synced_version()
        assert version is not None
        assert (version.content_hash, version.etag, version.catalog) == ("h", '"e"', None)
        assert store.seen_papers() == [SeenPaper("p1", T0, Seen.NEW)]
        assert [(d.content_key, d.status) for d in store.deliveries()] == [("k", Status.PENDING)]
        assert [r.tag for r in store.releases()] == ["v1"]
    else:
        assert store.subscriptions() == []
    store.save_subscription(subscription("6", Kind.WEEKLY))
    store.close()


_STAMP = "'2026-11-23T08:00:00.000000+00:00'"
_ROWS_OF_SCHEMA_1 = f"""
INSERT INTO subscriptions (id, platform, chat_id, chat_kind, kind, created_by, created_at,
    last_period) VALUES (1, 'telegram', '5', 'group', 'new', 'u', {_STAMP}, 'p');
INSERT INTO list_state (id, content_hash, text, synced_at, etag)
    VALUES (1, 'h', 't', {_STAMP}, '"e"');
INSERT INTO first_seen VALUES ('p1', {_STAMP}, 'new');
INSERT INTO releases VALUES ('v1', {_STAMP}, NULL);
INSERT INTO outbox (subscription_id, content_key, payload, next_attempt_at, created_at)
    VALUES (1, 'k', '{{}}', {_STAMP}, {_STAMP});
"""
"""Rows in every table of the first schema: each later migration must keep them."""


def test_a_store_from_a_newer_listbot_is_refused(tmp_path: Path) -> None:
    """Opening a store with an unknown schema version fails clearly instead of guessing."""
    path = tmp_path / "new.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(SchemaTooNew, match="schema version"):
        SqliteStore(path)
