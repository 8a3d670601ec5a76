"""Parse and diff of the newest README, beside a bare regex split of its table rows.

The floor is the least any parser must do: find the dated table rows with one regex and
split them on ``|``. The diff compares the newest README with the release before it
(``../shared/upstream/releases/README@v2.6.20.md`` when present, else the snapshot with
every tenth row removed). Also the load of the bundled data (what the console waits for).
Goal: parse + diff under 20 ms. Run ``python -m benchmarks catalog``.
"""

from __future__ import annotations

import gc
import os
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from listbot.catalog.bundle import data_dir, load_bundle
from listbot.catalog.diff import diff
from listbot.catalog.parse import parse_catalog

ROOT = Path(__file__).resolve().parent.parent
NEWEST = ROOT / "data" / "awesome-llm-inference.md"
UPSTREAM = Path(os.environ.get("LISTBOT_UPSTREAM", ROOT.parent / "shared" / "upstream"))
PREVIOUS = UPSTREAM / "releases" / "README@v2.6.20.md"
RUNS = 200
GOAL_MS = 20.0
_DATED_ROW = re.compile(r"^\s*\|\s*\d{4}[.\-/]\d{1,2}\s*\|.*$", re.M)


def median_ms(work: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median wall and CPU (process) time of ``work`` in milliseconds, after a warm-up.

    CPU time is shown beside wall time because a busy machine inflates wall time.
    """
    for _ in range(5):
        work()
    gc.collect()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter_ns(), time.process_time_ns()
        work()
        cpu.append(time.process_time_ns() - start_cpu)
        wall.append(time.perf_counter_ns() - start)
    return statistics.median(wall) / 1e6, statistics.median(cpu) / 1e6


def floor_split(text: str) -> list[list[str]]:
    """The floor: the dated table rows found by one regex, split on ``|``."""
    return [line.split("|") for line in _DATED_ROW.findall(text)]


def previous_version(text: str) -> tuple[str, str]:
    """The version to diff against, and what it is."""
    if PREVIOUS.is_file():
        return PREVIOUS.read_text(encoding="utf-8"), PREVIOUS.name
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if _DATED_ROW.match(line)]
    dropped = set(rows[::10])
    kept = [line for i, line in enumerate(lines) if i not in dropped]
    return "\n".join(kept), "the snapshot without every tenth row"


def main() -> int:
    """Print the medians, the total against the goal, and the ratio to the floor."""
    text = NEWEST.read_text(encoding="utf-8")
    old_text, old_name = previous_version(text)
    old, new = parse_catalog(old_text), parse_catalog(text)
    floor = median_ms(lambda: floor_split(text))
    parse = median_ms(lambda: parse_catalog(text))
    compare = median_ms(lambda: diff(old, new))
    both = median_ms(lambda: diff(old, parse_catalog(text)))
    bundle = median_ms(lambda: load_bundle(data_dir()), runs=50)
    result = diff(old, new)
    print(f"newest README: {len(text) / 1024:.0f} KiB, {new.rows} rows, {len(new)} papers")
    print(f"diff against {old_name}: {len(result.added)} added, {len(result.changed)} changed")
    print(f"median of {RUNS} runs        wall ms    cpu ms   wall/floor")
    for name, (wall, cpu) in (
        ("floor (regex split of rows)", floor),
        ("parse", parse),
        ("diff", compare),
        ("parse + diff", both),
        ("load bundled data/", bundle),
    ):
        print(f"  {name:<28}{wall:8.3f}  {cpu:8.3f}  {wall / floor[0]:8.1f}x")
    verdict = "met" if both[0] < GOAL_MS else "MISSED (wall)" if both[1] < GOAL_MS else "MISSED"
    print(f"goal: parse + diff < {GOAL_MS:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
