"""The one configuration error: where the problem is and what was expected."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration problem: where it is and what was expected."""

    def __init__(self, source: str, key: str, why: str) -> None:
        super().__init__(f"{source}: {key or '(top level)'}: {why}")
        self.source = source
        self.key = key
        self.why = why
