"""Persistence of follow and announce: the Store port, its SQLite implementation, records."""

from __future__ import annotations

from listbot.store.port import Store
from listbot.store.records import (
    Delivery,
    Filters,
    Kind,
    OutboxStats,
    Post,
    Release,
    Schedule,
    Seen,
    SeenPaper,
    StaleSync,
    Status,
    Subscription,
    SyncedVersion,
)
from listbot.store.sqlite import SqliteStore

__all__ = [
    "Delivery",
    "Filters",
    "Kind",
    "OutboxStats",
    "Post",
    "Release",
    "Schedule",
    "Seen",
    "SeenPaper",
    "SqliteStore",
    "StaleSync",
    "Status",
    "Store",
    "Subscription",
    "SyncedVersion",
]
