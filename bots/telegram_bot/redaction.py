"""Keep the bot token out of logs: PTB and httpx log request URLs, which contain it."""

from __future__ import annotations

import logging

from listbot.logs import Redactor

LOGGER_PREFIXES = ("telegram", "httpx", "httpcore", "aiohttp", "telegram_bot")
"""Loggers (and their children) whose records are redacted at the source."""


class TokenFilter(logging.Filter):
    """Rewrites a record's message and traceback text with the token replaced by ``***``."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._redact = Redactor([token])

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; never drops it."""
        record.msg, record.args = self._redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        return True


class TokenRedaction:
    """Installs a ``TokenFilter`` on every logger under ``LOGGER_PREFIXES``, and removes it."""

    def __init__(self, token: str) -> None:
        self.filter = TokenFilter(token)
        self._loggers: list[logging.Logger] = []

    def install(self) -> None:
        """Filter the records of the loggers that may print request URLs."""
        for name in [*LOGGER_PREFIXES, *logging.root.manager.loggerDict]:
            if name.split(".")[0] in LOGGER_PREFIXES:
                logger = logging.getLogger(name)
                if self.filter not in logger.filters:
                    logger.addFilter(self.filter)
                    self._loggers.append(logger)

    def uninstall(self) -> None:
        """Remove the filter again."""
        for logger in self._loggers:
            logger.removeFilter(self.filter)
        self._loggers.clear()
