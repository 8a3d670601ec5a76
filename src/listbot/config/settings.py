"""The settings dataclasses: every key of the YAML file, with its default."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DEFAULT_README_URL = (
    "https://raw.githubusercontent.com/xlite-dev/Awesome-LLM-Inference/main/README.md"
)
DEFAULT_REPOSITORY = "xlite-dev/Awesome-LLM-Inference"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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
