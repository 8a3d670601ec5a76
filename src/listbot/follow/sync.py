"""Sync: fetch the list, check it, diff it against the stored version, announce what is new.

Faults change nothing and announce nothing: a fetch error, a body that holds no list,
or a parse that lost more than ``max_loss`` of the stored version's papers. The first
sync of an empty store records the baseline and announces nothing. A sync that finds
more than ``hold_threshold`` new papers holds them for the maintainers (``/held``).
A paper that was ever seen before (removed, then back) is never announced again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from listbot.catalog.compact import FormatError, catalog_from_compact, catalog_to_compact
from listbot.catalog.diff import diff
from listbot.catalog.model import Catalog, Paper
from listbot.catalog.parse import parse_catalog
from listbot.follow.clock import Clock
from listbot.follow.content import held_notice, new_papers_reply
from listbot.follow.fetch import FetchError, Source
from listbot.follow.filters import select
from listbot.follow.posts import RenderCache, broadcast
from listbot.store.port import Store
from listbot.store.records import Kind, Post, Seen, SeenPaper, StaleSync, SyncedVersion

log = logging.getLogger(__name__)

Outcome = Literal["baseline", "not_modified", "unchanged", "updated", "held", "fault"]


@dataclass(frozen=True, slots=True)
class SyncConfig:
    """The safety limits of a sync."""

    hold_threshold: int = 8
    max_loss: float = 0.2
    min_papers: int = 1


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What a sync did."""

    outcome: Outcome
    message: str
    added: tuple[Paper, ...] = ()
    queued: int = 0
    papers: int = 0


@lru_cache(maxsize=4)
def parse_cached(text: str) -> Catalog:
    """``parse_catalog`` remembered for the last few texts (the stored version is reused)."""
    return parse_catalog(text)


@lru_cache(maxsize=4)
def _from_compact(content_hash: str, data: str) -> Catalog:
    return catalog_from_compact(json.loads(data))


def catalog_of(version: SyncedVersion) -> Catalog:
    """A stored version's catalog: from its compact JSON when stored, else parsed."""
    if version.catalog:
        try:
            return _from_compact(version.content_hash, version.catalog)
        except (FormatError, ValueError, KeyError, TypeError, IndexError):
            log.warning("stored compact catalog unreadable; parsing the text instead")
    return parse_cached(version.text)


def clear_caches() -> None:
    """Forget parsed catalogs (benchmarks measure cold syncs)."""
    parse_cached.cache_clear()
    _from_compact.cache_clear()


def stored_catalog(store: Store) -> Catalog | None:
    """The catalog of the stored version, or None before the first sync."""
    version = store.synced_version()
    return None if version is None else catalog_of(version)


def check_catalog(new: Catalog, old: Catalog | None, config: SyncConfig) -> str | None:
    """Why a fetched catalog must not be used, or None when it is fine."""
    if len(new) < config.min_papers:
        return f"the text holds {len(new)} papers of the list; not the list, or truncated"
    if old is not None and len(new) < len(old) * (1 - config.max_loss):
        return (
            f"the text holds {len(new)} papers, {len(old)} before: more than "
            f"{config.max_loss:.0%} lost; truncated or broken"
        )
    return None


def announcement_posts(store: Store, papers: Sequence[Paper], cache: RenderCache) -> list[Post]:
    """Posts announcing ``papers`` to every active ``new`` subscription they match."""
    posts: list[Post] = []
    for sub in store.subscriptions(kind=Kind.NEW, active_only=True):
        matched = select(sub.filters, papers)
        if not matched:
            continue
        ids = tuple(p.id for p in matched)
        key = "new:" + hashlib.sha1(",".join(sorted(ids)).encode()).hexdigest()[:16]
        reply = new_papers_reply(matched, sub.filters)
        posts += cache.posts(sub, key, reply, (ids, sub.filters.topics))
    return posts


def notice_posts(store: Store, key: str, papers: Sequence[Paper], cache: RenderCache) -> list[Post]:
    """Posts telling the maintainers' ``notices`` subscriptions that papers are held."""
    return broadcast(store, Kind.NOTICES, key, held_notice(len(papers), papers), cache)


