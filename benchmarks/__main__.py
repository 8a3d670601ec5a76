"""Run every ``benchmarks/bench_*.py`` module's ``main()`` in name order (or those named)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path


def modules(names: Sequence[str]) -> list[str]:
    """The benchmark modules to run: all ``bench_*.py``, or those whose suffix is named."""
    found = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if not names:
        return found
    wanted = [f"bench_{name.removeprefix('bench_')}" for name in names]
    unknown = [name for name in wanted if name not in found]
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}; have {', '.join(found)}")
    return wanted


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; the exit status is the first non-zero status a main() returned."""
    status = 0
    for name in modules(sys.argv[1:] if argv is None else argv):
        print(f"== benchmarks.{name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        sys.argv = [f"benchmarks/{name}.py"]  # a main() that parses arguments sees none
        result = module.main()
        if isinstance(result, int) and result and not status:
            status = result
        print(flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
