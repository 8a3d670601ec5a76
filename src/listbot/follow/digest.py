"""Weekly digests, computed from the store on every scheduler tick (not one job per digest).

A subscription's digest is due at its weekday and local time in its IANA zone. The
period is the local date of that occurrence, and the store remembers the last period
handled per subscription, and keys the outbox row by it: a digest is enqueued once per
period whatever the ticks, restarts or clock changes. Because occurrences are computed
in local wall time, daylight-saving changes neither shift nor double them (a week
across a change is 167 or 169 hours long). A digest missed while the bot was down is
sent on the first tick within ``grace`` after its time; later than that it is skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from listbot.catalog.model import Paper
from listbot.follow.clock import Clock
from listbot.follow.content import digest_reply
from listbot.follow.filters import select
from listbot.follow.posts import RenderCache
from listbot.follow.sync import stored_catalog
from listbot.replies import Reply
from listbot.store.port import Store
from listbot.store.records import Filters, Kind, Post, Schedule, Seen, Subscription

log = logging.getLogger(__name__)
WEEK = timedelta(days=7)


def _local(schedule: Schedule, day: datetime) -> datetime:
    """The schedule's time on ``day``'s date, in its zone (a time in a DST gap: fold 0)."""
    return datetime.combine(day.date(), schedule.at, tzinfo=ZoneInfo(schedule.tz))


def last_occurrence(schedule: Schedule, now: datetime) -> datetime:
    """The latest scheduled time at or before ``now``."""
    local_now = now.astimezone(ZoneInfo(schedule.tz))
    back = (local_now.weekday() - schedule.weekday) % 7
    candidate = _local(schedule, local_now - timedelta(days=back))
    if candidate > now:
        candidate = _local(schedule, local_now - timedelta(days=back + 7))
    return candidate


def next_occurrence(schedule: Schedule, now: datetime) -> datetime:
    """The first scheduled time after ``now``."""
    return _local(schedule, last_occurrence(schedule, now) + WEEK)


def period_of(occurrence: datetime) -> str:
    """The period key of an occurrence: its local date."""
    return occurrence.date().isoformat()


def current_period(schedule: Schedule, now: datetime) -> str:
    """The period of the latest occurrence at or before ``now`` (a new subscription's start)."""
    return period_of(last_occurrence(schedule, now))


def papers_between(store: Store, start: datetime, end: datetime, filters: Filters) -> list[Paper]:
    """Papers first seen (as new) in ``[start, end)`` that pass the filters, in list order."""
    catalog = stored_catalog(store)
    if catalog is None:
        return []
    ids = {
        s.paper_id for s in store.seen_papers(status=Seen.NEW, since=start) if s.first_seen < end
    }
    return select(filters, [p for p in catalog.papers if p.id in ids])


def digest_for(
    store: Store, sub: Subscription, start: datetime, end: datetime
) -> tuple[Reply, int]:
    """The digest of ``[start, end)`` for ``sub``, and how many papers it holds."""
    papers = papers_between(store, start, end, sub.filters)
    return digest_reply(papers, start, end, sub.filters), len(papers)


class Digests:
    """Enqueues the digests that are due; call ``run_due()`` every minute or so."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        grace: timedelta = timedelta(hours=24),
        cache: Callable[[], RenderCache] = RenderCache,
        on_enqueue: Callable[[], None] = lambda: None,
    ) -> None:
        self.store, self.clock, self.grace = store, clock, grace
        self._cache, self._on_enqueue = cache, on_enqueue

    def run_due(self) -> int:
        """Enqueue every due digest (each subscription in its own step); posts queued."""
        now, cache, queued = self.clock.now(), self._cache(), 0
        for sub in self.store.subscriptions(kind=Kind.WEEKLY, active_only=True):
            occurrence = last_occurrence(sub.schedule, now)
            period = period_of(occurrence)
            if sub.last_period is not None and sub.last_period >= period:
                continue
            queued += self.store.enqueue(
                self._posts(sub, occurrence, now, cache), now, {sub.id: period}
            )
        if queued:
            self._on_enqueue()
        return queued

    def _posts(
        self, sub: Subscription, occurrence: datetime, now: datetime, cache: RenderCache
    ) -> list[Post]:
        if now - occurrence > self.grace:
            log.warning(
                "digest %s of subscription %d missed by more than the grace period",
                period_of(occurrence),
                sub.id,
            )
            return []
        start = _local(sub.schedule, occurrence - WEEK)
        reply, count = digest_for(self.store, sub, start, occurrence)
        if count == 0 and not sub.schedule.quiet_note:
            return []
        key = f"digest:{period_of(occurrence)}"
        return cache.posts(sub, key, reply, (key, sub.filters))
