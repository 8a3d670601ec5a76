"""What the store holds: subscriptions, the synced list state and the delivery outbox.

Frozen dataclasses, standard library only. Times are timezone-aware (UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from enum import StrEnum
from typing import Any

from listbot.context import Chat

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Kind(StrEnum):
    """What a subscription receives."""

    NEW = "new"
    """An announcement of the papers each sync finds genuinely new."""
    WEEKLY = "weekly"
    """A digest of the week's new papers at the subscription's weekday and time."""
    RELEASES = "releases"
    """Release announcements (and the maintainers' broadcasts)."""
    NOTICES = "notices"
    """Maintainers only: held syncs and other things that need a decision."""


@dataclass(frozen=True, slots=True)
class Filters:
    """Which papers a subscription wants; empty filters match every paper."""

    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    org: str | None = None
    min_stars: int = 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (the store's column)."""
        return {
            "topics": list(self.topics),
            "keywords": list(self.keywords),
            "org": self.org,
            "min_stars": self.min_stars,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Filters:
        """The inverse of ``to_json``."""
        return cls(
            tuple(data.get("topics", ())),
            tuple(data.get("keywords", ())),
            data.get("org"),
            int(data.get("min_stars", 0)),
        )

    def describe(self) -> str:
        """A short human description (``all papers`` when empty)."""
        parts = [f"topic:{t}" for t in self.topics] + [f"keyword:{k}" for k in self.keywords]
        if self.org:
            parts.append(f"org:{self.org}")
        if self.min_stars:
            parts.append(f"stars:{self.min_stars}")
        return " ".join(parts) or "all papers"


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a weekly digest is due: a weekday (0 = Monday), a local time and an IANA zone."""

    weekday: int = 0
    at: time = time(9, 0)
    tz: str = "UTC"
    quiet_note: bool = False
    """Send a short "no new papers" note on quiet weeks instead of nothing."""


@dataclass(frozen=True, slots=True)
class Subscription:
    """One chat (or thread) subscribed to one kind of post."""

    chat: Chat
    kind: Kind
    filters: Filters = Filters()
    schedule: Schedule = Schedule()
    created_by: str = ""
    created_at: datetime = EPOCH
    paused_reason: str | None = None
    last_period: str | None = None
    """The last weekly digest period handled (sent, or skipped as too late)."""
    id: int = 0
    """0 until the store saved it."""

    @property
    def active(self) -> bool:
        """True unless delivery is paused."""
        return self.paused_reason is None


@dataclass(frozen=True, slots=True)
class SyncedVersion:
    """The version of the list the store last synced."""

    content_hash: str
    text: str
    synced_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    ref: str | None = None
    """The commit or tag, when known."""
    catalog: str | None = field(default=None, repr=False, compare=False)
    """The parsed catalog in ``listbot.catalog.compact`` JSON (a cache of ``text``; may be None)."""


ANY_BASE = "*"
"""``record_sync(base=ANY_BASE)``: record whatever version is stored now."""


class StaleSync(RuntimeError):
    """Another process recorded a version since this sync read the stored one."""

    def __init__(self, base: str | None, stored: str | None) -> None:
        super().__init__(
            f"another sync recorded a new version meanwhile (diffed against {base}, "
            f"stored now {stored}); nothing changed"
        )
        self.base, self.stored = base, stored


class Seen(StrEnum):
    """How a paper entered the store."""

    BASELINE = "baseline"
    """Already in the list at the first sync: never announced."""
    NEW = "new"
    """Announced (or due to be) as new; digests include it."""
    HELD = "held"
    """Held by the safety valve until a maintainer releases or discards it."""
    DISCARDED = "discarded"
    """Discarded by a maintainer: never announced."""


@dataclass(frozen=True, slots=True)
class SeenPaper:
    """When a paper was first seen, and what became of it."""

    paper_id: str
    first_seen: datetime
    status: Seen


@dataclass(frozen=True, slots=True)
class Release:
    """A release tag of the list that the store knows."""

    tag: str
    seen_at: datetime
    published_at: datetime | None = None


class Status(StrEnum):
    """Where an outbox row stands."""

    PENDING = "pending"
    SENDING = "sending"
    """Handed to the platform; not yet confirmed. Resent after a crash (at-least-once)."""
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Post:
    """A message to enqueue: one rendered payload for one subscription."""

    subscription_id: int
    content_key: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Delivery:
    """An outbox row, with the chat of its subscription (read at delivery time)."""

    id: int
    subscription_id: int
    content_key: str
    payload: dict[str, Any]
    chat: Chat
    status: Status
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    last_error: str | None = None
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxStats:
    """Counts of the outbox by status, the oldest pending row and the latest errors."""

    counts: dict[Status, int] = field(default_factory=dict)
    oldest_pending: datetime | None = None
    errors: tuple[tuple[str, int], ...] = ()
    """The most frequent last errors of pending and failed rows, with their counts."""
