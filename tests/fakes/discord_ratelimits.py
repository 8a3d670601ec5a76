"""Discord's per-route rate limits, as the fake enforces them and reports them in headers.

Every answer carries ``X-RateLimit-Limit``, ``-Remaining``, ``-Reset``, ``-Reset-After`` and
``-Bucket`` (and ``Via``, as Discord's answers do), so discord.py learns its buckets and waits
pre-emptively when one is exhausted; a request that arrives anyway gets 429 with
``Retry-After`` and ``X-RateLimit-Scope``, as Discord answers it.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

VIA = "1.1 google"
DEFAULT_LIMIT, DEFAULT_PER = 50, 1.0
"""Generous by default (like Discord's global 50 requests a second), so tests stay fast."""


@dataclass
class Bucket:
    """A window of ``limit`` requests every ``per`` seconds for one route and major id."""

    name: str
    limit: int
    per: float
    used: int = 0
    resets_at: float = 0.0

    def take(self, now: float) -> bool:
        """Count one request; False when the window is exhausted (the answer is 429)."""
        if now >= self.resets_at:
            self.used, self.resets_at = 0, now + self.per
        if self.used >= self.limit:
            return False
        self.used += 1
        return True

    def headers(self, now: float) -> dict[str, str]:
        """The rate-limit headers of an answer from this bucket."""
        reset_after = max(0.0, self.resets_at - now)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - self.used)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": self.name,
            "Via": VIA,
        }


def limited_headers(after: float, *, scope: str = "user", bucket: str = "fake") -> dict[str, str]:
    """The headers of a 429: ``Retry-After`` in whole seconds (rounded up), the scope."""
    headers = {
        "Retry-After": str(max(1, math.ceil(after))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + after:.3f}",
        "X-RateLimit-Reset-After": f"{after:.3f}",
        "X-RateLimit-Bucket": bucket,
        "X-RateLimit-Scope": scope,
        "Via": VIA,
    }
    if scope == "global":
        headers["X-RateLimit-Global"] = "true"
    return headers


def limited_body(after: float, *, is_global: bool = False) -> dict[str, object]:
    """The body of a 429, as Discord sends it."""
    return {"message": "You are being rate limited.", "retry_after": after, "global": is_global}


@dataclass
class RateLimits:
    """The fake's buckets: a route matching a configured pattern gets its limit."""

    rules: list[tuple[str, int, float]] = field(default_factory=list)
    buckets: dict[str, Bucket] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    """Requests answered 429 because their bucket was exhausted (the client did not wait)."""

    def limit(self, pattern: str, limit: int, per: float) -> None:
        """Requests matching ``pattern`` (``"POST /channels/1/messages"``) share a bucket."""
        self.rules.insert(0, (pattern, limit, per))

    def bucket(self, key: str) -> Bucket:
        """The bucket of a request key (method and path; the path holds the major id)."""
        if key not in self.buckets:
            limit, per = next(
                ((n, s) for pattern, n, s in self.rules if re.fullmatch(pattern, key)),
                (DEFAULT_LIMIT, DEFAULT_PER),
            )
            self.buckets[key] = Bucket(f"bucket-{len(self.buckets)}", limit, per)
        return self.buckets[key]

    def check(self, key: str, now: float) -> tuple[bool, dict[str, str]]:
        """Count a request: whether it may go through, and the headers of its answer."""
        bucket = self.bucket(key)
        if bucket.take(now):
            return True, bucket.headers(now)
        self.refused.append(key)
        after = max(0.001, bucket.resets_at - now)
        return False, limited_headers(after, bucket=bucket.name)
