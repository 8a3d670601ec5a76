"""Structured logging, plain or JSON, that never writes a secret.

Every record passes through one formatter that replaces known secrets (the
configured tokens) and anything shaped like a Telegram bot token with ``***``,
in the message, its arguments and any traceback text.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

_TELEGRAM_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}
REDACTED = "***"


class Redactor:
    """Replaces secrets in text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _TELEGRAM_TOKEN.sub(REDACTED, text)


class PlainFormatter(logging.Formatter):
    """``time level logger: message key=value ...``, redacted."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extra = " ".join(f"{k}={v}" for k, v in _extras(record).items())
        return self.redact(f"{text} {extra}" if extra else text)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, extras, exception."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_extras(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return self.redact(json.dumps(entry, ensure_ascii=False, default=str))


def _extras(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS}


class ListbotHandler(logging.StreamHandler[TextIO]):
    """The handler ``configure_logging`` installs (replaced, not added, when called again)."""


def configure_logging(
    level: str = "INFO",
    fmt: str = "plain",
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Send every log record to ``stream`` (stderr) in ``fmt``; return the handler."""
    redact = Redactor(secrets)
    handler = ListbotHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(redact) if fmt == "json" else PlainFormatter(redact))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, ListbotHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "discord.gateway"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    return handler
