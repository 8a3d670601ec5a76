"""listbot's configuration: one YAML file, validated before anything starts.

Every key has a default, so an empty file (or none) is a valid configuration that
runs no chat adapter. Secrets (the tokens, the webhook secret) are never written
in the file: they are ``${ENV_VAR}`` references or read from ``*_file`` paths.
Any ``${VAR}`` in a string value is replaced from the environment; a secret whose
variable is unset counts as not configured (an adapter without a token stays off).

Errors name the file, the key path and what was expected; unknown keys are
rejected with a "did you mean" (see ``ConfigError``).
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

DEFAULT_README_URL = (
    "https://raw.githubusercontent.com/xlite-dev/Awesome-LLM-Inference/main/README.md"
)
DEFAULT_REPOSITORY = "xlite-dev/Awesome-LLM-Inference"
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
_SET_IT = ": set the environment variable it names, or token_file"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class ConfigError(Exception):
    """A configuration problem: where it is and what was expected."""

    def __init__(self, source: str, key: str, why: str) -> None:
        super().__init__(f"{source}: {key or '(top level)'}: {why}")
        self.source = source
        self.key = key
        self.why = why


class Duration(float):
    """Seconds, written in the file as ``90``, ``30s``, ``30m``, ``6h`` or ``1d``."""


class Secret(str):
    """A secret value: never printed, never logged (``repr`` hides it)."""

    def __repr__(self) -> str:
        return "Secret('***')"


@dataclass(frozen=True)
class SourceSettings:
    """Where the list comes from and how often it is synced."""

    readme_url: str = DEFAULT_README_URL
    repository: str = DEFAULT_REPOSITORY
    github_api: str = "https://api.github.com"
    github_raw: str = "https://raw.githubusercontent.com"
    sync_interval: Duration = Duration(30 * 60)
    release_interval: Duration = Duration(6 * 3600)
    hold_threshold: int = 8
    max_loss: float = 0.2
    timeout: Duration = Duration(20)


@dataclass(frozen=True)
class StoreSettings:
    """Where the SQLite store lives."""

    path: str = "var/listbot.sqlite3"


@dataclass(frozen=True)
class MaintainerSettings:
    """User ids, per platform, of the list's maintainers (who may announce)."""

    discord: tuple[str, ...] = ()
    telegram: tuple[str, ...] = ()
    console: tuple[str, ...] = ("console",)


@dataclass(frozen=True)
class DigestSettings:
    """Defaults of new weekly subscriptions."""

    weekday: str = "monday"
    time: str = "09:00"
    timezone: str = "UTC"
    grace: Duration = Duration(24 * 3600)


@dataclass(frozen=True)
class DiscordSettings:
    """The Discord adapter; off unless ``enabled`` (or a token is configured)."""

    enabled: bool = False
    token: Secret | None = None
    guilds: tuple[str, ...] = ()
    shard_count: int | None = None
    shard_ids: tuple[int, ...] = ()
    api_base: str | None = None
    gateway_url: str | None = None


@dataclass(frozen=True)
class WebhookSettings:
    """Telegram webhook mode: where Telegram posts updates and how they are checked."""

    url: str | None = None
    secret_token: Secret | None = None
    listen: str = "127.0.0.1"
    port: int = 8443


@dataclass(frozen=True)
class TelegramSettings:
    """The Telegram adapter; off unless ``enabled`` (or a token is configured)."""

    enabled: bool = False
    token: Secret | None = None
    base_url: str = "https://api.telegram.org/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook: WebhookSettings = field(default_factory=WebhookSettings)


@dataclass(frozen=True)
class LoggingSettings:
    """Log level and format."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["plain", "json"] = "plain"


@dataclass(frozen=True)
class HttpSettings:
    """The optional health and metrics endpoint (off by default)."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 9108


