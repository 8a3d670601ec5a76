"""Follow and announce: subscriptions, upstream sync, digests, releases and delivery.

Wiring (``listbot serve``, or a test)::

    follow = Follow(SqliteStore(path), FollowConfig.from_settings(settings),
                    on_catalog=lambda c: bot.update(c, first_seen=follow.first_seen()))
    bot = Listbot(bundle, extra=[follow.commands()], first_seen=follow.first_seen())
    follow.add_sender(telegram_sender)          # each adapter, once it is connected
    runner = FollowRunner(follow); runner.start()   # in the running event loop
    ...
    await runner.stop(timeout=10)               # on SIGTERM: jobs stop, in-flight sends finish

Ports: ``listbot.store.Store`` (SQLite or ``listbot.testing.MemoryStore``),
``listbot.sender.Sender`` (one per platform), ``Clock``, ``Source`` (the README) and
``ReleaseFeed`` (release tags).
"""

from __future__ import annotations

from listbot.follow.clock import Clock, SystemClock
from listbot.follow.config import FollowConfig
from listbot.follow.console import ConsoleSender, console_follow
from listbot.follow.delivery import DeliveryWorker, RetryPolicy, WorkerStats
from listbot.follow.digest import Digests
from listbot.follow.fetch import Fetched, FetchError, FileSource, HttpSource, Source, source_for
from listbot.follow.pacing import DISCORD, TELEGRAM, Limit, Pacer, PlatformLimits
from listbot.follow.releases import GitHubReleases, ReleaseFeed, ReleaseInfo, ReleaseWatcher
from listbot.follow.scheduler import FollowRunner
from listbot.follow.service import Follow
from listbot.follow.sync import SyncConfig, Syncer, SyncResult, resolve_held

__all__ = [
    "DISCORD",
    "TELEGRAM",
    "Clock",
    "ConsoleSender",
    "DeliveryWorker",
    "Digests",
    "FetchError",
    "Fetched",
    "FileSource",
    "Follow",
    "FollowConfig",
    "FollowRunner",
    "GitHubReleases",
    "HttpSource",
    "Limit",
    "Pacer",
    "PlatformLimits",
    "ReleaseFeed",
    "ReleaseInfo",
    "ReleaseWatcher",
    "RetryPolicy",
    "Source",
    "SyncConfig",
    "SyncResult",
    "Syncer",
    "SystemClock",
    "WorkerStats",
    "console_follow",
    "resolve_held",
    "source_for",
]
