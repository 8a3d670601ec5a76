"""Operations: one process per store, Prometheus metrics, the health endpoint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from listbot.ops.http import start_http
from listbot.ops.lock import AlreadyRunning, StoreLock
from listbot.ops.metrics import Metrics


def test_a_second_lock_on_the_same_store_is_refused_with_the_holder(tmp_path: Path) -> None:
    """While one process holds the store, another is told who holds it."""
    store = tmp_path / "listbot.sqlite3"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time; from listbot.ops.lock import StoreLock; "
            f"StoreLock({str(store)!r}).acquire(); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunning) as caught:
            StoreLock(store).acquire()
        assert f"pid {holder.pid}" in str(caught.value)
    finally:
        holder.kill()
        holder.wait()
    with StoreLock(store):
        pass


def test_the_lock_is_released_for_the_next_holder(tmp_path: Path) -> None:
    """Releasing lets the next process take the store."""
    lock = StoreLock(tmp_path / "db")
    lock.acquire()
    lock.release()
    with StoreLock(tmp_path / "db") as again:
        assert again.path.exists()


def test_metrics_render_in_prometheus_text_format() -> None:
    """Counters with labels and gauges come out as Prometheus exposition text."""
    metrics = Metrics()
    metrics.describe("listbot_messages_answered_total", "Messages answered.")
    metrics.inc("listbot_messages_answered_total", platform="telegram")
    metrics.inc("listbot_messages_answered_total", platform="telegram")
    metrics.inc("listbot_syncs_total", outcome='bad "body"')
    metrics.gauge("listbot_deliveries_pending", lambda: 4)
    metrics.gauge("listbot_oldest_pending_seconds", lambda: None)
    text = metrics.render()
    assert "# HELP listbot_messages_answered_total Messages answered." in text
    assert 'listbot_messages_answered_total{platform="telegram"} 2' in text
    assert 'listbot_syncs_total{outcome="bad \\"body\\""} 1' in text
    assert "listbot_deliveries_pending 4" in text
    assert "listbot_oldest_pending_seconds" not in text


async def test_the_http_endpoint_serves_health_and_metrics(unused_tcp_port: int) -> None:
    """GET /healthz answers the health report, /metrics the metrics text."""
    metrics = Metrics()
    metrics.inc("listbot_syncs_total", outcome="ok")
    healthy = {"ok": True}
    runner = await start_http(metrics, lambda: dict(healthy), "127.0.0.1", unused_tcp_port)
    base = f"http://127.0.0.1:{unused_tcp_port}"
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/healthz") as response:
                assert response.status == 200
                assert (await response.json())["ok"] is True
            healthy["ok"] = False
            async with session.get(f"{base}/healthz") as response:
                assert response.status == 503
            async with session.get(f"{base}/metrics") as response:
                assert 'listbot_syncs_total{outcome="ok"} 1' in await response.text()
    finally:
        await runner.cleanup()


def test_telemetry_counts_answers_and_syncs_and_survives_a_restart(tmp_path: Path) -> None:
    """Counters are saved in the store, restored by the next process and shown by status."""
    from listbot.context import Actor, Chat
    from listbot.follow import Follow
    from listbot.follow.sync import SyncResult
    from listbot.ops.telemetry import Telemetry, status_report
    from listbot.replies import text_reply
    from listbot.store import SqliteStore

    store = SqliteStore(tmp_path / "listbot.sqlite3")
    telemetry = Telemetry(store, Follow(store))
    actor = Actor("1", "ada", Chat("telegram", "1"))
    telemetry.on_answer(actor, text_reply("hi"))
    telemetry.on_job("follow-sync", SyncResult("updated", "2 papers added"))
    telemetry.save()
    restarted = Telemetry(store, Follow(store))
    text = restarted.metrics.render()
    assert 'listbot_messages_answered_total{kind="info",platform="telegram"} 1' in text
    assert 'listbot_syncs_total{outcome="updated"} 1' in text
    assert "listbot_deliveries_pending 0" in text
    report = status_report(store)
    assert report["last_sync"]["outcome"] == "updated"
    assert report["counters"]["listbot_syncs_total"] == {"outcome=updated": 1.0}
    store.close()
