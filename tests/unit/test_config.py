"""The YAML configuration: defaults, secrets, and errors that say where and what."""

from __future__ import annotations

from pathlib import Path

import pytest

from listbot.config import ConfigError, Settings, load_settings

EXAMPLE = Path(__file__).parents[2] / "config" / "listbot.example.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "listbot.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, env: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env or {})
    return caught.value


def test_the_commented_example_is_valid_without_any_environment() -> None:
    """The shipped example validates as is and, with no tokens set, runs no adapter."""
    settings = load_settings(EXAMPLE, {})
    assert settings.source.sync_interval == 30 * 60
    assert not settings.discord_on
    assert not settings.telegram_on


def test_the_example_turns_an_adapter_on_when_its_token_variable_is_set() -> None:
    """A token taken from the environment switches its adapter on."""
    settings = load_settings(EXAMPLE, {"LISTBOT_TELEGRAM_TOKEN": "123456:secret-token"})
    assert settings.telegram_on
    assert str(settings.telegram.token) == "123456:secret-token"
    assert "secret" not in repr(settings.telegram.token)


def test_an_empty_file_means_all_defaults(tmp_path: Path) -> None:
    """An empty file is the default configuration."""
    assert load_settings(write(tmp_path, ""), {}) == Settings()


def test_unknown_keys_are_rejected_with_did_you_mean(tmp_path: Path) -> None:
    """A misspelt key names its path and the key that was probably meant."""
    error = error_of(write(tmp_path, "source:\n  sync_intervall: 10m\n"))
    assert error.key == "source.sync_intervall"
    assert 'did you mean "sync_interval"' in str(error)
    assert str(tmp_path / "listbot.yaml") in str(error)


def test_a_token_written_in_the_file_is_refused(tmp_path: Path) -> None:
    """Secrets must come from the environment or a file, never the YAML itself."""
    error = error_of(write(tmp_path, "discord:\n  token: abc.def.ghi\n"))
    assert error.key == "discord.token"
    assert "never written in the file" in error.why
    assert "abc.def.ghi" not in str(error)


def test_a_token_file_is_read_and_stripped(tmp_path: Path) -> None:
    """``token_file`` reads the secret from a file."""
    secret = tmp_path / "token"
    secret.write_text("42:from-a-file\n", encoding="utf-8")
    settings = load_settings(write(tmp_path, f"telegram:\n  token_file: {secret}\n"), {})
    assert str(settings.telegram.token) == "42:from-a-file"


def test_an_enabled_adapter_without_a_token_is_an_error(tmp_path: Path) -> None:
    """Enabling an adapter whose token variable is unset says what to set."""
    path = write(tmp_path, "discord:\n  enabled: true\n  token: ${NOPE}\n")
    assert "no token" in error_of(path).why


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("source:\n  sync_interval: soon\n", "source.sync_interval", "duration"),
        ("source:\n  hold_threshold: many\n", "source.hold_threshold", "an integer"),
        ("logging:\n  format: xml\n", "logging.format", "one of plain, json"),
        ("digest:\n  timezone: Mars/Olympus\n", "digest.timezone", "IANA"),
        ("digest:\n  time: '25:00'\n", "digest.time", "HH:MM"),
        ("digest:\n  weekday: funday\n", "digest.weekday", "weekday"),
        ("store: var/x.db\n", "store", "mapping"),
        ("telegram:\n  mode: webhook\n", "telegram.webhook.url", "public URL"),
        ("http:\n  enabled: yes-please\n", "http.enabled", "true or false"),
        ("discord:\n  shard_ids: [0]\n", "discord.shard_ids", "needs shard_count"),
        ("discord:\n  shard_count: 2\n  shard_ids: [2]\n", "discord.shard_ids", "0 to 1"),
        ("discord:\n  shard_count: 2\n  shard_ids: [1, 1]\n", "discord.shard_ids", "repeat"),
        ("discord:\n  shard_count: 0\n", "discord.shard_count", "at least 1"),
        (
            "telegram:\n  mode: webhook\n  webhook:\n    url: http://bot.example/hook\n",
            "telegram.webhook.url",
            "HTTPS",
        ),
        ("source: [\n", "", "not valid YAML"),
    ],
)
def test_invalid_values_name_the_key_and_what_is_expected(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    """Each invalid value is reported with its key path and the expectation."""
    error = error_of(write(tmp_path, text))
    assert error.key == key
    assert expected in error.why


def test_environment_references_are_expanded_in_any_string(tmp_path: Path) -> None:
    """``${VAR}`` works in ordinary values too, and an unset one is an error."""
    path = write(tmp_path, "store:\n  path: ${DATA}/listbot.sqlite3\n")
    assert load_settings(path, {"DATA": "/srv"}).store.path == "/srv/listbot.sqlite3"
    assert "DATA is not set" in error_of(path).why


def test_durations_accept_units(tmp_path: Path) -> None:
    """Durations are seconds, written with an optional unit."""
    path = write(tmp_path, "source:\n  sync_interval: 2h\n  timeout: 90\n")
    settings = load_settings(path, {})
    assert settings.source.sync_interval == 7200
    assert settings.source.timeout == 90


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """A path that does not exist is reported, not raised as OSError."""
    assert "cannot read" in error_of(tmp_path / "absent.yaml").why


def test_a_webhook_secret_telegram_would_refuse_is_caught_before_start(tmp_path: Path) -> None:
    """The webhook secret must be what Telegram accepts, checked at load time."""
    path = write(
        tmp_path,
        "telegram:\n  mode: webhook\n  webhook:\n    url: https://bot.example/hook\n"
        "    secret_token: ${HOOK_SECRET}\n",
    )
    error = error_of(path, {"HOOK_SECRET": "not allowed!"})
    assert error.key == "telegram.webhook.secret_token"
    assert "not allowed!" not in str(error)
    settings = load_settings(path, {"HOOK_SECRET": "fine_secret-1"})
    assert str(settings.telegram.webhook.secret_token) == "fine_secret-1"
