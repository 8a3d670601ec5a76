"""Sync: real README versions from a local upstream server; faults change and announce nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from listbot.config import Settings
from listbot.follow.config import FollowConfig
from listbot.follow.fetch import FileSource, HttpSource
from listbot.follow.service import Follow
from listbot.follow.sync import SyncConfig, Syncer, catalog_of, parse_cached, resolve_held
from listbot.store import Filters, Kind, Seen, Status, SyncedVersion
from listbot.testing import FakeClock, MemoryStore
from tests.follow_support import RELEASES, T0, UpstreamServer, readme, subscription


@pytest.fixture
async def upstream() -> AsyncIterator[UpstreamServer]:
    """A local upstream serving v2.6.15 until told otherwise."""
    server = await UpstreamServer(readme("v2.6.15")).start()
    yield server
    await server.close()


def _syncer(
    store: MemoryStore, server: UpstreamServer, clock: FakeClock, **config: object
) -> Syncer:
    source = HttpSource(server.url, timeout=0.5, attempts=3, backoff=0.01)
    return Syncer(store, source, clock, SyncConfig(**config))  # type: ignore[arg-type]


async def test_the_first_sync_records_a_baseline_and_announces_nothing(
    upstream: UpstreamServer,
) -> None:
    """An empty store learns the list without flooding subscribers with its backlog."""
    store, clock = MemoryStore(), FakeClock(T0)
    store.save_subscription(subscription())
    result = await _syncer(store, upstream, clock).sync()
    assert (result.outcome, result.queued) == ("baseline", 0)
    assert store.deliveries() == []
    assert {s.status for s in store.seen_papers()} == {Seen.BASELINE}
    assert len(store.seen_papers()) == result.papers


async def test_a_new_version_announces_only_added_papers_to_matching_subscriptions(
    upstream: UpstreamServer,
) -> None:
    """v2.6.15 -> v2.6.16 adds 4 papers and edits 15 rows: only the 4 are announced."""
    store, clock = MemoryStore(), FakeClock(T0)
    everyone = store.save_subscription(subscription("1"))
    syncer = _syncer(store, upstream, clock)
    await syncer.sync()
    upstream.text = readme("v2.6.16")
    clock.advance(hours=1)
    result = await syncer.sync()
    assert (result.outcome, len(result.added)) == ("updated", 4)
    (row,) = store.deliveries()
    assert row.subscription_id == everyone.id
    assert all(p.display_name in row.payload["text"] for p in result.added)
    new = store.seen_papers(status=Seen.NEW)
    assert {s.paper_id for s in new} == {p.id for p in result.added}
    assert {s.first_seen for s in new} == {clock.now()}


async def test_a_subscription_whose_filters_match_nothing_gets_nothing(
    upstream: UpstreamServer,
) -> None:
    """Filters decide who hears about which paper."""
    store, clock = MemoryStore(), FakeClock(T0)
    store.save_subscription(subscription("1", filters=Filters(keywords=("zzz-no-such",))))
    syncer = _syncer(store, upstream, clock)
    await syncer.sync()
    upstream.text = readme("v2.6.16")
    assert (await syncer.sync()).queued == 0
    assert store.deliveries() == []


async def test_an_unchanged_upstream_answers_304_to_the_conditional_request(
    upstream: UpstreamServer,
) -> None:
    """The second sync sends If-None-Match and a 304 changes nothing."""
    store, clock = MemoryStore(), FakeClock(T0)
    syncer = _syncer(store, upstream, clock)
    await syncer.sync()
    before = store.synced_version()
    result = await syncer.sync()
    assert result.outcome == "not_modified"
    assert upstream.requests[-1]["if-none-match"] == upstream.etag
    assert upstream.requests[-1]["if-modified-since"] == "Mon, 23 Nov 2026 08:00:00 GMT"
    assert store.synced_version() == before


@pytest.mark.parametrize(
    ("mode", "why"),
    [("500", "HTTP 500"), ("404", "HTTP 404"), ("slow", "timed out"), ("truncated", "network")],
)
async def test_an_upstream_fault_changes_nothing_and_announces_nothing(
    upstream: UpstreamServer, mode: str, why: str
) -> None:
    """HTTP errors, timeouts and truncated bodies leave the stored version as it was."""
    store, clock = MemoryStore(), FakeClock(T0)
    store.save_subscription(subscription())
    syncer = _syncer(store, upstream, clock)
    await syncer.sync()
    before = store.synced_version()
    upstream.text, upstream.mode, upstream.delay = readme("v2.6.16"), mode, 2.0
    result = await syncer.sync()
    assert result.outcome == "fault"
    assert why in result.message
    assert store.synced_version() == before
    assert store.deliveries() == []


async def test_server_errors_are_retried_a_bounded_number_of_times(
    upstream: UpstreamServer,
) -> None:
    """A 500 is tried three times, then the sync gives up."""
    store, clock = MemoryStore(), FakeClock(T0)
    upstream.mode = "500"
    result = await _syncer(store, upstream, clock).sync()
    assert (result.outcome, len(upstream.requests)) == ("fault", 3)
    assert "after 3 attempts" in result.message


async def test_a_body_that_lost_too_many_papers_is_refused(upstream: UpstreamServer) -> None:
    """A README cut in half (served whole) loses more than the allowed share: a fault."""
    store, clock = MemoryStore(), FakeClock(T0)
    syncer = _syncer(store, upstream, clock)
    await syncer.sync()
    text = readme("v2.6.16")
    upstream.text = text[: len(text) // 2]
    result = await syncer.sync()
    assert result.outcome == "fault"
    assert "lost" in result.message
    assert store.seen_papers(status=Seen.NEW) == []


async def test_a_body_that_is_not_the_list_is_refused(upstream: UpstreamServer) -> None:
    """An HTML error page with status 200 is not taken as an empty list."""
    store, clock = MemoryStore(), FakeClock(T0)
    upstream.text = "<html><body>Service unavailable</body></html>"
    result = await _syncer(store, upstream, clock).sync()
    assert result.outcome == "fault"
    assert store.synced_version() is None


async def test_more_new_papers_than_the_threshold_are_held_for_the_maintainers(
    upstream: UpstreamServer,
) -> None:
    """v2.6.13 -> v2.6.14 adds 12 papers: held, maintainers told, subscribers told nothing."""
    store, clock = MemoryStore(), FakeClock(T0)
    store.save_subscription(subscription("1"))
    maintainer = store.save_subscription(subscription("m", Kind.NOTICES))
    upstream.text = readme("v2.6.13")
    syncer = _syncer(store, upstream, clock)
    await syncer.sync()
    upstream.text = readme("v2.6.14")
    result = await syncer.sync()
    assert (result.outcome, len(result.added)) == ("held", 12)
    assert [d.subscription_id for d in store.deliveries()] == [maintainer.id]
    assert len(store.seen_papers(status=Seen.HELD)) == 12


async def test_released_held_papers_are_announced_once(upstream: UpstreamServer) -> None:
    """/held release announces the held papers; doing it again queues nothing."""
    store, clock = MemoryStore(), FakeClock(T0)
    sub = store.save_subscription(subscription("1"))
    upstream.text = readme("v2.6.13")
    syncer = _syncer(store, upstream, clock)
    await syncer.sync()
    upstream.text = readme("v2.6.14")
    await syncer.sync()
    assert resolve_held(store, clock, release=True) == (12, 1)
    assert resolve_held(store, clock, release=True) == (0, 0)
    assert [d.subscription_id for d in store.deliveries(Status.PENDING)] == [sub.id]


async def test_discarded_held_papers_are_never_announced(upstream: UpstreamServer) -> None:
    """/held discard drops them: no announcement, and they stay out of digests."""
    store, clock = MemoryStore(), FakeClock(T0)
    store.save_subscription(subscription("1"))
    upstream.text = readme("v2.6.13")
    syncer = _syncer(store, upstream, clock)
    await syncer.sync()
    upstream.text = readme("v2.6.14")
    await syncer.sync()
    assert resolve_held(store, clock, release=False) == (12, 0)
    assert store.deliveries() == []
    assert len(store.seen_papers(status=Seen.DISCARDED)) == 12


async def test_a_paper_removed_and_added_back_is_not_announced_again(
    upstream: UpstreamServer,
) -> None:
    """Known papers stay known: a revert and re-apply of a commit announces nothing new."""
    store, clock = MemoryStore(), FakeClock(T0)
    store.save_subscription(subscription("1"))
    syncer = _syncer(store, upstream, clock)
    for tag in ("v2.6.15", "v2.6.16", "v2.6.15", "v2.6.16"):
        upstream.text = readme(tag)
        await syncer.sync()
    assert len(store.deliveries()) == 1


async def test_a_dry_run_reports_without_changing_anything(upstream: UpstreamServer) -> None:
    """--dry-run says what would be announced and stores nothing."""
    store, clock = MemoryStore(), FakeClock(T0)
    store.save_subscription(subscription("1"))
    syncer = _syncer(store, upstream, clock)
    await syncer.sync()
    upstream.text = readme("v2.6.16")
    result = await syncer.sync(dry_run=True)
    assert (result.outcome, len(result.added), result.queued) == ("updated", 4, 1)
    assert store.deliveries() == []
    assert store.synced_version() is not None
    assert store.synced_version().text == readme("v2.6.15")  # type: ignore[union-attr]


async def test_a_file_source_syncs_like_the_upstream() -> None:
    """``listbot sync --from FILE`` goes through the same checks and diff."""
    store, clock = MemoryStore(), FakeClock(T0)
    source = FileSource(RELEASES / "README@v2.6.19.md")
    assert (await Syncer(store, source, clock).sync()).outcome == "baseline"
    assert (await Syncer(store, source, clock).sync()).outcome == "unchanged"


async def test_the_synced_catalog_is_stored_compact_and_handed_to_the_bot(
    upstream: UpstreamServer,
) -> None:
    """A sync stores the parsed catalog beside the text and calls on_catalog with it."""
    store, clock, seen = MemoryStore(), FakeClock(T0), []
    source = HttpSource(upstream.url, timeout=0.5)
    await Syncer(store, source, clock, on_catalog=seen.append).sync()
    version = store.synced_version()
    assert version is not None
    assert version.catalog is not None
    assert catalog_of(version).papers == parse_cached(readme("v2.6.15")).papers
    assert [len(c) for c in seen] == [len(parse_cached(readme("v2.6.15")))]


def test_an_unreadable_compact_catalog_falls_back_to_parsing_the_text() -> None:
    """A damaged cache never breaks a sync: the text is parsed instead."""
    version = SyncedVersion("x", readme("v2.6.15"), T0, catalog='{"format": 999}')
    assert len(catalog_of(version)) == len(parse_cached(readme("v2.6.15")))


def test_by_default_the_main_readme_is_fetched_every_30_minutes_with_a_timeout() -> None:
    """Defaults from an empty configuration: the raw main README of xlite-dev's list,
    every 30 min, 20 s timeout, 3 attempts, hold above 8 papers, refuse a 20% loss."""
    config = FollowConfig.from_settings(Settings())
    follow = Follow(MemoryStore(), config)
    source = follow.syncer.source
    assert isinstance(source, HttpSource)
    assert source.url == (
        "https://raw.githubusercontent.com/xlite-dev/Awesome-LLM-Inference/main/README.md"
    )
    assert (source.timeout, source.attempts) == (20.0, 3)
    assert config.sync_interval == 30 * 60
    assert follow.syncer.config == SyncConfig(hold_threshold=8, max_loss=0.2)
