"""The settings follow-and-announce uses, with defaults; built from ``listbot.config.Settings``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import TYPE_CHECKING

from listbot.follow.fetch import DEFAULT_README_URL
from listbot.store.records import Schedule

if TYPE_CHECKING:
    from listbot.config import Settings

DEFAULT_REPOSITORY = "xlite-dev/Awesome-LLM-Inference"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class FollowConfig:
    """Where the list comes from, how often to look, the safety limits and the maintainers."""

    readme_url: str = DEFAULT_README_URL
    repository: str = DEFAULT_REPOSITORY
    github_api: str = "https://api.github.com"
    github_raw: str = "https://raw.githubusercontent.com"
    sync_interval: float = 30 * 60
    release_interval: float = 6 * 3600
    tick_interval: float = 60
    hold_threshold: int = 8
    max_loss: float = 0.2
    timeout: float = 20
    grace: timedelta = timedelta(hours=24)
    default_schedule: Schedule = field(default_factory=Schedule)
    maintainers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """User ids of the list's maintainers, per platform."""

    def is_maintainer(self, platform: str, user_id: str) -> bool:
        """Whether this user may announce and release held papers."""
        return user_id in self.maintainers.get(platform, frozenset())

    @classmethod
    def from_settings(cls, settings: Settings) -> FollowConfig:
        """The follow settings of a loaded configuration."""
        source, digest, people = settings.source, settings.digest, settings.maintainers
        hour, minute = (int(part) for part in digest.time.split(":"))
        return cls(
            readme_url=source.readme_url,
            repository=source.repository,
            github_api=source.github_api,
            github_raw=source.github_raw,
            sync_interval=float(source.sync_interval),
            release_interval=float(source.release_interval),
            hold_threshold=source.hold_threshold,
            max_loss=source.max_loss,
            timeout=float(source.timeout),
            grace=timedelta(seconds=float(digest.grace)),
            default_schedule=Schedule(
                WEEKDAYS.index(digest.weekday.lower()), time(hour, minute), digest.timezone
            ),
            maintainers={
                "discord": frozenset(people.discord),
                "telegram": frozenset(people.telegram),
            },
        )
