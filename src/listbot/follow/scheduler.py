"""Running follow-and-announce: APScheduler jobs for sync, releases and digests, plus the worker.

APScheduler 3 skips a run missed by more than ``misfire_grace_time`` (1 s by default)
and ``add_job(replace_existing=True)`` at start-up drops a missed run silently. So no
job here carries state: every job runs once at start (``next_run_time=now``), then at
its interval, with ``coalesce`` and one instance at a time; the digest job is a minute
tick that asks the store which digests are due (see ``listbot.follow.digest``). A run
that APScheduler skips or merges loses nothing: the next tick does the work.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]

from listbot.follow.service import Follow

log = logging.getLogger(__name__)
JOB_OPTIONS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


class FollowRunner:
    """Starts and stops the scheduler jobs and the delivery worker of a ``Follow``.

    ``on_job(name, result)`` is called after each job (for metrics): ``follow-sync`` with a
    ``SyncResult``, ``follow-releases`` with the tags announced, ``follow-digests`` with
    the number of posts queued.
    """

    def __init__(
        self,
        follow: Follow,
        scheduler: AsyncIOScheduler | None = None,
        *,
        on_job: Callable[[str, object], None] | None = None,
    ) -> None:
        self.follow, self._on_job = follow, on_job
        self.scheduler = scheduler or AsyncIOScheduler(timezone=UTC)
        self._worker: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[object]] = set()
        self.runs: Counter[str] = Counter()
        """How many times each job completed (for health checks and tests)."""

    def start(self) -> None:
        """Add the jobs and start them and the worker (call inside the running event loop)."""
        cfg, now = self.follow.config, datetime.now(UTC)
        jobs: list[tuple[str, float, Callable[[], Awaitable[object]]]] = [
            ("follow-sync", cfg.sync_interval, self.follow.syncer.sync),
            ("follow-releases", cfg.release_interval, self.follow.releases.check),
            ("follow-digests", cfg.tick_interval, self._digests),
        ]
        for job_id, seconds, run in jobs:
            self.scheduler.add_job(
                self._job(job_id, run),
                IntervalTrigger(seconds=seconds, timezone=UTC),
                id=job_id,
                next_run_time=now,
                replace_existing=True,
                **JOB_OPTIONS,
            )
        self.scheduler.start()
        self._worker = asyncio.create_task(self.follow.worker.run(), name="follow-delivery")

    async def _digests(self) -> int:
        return self.follow.digests.run_due()

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop starting jobs, let running ones and in-flight deliveries finish (bounded)."""
        if self.scheduler.running:
            self.scheduler.pause()
        if self._running:
            await asyncio.wait(set(self._running), timeout=timeout)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.follow.worker.stop(timeout)
        if self._worker is not None:
            await asyncio.gather(self._worker, return_exceptions=True)
            self._worker = None

    def _job(
        self, name: str, run: Callable[[], Awaitable[object]]
    ) -> Callable[[], Awaitable[None]]:
        async def job() -> None:
            task: asyncio.Task[object] | None = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                result = await run()
            except Exception:
                log.exception("%s failed", name, extra={"job": name, "outcome": "error"})
            else:
                outcome = str(getattr(result, "outcome", "done"))
                context = {"job": name, "outcome": outcome}
                log.info("%s: %s", name, getattr(result, "message", result), extra=context)
                if self._on_job is not None:
                    self._on_job(name, result)
            finally:
                self.runs[name] += 1
                if task is not None:
                    self._running.discard(task)

        job.__name__ = name.replace("-", "_")
        return job
