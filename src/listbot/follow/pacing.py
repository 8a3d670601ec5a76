"""Pacing deliveries within platform limits: sliding windows over keyed counters.

Platforms state their limits as "at most N messages per window" (Telegram: 30 per
second overall, 1 per second per chat, 20 per minute per group; Discord: 50 requests
per second, about 5 messages per 5 s per channel). A ``Pacer`` keeps, per key, the
times of the last N sends, and a send is reserved at the earliest time every window of
its platform and chat allows. Windows are widened by a small safety ``margin`` so that
jitter between reserving and the platform receiving never crosses the limit. When the
chat itself is not ready, nothing is reserved and the message is deferred instead, so
one busy chat never holds up the others.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from listbot.context import Chat, ChatKind


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``count`` messages in any ``per`` seconds."""

    count: int
    per: float = 1.0

    def scaled(self, factor: float) -> Limit:
        """The same limit, ``factor`` times faster (for tests and benchmarks)."""
        return Limit(self.count, self.per / factor)


@dataclass(frozen=True, slots=True)
class PlatformLimits:
    """A platform's overall limit and its per-chat limits by chat kind."""

    overall: Limit
    per_chat: Mapping[ChatKind, tuple[Limit, ...]]

    def scaled(self, factor: float) -> PlatformLimits:
        """Every limit ``factor`` times faster."""
        return PlatformLimits(
            self.overall.scaled(factor),
            {k: tuple(limit.scaled(factor) for limit in v) for k, v in self.per_chat.items()},
        )


_GROUP = (Limit(1, 1.0), Limit(20, 60.0))
TELEGRAM = PlatformLimits(
    overall=Limit(30, 1.0),
    per_chat={ChatKind.PRIVATE: (Limit(1, 1.0),), ChatKind.GROUP: _GROUP, ChatKind.CHANNEL: _GROUP},
)
"""Telegram: 30 messages/s overall, 1/s per chat, 20/min per group or channel."""
DISCORD = PlatformLimits(
    overall=Limit(50, 1.0), per_chat={kind: (Limit(5, 5.0),) for kind in ChatKind}
)
"""Discord: 50 requests/s overall; a channel's message route allows about 5 per 5 s."""
JITTER = 0.005
"""Seconds added to every window: the event loop's timer granularity between reserving
a slot and the platform receiving the message."""
UNLIMITED = PlatformLimits(overall=Limit(1_000_000, 1.0), per_chat={})
DEFAULT_LIMITS: dict[str, PlatformLimits] = {"telegram": TELEGRAM, "discord": DISCORD}


class _Window:
    """The times of the last ``count`` sends under one limit."""

    __slots__ = ("count", "per", "times")

    def __init__(self, limit: Limit, margin: float) -> None:
        self.count, self.per = limit.count, limit.per * (1 + margin) + JITTER
        self.times: deque[float] = deque()

    def earliest(self, now: float) -> float:
        while self.times and self.times[0] + self.per <= now:
            self.times.popleft()
        return now if len(self.times) < self.count else self.times[0] + self.per

    def take(self, at: float) -> None:
        self.times.append(at)


class Pacer:
    """Per-platform and per-chat pacing (times in the clock's monotonic seconds)."""

    def __init__(
        self, limits: Mapping[str, PlatformLimits] | None = None, margin: float = 0.02
    ) -> None:
        self._limits = dict(DEFAULT_LIMITS if limits is None else limits)
        self._margin = margin
        self._overall: dict[str, _Window] = {}
        self._chats: dict[tuple[str, str], list[_Window]] = {}
        self._blocked: dict[tuple[str, str], float] = {}

    def _platform(self, platform: str) -> PlatformLimits:
        return self._limits.get(platform, UNLIMITED)

    def _chat_windows(self, chat: Chat) -> list[_Window]:
        key = (chat.platform, chat.chat_id)
        windows = self._chats.get(key)
        if windows is None:
            limits = self._platform(chat.platform).per_chat.get(chat.kind, ())
            windows = self._chats[key] = [_Window(limit, self._margin) for limit in limits]
        return windows

    def plan(self, chat: Chat, now: float) -> tuple[float, bool]:
        """``(delay, True)``: a slot is reserved ``delay`` s from now; ``(delay, False)``:
        the chat is not ready for ``delay`` s, nothing is reserved (defer the message)."""
        windows = self._chat_windows(chat)
        ready = max([w.earliest(now) for w in windows], default=now)
        ready = max(ready, self._blocked.get((chat.platform, chat.chat_id), now))
        if ready > now:
            return ready - now, False
        overall = self._overall.get(chat.platform)
        if overall is None:
            overall = self._overall[chat.platform] = _Window(
                self._platform(chat.platform).overall, self._margin
            )
        at = overall.earliest(now)
        for window in (*windows, overall):
            window.take(at)
        return at - now, True

    def penalize(self, chat: Chat, until: float) -> None:
        """After a 429: nothing goes to this chat before ``until``."""
        key = (chat.platform, chat.chat_id)
        self._blocked[key] = max(self._blocked.get(key, until), until)

    def forget_idle(self, now: float) -> None:
        """Drop the state of chats whose windows are empty again (bounded memory)."""
        self._chats = {
            key: windows
            for key, windows in self._chats.items()
            if any(w.times and w.times[-1] + w.per > now for w in windows)
        }
        self._blocked = {key: t for key, t in self._blocked.items() if t > now}
