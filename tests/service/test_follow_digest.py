"""Weekly digests: due once per period, on time across DST, sent after downtime within grace."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from listbot.follow.digest import Digests, current_period, last_occurrence, next_occurrence
from listbot.follow.sync import parse_cached
from listbot.store import Filters, Kind, Schedule, Seen, SeenPaper, SyncedVersion
from listbot.testing import FakeClock, MemoryStore
from tests.follow_support import readme, subscription

PARIS = Schedule(weekday=0, at=time(9, 0), tz="Europe/Paris")


def _store_with_new_papers(first_seen: datetime, count: int = 3) -> MemoryStore:
    """A store synced to v2.6.16 whose last ``count`` added papers were first seen then."""
    store = MemoryStore()
    text = readme("v2.6.16")
    papers = parse_cached(text).papers
    seen = [SeenPaper(p.id, first_seen, Seen.NEW) for p in papers[:count]]
    seen += [
        SeenPaper(p.id, first_seen - timedelta(days=60), Seen.BASELINE) for p in papers[count:]
    ]
    store.record_sync(SyncedVersion("h", text, first_seen), seen, ())
    return store


def _weekly(store: MemoryStore, schedule: Schedule, clock: FakeClock) -> int:
    """Subscribe weekly as the command does: starting with the next occurrence."""
    period = current_period(schedule, clock.now())
    sub = subscription("w", Kind.WEEKLY, schedule=schedule, last_period=period)
    return store.save_subscription(sub).id


def _tick_hourly(digests: Digests, clock: FakeClock, hours: int) -> list[datetime]:
    """Tick every 10 minutes for ``hours``; the times at which something was queued."""
    queued_at = []
    for _ in range(hours * 6):
        clock.advance(minutes=10)
        if digests.run_due():
            queued_at.append(clock.now())
    return queued_at


def test_the_occurrence_is_at_the_local_time_on_both_sides_of_dst() -> None:
    """Monday 09:00 Paris is 08:00 UTC in winter and 07:00 UTC in summer."""
    winter = last_occurrence(PARIS, datetime(2026, 3, 24, tzinfo=UTC))
    summer = next_occurrence(PARIS, datetime(2026, 3, 24, tzinfo=UTC))
    assert winter.astimezone(UTC) == datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
    assert summer.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


def test_a_digest_is_queued_once_at_its_weekday_and_time() -> None:
    """Ticking through two weeks queues exactly two digests, at Monday 09:00 local."""
    clock = FakeClock(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
    store = _store_with_new_papers(clock.now())
    _weekly(store, Schedule(tz="UTC", quiet_note=True), clock)
    queued_at = _tick_hourly(Digests(store, clock), clock, 24 * 14)
    assert [t.strftime("%a %H:%M") for t in queued_at] == ["Mon 09:00", "Mon 09:00"]
    keys = [d.content_key for d in store.deliveries()]
    assert keys == ["digest:2026-11-30", "digest:2026-12-07"]


def test_dst_changes_neither_shift_nor_double_a_digest() -> None:
    """Across the spring and autumn changes, one digest per week at 09:00 Paris time."""
    for start in (datetime(2026, 3, 16, tzinfo=UTC), datetime(2026, 10, 19, tzinfo=UTC)):
        clock = FakeClock(start)
        store = _store_with_new_papers(start)
        _weekly(store, Schedule(0, time(9, 0), "Europe/Paris", True), clock)
        queued_at = _tick_hourly(Digests(store, clock), clock, 24 * 21)
        local = [
            t.astimezone(last_occurrence(PARIS, t).tzinfo).strftime("%a %H:%M") for t in queued_at
        ]
        assert local == ["Mon 09:00"] * 3


def test_a_digest_at_a_time_skipped_by_dst_is_sent_once() -> None:
    """02:30 on the spring-forward Sunday does not exist in Paris; the digest still comes once."""
    clock = FakeClock(datetime(2026, 3, 22, tzinfo=UTC))
    store = _store_with_new_papers(clock.now())
    schedule = Schedule(weekday=6, at=time(2, 30), tz="Europe/Paris", quiet_note=True)
    _weekly(store, schedule, clock)
    queued_at = _tick_hourly(Digests(store, clock), clock, 24 * 14)
    assert len(queued_at) == 2


def test_a_digest_at_a_time_repeated_by_dst_is_sent_once() -> None:
    """02:30 on the fall-back Sunday happens twice in Paris; the digest comes once."""
    clock = FakeClock(datetime(2026, 10, 18, tzinfo=UTC))
    store = _store_with_new_papers(clock.now())
    schedule = Schedule(weekday=6, at=time(2, 30), tz="Europe/Paris", quiet_note=True)
    _weekly(store, schedule, clock)
    queued_at = _tick_hourly(Digests(store, clock), clock, 24 * 14)
    assert [t.strftime("%m-%d") for t in queued_at] == ["10-18", "10-25"]


def test_a_digest_missed_while_down_is_sent_once_on_return_within_grace() -> None:
    """Down over Monday 09:00 and back at 15:00: the digest goes out once, then never again."""
    clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    store = _store_with_new_papers(datetime(2026, 11, 25, tzinfo=UTC))
    _weekly(store, Schedule(), clock)
    clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    digests = Digests(store, clock)
    assert digests.run_due() == 1
    assert digests.run_due() == 0
    assert Digests(store, clock).run_due() == 0  # a restart does not send it again
    assert [d.content_key for d in store.deliveries()] == ["digest:2026-11-30"]


def test_a_digest_missed_by_more_than_the_grace_period_is_skipped() -> None:
    """Back two days late: that week's digest is not sent, next week's is."""
    clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    store = _store_with_new_papers(datetime(2026, 11, 25, tzinfo=UTC))
    sub_id = _weekly(store, Schedule(), clock)
    clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    assert Digests(store, clock).run_due() == 0
    assert store.subscriptions()[0].last_period == "2026-11-30"
    assert sub_id == store.subscriptions()[0].id


def test_a_quiet_week_sends_nothing_unless_asked() -> None:
    """No new papers: nothing, or a short note when the subscription asked for one."""
    clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    store = _store_with_new_papers(datetime(2026, 10, 1, tzinfo=UTC))
    _weekly(store, Schedule(), clock)
    clock.set(datetime(2026, 11, 30, 9, 1, tzinfo=UTC))
    assert Digests(store, clock).run_due() == 0
    quiet = subscription(
        "q", Kind.WEEKLY, schedule=Schedule(quiet_note=True), last_period="2026-11-23"
    )
    store.save_subscription(quiet)
    assert Digests(store, clock).run_due() == 1
    assert "No new papers" in store.deliveries()[0].payload["text"]


def test_a_digest_holds_the_weeks_papers_that_match_its_filters() -> None:
    """Papers first seen in the week and matching the filters are listed; others are not."""
    clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    store = _store_with_new_papers(datetime(2026, 11, 25, tzinfo=UTC), count=3)
    papers = parse_cached(readme("v2.6.16")).papers
    wanted = papers[0]
    sub = subscription(
        "f", Kind.WEEKLY, filters=Filters(keywords=(wanted.title,)), last_period="2026-11-23"
    )
    store.save_subscription(sub)
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    assert Digests(store, clock).run_due() == 1
    text = store.deliveries()[0].payload["text"]
    assert wanted.title in text
    assert papers[1].title not in text
    assert papers[5].title not in text


def test_a_new_weekly_subscription_starts_with_the_next_occurrence() -> None:
    """Subscribing on Monday 10:00 does not send the digest that was due at 09:00."""
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert current_period(Schedule(), now) == "2026-11-23"
    assert current_period(Schedule(), datetime(2026, 11, 23, 8, 59, tzinfo=UTC)) == "2026-11-16"
