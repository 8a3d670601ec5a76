"""Test doubles shipped with the package: an in-memory store, a controlled clock, a fake sender.

store = MemoryStore(); clock = FakeClock(); sender = FakeSender("telegram")
sender.script("123", RetryAfter(3))      # the next send to chat 123 is rate limited
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from listbot.context import Chat
from listbot.sender import DeliveryError
from listbot.testing.memory import MemoryStore

__all__ = ["FakeClock", "FakeSender", "MemoryStore", "SentMessage"]


class FakeClock:
    """A clock that moves only when told; ``sleep`` advances it instantly."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
        self.slept: list[float] = []

    def now(self) -> datetime:
        """The current (controlled) time."""
        return self._now

    def monotonic(self) -> float:
        """Seconds since the epoch of the controlled time."""
        return self._now.timestamp()

    def advance(self, seconds: float = 0, **delta: float) -> None:
        """Move time forward."""
        self._now += timedelta(seconds=seconds, **delta)

    def set(self, moment: datetime) -> None:
        """Jump to a moment."""
        self._now = moment

    async def sleep(self, seconds: float) -> None:
        """Advance the clock instead of waiting."""
        self.slept.append(seconds)
        if seconds > 0:
            self.advance(seconds)


class SentMessage:
    """A message the fake sender accepted."""

    def __init__(self, chat: Chat, payload: Mapping[str, Any], message_id: str) -> None:
        self.chat, self.payload, self.message_id = chat, dict(payload), message_id

    def __repr__(self) -> str:
        return f"SentMessage({self.chat.chat_id!r}, {self.message_id!r})"


class FakeSender:
    """A Sender that records what it accepts and raises scripted errors per chat id."""

    def __init__(self, platform: str = "telegram") -> None:
        self.platform = platform
        self.sent: list[SentMessage] = []
        self.attempts = 0
        self._script: dict[str, deque[DeliveryError]] = defaultdict(deque)
        self._ids = itertools.count(1)

    def script(self, chat_id: str, *errors: DeliveryError) -> None:
        """Make the next sends to ``chat_id`` raise these errors, in order."""
        self._script[chat_id].extend(errors)

    async def send(self, chat: Chat, payload: Mapping[str, Any], *, key: str | None = None) -> str:
        """Raise the next scripted error for the chat, else accept the message."""
        self.attempts += 1
        queue = self._script.get(chat.chat_id)
        if queue:
            raise queue.popleft()
        message = SentMessage(chat, payload, str(next(self._ids)))
        self.sent.append(message)
        return message.message_id
