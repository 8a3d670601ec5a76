"""The store: SQLite and the in-memory fake behave alike; migrations run from every version."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from listbot.store import (
    Kind,
    Post,
    Seen,
    SeenPaper,
    SqliteStore,
    StaleSync,
    Status,
    Store,
    SyncedVersion,
)
from listbot.testing import MemoryStore
from tests.follow_support import T0, chat, subscription


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each store implementation, fresh."""
    made: Store = (
        SqliteStore(tmp_path / "s.sqlite3") if request.param == "sqlite" else MemoryStore()
    )
    yield made
    made.close()


def test_saving_a_subscription_twice_replaces_it_and_resumes_it(store: Store) -> None:
    """The same chat and kind is one subscription; saving again updates it and clears a pause."""
    first = store.save_subscription(subscription("7"))
    store.pause_chat("telegram", "7", "blocked")
    again = store.save_subscription(subscription("7", last_period="2026-11-23"))
    assert again.id == first.id
    assert again.active
    assert again.last_period == "2026-11-23"
    assert len(store.subscriptions()) == 1


def test_resubscribing_resumes_the_chats_other_paused_subscriptions_in_the_same_step(
    store: Store,
) -> None:
    """``resume_chat`` clears the pause of that chat's (and thread's) subscriptions only."""
    store.save_subscription(subscription("4", Kind.RELEASES))
    store.save_subscription(subscription("5", Kind.RELEASES))
    store.pause_chat("telegram", "4", "kicked")
    store.pause_chat("telegram", "5", "kicked")
    store.save_subscription(subscription("4", Kind.NEW), resume_chat=True)
    paused = {(s.chat.chat_id, s.kind): s.paused_reason for s in store.subscriptions()}
    assert paused == {
        ("4", Kind.RELEASES): None,
        ("5", Kind.RELEASES): "kicked",
        ("4", Kind.NEW): None,
    }


def test_a_sync_recorded_against_a_stale_version_changes_nothing(store: Store) -> None:
    """``base`` names the version a sync diffed against; if another stored since, refuse."""
    sub = store.save_subscription(subscription())
    store.record_sync(SyncedVersion("a", "t", T0), [], [], base=None)
    with pytest.raises(StaleSync, match="another sync"):
        store.record_sync(SyncedVersion("a", "t", T0), [], [], base=None)
    late = SyncedVersion("c", "t", T0)
    with pytest.raises(StaleSync):
        store.record_sync(late, [SeenPaper("p", T0, Seen.NEW)], [Post(sub.id, "k", {})], base="b")
    assert (store.synced_version() or late).content_hash == "a"
    assert (store.seen_papers(), store.deliveries()) == ([], [])
    assert store.record_sync(late, [], [Post(sub.id, "k", {})], base="a") == 1


def test_subscriptions_filter_by_chat_kind_and_activity(store: Store) -> None:
    """Listing narrows to a chat, a kind, and active subscriptions."""
    store.save_subscription(subscription("1", Kind.NEW))
    store.save_subscription(subscription("1", Kind.WEEKLY))
    store.save_subscription(subscription("2", Kind.NEW))
    store.pause_chat("telegram", "2", "kicked")
    assert [s.kind for s in store.subscriptions(chat=chat("1"))] == [Kind.NEW, Kind.WEEKLY]
    assert [s.chat.chat_id for s in store.subscriptions(kind=Kind.NEW, active_only=True)] == ["1"]


def test_pausing_one_thread_leaves_the_rest_of_the_chat_subscribed(store: Store) -> None:
    """A thread-scoped pause stops that thread's subscription and its pending rows only."""
    whole = store.save_subscription(subscription("3"))
    topic = store.save_subscription(
        replace(subscription("3"), chat=replace(chat("3"), thread_id="9"))
    )
    store.enqueue([Post(whole.id, "k", {"text": "a"}), Post(topic.id, "k", {"text": "b"})], T0)
    assert store.pause_chat("telegram", "3", "topic deleted", thread_id="9") == 1
    assert {s.chat.thread_id: s.paused_reason for s in store.subscriptions()} == {
        None: None,
        "9": "topic deleted",
    }
    assert [d.subscription_id for d in store.deliveries(Status.PENDING)] == [whole.id]


def test_an_enqueued_post_is_unique_per_subscription_and_content(store: Store) -> None:
    """Enqueueing the same content twice for a subscription adds one row."""
    sub = store.save_subscription(subscription())
    post = Post(sub.id, "new:abc", {"text": "hi"})
    assert store.enqueue([post], T0) == 1
    assert store.enqueue([post, post], T0) == 0
    assert [d.content_key for d in store.deliveries()] == ["new:abc"]


