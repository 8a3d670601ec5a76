"""The adapter's settings, command menu and entry point, without the network."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram_bot import BotSettings
from telegram_bot.__main__ import main
from telegram_bot.menu import bot_commands

from listbot.config import load_settings
from listbot.context import Chat, ChatKind
from listbot.serve import bootstrap
from listbot.store.records import Kind, Subscription

CONFIG = """
maintainers:
  telegram: ["1001"]
telegram:
  token: ${TG_TOKEN}
  base_url: http://localhost:8081/bot
  mode: webhook
  webhook:
    url: https://bot.example.org/hook
    secret_token: ${TG_SECRET}
    port: 8444
"""


def test_settings_come_from_listbots_configuration(tmp_path: Path) -> None:
    """Token, base_url, webhook and maintainers are read from the validated YAML."""
    path = tmp_path / "listbot.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_settings(path, {"TG_TOKEN": "42:secret", "TG_SECRET": "hush"})
    settings = BotSettings.from_config(config)
    assert (settings.token, settings.base_url, settings.mode) == (
        "42:secret",
        "http://localhost:8081/bot",
        "webhook",
    )
    assert (settings.webhook_url, settings.secret_token, settings.port) == (
        "https://bot.example.org/hook",
        "hush",
        8444,
    )
    assert settings.maintainers == ("1001",)
    assert "secret" not in repr(settings)
    assert "hush" not in repr(settings)


def test_settings_from_the_environment_need_the_token() -> None:
    """LISTBOT_TELEGRAM_TOKEN gives polling settings; without it there are none."""
    env = {"LISTBOT_TELEGRAM_TOKEN": "42:abc", "LISTBOT_TELEGRAM_BASE_URL": "http://h/bot"}
    settings = BotSettings.from_env(env)
    assert settings is not None
    assert (settings.token, settings.base_url, settings.mode) == (
        "42:abc",
        "http://h/bot",
        "polling",
    )
    assert BotSettings.from_env({}) is None


def test_the_entry_point_without_a_token_explains_and_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """python -m telegram_bot without a token exits 2 and names the variable."""
    monkeypatch.delenv("LISTBOT_TELEGRAM_TOKEN", raising=False)
    assert main() == 2
    assert "LISTBOT_TELEGRAM_TOKEN" in capsys.readouterr().err


def test_the_command_menu_keeps_valid_names_and_short_descriptions() -> None:
    """/start comes first; invalid names are left out; descriptions fit 256 characters."""
    menu = bot_commands([("paper", "Find a paper"), ("Bad-Name", "x"), ("long", "d" * 300)])
    assert [c.command for c in menu] == ["start", "paper", "long"]
    assert len(menu[2].description) == 256


async def test_serve_moves_subscriptions_when_a_group_is_upgraded(tmp_path: Path) -> None:
    """listbot serve gives the adapter the store's move_chat for migrate_to_chat_id messages."""
    path = tmp_path / "listbot.yaml"
    store = tmp_path / "listbot.sqlite3"
    path.write_text(f"telegram:\n  token: ${{TG_TOKEN}}\nstore:\n  path: {store}\n", "utf-8")
    server = bootstrap(load_settings(path, {"TG_TOKEN": "42:secret"}))
    adapter = server.adapters["telegram"]
    try:
        old = Chat("telegram", "-4001", None, ChatKind.GROUP)
        server.store.save_subscription(Subscription(old, Kind.NEW))
        adapter.on_chat_moved("-4001", "-1004001")  # type: ignore[attr-defined]
        [moved] = server.store.subscriptions()
    finally:
        await adapter.stop()  # never started: only removes its log filter
        server.store.close()
    assert moved.chat.chat_id == "-1004001"
