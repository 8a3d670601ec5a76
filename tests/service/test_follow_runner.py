"""The running whole: APScheduler jobs and the delivery worker, started and stopped."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from listbot.follow.fetch import FileSource, HttpSource, Source
from listbot.follow.releases import ReleaseInfo
from listbot.follow.scheduler import FollowRunner
from listbot.follow.service import Follow
from listbot.follow.sync import parse_cached
from listbot.store import Kind, Seen, SeenPaper, SqliteStore, Status, SyncedVersion
from listbot.testing import FakeClock, FakeSender
from tests.follow_support import RELEASES, UpstreamServer, readme, subscription

MONDAY_3PM = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


class NoReleases:
    """A release feed with no releases."""

    async def releases(self, etag: str | None) -> tuple[list[ReleaseInfo] | None, str | None]:
        return [], None

    async def readme_at(self, tag: str) -> str:
        return ""


async def _run_until(
    sender: FakeSender, follow: Follow, count: int, jobs: list[tuple[str, object]] | None = None
) -> None:
    seen: list[tuple[str, object]] = [] if jobs is None else jobs
    runner = FollowRunner(follow, on_job=lambda name, result: seen.append((name, result)))
    runner.start()
    try:
        for _ in range(500):
            started = all(runner.runs[job] for job in ("follow-sync", "follow-digests"))
            if (
                started
                and len(sender.sent) >= count
                and not follow.store.deliveries(Status.PENDING)
            ):
                break
            await asyncio.sleep(0.01)
    finally:
        await runner.stop()


def _follow(path: Path, sender: FakeSender, clock: FakeClock, source: Source) -> Follow:
    follow = Follow(SqliteStore(path), clock=clock, source=source, feed=NoReleases())
    follow.add_sender(sender)
    return follow


def _file(tag: str) -> FileSource:
    return FileSource(RELEASES / f"README@{tag}.md")


async def test_serve_announces_a_new_upstream_version_once_across_restarts(
    tmp_path: Path,
) -> None:
    """The start-up sync announces v2.6.16's papers; restarts announce nothing again."""
    path, clock, sender = tmp_path / "s.sqlite3", FakeClock(MONDAY_3PM), FakeSender()
    upstream = await UpstreamServer(readme("v2.6.15")).start()
    source = HttpSource(upstream.url, timeout=2)
    try:
        follow = _follow(path, sender, clock, source)
        follow.store.save_subscription(subscription("1"))
        jobs: list[tuple[str, object]] = []
        await _run_until(sender, follow, 0, jobs)
        follow.store.close()
        upstream.text = readme("v2.6.16")
        for _ in range(2):
            follow = _follow(path, sender, clock, source)
            await _run_until(sender, follow, 1, jobs)
            follow.store.close()
    finally:
        await upstream.close()
    outcomes = [getattr(result, "outcome", None) for name, result in jobs if name == "follow-sync"]
    assert outcomes == ["baseline", "updated", "not_modified"]
    assert [m.chat.chat_id for m in sender.sent] == ["1"]
    assert "4 new papers" in sender.sent[0].payload["text"]


async def test_a_digest_missed_while_down_is_sent_at_start_up_once(tmp_path: Path) -> None:
    """Down at Monday 09:00, started at 15:00: the digest goes out once, not again on restart."""
    path, clock, sender = tmp_path / "s.sqlite3", FakeClock(MONDAY_3PM), FakeSender()
    follow = _follow(path, sender, clock, _file("v2.6.16"))
    text = readme("v2.6.16")
    fresh = parse_cached(text).papers[0]
    seen = [SeenPaper(fresh.id, datetime(2026, 11, 26, tzinfo=UTC), Seen.NEW)]
    follow.store.record_sync(SyncedVersion("h", text, MONDAY_3PM), seen, ())
    follow.store.save_subscription(subscription("w", Kind.WEEKLY, last_period="2026-11-23"))
    await _run_until(sender, follow, 1)
    follow.store.close()
    follow = _follow(path, sender, clock, _file("v2.6.16"))
    await _run_until(sender, follow, 1)
    follow.store.close()
    assert [m.chat.chat_id for m in sender.sent] == ["w"]
    assert fresh.title in sender.sent[0].payload["text"]


async def test_every_job_runs_at_start_and_no_late_run_is_skipped_or_doubled(
    tmp_path: Path,
) -> None:
    """APScheduler's pitfalls are designed out: each job is due at start-up, a late run is
    never dropped as misfired (no grace limit), and piled-up runs merge into one."""
    follow = _follow(tmp_path / "s.sqlite3", FakeSender(), FakeClock(MONDAY_3PM), _file("v2.6.16"))
    runner = FollowRunner(follow)
    before = datetime.now(UTC)
    runner.start()
    jobs = {job.id: job for job in runner.scheduler.get_jobs()}
    await runner.stop()
    follow.store.close()
    assert set(jobs) == {"follow-sync", "follow-releases", "follow-digests"}
    for job in jobs.values():
        assert job.next_run_time <= datetime.now(UTC)
        assert job.next_run_time >= before
        assert (job.misfire_grace_time, job.coalesce, job.max_instances) == (None, True, 1)