def test_a_delivery_moves_from_pending_to_sending_to_sent(store: Store) -> None:
    """mark_sending counts an attempt; mark_sent stores the platform's message id."""
    sub = store.save_subscription(subscription())
    store.enqueue([Post(sub.id, "k", {"text": "x"})], T0)
    (row,) = store.due_deliveries(T0, 10)
    assert store.mark_sending(row.id)
    assert not store.mark_sending(row.id)
    assert store.due_deliveries(T0, 10) == []
    store.mark_sent(row.id, "m-1", T0)
    (sent,) = store.deliveries(Status.SENT)
    assert (sent.attempts, sent.message_id) == (1, "m-1")


def test_in_flight_rows_go_back_to_pending_on_recovery(store: Store) -> None:
    """A row left sending by a crash is pending again after recover_in_flight."""
    sub = store.save_subscription(subscription())
    store.enqueue([Post(sub.id, "k", {"text": "x"})], T0)
    (row,) = store.due_deliveries(T0, 10)
    store.mark_sending(row.id)
    assert store.recover_in_flight() == 1
    assert [d.id for d in store.due_deliveries(T0, 10)] == [row.id]


def test_a_retry_is_due_only_at_its_next_attempt_time(store: Store) -> None:
    """mark_retry keeps the row and hides it until its time."""
    sub = store.save_subscription(subscription())
    store.enqueue([Post(sub.id, "k", {"text": "x"})], T0)
    (row,) = store.due_deliveries(T0, 10)
    store.mark_retry(row.id, "HTTP 502", T0 + timedelta(seconds=30))
    assert store.due_deliveries(T0 + timedelta(seconds=29), 10) == []
    assert store.due_deliveries(T0 + timedelta(seconds=30), 10)[0].last_error == "HTTP 502"


def test_a_subscriptions_posts_are_due_in_order(store: Store) -> None:
    """A later post waits while an earlier one of the same subscription is unsent."""
    sub, other = (
        store.save_subscription(subscription("1")),
        store.save_subscription(subscription("2")),
    )
    store.enqueue([Post(sub.id, "a#1", {}), Post(sub.id, "a#2", {}), Post(other.id, "b", {})], T0)
    first, _ = store.due_deliveries(T0, 10)
    store.mark_retry(first.id, "HTTP 502", T0 + timedelta(minutes=1))
    assert [d.content_key for d in store.due_deliveries(T0, 10)] == ["b"]
    assert [d.content_key for d in store.due_deliveries(T0 + timedelta(minutes=1), 10)] == [
        "a#1",
        "b",
    ]
    store.mark_failed(first.id, "gave up")
    assert [d.content_key for d in store.due_deliveries(T0, 10)] == ["a#2", "b"]


def test_due_rows_can_be_limited_to_platforms_with_a_sender(store: Store) -> None:
    """Rows of a platform whose adapter is not running are left alone."""
    tg = store.save_subscription(subscription("1"))
    dc = store.save_subscription(subscription("2", platform="discord"))
    store.enqueue([Post(dc.id, "k", {}), Post(tg.id, "k", {})], T0)
    assert [d.chat.platform for d in store.due_deliveries(T0, 10, ["telegram"])] == ["telegram"]


def test_pausing_a_chat_fails_its_pending_rows_with_the_reason(store: Store) -> None:
    """A chat that is gone keeps no pending backlog to flood it with later."""
    sub = store.save_subscription(subscription("9"))
    store.enqueue([Post(sub.id, "a", {}), Post(sub.id, "b", {})], T0)
    assert store.pause_chat("telegram", "9", "bot was kicked") == 1
    assert store.due_deliveries(T0, 10) == []
    assert {d.last_error for d in store.deliveries(Status.FAILED)} == {
        "chat unavailable: bot was kicked"
    }
    assert store.subscriptions()[0].paused_reason == "bot was kicked"


def test_moving_a_chat_carries_its_subscriptions_and_pending_rows(store: Store) -> None:
    """After a group migrates, its rows are delivered to the new chat id."""
    sub = store.save_subscription(subscription("-1"))
    store.enqueue([Post(sub.id, "a", {})], T0)
    assert store.move_chat("telegram", "-1", "-100") == 1
    assert store.due_deliveries(T0, 10)[0].chat.chat_id == "-100"


