"""The follow command line: sync, digest preview, outbox and subscriptions over a store file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from listbot.cli import main
from listbot.context import Chat
from listbot.follow.console import ConsoleSender, console_follow
from listbot.store import Post, SqliteStore
from tests.follow_support import RELEASES, T0, subscription


def _sync(store: Path, tag: str, *extra: str) -> int:
    return main(
        ["sync", "--from", str(RELEASES / f"README@{tag}.md"), "--store", str(store), *extra]
    )


def test_sync_from_a_file_records_a_baseline_then_reports_new_papers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first sync is a baseline; the next lists the papers it found new."""
    store = tmp_path / "s.sqlite3"
    assert _sync(store, "v2.6.15") == 0
    assert capsys.readouterr().out.startswith("baseline: baseline of ")
    assert _sync(store, "v2.6.16", "--dry-run") == 0
    assert "updated: 4 new papers" in capsys.readouterr().out
    assert _sync(store, "v2.6.16") == 0
    assert "[fsdp12-202505]" in capsys.readouterr().out


def test_held_papers_are_listed_and_released_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """v2.6.13 -> v2.6.14 holds 12 papers; `listbot held release` announces them."""
    store = tmp_path / "s.sqlite3"
    _sync(store, "v2.6.13")
    _sync(store, "v2.6.14")
    assert "held: 12 new papers" in capsys.readouterr().out
    assert main(["held", "--store", str(store)]) == 0
    assert capsys.readouterr().out.endswith("12 papers held\n")
    assert main(["held", "release", "--store", str(store)]) == 0
    assert "released 12 held papers" in capsys.readouterr().out


def test_discarding_held_papers_says_so_and_queues_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`listbot held discard` reports the papers it discarded in plain English."""
    store = tmp_path / "s.sqlite3"
    _sync(store, "v2.6.13")
    _sync(store, "v2.6.14")
    capsys.readouterr()
    assert main(["held", "discard", "--store", str(store)]) == 0
    assert capsys.readouterr().out == "discarded 12 held papers; 0 posts queued\n"


def test_the_store_comes_from_the_configuration_named_by_listbot_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like `listbot status`, the follow commands read $LISTBOT_CONFIG for `store.path`."""
    store = tmp_path / "served.sqlite3"
    _sync(store, "v2.6.15")
    config = tmp_path / "listbot.yaml"
    config.write_text(f"store:\n  path: {store}\n", encoding="utf-8")
    monkeypatch.setenv("LISTBOT_CONFIG", str(config))
    monkeypatch.delenv("LISTBOT_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["sync", "--dry-run", "--from", str(RELEASES / "README@v2.6.16.md")]) == 0
    assert "updated: 4 new papers" in capsys.readouterr().out
    assert not (tmp_path / "var").exists()


def test_a_sync_that_lost_many_papers_needs_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Going back to v0.4 from v2.6.16 loses most papers: refused, unless forced."""
    store = tmp_path / "s.sqlite3"
    _sync(store, "v2.6.16")
    assert _sync(store, "v0.4") == 1
    assert "lost" in capsys.readouterr().out
    assert _sync(store, "v0.4", "--force") == 0


def test_a_failed_sync_exits_with_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing file is a fault: said on one line, exit status 1."""
    assert main(["sync", "--from", str(tmp_path / "none.md"), "--store", str(tmp_path / "s")]) == 1
    assert capsys.readouterr().out.startswith("fault: cannot read")


def test_outbox_and_subscriptions_report_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Counts by status, and every subscription with its kind, in text and JSON."""
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path)
    sub = store.save_subscription(subscription("77"))
    store.enqueue([Post(sub.id, "k", {"text": "x"})], T0)
    store.close()
    assert main(["outbox", "--store", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"] == {"pending": 1}
    assert main(["subscriptions", "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert "telegram:77" in out
    assert "1 subscriptions" in out


def test_digest_preview_prints_the_weeks_papers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a sync that found papers, the preview lists them."""
    store = tmp_path / "s.sqlite3"
    _sync(store, "v2.6.15")
    _sync(store, "v2.6.16")
    capsys.readouterr()
    assert main(["digest", "preview", "--store", str(store)]) == 0
    assert "4 new papers" in capsys.readouterr().out


async def test_the_console_can_follow_and_its_sender_prints(tmp_path: Path) -> None:
    """console_follow delivers console rows by printing them."""
    out = io.StringIO()
    follow = console_follow(tmp_path / "s.sqlite3")
    follow.add_sender(ConsoleSender(out))
    sub = follow.store.save_subscription(subscription("local", platform="console"))
    follow.store.enqueue([Post(sub.id, "k", {"text": "hello from the outbox"})], follow.clock.now())
    await follow.worker.drain()
    assert "hello from the outbox" in out.getvalue()
    assert await ConsoleSender(out).send(Chat("console", "local"), {"text": "x"}) == "1"
    follow.store.close()