@dataclass(frozen=True)
class Settings:
    """The whole configuration."""

    source: SourceSettings = field(default_factory=SourceSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    maintainers: MaintainerSettings = field(default_factory=MaintainerSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    http: HttpSettings = field(default_factory=HttpSettings)
    origin: str = field(default="(defaults)", compare=False)

    def secrets(self) -> list[str]:
        """Every secret value set, for log redaction."""
        values = [self.discord.token, self.telegram.token, self.telegram.webhook.secret_token]
        return [str(value) for value in values if value]

    @property
    def discord_on(self) -> bool:
        """Whether the Discord adapter runs."""
        return self.discord.enabled or self.discord.token is not None

    @property
    def telegram_on(self) -> bool:
        """Whether the Telegram adapter runs."""
        return self.telegram.enabled or self.telegram.token is not None


def load_settings(
    path: str | Path | None, environ: typing.Mapping[str, str] | None = None
) -> Settings:
    """Read and validate the YAML file at ``path`` (None: defaults only)."""
    env = os.environ if environ is None else environ
    if path is None:
        return Settings()
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(source, "", f"cannot read the file: {error.strerror or error}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "the file"
        raise ConfigError(source, "", f"not valid YAML at {where}") from None
    if data is None:
        data = {}
    settings = _Reader(source, env).build(Settings, data, "")
    _check(settings, source)
    return replace(settings, origin=source)


T = TypeVar("T")


class _Reader:
    """Builds settings dataclasses from YAML data, with key paths in every error."""

    def __init__(self, source: str, env: typing.Mapping[str, str]) -> None:
        self.source = source
        self.env = env

    def fail(self, key: str, why: str) -> typing.NoReturn:
        raise ConfigError(self.source, key, why)

    def build(self, cls: type[T], data: object, path: str) -> T:
        if not isinstance(data, dict):
            self.fail(path, f"expected a mapping of settings, got {_kind(data)}")
        hints = typing.get_type_hints(cls)
        known = {f.name: f for f in fields(cls) if f.name != "origin"}  # type: ignore[arg-type]
        secret_files = {f"{name}_file": name for name, hint in hints.items() if _is_secret(hint)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            key_path = f"{path}.{key}" if path else str(key)
            if key in secret_files:
                values[secret_files[key]] = self.read_secret_file(value, key_path)
            elif key in known:
                values[key] = self.convert(hints[key], value, key_path)
            else:
                self.unknown(key, [*known, *secret_files], key_path)
        return cls(**values)

    def unknown(self, key: object, choices: list[str], key_path: str) -> typing.NoReturn:
        close = difflib.get_close_matches(str(key), choices, n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else f"; known keys: {', '.join(choices)}"
        self.fail(key_path, f"unknown key{hint}")

    def convert(self, hint: Any, value: object, path: str) -> Any:
        origin, args = get_origin(hint), get_args(hint)
        if origin in (typing.Union, types.UnionType):
            if value is None and type(None) in args:
                return None
            (inner,) = [arg for arg in args if arg is not type(None)]
            return self.convert(inner, value, path)
        if is_dataclass(hint):
            return self.build(typing.cast(type, hint), value, path)
        if origin is tuple:
            return self.sequence(args[0], value, path)
        if origin is Literal:
            return self.choice(args, value, path)
        return self.scalar(hint, value, path)

    def sequence(self, item: Any, value: object, path: str) -> tuple[Any, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            value = [value]
        return tuple(self.convert(item, v, f"{path}[{i}]") for i, v in enumerate(value))

    def choice(self, options: tuple[Any, ...], value: object, path: str) -> object:
        text = self.expand(value, path) if isinstance(value, str) else value
        if isinstance(text, str):
            for option in options:
                if text.lower() == str(option).lower():
                    return option
        self.fail(path, f"expected one of {', '.join(map(str, options))}, got {value!r}")

    def scalar(self, hint: Any, value: object, path: str) -> object:
        if hint is Secret:
            return self.secret(value, path)
        if isinstance(value, str):
            value = self.expand(value, path)
        if hint is Duration:
            return self.duration(value, path)
        if hint is bool:
            if isinstance(value, bool):
                return value
            self.fail(path, f"expected true or false, got {value!r}")
        if hint is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if hint is str and isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
        self.fail(path, f"expected {_type_name(hint)}, got {_kind(value)}")

    def duration(self, value: object, path: str) -> Duration:
        match = _DURATION.match(str(value)) if isinstance(value, str | int | float) else None
        if not match or isinstance(value, bool):
            self.fail(path, f"expected a duration like 90, 30s, 30m, 6h or 1d, got {value!r}")
        return Duration(float(match.group(1)) * _UNITS[match.group(2)])

    def expand(self, text: str, path: str) -> str:
        def lookup(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.env:
                self.fail(path, f"environment variable {name} is not set")
            return self.env[name]

        return _ENV_REF.sub(lookup, text)

    def secret(self, value: object, path: str) -> Secret | None:
        if value is None:
            return None
        if not isinstance(value, str) or not _ENV_REF.fullmatch(value.strip()):
            self.fail(
                path,
                "secrets are never written in the file: use ${ENV_VAR} or "
                f"{path.rsplit('.', 1)[-1]}_file: /path/to/secret",
            )
        name = _ENV_REF.fullmatch(value.strip())
        assert name is not None
        secret = self.env.get(name.group(1), "").strip()
        return Secret(secret) if secret else None

    def read_secret_file(self, value: object, path: str) -> Secret:
        if not isinstance(value, str):
            self.fail(path, f"expected a file path, got {_kind(value)}")
        try:
            secret = Path(self.expand(value, path)).read_text(encoding="utf-8").strip()
        except OSError as error:
            self.fail(path, f"cannot read the secret file: {error.strerror or error}")
        if not secret:
            self.fail(path, "the secret file is empty")
        return Secret(secret)


def _check(settings: Settings, source: str) -> None:
    """Checks that span several keys or need more than a type."""
    digest = settings.digest
    if digest.weekday.lower() not in WEEKDAYS:
        raise ConfigError(
            source, "digest.weekday", f"expected a weekday name, got {digest.weekday!r}"
        )
    if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", digest.time):
        raise ConfigError(source, "digest.time", f"expected HH:MM (24 h), got {digest.time!r}")
    try:
        ZoneInfo(digest.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            source, "digest.timezone", f"unknown IANA time zone {digest.timezone!r}"
        ) from None
    if not 0 <= settings.source.max_loss <= 1:
        raise ConfigError(source, "source.max_loss", "expected a share between 0 and 1")
    if settings.source.hold_threshold < 1:
        raise ConfigError(source, "source.hold_threshold", "expected a positive number of papers")
    if settings.discord_on and not settings.discord.token:
        raise ConfigError(source, "discord.token", f"discord is enabled but has no token{_SET_IT}")
    if settings.telegram_on and not settings.telegram.token:
        raise ConfigError(
            source, "telegram.token", f"telegram is enabled but has no token{_SET_IT}"
        )
    if settings.telegram.mode == "webhook" and not settings.telegram.webhook.url:
        raise ConfigError(source, "telegram.webhook.url", "webhook mode needs the public URL")


def _is_secret(hint: Any) -> bool:
    return hint is Secret or Secret in get_args(hint)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _type_name(hint: Any) -> str:
    return {str: "a string", int: "an integer", float: "a number"}.get(hint, str(hint))
