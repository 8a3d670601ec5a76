"""Times in the store: ISO 8601 in UTC with microseconds, so text order is time order."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(moment: datetime) -> str:
    """An aware datetime as the store's text."""
    if moment.tzinfo is None:
        raise ValueError("the store only takes timezone-aware datetimes")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    """The store's text as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)