def test_a_chat_moved_onto_an_existing_subscription_keeps_one_and_leaves_nothing_pending(
    store: Store,
) -> None:
    """The old group's subscription is paused with the reason and its unsent rows fail;
    the supergroup's own subscription and rows are untouched."""
    old = store.save_subscription(subscription("-1"))
    new = store.save_subscription(subscription("-100"))
    store.enqueue([Post(old.id, "a", {}), Post(new.id, "a", {})], T0)
    assert store.move_chat("telegram", "-1", "-100") == 0
    reasons = {s.chat.chat_id: s.paused_reason for s in store.subscriptions()}
    assert reasons == {"-1": "chat moved to -100, already subscribed there", "-100": None}
    assert [d.subscription_id for d in store.deliveries(Status.PENDING)] == [new.id]
    assert [d.subscription_id for d in store.deliveries(Status.FAILED)] == [old.id]


def test_removing_subscriptions_drops_their_outbox_rows(store: Store) -> None:
    """Unsubscribing cancels what was still queued for that subscription."""
    sub = store.save_subscription(subscription("3"))
    store.save_subscription(subscription("3", Kind.WEEKLY))
    store.enqueue([Post(sub.id, "a", {})], T0)
    assert store.remove_subscriptions(chat("3"), [Kind.NEW]) == 1
    assert store.deliveries() == []
    assert [s.kind for s in store.subscriptions()] == [Kind.WEEKLY]


def test_a_sync_records_version_first_seen_and_posts_together(store: Store) -> None:
    """record_sync keeps an existing first-seen time and enqueues the posts."""
    sub = store.save_subscription(subscription())
    version = SyncedVersion("h1", "text", T0, '"e"', None, None)
    store.record_sync(version, [SeenPaper("p", T0, Seen.BASELINE)], [])
    later = T0 + timedelta(days=1)
    queued = store.record_sync(
        SyncedVersion("h2", "t2", later), [SeenPaper("p", later, Seen.NEW)], [Post(sub.id, "n", {})]
    )
    assert queued == 1
    assert store.synced_version() == SyncedVersion("h2", "t2", later)
    assert store.seen_papers() == [SeenPaper("p", T0, Seen.BASELINE)]


def test_held_papers_are_resolved_in_one_step(store: Store) -> None:
    """resolve_papers sets the status and enqueues the announcement together."""
    sub = store.save_subscription(subscription())
    store.record_sync(SyncedVersion("h", "t", T0), [SeenPaper("p", T0, Seen.HELD)], [])
    assert store.resolve_papers(["p"], Seen.NEW, [Post(sub.id, "n", {})], T0) == 1
    assert store.seen_papers(status=Seen.NEW)[0].paper_id == "p"


def test_meta_values_are_set_and_deleted(store: Store) -> None:
    """set_meta(None) deletes the value."""
    store.set_meta("etag", "x")
    assert store.get_meta("etag") == "x"
    store.set_meta("etag", None)
    assert store.get_meta("etag") is None


def test_outbox_stats_count_statuses_and_name_errors(store: Store) -> None:
    """Stats give counts per status, the oldest pending row and the commonest errors."""
    one, two = (
        store.save_subscription(subscription("1")),
        store.save_subscription(subscription("2")),
    )
    store.enqueue([Post(one.id, "a", {}), Post(two.id, "a", {})], T0)
    first, _ = store.due_deliveries(T0, 10)
    store.mark_failed(first.id, "HTTP 400")
    stats = store.outbox_stats()
    assert stats.counts == {Status.PENDING: 1, Status.FAILED: 1}
    assert stats.oldest_pending == T0
    assert stats.errors == (("HTTP 400", 1),)


def test_the_sqlite_store_survives_reopening(tmp_path: Path) -> None:
    """Everything is in the file: a new process sees subscriptions and the outbox."""
    path = tmp_path / "data" / "listbot.sqlite3"
    first = SqliteStore(path)
    sub = first.save_subscription(subscription())
    first.enqueue([Post(sub.id, "a", {"text": "é"})], T0)
    first.close()
    second = SqliteStore(path)
    assert second.deliveries()[0].payload == {"text": "é"}
    assert second.subscriptions()[0].id == sub.id
    second.close()


def test_the_sqlite_store_uses_the_wal_journal(tmp_path: Path) -> None:
    """The store file is in WAL mode."""
    SqliteStore(tmp_path / "s.sqlite3").close()
    db = sqlite3.connect(tmp_path / "s.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_failed_step_leaves_nothing_half_done(tmp_path: Path) -> None:
    """A transaction that fails rolls back: posts for an unknown subscription change nothing."""
    store = SqliteStore(tmp_path / "s.sqlite3")
    version = SyncedVersion("h", "t", T0)
    with pytest.raises(sqlite3.IntegrityError):
        store.record_sync(version, [SeenPaper("p", T0, Seen.NEW)], [Post(999, "k", {})])
    assert store.synced_version() is None
    assert store.seen_papers() == []
    store.close()
