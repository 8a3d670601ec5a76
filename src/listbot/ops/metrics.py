"""Counters and gauges, rendered in the Prometheus text exposition format."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

Labels = tuple[tuple[str, str], ...]


class Metrics:
    """A small registry: labelled counters, and gauges read when scraped."""

    def __init__(self) -> None:
        self._counters: dict[str, dict[Labels, float]] = defaultdict(dict)
        self._help: dict[str, str] = {}
        self._gauges: dict[str, Callable[[], float | None]] = {}

    def describe(self, name: str, help_text: str) -> None:
        """Set the HELP line of a metric."""
        self._help[name] = help_text

    def inc(self, name: str, amount: float = 1.0, **labels: str) -> None:
        """Add to a counter (created at zero)."""
        key = tuple(sorted(labels.items()))
        series = self._counters[name]
        series[key] = series.get(key, 0.0) + amount

    def value(self, name: str, **labels: str) -> float:
        """A counter's current value."""
        return self._counters.get(name, {}).get(tuple(sorted(labels.items())), 0.0)

    def gauge(self, name: str, read: Callable[[], float | None], help_text: str = "") -> None:
        """Register a gauge whose value is read at each scrape (None: not reported)."""
        self._gauges[name] = read
        if help_text:
            self._help[name] = help_text

    def counters(self) -> dict[str, dict[str, float]]:
        """Every counter as ``{name: {"label=value,...": value}}`` (for snapshots)."""
        return {
            name: {
                ",".join(f"{k}={v}" for k, v in labels): value for labels, value in series.items()
            }
            for name, series in self._counters.items()
        }

    def render(self) -> str:
        """The Prometheus text format of every metric."""
        lines: list[str] = []
        for name in sorted(self._counters):
            lines += self._header(name, "counter")
            for labels, value in sorted(self._counters[name].items()):
                lines.append(f"{name}{_labels(dict(labels))} {_number(value)}")
        for name in sorted(self._gauges):
            reading = self._gauges[name]()
            if reading is None:
                continue
            lines += self._header(name, "gauge")
            lines.append(f"{name} {_number(reading)}")
        return "\n".join(lines) + "\n"

    def _header(self, name: str, kind: str) -> list[str]:
        help_text = self._help.get(name)
        head = [f"# HELP {name} {help_text}"] if help_text else []
        return [*head, f"# TYPE {name} {kind}"]


def _labels(labels: Mapping[str, str]) -> str:
    if not labels:
        return ""
    escaped = (
        f'{k}="{v.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
        for k, v in labels.items()
    )
    return "{" + ",".join(escaped) + "}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)
