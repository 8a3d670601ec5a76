"""Search speed and memory: the real catalog and a synthetic 100,000-paper one.

Reports index build time, search latency (p50, p99, max) over the relevance queries and
peak traced memory, beside the naive baseline measured in the same run: rapidfuzz
``process.extract(query, titles, scorer=WRatio)`` over every title. Goals: p99 at most
2 ms on the real catalog and 30 ms at 100,000 papers. Run ``python benchmarks/bench_search.py``.

The rare outliers at 100,000 papers (``max``) are full garbage collections walking the
catalog's objects (about 0.4 s each); calling ``gc.freeze()`` once the catalog and the
searcher are built avoids them (the ``after gc.freeze()`` line). ``Listbot`` does so itself
from ``listbot.app.FREEZE_PAPERS`` papers on, so ``/paper`` through ``Listbot.handle``
(``bench_ask.py``) is not slower than the search alone.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rapidfuzz import fuzz, process

from listbot.catalog.model import Catalog, Paper
from listbot.catalog.parse import parse_catalog
from listbot.search import Searcher

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "awesome-llm-inference.md"
QUERIES = ROOT / "tests" / "relevance" / "queries.tsv"
SYNTHETIC_SIZE = 100_000
BASELINE_QUERIES_LARGE = 60
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "si", "ta", "vo", "ze", "qu", "ob", "ix")


FILTERED = ("year:2024 topic:kv has:code", "org:nvidia attention", "stars:2 page:2", "year:2023")


def load_queries() -> list[str]:
    """The relevance queries (what /paper is asked)."""
    lines = QUERIES.read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line and not line.startswith("#")]


def pseudo_word(number: int) -> str:
    """A deterministic made-up word for a number (``0`` is ``ka``, ``13`` is ``lolo``...)."""
    word = ""
    while True:
        word += _SYLLABLES[number % len(_SYLLABLES)]
        number //= len(_SYLLABLES)
        if not number:
            return word.capitalize()


def synthetic(catalog: Catalog, size: int = SYNTHETIC_SIZE) -> Catalog:
    """A catalog of ``size`` papers: the real ones, then variants with made-up names."""
    papers = list(catalog.papers)
    real = len(papers)
    for number in range(real, size):
        base = catalog.papers[number % real]
        word = pseudo_word(number)
        papers.append(_variant(base, word, number))
    return Catalog(tuple(papers), catalog.sections)


def _variant(base: Paper, word: str, number: int) -> Paper:
    short = f"{word}-{base.short}" if number % 2 else f"{base.short} {word}"
    title = f"{word}: {base.title}" if number % 3 else f"{base.title} with {word}"
    return replace(base, id=f"{base.id}-{number}", short=short, title=title)


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p99 and max of latencies in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p99": p99, "max": ordered[-1]}


def timed(run: Callable[[str], object], queries: list[str], passes: int) -> dict[str, float]:
    """Latency of ``run`` over the queries (after a warm-up pass that fills lazy caches)."""
    for query in queries:
        run(query)
    samples = []
    for _ in range(passes):
        for query in queries:
            start = time.perf_counter()
            run(query)
            samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def measure(
    name: str, catalog: Catalog, queries: list[str], baseline: list[str], passes: int
) -> None:
    """Build, search and baseline numbers for one catalog, printed as a few lines."""
    gc.collect()
    start = time.perf_counter()
    searcher = Searcher(catalog)
    build = (time.perf_counter() - start) * 1000
    del searcher
    gc.collect()
    tracemalloc.start()
    searcher = Searcher(catalog)
    _, built_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ours = timed(lambda q: searcher.search(q, limit=10), queries, passes)
    gc.collect()
    gc.freeze()
    frozen = timed(lambda q: searcher.search(q, limit=10), queries, passes)
    gc.unfreeze()
    filtered = timed(lambda q: searcher.search(q, limit=10), list(FILTERED), passes * 5)
    tracemalloc.start()
    for query in queries[:50]:
        searcher.search(query)
    _, search_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    titles = [paper.title for paper in catalog.papers]
    naive = timed(
        lambda q: process.extract(q, titles, scorer=fuzz.WRatio, limit=10), baseline, passes=1
    )
    print(
        f"{name}: {len(catalog)} papers, index built in {build:.0f} ms, "
        f"peak memory {built_peak / 2**20:.1f} MiB building, "
        f"{search_peak / 2**20:.2f} MiB searching"
    )
    print(f"  listbot search     {_format(ours)}  ({len(queries) * passes} searches)")
    print(f"  after gc.freeze()  {_format(frozen)}  (no full collections of the catalog)")
    print(f"  with filters       {_format(filtered)}  ({len(FILTERED) * passes * 5} searches)")
    print(f"  baseline WRatio    {_format(naive)}  ({len(baseline)} searches)")


def _format(numbers: dict[str, float]) -> str:
    return "  ".join(f"{key} {value:7.3f} ms" for key, value in numbers.items())


def main() -> None:
    """Run the benchmark on the real catalog and on a synthetic 100,000-paper catalog."""
    start = time.perf_counter()
    catalog = parse_catalog(CATALOG.read_text(encoding="utf-8"))
    parsed = (time.perf_counter() - start) * 1000
    queries = load_queries()
    print(f"search benchmark: {len(queries)} queries; real list parsed in {parsed:.0f} ms")
    measure("real catalog", catalog, queries, queries, passes=5)
    large = synthetic(catalog)
    measure("synthetic catalog", large, queries, queries[:BASELINE_QUERIES_LARGE], passes=1)


if __name__ == "__main__":
    main()
