"""`listbot serve`, `config check` and `status` on the command line, short of serving."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from listbot.cli import main
from listbot.ops.lock import StoreLock
from listbot.store import SqliteStore


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "listbot", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=60,
        check=False,
    )


def config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "listbot.yaml"
    path.write_text(f"store:\n  path: {tmp_path / 'listbot.sqlite3'}\n{extra}", encoding="utf-8")
    return path


def test_config_check_accepts_the_example_and_hides_secrets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example validates; a token from the environment enables its adapter, unprinted."""
    monkeypatch.setenv("LISTBOT_TELEGRAM_TOKEN", "123456:do-not-print-me")
    assert main(["config", "check", "--config", "config/listbot.example.yaml"]) == 0
    out = capsys.readouterr().out
    assert "OK" in out
    assert "adapters: telegram" in out
    assert "do-not-print-me" not in out


def test_config_check_reports_the_key_path_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An invalid file is one line naming the file and key, with exit status 2."""
    path = config(tmp_path, "logging:\n  formt: json\n")
    assert main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert f'{path}: logging.formt: unknown key; did you mean "format"?' in err


def test_serve_without_an_adapter_says_how_to_configure_one(tmp_path: Path) -> None:
    """With no token configured, serve explains how to add one and points at the console."""
    result = run("serve", "--config", str(config(tmp_path)))
    assert result.returncode == 2
    assert "LISTBOT_TELEGRAM_TOKEN" in result.stderr
    assert "listbot chat" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_second_serve_on_the_same_store_refuses_to_start(tmp_path: Path) -> None:
    """While the store is held, serve refuses with a clear message and touches nothing."""
    path = config(tmp_path, "telegram:\n  token: ${TOKEN}\n  base_url: http://127.0.0.1:9/bot\n")
    env = {"TOKEN": "1:unused", "PATH": "/usr/bin:/bin"}
    with StoreLock(tmp_path / "listbot.sqlite3"):
        result = run("serve", "--config", str(path), env=env)
    assert result.returncode == 1
    assert "another listbot is already running against this store" in result.stderr
    assert "Traceback" not in result.stderr


def test_status_prints_the_store_state_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`listbot status --json` reads subscriptions, deliveries and counters from the store."""
    path = config(tmp_path)
    SqliteStore(tmp_path / "listbot.sqlite3").close()
    assert main(["status", "--config", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["synced"] is None
    assert report["subscriptions"] == {"active": 0, "paused": 0}
    assert report["deliveries"]["pending"] == 0


def test_status_without_a_store_says_nothing_has_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store that does not exist yet is reported, not created."""
    assert main(["status", "--config", str(config(tmp_path))]) == 2
    assert "nothing has run yet" in capsys.readouterr().err
    assert not (tmp_path / "listbot.sqlite3").exists()
