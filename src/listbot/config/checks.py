"""Checks that span several keys or need more than a type.

Each check returns the first problem as ``(key path, what was expected)``, or None;
``check_settings`` raises it as a ConfigError naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from listbot.config.errors import ConfigError
from listbot.config.settings import WEEKDAYS, Settings

Problem = tuple[str, str] | None
_SET_IT = ": set the environment variable it names, or token_file"
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
"""What Telegram accepts as a webhook secret token."""


def check_settings(settings: Settings, source: str) -> None:
    """Raise a ConfigError for the first cross-key problem of ``settings``."""
    for check in CHECKS:
        problem = check(settings)
        if problem is not None:
            raise ConfigError(source, *problem)


def _digest(settings: Settings) -> Problem:
    digest = settings.digest
    if digest.weekday.lower() not in WEEKDAYS:
        return "digest.weekday", f"expected a weekday name, got {digest.weekday!r}"
    if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", digest.time):
        return "digest.time", f"expected HH:MM (24 h), got {digest.time!r}"
    try:
        ZoneInfo(digest.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return "digest.timezone", f"unknown IANA time zone {digest.timezone!r}"
    return None


def _source(settings: Settings) -> Problem:
    if not 0 <= settings.source.max_loss <= 1:
        return "source.max_loss", "expected a share between 0 and 1"
    if settings.source.hold_threshold < 1:
        return "source.hold_threshold", "expected a positive number of papers"
    return None


def _tokens(settings: Settings) -> Problem:
    if settings.discord_on and not settings.discord.token:
        return "discord.token", f"discord is enabled but has no token{_SET_IT}"
    if settings.telegram_on and not settings.telegram.token:
        return "telegram.token", f"telegram is enabled but has no token{_SET_IT}"
    return None


def _shards(settings: Settings) -> Problem:
    count, ids = settings.discord.shard_count, settings.discord.shard_ids
    if count is not None and count < 1:
        return "discord.shard_count", f"expected at least 1 shard, got {count}"
    if ids and count is None:
        return "discord.shard_ids", "shard_ids needs shard_count (the total number of shards)"
    if count is not None and any(not 0 <= shard < count for shard in ids):
        return "discord.shard_ids", f"expected shard ids from 0 to {count - 1}, got {list(ids)}"
    if len(set(ids)) != len(ids):
        return "discord.shard_ids", f"shard ids repeat: {list(ids)}"
    return None


def _webhook(settings: Settings) -> Problem:
    telegram, webhook = settings.telegram, settings.telegram.webhook
    if telegram.mode != "webhook":
        return None
    if not webhook.url:
        return "telegram.webhook.url", "webhook mode needs the public URL"
    if not webhook.url.startswith("https://"):
        return "telegram.webhook.url", f"Telegram only posts to HTTPS URLs, got {webhook.url!r}"
    secret = webhook.secret_token
    if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
        return "telegram.webhook.secret_token", "expected 1-256 characters of A-Z a-z 0-9 _ -"
    return None


CHECKS: tuple[Callable[[Settings], Problem], ...] = (_digest, _source, _tokens, _shards, _webhook)
