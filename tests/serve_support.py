"""Shared helpers for the `listbot serve` end-to-end tests: a local upstream and the subprocess."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from aiohttp import web

from tests.catalog_support import RELEASES
from tests.fakes.telegram_api import FakeTelegramAPI

OLD, NEW = RELEASES / "README@v2.6.19.md", RELEASES / "README@v2.6.20.md"
STARTUP = 30.0
"""Seconds a start-up (or a broadcast) may take on a loaded machine."""


class Upstream:
    """The list's raw README and GitHub's releases API, served locally."""

    def __init__(self) -> None:
        self.readme = OLD.read_text(encoding="utf-8")
        self.fetches = 0
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/README.md", self._readme)
        app.router.add_get("/repos/{owner}/{name}/releases", self._releases)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _readme(self, request: web.Request) -> web.Response:
        self.fetches += 1
        return web.Response(text=self.readme, content_type="text/plain")

    async def _releases(self, request: web.Request) -> web.Response:
        return web.Response(body=b"[]", content_type="application/json")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Serving:
    """One `listbot serve` subprocess."""

    def __init__(self, process: asyncio.subprocess.Process, log: Path) -> None:
        self.process, self.log = process, log

    async def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 30)


@asynccontextmanager
async def serving(config: Path, log: Path, telegram: FakeTelegramAPI) -> AsyncIterator[Serving]:
    env = os.environ | {
        "LISTBOT_DISCORD_TOKEN": "discord-test-token",
        "LISTBOT_TELEGRAM_TOKEN": telegram.token,
    }
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "listbot", "serve", "--config", str(config),
            stdout=out, stderr=out, env=env, cwd=config.parent,
        )  # fmt: skip
    running = Serving(process, log)
    try:
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def until(condition: Callable[[], bool], timeout: float = STARTUP) -> None:
    """Wait until ``condition()`` holds, polling every 0.1 s, at most ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.1)


def write_config(tmp_path: Path, upstream: Upstream, *sections: str, hold: int = 20) -> Path:
    """A configuration syncing from ``upstream`` every second into a store under
    ``tmp_path``, with JSON logs, plus the given YAML ``sections`` (adapters, http)."""
    path = tmp_path / "listbot.yaml"
    base = f"""
source:
  readme_url: {upstream.url}/README.md
  github_api: {upstream.url}
  sync_interval: 1s
  release_interval: 1h
  hold_threshold: {hold}
store:
  path: {tmp_path / "store" / "listbot.sqlite3"}
logging:
  level: INFO
  format: json
"""
    path.write_text(base + "".join(sections), encoding="utf-8")
    return path


def telegram_section(base_url: str) -> str:
    """The YAML of a Telegram adapter pointed at a fake Bot API."""
    return f"telegram:\n  token: ${{LISTBOT_TELEGRAM_TOKEN}}\n  base_url: {base_url}\n"
