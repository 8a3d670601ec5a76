"""``listbot serve``: one asyncio process for the adapters, the scheduler and the worker.

``bootstrap(settings)`` wires everything without touching the network (the one
composition root); ``Server.run(stop)`` starts the adapters, then the scheduler
and delivery worker, and on ``stop`` shuts down in order, within a bound:

1. the scheduler stops starting jobs and the worker finishes (or keeps, pending)
   the deliveries in flight, through the adapters' still open connections;
2. the adapters stop taking new messages and close their connections (stopping them
   first would cut off in-flight sends that the platform had already accepted, and
   those would be sent again after a restart);
3. counters are saved, the store closes.

``serve(settings)`` adds the single-instance lock and the SIGINT/SIGTERM handlers.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from listbot.adapters import Adapter, AdapterFactory, MovesChats, load_factory
from listbot.config import Settings
from listbot.ops.lock import StoreLock
from listbot.ops.telemetry import Telemetry

if TYPE_CHECKING:
    from aiohttp import web

    from listbot.app import Listbot
    from listbot.catalog.model import Catalog
    from listbot.follow import Follow, FollowRunner
    from listbot.store import Store

log = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT = 20.0
"""Seconds the whole shutdown may take; deliveries not finished by then stay pending."""


def enabled_platforms(settings: Settings) -> list[str]:
    """The chat platforms the configuration runs."""
    return [
        name
        for name, on in (("discord", settings.discord_on), ("telegram", settings.telegram_on))
        if on
    ]


@dataclass
class Server:
    """Everything one ``listbot serve`` runs, wired but not started."""

    settings: Settings
    store: Store
    follow: Follow
    bot: Listbot
    telemetry: Telemetry
    runner: FollowRunner
    adapters: dict[str, Adapter] = field(default_factory=dict)
    started: list[str] = field(default_factory=list)
    adapters_only: bool = False
    """Answer messages only: no scheduler, no delivery worker (extra shard processes)."""
    _http: web.AppRunner | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Start, serve until ``stop`` is set, then shut down (always)."""
        try:
            await self.start()
            await stop.wait()
        finally:
            await asyncio.wait_for(self.shutdown(), SHUTDOWN_TIMEOUT)

    async def start(self) -> None:
        """Connect the adapters, then start the jobs, the worker and the HTTP endpoint."""
        for platform, adapter in self.adapters.items():
            await adapter.start()
            self.started.append(platform)
            self.follow.add_sender(adapter.sender)
            log.info("%s adapter started", platform)
        if not self.adapters_only:
            self.runner.start()
        http = self.settings.http
        if http.enabled:
            from listbot.ops.http import start_http

            self._http = await start_http(self.telemetry.metrics, self.health, http.host, http.port)
            log.info("health and metrics on http://%s:%d", http.host, http.port)

    async def shutdown(self) -> None:
        """Stop taking work, finish or keep in-flight deliveries, close everything."""
        log.info("shutting down")
        if not self.adapters_only:  # first: in-flight sends need the adapters' connections
            await self.runner.stop(timeout=SHUTDOWN_TIMEOUT / 2)
        for platform in reversed(self.started):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.adapters[platform].stop(), SHUTDOWN_TIMEOUT / 4)
        self.started.clear()
        if self._http is not None:
            await self._http.cleanup()
            self._http = None
        self.telemetry.save()
        self.store.close()
        log.info("stopped")

    def health(self) -> dict[str, object]:
        """The /healthz report: ok while the scheduler runs and every adapter is up."""
        running = self.adapters_only or self.runner.scheduler.running
        return {
            "ok": running and len(self.started) == len(self.adapters),
            "scheduler": running,
            "adapters": list(self.started),
            "papers": len(self.bot.services.catalog.papers),
        }


def bootstrap(
    settings: Settings,
    *,
    factories: Mapping[str, AdapterFactory] | None = None,
    follow_factory: Callable[..., Follow] | None = None,
) -> Server:
    """Wire the store, core, follow engine, telemetry and enabled adapters (no network)."""
    from listbot.follow import Follow, FollowConfig, FollowRunner
    from listbot.store import SqliteStore

    chosen = {
        platform: (factories or {}).get(platform) or load_factory(platform)
        for platform in enabled_platforms(settings)
    }
    Path(settings.store.path).parent.mkdir(parents=True, exist_ok=True)
    store = SqliteStore(settings.store.path)
    link = CatalogLink(store)
    make_follow = follow_factory or Follow
    follow = make_follow(store, FollowConfig.from_settings(settings), on_catalog=link.updated)
    telemetry = Telemetry(store, follow)
    bot = link.connect(follow, telemetry)
    runner = FollowRunner(follow, on_job=telemetry.on_job)
    server = Server(settings, store, follow, bot, telemetry, runner)
    for platform, factory in chosen.items():
        adapter = server.adapters[platform] = factory(settings, bot)
        if isinstance(adapter, MovesChats):
            adapter.on_chat_moved = functools.partial(store.move_chat, platform)
    return server


@dataclass
class CatalogLink:
    """Keeps the bot answering from the newest synced version of the list.

    The follow engine is built before the bot (the bot needs its commands), so sync
    results reach the bot through this link once ``connect`` has built it.
    """

    store: Store
    follow: Follow | None = None
    bot: Listbot | None = None

    def connect(self, follow: Follow, telemetry: Telemetry) -> Listbot:
        """Build the bot over the bundled list, then move it to the synced version, if any."""
        from listbot.app import Listbot
        from listbot.catalog.bundle import load_bundled

        self.follow = follow
        self.bot = Listbot(
            load_bundled(),
            extra=[follow.commands()],
            first_seen=follow.first_seen(),
            on_answer=telemetry.on_answer,
        )
        synced = follow.catalog()
        if synced is not None:
            self.updated(synced)
        return self.bot

    def updated(self, catalog: Catalog) -> None:
        """Answer from ``catalog`` from now on (the follow engine's ``on_catalog`` hook)."""
        if self.bot is None or self.follow is None:
            return
        version = self.store.synced_version()
        self.bot.update(
            catalog,
            first_seen=self.follow.first_seen(),
            updated_at=version.synced_at if version else None,
        )


async def serve(
    settings: Settings, *, stop: asyncio.Event | None = None, adapters_only: bool = False
) -> int:
    """Run until SIGINT or SIGTERM; returns the exit status. Raises AlreadyRunning.

    ``adapters_only`` runs the adapters without the scheduler and worker, and without the
    store lock: for extra processes of a sharded Discord bot beside the one full ``serve``.
    """
    lock = contextlib.nullcontext() if adapters_only else StoreLock(settings.store.path)
    with lock:
        server = bootstrap(settings)
        server.adapters_only = adapters_only
        gc.freeze()  # the catalog and search index live for the whole run: keep GC passes short
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await server.run(stop)
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
    return 0
