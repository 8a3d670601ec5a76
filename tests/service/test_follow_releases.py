"""Release announcements: new tags found conditionally, announced once with their papers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx

from listbot.catalog.diff import diff
from listbot.follow.content import release_reply
from listbot.follow.releases import GitHubReleases, ReleaseWatcher
from listbot.follow.sync import parse_cached
from listbot.store import Kind, Status
from listbot.testing import FakeClock, MemoryStore
from tests.follow_support import T0, readme, subscription


class FakeGitHub:
    """The releases API and raw READMEs, as an httpx MockTransport handler."""

    def __init__(self, tags: list[str]) -> None:
        self.tags = tags
        self.broken: set[str] = set()
        """Tags whose README is served as something that is not the list."""
        self.status = 200
        self.requests: list[httpx.Request] = []

    @property
    def etag(self) -> str:
        return f'"{len(self.tags)}"'

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.status != 200:
            return httpx.Response(self.status)
        if request.url.path.endswith("/releases"):
            if request.headers.get("if-none-match") == self.etag:
                return httpx.Response(304)
            items = [
                {"tag_name": t, "published_at": f"2026-0{n + 1}-01T00:00:00Z", "draft": False}
                for n, t in enumerate(self.tags)
            ]
            return httpx.Response(200, text=json.dumps(items[::-1]), headers={"ETag": self.etag})
        tag = request.url.path.split("/")[-2]
        if tag in self.broken:
            return httpx.Response(200, text="<html>Moved to a new host</html>")
        return httpx.Response(200, text=readme(tag))


def _watcher(store: MemoryStore, github: FakeGitHub) -> ReleaseWatcher:
    feed = GitHubReleases("xlite-dev/Awesome-LLM-Inference", transport=httpx.MockTransport(github))
    return ReleaseWatcher(store, feed, FakeClock(T0))


async def test_the_first_check_records_existing_releases_and_announces_nothing() -> None:
    """Known releases at the first check are the baseline."""
    store, github = MemoryStore(), FakeGitHub(["v2.6.14", "v2.6.15"])
    store.save_subscription(subscription(kind=Kind.RELEASES))
    assert await _watcher(store, github).check() == []
    assert [r.tag for r in store.releases()] == ["v2.6.14", "v2.6.15"]
    assert store.deliveries() == []


async def test_a_new_release_is_announced_with_the_papers_it_added() -> None:
    """v2.6.16 is announced to releases subscriptions with the 4 papers added since v2.6.15."""
    store, github = MemoryStore(), FakeGitHub(["v2.6.14", "v2.6.15"])
    store.save_subscription(subscription("r", kind=Kind.RELEASES))
    store.save_subscription(subscription("n", kind=Kind.NEW))
    watcher = _watcher(store, github)
    await watcher.check()
    github.tags.append("v2.6.16")
    assert await watcher.check() == ["v2.6.16"]
    (row,) = store.deliveries(Status.PENDING)
    assert (row.chat.chat_id, row.content_key) == ("r", "release:v2.6.16")
    assert "v2.6.16 (2026-03-01)" in row.payload["text"]
    assert "4 papers added since the previous release" in row.payload["text"]


async def test_a_release_whose_readme_is_not_the_list_waits_for_a_later_check() -> None:
    """A README that does not parse announces nothing and records nothing; once it is
    readable, the release is announced with the papers it really added."""
    store, github = MemoryStore(), FakeGitHub(["v2.6.14", "v2.6.15"])
    store.save_subscription(subscription("r", kind=Kind.RELEASES))
    watcher = _watcher(store, github)
    await watcher.check()
    github.tags.append("v2.6.16")
    github.broken.add("v2.6.16")
    assert await watcher.check() == []
    assert "v2.6.16" not in {r.tag for r in store.releases()}
    assert store.deliveries() == []
    github.broken.clear()  # the failed check stored no ETag, so the next one asks again
    assert await watcher.check() == ["v2.6.16"]
    assert "4 papers added" in store.deliveries()[0].payload["text"]


async def test_an_unchanged_release_list_is_asked_conditionally() -> None:
    """The second check sends If-None-Match and a 304 changes nothing."""
    store, github = MemoryStore(), FakeGitHub(["v2.6.15"])
    watcher = _watcher(store, github)
    await watcher.check()
    assert await watcher.check() == []
    assert github.requests[-1].headers["if-none-match"] == github.etag


async def test_a_failing_api_changes_nothing() -> None:
    """A 500 from the API is logged; no release is recorded or announced."""
    store, github = MemoryStore(), FakeGitHub(["v2.6.15"])
    watcher = _watcher(store, github)
    await watcher.check()
    github.tags.append("v2.6.16")
    github.status = 500
    assert await watcher.check() == []
    assert [r.tag for r in store.releases()] == ["v2.6.15"]
    github.status = 200
    assert await watcher.check() == ["v2.6.16"]


async def test_a_release_is_never_announced_twice() -> None:
    """A second check after the announcement finds nothing new."""
    store, github = MemoryStore(), FakeGitHub(["v2.6.15"])
    store.save_subscription(subscription("r", kind=Kind.RELEASES))
    watcher = _watcher(store, github)
    await watcher.check()
    github.tags.append("v2.6.16")
    await watcher.check()
    store.set_meta("releases.etag", None)  # even when the API answers in full again
    assert await watcher.check() == []
    assert len(store.deliveries()) == 1
    assert store.releases()[-1].published_at == datetime(2026, 2, 1, tzinfo=UTC)


async def test_a_readme_that_cannot_be_fetched_at_the_new_tag_defers_the_announcement() -> None:
    """The raw README of the new tag answers 404: nothing is recorded or sent; the next
    check, with the file back, announces the release once."""
    store, github = MemoryStore(), MissingReadme(["v2.6.15"])
    store.save_subscription(subscription("r", kind=Kind.RELEASES))
    watcher = _watcher(store, github)
    await watcher.check()
    github.tags.append("v2.6.16")
    github.missing.add("v2.6.16")
    assert await watcher.check() == []
    assert ([r.tag for r in store.releases()], store.deliveries()) == (["v2.6.15"], [])
    assert store.get_meta("releases.etag") == '"1"'  # the next check asks in full again
    github.missing.clear()
    assert await watcher.check() == ["v2.6.16"]
    assert len(store.deliveries()) == 1


def test_a_release_announcement_groups_its_papers_by_topic() -> None:
    """One card per topic, each paper under its first section, every paper once."""
    old, new = parse_cached(readme("v2.6.15")), parse_cached(readme("v2.6.16"))
    added = diff(old, new).added
    reply = release_reply("v2.6.16", None, added)
    assert [card.title for card in reply.cards] == list(dict.fromkeys(p.sections[0] for p in added))
    assert sum(len(card.lines) for card in reply.cards) == len(added)


class MissingReadme(FakeGitHub):
    """The fake GitHub, with the raw README of some tags missing (404)."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(tags)
        self.missing: set[str] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.split("/")[-2] in self.missing:
            return httpx.Response(404)
        return super().__call__(request)
