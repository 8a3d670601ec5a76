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

import os
import typing
from dataclasses import replace
from pathlib import Path

import yaml

from listbot.config.checks import check_settings
from listbot.config.errors import ConfigError
from listbot.config.reader import Reader
from listbot.config.settings import (
    DEFAULT_README_URL,
    DEFAULT_REPOSITORY,
    WEEKDAYS,
    DigestSettings,
    DiscordSettings,
    Duration,
    HttpSettings,
    LoggingSettings,
    MaintainerSettings,
    Secret,
    Settings,
    SourceSettings,
    StoreSettings,
    TelegramSettings,
    WebhookSettings,
)

__all__ = [
    "DEFAULT_README_URL",
    "DEFAULT_REPOSITORY",
    "WEEKDAYS",
    "ConfigError",
    "DigestSettings",
    "DiscordSettings",
    "Duration",
    "HttpSettings",
    "LoggingSettings",
    "MaintainerSettings",
    "Secret",
    "Settings",
    "SourceSettings",
    "StoreSettings",
    "TelegramSettings",
    "WebhookSettings",
    "load_settings",
]


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
    settings = Reader(source, env).build(Settings, data, "")
    check_settings(settings, source)
    return replace(settings, origin=source)
