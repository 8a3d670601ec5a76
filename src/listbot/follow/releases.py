"""Release announcements: new tags of the list's repository, found through the GitHub API.

The releases API is asked with ``If-None-Match``; the first check of an empty store
records the existing tags and announces nothing. A new tag is announced to every
``releases`` subscription with the papers added since the previous release (the diff
of the README at both tags), grouped by topic, keyed ``release:<tag>`` so that the
automatic announcement and a maintainer's ``/announce release`` never both go out.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import httpx

from listbot.catalog.diff import diff
from listbot.catalog.model import Catalog, Paper
from listbot.follow.clock import Clock
from listbot.follow.content import release_reply
from listbot.follow.fetch import FetchError
from listbot.follow.posts import RenderCache, broadcast
from listbot.follow.sync import parse_cached
from listbot.store.port import Store
from listbot.store.records import Kind, Post, Release

log = logging.getLogger(__name__)
ETAG_KEY = "releases.etag"


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """A published release: its tag and date."""

    tag: str
    published_at: datetime | None


class ReleaseFeed(Protocol):
    """Where releases and the README at a tag come from."""

    async def releases(self, etag: str | None) -> tuple[list[ReleaseInfo] | None, str | None]:
        """Published releases, newest first, and the new ETag; None when not modified."""
        ...

    async def readme_at(self, tag: str) -> str:
        """The README as it was at ``tag``."""
        ...


class GitHubReleases:
    """The GitHub releases API and raw README files of one repository."""

    def __init__(
        self,
        repository: str,
        *,
        api: str = "https://api.github.com",
        raw: str = "https://raw.githubusercontent.com",
        timeout: float = 20.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.repository, self.api, self.raw = repository, api.rstrip("/"), raw.rstrip("/")
        self._timeout, self._transport = timeout, transport

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            follow_redirects=True, timeout=self._timeout, transport=self._transport
        )

    async def releases(self, etag: str | None) -> tuple[list[ReleaseInfo] | None, str | None]:
        """GET /repos/{repo}/releases conditionally."""
        headers = {"Accept": "application/vnd.github+json"} | (
            {"If-None-Match": etag} if etag else {}
        )
        url = f"{self.api}/repos/{self.repository}/releases?per_page=30"
        response = await self._get(url, headers)
        if response.status_code == 304:
            return None, etag
        try:
            items = json.loads(response.text)
            found = [_release(item) for item in items if not item.get("draft")]
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            raise FetchError(f"{url}: not a list of releases") from error
        return found, response.headers.get("ETag")

    async def readme_at(self, tag: str) -> str:
        """GET the raw README.md at the tag."""
        response = await self._get(f"{self.raw}/{self.repository}/{tag}/README.md", {})
        return response.text

    async def _get(self, url: str, headers: dict[str, str]) -> httpx.Response:
        try:
            async with self._client() as client:
                response = await client.get(url, headers=headers)
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: {error or type(error).__name__}") from error
        if response.status_code not in (200, 304):
            raise FetchError(f"{url}: HTTP {response.status_code}")
        return response


def _release(item: dict[str, object]) -> ReleaseInfo:
    """One API item; a date without an offset is taken as UTC (the store wants aware times)."""
    published = item.get("published_at")
    when = datetime.fromisoformat(str(published).replace("Z", "+00:00")) if published else None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return ReleaseInfo(str(item["tag_name"]), when)


def release_posts(
    store: Store, tag: str, published: datetime | None, papers: Sequence[Paper], cache: RenderCache
) -> list[Post]:
    """Posts announcing release ``tag`` to every active ``releases`` subscription."""
    reply = release_reply(tag, published, papers)
    return broadcast(store, Kind.RELEASES, f"release:{tag}", reply, cache)


class ReleaseWatcher:
    """Checks the feed for new release tags and enqueues their announcements."""

    def __init__(
        self,
        store: Store,
        feed: ReleaseFeed,
        clock: Clock,
        *,
        on_enqueue: Callable[[], None] = lambda: None,
    ) -> None:
        self.store, self.feed, self.clock, self._on_enqueue = store, feed, clock, on_enqueue

    async def check(self) -> list[str]:
        """Announce new releases; the tags announced (a fault announces and changes nothing)."""
        try:
            found, etag = await self.feed.releases(self.store.get_meta(ETAG_KEY))
            if found is None:
                return []
            announced = await self._record(found)
        except FetchError as error:
            log.warning("release check failed, nothing changed: %s", error)
            return []
        self.store.set_meta(ETAG_KEY, etag)
        return announced

    async def _record(self, found: list[ReleaseInfo]) -> list[str]:
        now = self.clock.now()
        known = {r.tag for r in self.store.releases()}
        ordered = sorted(found, key=lambda r: (r.published_at is None, r.published_at or now))
        if not known:
            baseline = [Release(r.tag, now, r.published_at) for r in ordered]
            self.store.record_releases(baseline, (), now)
            return []
        announced = []
        for before, release in zip([None, *ordered], ordered, strict=False):
            if release.tag in known:
                continue
            papers = await self._added(before.tag if before else None, release.tag)
            posts = release_posts(
                self.store, release.tag, release.published_at, papers, RenderCache()
            )
            record = Release(release.tag, now, release.published_at)
            if self.store.record_releases([record], posts, now):
                self._on_enqueue()
            announced.append(release.tag)
        return announced

    async def _added(self, previous: str | None, tag: str) -> list[Paper]:
        new = await self._catalog_at(tag)
        if previous is None:
            return []
        return list(diff(await self._catalog_at(previous), new).added)

    async def _catalog_at(self, tag: str) -> Catalog:
        """The list at ``tag``; FetchError when that README is not the list (the release
        is then announced at a later check, not with a wrong count of papers)."""
        catalog = parse_cached(await self.feed.readme_at(tag))
        if not catalog.papers:
            raise FetchError(f"the README at {tag} holds no table rows of the list")
        return catalog
