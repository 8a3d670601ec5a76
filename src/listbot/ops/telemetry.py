"""What ``listbot serve`` counts, and the status report read back from the store.

Counters: messages answered (by platform and kind), syncs (by outcome), release
checks and digest ticks. Gauges read at each scrape: deliveries sent, failed and
pending, the age of the oldest pending delivery, active and paused subscriptions.
The counters are also saved in the store, so ``listbot status`` can show them
while serve runs or after it stopped.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from listbot.ops.metrics import Metrics
from listbot.store.records import Status

if TYPE_CHECKING:
    from listbot.context import Actor
    from listbot.follow import Follow
    from listbot.replies import Reply
    from listbot.store import Store

SNAPSHOT_KEY = "serve.metrics"
LAST_SYNC_KEY = "serve.last_sync"
ANSWERED = "listbot_messages_answered_total"
SYNCS = "listbot_syncs_total"
JOBS = "listbot_jobs_total"


class Telemetry:
    """Metrics of one serving process over its store and follow engine."""

    def __init__(self, store: Store, follow: Follow, metrics: Metrics | None = None) -> None:
        self.store, self.follow = store, follow
        self.metrics = metrics or Metrics()
        self.metrics.describe(ANSWERED, "Messages and button presses answered.")
        self.metrics.describe(SYNCS, "Syncs of the list, by outcome.")
        self.metrics.describe(JOBS, "Scheduled jobs run, by job.")
        self._restore()
        self._gauges()

    def on_answer(self, actor: Actor, reply: Reply) -> None:
        """Count one answer (the core's ``on_answer`` hook)."""
        self.metrics.inc(ANSWERED, platform=actor.chat.platform, kind=reply.kind.value)

    def on_job(self, name: str, result: object) -> None:
        """Count one scheduled job (the runner's ``on_job`` hook) and save a snapshot."""
        self.metrics.inc(JOBS, job=name)
        outcome = getattr(result, "outcome", None)
        if name == "follow-sync" and outcome is not None:
            self.metrics.inc(SYNCS, outcome=str(outcome))
            record = {"outcome": str(outcome), "message": getattr(result, "message", "")}
            record["at"] = datetime.now(UTC).isoformat()
            self.store.set_meta(LAST_SYNC_KEY, json.dumps(record))
        self.save()

    def save(self) -> None:
        """Write the counters to the store."""
        self.store.set_meta(SNAPSHOT_KEY, json.dumps(self.metrics.counters()))

    def _restore(self) -> None:
        saved = json.loads(self.store.get_meta(SNAPSHOT_KEY) or "{}")
        for name, series in saved.items():
            for labels, value in series.items():
                pairs = dict(part.split("=", 1) for part in labels.split(",") if part)
                self.metrics.inc(name, float(value), **pairs)

    def _gauges(self) -> None:
        stats = self.follow.worker.stats
        m = self.metrics
        m.gauge("listbot_deliveries_sent", lambda: stats.sent, "Deliveries sent by this process.")
        m.gauge("listbot_deliveries_failed", lambda: stats.failed, "Deliveries given up on.")
        m.gauge("listbot_deliveries_pending", self._pending, "Deliveries waiting to be sent.")
        m.gauge("listbot_oldest_pending_seconds", self._oldest, "Age of the oldest pending one.")

    def _pending(self) -> float:
        counts = self.store.outbox_stats().counts
        return float(counts.get(Status.PENDING, 0) + counts.get(Status.SENDING, 0))

    def _oldest(self) -> float | None:
        oldest = self.store.outbox_stats().oldest_pending
        return None if oldest is None else (datetime.now(UTC) - oldest).total_seconds()


def status_report(store: Store, now: datetime | None = None) -> dict[str, Any]:
    """What ``listbot status`` prints: the state of a store, running or not."""
    now = now or datetime.now(UTC)
    version = store.synced_version()
    stats = store.outbox_stats()
    subscriptions = store.subscriptions()
    oldest = stats.oldest_pending
    return {
        "synced": None
        if version is None
        else {
            "content_hash": version.content_hash[:12],
            "at": version.synced_at.isoformat(),
            "etag": version.etag,
            "ref": version.ref,
        },
        "last_sync": json.loads(store.get_meta(LAST_SYNC_KEY) or "null"),
        "subscriptions": {
            "active": sum(1 for s in subscriptions if s.active),
            "paused": sum(1 for s in subscriptions if not s.active),
        },
        "deliveries": {status.value: stats.counts.get(status, 0) for status in Status},
        "oldest_pending_seconds": None if oldest is None else (now - oldest).total_seconds(),
        "errors": [{"error": error, "count": count} for error, count in stats.errors],
        "counters": json.loads(store.get_meta(SNAPSHOT_KEY) or "{}"),
    }
