"""The serving process in-process: wiring, start order, shutdown, adapters-only mode."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from listbot.config import Settings, load_settings
from listbot.context import Chat
from listbot.follow import FileSource, Follow
from listbot.follow.releases import ReleaseInfo
from listbot.serve import Server, bootstrap
from tests.catalog_support import MAIN

NEWEST = MAIN


class NoReleases:
    """A release feed with nothing new."""

    async def releases(self, etag: str | None) -> tuple[list[ReleaseInfo] | None, str | None]:
        return [], etag

    async def readme_at(self, tag: str) -> str | None:
        return None


class FakeAdapter:
    """An adapter that records its life."""

    platform = "telegram"

    def __init__(self, settings: Settings, core: Any) -> None:
        self.core, self.events = core, []  # type: list[str]
        self.sender = self
        self.scheduler: Any = None

    def _scheduler(self) -> str:
        running = self.scheduler is not None and self.scheduler.running
        return "scheduler on" if running else "scheduler off"

    async def start(self) -> None:
        self.events.append(f"start ({self._scheduler()})")

    async def stop(self) -> None:
        self.events.append(f"stop ({self._scheduler()})")

    async def send(self, chat: Chat, payload: Mapping[str, Any], *, key: str | None = None) -> str:
        return "1"


def settings_for(tmp_path: Path) -> Settings:
    path = tmp_path / "listbot.yaml"
    path.write_text(
        f"store:\n  path: {tmp_path / 'listbot.sqlite3'}\ntelegram:\n  token: ${{T}}\n",
        encoding="utf-8",
    )
    return load_settings(path, {"T": "1:x"})


def wired(tmp_path: Path) -> Server:
    follow = functools.partial(Follow, source=FileSource(NEWEST), feed=NoReleases())
    return bootstrap(
        settings_for(tmp_path), factories={"telegram": FakeAdapter}, follow_factory=follow
    )


async def run_briefly(server: Server, until: Any) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(server.run(stop))
    async with asyncio.timeout(10):
        while not until():
            await asyncio.sleep(0.05)
    stop.set()
    await task


async def test_serve_starts_the_adapter_then_the_scheduler_and_stops_in_reverse(
    tmp_path: Path,
) -> None:
    """The adapter starts before the scheduler; at shutdown the scheduler and worker stop
    first, so in-flight sends still have the adapter's connection."""
    server = wired(tmp_path)
    adapter = server.adapters["telegram"]
    assert isinstance(adapter, FakeAdapter)
    assert adapter.core is server.bot
    adapter.scheduler = server.runner.scheduler
    await run_briefly(server, lambda: server.runner.runs["follow-sync"] >= 1)
    assert adapter.events == ["start (scheduler off)", "stop (scheduler off)"]
    assert server.follow.worker.senders["telegram"] is adapter
    assert not server.runner.scheduler.running


async def test_the_first_sync_is_a_baseline_and_the_bot_answers_from_it(tmp_path: Path) -> None:
    """After a restart the bot answers from the store's synced catalog."""
    first = wired(tmp_path)
    await run_briefly(first, lambda: first.runner.runs["follow-sync"] >= 1)
    second = wired(tmp_path)
    synced = second.follow.catalog()
    assert synced is not None
    assert second.bot.services.catalog == synced
    assert second.bot.services.updated_at == second.store.synced_version().synced_at
    second.store.close()


async def test_adapters_only_runs_no_scheduler(tmp_path: Path) -> None:
    """An extra shard process answers messages but never syncs or delivers."""
    server = wired(tmp_path)
    server.adapters_only = True
    adapter = server.adapters["telegram"]
    assert isinstance(adapter, FakeAdapter)
    await run_briefly(server, lambda: adapter.events == ["start (scheduler off)"])
    assert server.runner.runs["follow-sync"] == 0
    assert server.health()["ok"] is False  # stopped now: no adapter is up


def test_an_enabled_platform_without_its_adapter_installed_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing adapter plugin is a clear error, not an ImportError."""
    from listbot import adapters

    monkeypatch.setattr(adapters, "entry_points", lambda group: [])
    with pytest.raises(adapters.AdapterMissing, match="no listbot adapter for telegram"):
        bootstrap(settings_for(tmp_path))
