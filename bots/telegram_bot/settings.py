"""The adapter's settings: explicit values, from listbot's configuration or the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from listbot.config import Settings

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
TOKEN_VARIABLE = "LISTBOT_TELEGRAM_TOKEN"
BASE_URL_VARIABLE = "LISTBOT_TELEGRAM_BASE_URL"


@dataclass(frozen=True)
class BotSettings:
    """How to reach Telegram and how updates arrive (long polling unless ``mode="webhook"``)."""

    token: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    """The Bot API endpoint; the token is appended (a local Bot API server: ``http://host/bot``)."""
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    """The public HTTPS URL Telegram posts updates to (webhook mode)."""
    secret_token: str | None = field(default=None, repr=False)
    """Checked against ``X-Telegram-Bot-Api-Secret-Token``; generated when not given."""
    listen: str = "127.0.0.1"
    port: int = 8443
    maintainers: tuple[str, ...] = ()
    """User ids of the list's maintainers: their private chats get the full command menu."""
    poll_timeout: float = 10.0
    """Seconds a long poll (``getUpdates``) waits for updates."""
    poll_interval: float = 0.0
    admin_cache_seconds: float = 60.0
    """How long a ``getChatMember`` answer is trusted."""

    @classmethod
    def from_config(cls, settings: Settings) -> BotSettings:
        """The Telegram part of listbot's validated configuration."""
        telegram, webhook = settings.telegram, settings.telegram.webhook
        return cls(
            token=str(telegram.token or ""),
            base_url=telegram.base_url,
            mode=telegram.mode,
            webhook_url=webhook.url,
            secret_token=str(webhook.secret_token) if webhook.secret_token else None,
            listen=webhook.listen,
            port=webhook.port,
            maintainers=tuple(settings.maintainers.telegram),
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> BotSettings | None:
        """Polling settings from ``LISTBOT_TELEGRAM_TOKEN`` (and ``_BASE_URL``), if set."""
        token = env.get(TOKEN_VARIABLE, "").strip()
        if not token:
            return None
        return cls(token=token, base_url=env.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL)
