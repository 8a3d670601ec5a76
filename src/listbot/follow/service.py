"""The follow-and-announce core, wired in one place: ``Follow(store, config, ...)``.

follow = Follow(SqliteStore(path), FollowConfig.from_settings(settings),
                senders={"telegram": telegram_sender}, on_catalog=listbot.update)
bot = Listbot(bundle, extra=[follow.commands()], first_seen=follow.first_seen())
runner = FollowRunner(follow); runner.start()   # inside the running event loop
...
await runner.stop()
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from listbot.catalog.model import Catalog
from listbot.follow.clock import Clock, SystemClock
from listbot.follow.config import FollowConfig
from listbot.follow.delivery import DeliveryWorker
from listbot.follow.digest import Digests
from listbot.follow.fetch import HttpSource, Source
from listbot.follow.pacing import Pacer
from listbot.follow.posts import RenderCache, Renderer, default_render
from listbot.follow.releases import GitHubReleases, ReleaseFeed, ReleaseWatcher
from listbot.follow.sync import SyncConfig, Syncer, stored_catalog
from listbot.sender import Sender
from listbot.store.port import Store

if TYPE_CHECKING:
    from listbot.commands import Command


class Follow:
    """Store, clock, sync, digests, releases and the delivery worker of one deployment."""

    def __init__(
        self,
        store: Store,
        config: FollowConfig | None = None,
        *,
        clock: Clock | None = None,
        senders: Mapping[str, Sender] | None = None,
        source: Source | None = None,
        feed: ReleaseFeed | None = None,
        pacer: Pacer | None = None,
        render: Renderer = default_render,
        on_catalog: Callable[[Catalog], None] | None = None,
    ) -> None:
        self.store, self.config = store, config or FollowConfig()
        self.clock: Clock = clock or SystemClock()
        cfg = self.config
        self.worker = DeliveryWorker(store, senders or {}, self.clock, pacer=pacer)
        wake = self.worker.wake
        self.render = render
        self.syncer = Syncer(
            store,
            source or HttpSource(cfg.readme_url, timeout=cfg.timeout),
            self.clock,
            SyncConfig(cfg.hold_threshold, cfg.max_loss),
            cache=self.render_cache,
            on_enqueue=wake,
            on_catalog=on_catalog,
        )
        self.digests = Digests(
            store, self.clock, grace=cfg.grace, cache=self.render_cache, on_enqueue=wake
        )
        self.releases = ReleaseWatcher(
            store,
            feed
            or GitHubReleases(
                cfg.repository, api=cfg.github_api, raw=cfg.github_raw, timeout=cfg.timeout
            ),
            self.clock,
            on_enqueue=wake,
        )

    def render_cache(self) -> RenderCache:
        """A fresh cache over this deployment's renderer (one per broadcast)."""
        return RenderCache(self.render)

    def add_sender(self, sender: Sender) -> None:
        """Deliver this platform's rows through ``sender`` (an adapter calls this when ready)."""
        self.worker.senders[sender.platform] = sender
        self.worker.wake()

    def commands(self) -> list[Command]:
        """The subscription and maintainer commands, for ``Listbot(extra=[...])``."""
        from listbot.follow.commands import follow_commands

        return follow_commands(self)

    def first_seen(self) -> dict[str, datetime]:
        """When sync first saw each paper (for ``Listbot(first_seen=...)`` and /latest)."""
        return {s.paper_id: s.first_seen for s in self.store.seen_papers()}

    def catalog(self) -> Catalog | None:
        """The catalog of the last synced version, or None before the first sync."""
        return stored_catalog(self.store)