class Syncer:
    """Runs syncs against one store and one source."""

    def __init__(
        self,
        store: Store,
        source: Source,
        clock: Clock,
        config: SyncConfig | None = None,
        *,
        cache: Callable[[], RenderCache] = RenderCache,
        on_enqueue: Callable[[], None] = lambda: None,
        on_catalog: Callable[[Catalog], None] | None = None,
    ) -> None:
        self.store, self.source, self.clock = store, source, clock
        self.config = config or SyncConfig()
        self._cache, self._on_enqueue, self._on_catalog = cache, on_enqueue, on_catalog
        self.handed: str | None = None
        """The content hash of the catalog last handed to ``on_catalog``."""

    async def sync(self, *, dry_run: bool = False, force: bool = False) -> SyncResult:
        """Fetch, check, diff and (unless ``dry_run``) record and enqueue; ``force`` accepts
        a version that lost more than ``max_loss`` of the papers (a real shrink of the list).

        Another process (``listbot sync`` beside ``listbot serve``) may record a version
        meanwhile: then this sync changes nothing (``StaleSync``), and a later one hands
        the version that process stored to ``on_catalog``.
        """
        stored = self.store.synced_version()
        if stored is not None and not dry_run:
            self._hand_stored(stored)
        try:
            return await self._sync(stored, dry_run, force)
        except StaleSync as error:
            return self._fault(str(error))

    async def _sync(self, stored: SyncedVersion | None, dry_run: bool, force: bool) -> SyncResult:
        try:
            fetched = await self.source.fetch(
                stored.etag if stored else None, stored.last_modified if stored else None
            )
        except FetchError as error:
            return self._fault(str(error))
        if fetched.text is None:
            return SyncResult("not_modified", f"{self.source.name}: not modified")
        text = fetched.text
        version = SyncedVersion(
            hashlib.sha256(text.encode()).hexdigest(),
            text,
            self.clock.now(),
            fetched.etag,
            fetched.last_modified,
            fetched.ref,
        )
        if stored and stored.content_hash == version.content_hash:
            if not dry_run and (stored.etag, stored.last_modified) != (
                fetched.etag,
                fetched.last_modified,
            ):
                fresh = replace(version, catalog=stored.catalog)
                self.store.record_sync(fresh, (), (), base=stored.content_hash)
            return SyncResult(
                "unchanged", "the list has not changed", papers=len(parse_cached(text))
            )
        return self._apply(version, stored, dry_run, force)

    def _hand_stored(self, stored: SyncedVersion) -> None:
        """Hand a version some other process stored to ``on_catalog`` (once).

        The version stored at the first sync is taken as the one the owner started with.
        """
        if self.handed is None:
            self.handed = stored.content_hash
        elif self._on_catalog is not None and self.handed != stored.content_hash:
            self._updated(catalog_of(stored), stored.content_hash)

    def _updated(self, catalog: Catalog, content_hash: str) -> None:
        self.handed = content_hash
        if self._on_catalog is not None:
            try:
                self._on_catalog(catalog)
            except Exception:
                log.exception("on_catalog hook failed")

    def _fault(self, why: str) -> SyncResult:
        log.warning("sync fault, nothing changed: %s", why, extra={"job": "sync", "fault": why})
        return SyncResult("fault", why)

    def _apply(
        self, version: SyncedVersion, stored: SyncedVersion | None, dry_run: bool, force: bool
    ) -> SyncResult:
        new = parse_cached(version.text)
        old = catalog_of(stored) if stored else None
        problem = check_catalog(new, None if force else old, self.config)
        if problem:
            return self._fault(problem)
        version = replace(version, catalog=json.dumps(catalog_to_compact(new)))
        if old is None:
            seen = [SeenPaper(p.id, version.synced_at, Seen.BASELINE) for p in new.papers]
            if not dry_run:
                self.store.record_sync(version, seen, (), base=None)
                self._updated(new, version.content_hash)
            return SyncResult(
                "baseline", f"baseline of {len(new)} papers recorded", papers=len(new)
            )
        known = {s.paper_id for s in self.store.seen_papers()}
        added = tuple(p for p in diff(old, new).added if p.id not in known)
        held = len(added) > self.config.hold_threshold
        status = Seen.HELD if held else Seen.NEW
        seen = [SeenPaper(p.id, version.synced_at, status) for p in added]
        cache = self._cache()
        if held:
            posts = notice_posts(self.store, f"held:{version.content_hash[:16]}", added, cache)
        else:
            posts = announcement_posts(self.store, added, cache)
        base = stored.content_hash if stored else None
        queued = 0 if dry_run else self.store.record_sync(version, seen, posts, base=base)
        if not dry_run:
            self._updated(new, version.content_hash)
        if queued:
            self._on_enqueue()
        return self._result(held, added, queued if not dry_run else len(posts), len(new))

    def _result(self, held: bool, added: tuple[Paper, ...], queued: int, papers: int) -> SyncResult:
        if held:
            message = (
                f"{len(added)} new papers, more than {self.config.hold_threshold}: held for the "
                "maintainers (/held release or /held discard)"
            )
            log.warning("sync held %d new papers", len(added), extra={"held": len(added)})
            return SyncResult("held", message, added, queued, papers)
        message = f"{len(added)} new papers, {queued} posts queued"
        return SyncResult("updated", message, added, queued, papers)


def resolve_held(
    store: Store, clock: Clock, release: bool, cache: RenderCache | None = None
) -> tuple[int, int]:
    """Release (announce) or discard the held papers; ``(papers, posts queued)``."""
    held = [s.paper_id for s in store.seen_papers(status=Seen.HELD)]
    if not held:
        return 0, 0
    posts: list[Post] = []
    if release:
        catalog = stored_catalog(store)
        papers = [catalog.by_id[i] for i in held if catalog and i in catalog.by_id]
        posts = announcement_posts(store, papers, cache or RenderCache())
    status = Seen.NEW if release else Seen.DISCARDED
    return len(held), store.resolve_papers(held, status, posts, clock.now())
