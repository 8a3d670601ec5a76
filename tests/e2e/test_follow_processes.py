"""Two processes on one store: `listbot sync` beside `listbot serve`, and dry runs."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from listbot.catalog.model import Catalog
from listbot.cli import main
from listbot.follow.clock import SystemClock
from listbot.follow.delivery import DeliveryWorker
from listbot.follow.fetch import Fetched, FileSource
from listbot.follow.sync import Syncer, SyncResult
from listbot.store import SqliteStore
from listbot.testing import FakeClock, FakeSender
from tests.follow_support import RELEASES, T0, readme, subscription


class RacedSource:
    """A README source that lets another process act while the fetch is in flight."""

    def __init__(self, tag: str, meanwhile: Callable[[], Awaitable[object]]) -> None:
        self.name, self.text, self._meanwhile = f"raced {tag}", readme(tag), meanwhile

    async def fetch(self, etag: str | None, last_modified: str | None) -> Fetched:
        await self._meanwhile()
        return Fetched(self.text)


def _file_syncer(store: SqliteStore, tag: str, **kw: object) -> Syncer:
    return Syncer(store, FileSource(RELEASES / f"README@{tag}.md"), FakeClock(T0), **kw)  # type: ignore[arg-type]


async def test_a_sync_raced_by_another_process_changes_nothing_and_repeats_nothing(
    tmp_path: Path,
) -> None:
    """serve diffs v2.6.15 -> v2.6.17 while the CLI records v2.6.16: serve's stale result is
    dropped, and its next sync announces only v2.6.17's papers, each paper once."""
    path = tmp_path / "s.sqlite3"
    serve, cli = SqliteStore(path), SqliteStore(path)
    serve.save_subscription(subscription("1"))
    await _file_syncer(serve, "v2.6.15").sync()
    cli_result: list[SyncResult] = []

    async def cli_sync() -> None:
        if not cli_result:
            cli_result.append(await _file_syncer(cli, "v2.6.16").sync())

    raced = Syncer(serve, RacedSource("v2.6.17", cli_sync), FakeClock(T0))
    stale = await raced.sync()
    assert (stale.outcome, serve.synced_version().text) == ("fault", readme("v2.6.16"))  # type: ignore[union-attr]
    assert "another sync recorded a new version meanwhile" in stale.message
    retried = await raced.sync()
    assert retried.outcome == "updated"
    announced = [row.payload["text"] for row in serve.deliveries()]
    assert len(announced) == 2
    for paper in (*cli_result[0].added, *retried.added):
        assert sum(paper.display_name in text for text in announced) == 1
    serve.close()
    cli.close()


async def test_serve_picks_up_a_version_the_cli_synced(tmp_path: Path) -> None:
    """The bot of a running serve gets the catalog `listbot sync` stored, once."""
    path = tmp_path / "s.sqlite3"
    serve, cli = SqliteStore(path), SqliteStore(path)
    handed: list[Catalog] = []
    syncer = _file_syncer(serve, "v2.6.15", on_catalog=handed.append)
    await syncer.sync()
    await _file_syncer(cli, "v2.6.16").sync()
    syncer.source = FileSource(RELEASES / "README@v2.6.16.md")
    assert (await syncer.sync()).outcome == "unchanged"
    assert (await syncer.sync()).outcome == "unchanged"
    expected = len(_parsed("v2.6.16"))
    assert [len(c) for c in handed] == [len(_parsed("v2.6.15")), expected]
    serve.close()
    cli.close()


def _parsed(tag: str) -> Catalog:
    from listbot.follow.sync import parse_cached

    return parse_cached(readme(tag))


def test_a_dry_run_creates_no_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`listbot sync --dry-run` against a store that does not exist leaves no file behind."""
    store = tmp_path / "var" / "s.sqlite3"
    source = str(RELEASES / "README@v2.6.15.md")
    assert main(["sync", "--from", source, "--store", str(store), "--dry-run"]) == 0
    assert capsys.readouterr().out.startswith("baseline: ")
    assert list(tmp_path.iterdir()) == []


def test_a_dry_run_leaves_an_existing_store_byte_for_byte(tmp_path: Path) -> None:
    """A dry run of a newer version changes neither the store file nor its WAL."""
    store = tmp_path / "s.sqlite3"
    main(["sync", "--from", str(RELEASES / "README@v2.6.15.md"), "--store", str(store)])
    files = sorted(tmp_path.iterdir())
    before = [(f.name, f.read_bytes()) for f in files]
    source = str(RELEASES / "README@v2.6.16.md")
    assert main(["sync", "--from", source, "--store", str(store), "--dry-run"]) == 0
    assert [(f.name, f.read_bytes()) for f in sorted(tmp_path.iterdir())] == before


async def test_a_cli_sync_in_another_process_is_delivered_by_the_running_worker(
    tmp_path: Path,
) -> None:
    """`listbot sync` run as its own process beside a live worker (WAL, one file): the
    worker, polling, delivers the announcement it queued, once."""
    path = tmp_path / "s.sqlite3"
    store, sender = SqliteStore(path), FakeSender()
    store.save_subscription(subscription("1"))
    await _file_syncer(store, "v2.6.15").sync()
    worker = DeliveryWorker(store, {"telegram": sender}, SystemClock(), idle_poll=0.01)
    running = asyncio.create_task(worker.run())
    source = str(RELEASES / "README@v2.6.16.md")
    command = [sys.executable, "-m", "listbot", "sync", "--from", source, "--store", str(path)]
    cli = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    out, _ = await cli.communicate()
    assert (cli.returncode, out.decode().split(":")[0]) == (0, "updated")
    for _ in range(1000):  # bounded: a broken worker fails the test instead of hanging it
        if sender.sent:
            break
        await asyncio.sleep(0.01)
    await worker.stop()
    await running
    assert len(sender.sent) == 1
    assert "4 new papers" in sender.sent[0].payload["text"]
    store.close()
