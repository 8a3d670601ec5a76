"""Ask latency, start-up time and memory: ``python benchmarks/bench_ask.py [--quick]``.

* /paper latency p50/p99 through ``Listbot.handle`` (search + reply building) on the
  bundled catalog and on a synthetic 100,000-paper catalog made from it, with the cost of
  rendering for Telegram and Discord, and the naive baseline (rapidfuzz ``process.extract``
  with WRatio over every title) on the same queries;
* the time from starting ``listbot ask "flashattention"`` as a subprocess to its answer;
* peak memory: Python allocations (tracemalloc) of building the bot and answering, and the
  peak RSS of the ``listbot ask`` process and of this process after the 100k run.

Goals (issue 3): p99 ≤ 2 ms on the real catalog, ≤ 30 ms at 100,000 papers; ``listbot
ask`` answers within 0.5 s of starting.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from listbot.app import Listbot
from listbot.catalog.bundle import load_bundled
from listbot.catalog.model import Catalog, Paper
from listbot.context import Actor, Chat
from listbot.render import render_discord, render_telegram

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "relevance" / "queries.tsv"
FALLBACK = ["flashattention", "paged attn", "vllm", "h2o", "snapkv", "kv cache quantization",
            "spec decoding", "medusa", "awq", "flashatention", "quantum gravity"]  # fmt: skip
ACTOR = Actor("bench", "bench", Chat("bench", "bench"))
SYNTHETIC = 100_000


def queries() -> list[str]:
    """The relevance set's queries (names, typos, titles, topics, not-in-list)."""
    if not QUERIES.is_file():
        return FALLBACK
    rows = QUERIES.read_text(encoding="utf-8").splitlines()
    return [row.split("\t")[0] for row in rows if row.strip() and not row.startswith("#")]


def percentiles(samples: Sequence[float]) -> tuple[float, float]:
    """p50 and p99 of samples in seconds, as milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def timed(action: Callable[[str], object], messages: Sequence[str], rounds: int) -> list[float]:
    """Seconds per call of ``action`` over every message, ``rounds`` times."""
    samples: list[float] = []
    for _ in range(rounds):
        for message in messages:
            start = time.perf_counter()
            action(message)
            samples.append(time.perf_counter() - start)
    return samples


def synthetic(catalog: Catalog, size: int, seed: int = 1) -> Catalog:
    """A catalog of ``size`` papers: the real ones, then variants with new names and words."""
    rng = random.Random(seed)
    words = sorted({w for p in catalog.papers for w in p.title.split() if w.isalpha()})
    papers = list(catalog.papers)
    for number in range(size - len(papers)):
        base = catalog.papers[number % len(catalog.papers)]
        tag = f"{rng.choice(words)}{number:x}"
        papers.append(dataclasses.replace(
            base, id=f"{base.id}-{tag.lower()}", short=f"{base.short}{tag}",
            title=f"{base.title}: {' '.join(rng.sample(words, 3))} {tag}"))  # fmt: skip
    return Catalog(tuple(papers), catalog.sections)


def report_latency(label: str, bot: Listbot, messages: Sequence[str], rounds: int) -> None:
    """Print /paper p50/p99 through handle, and with rendering for both chat platforms."""
    commands = [f"/paper {m}" for m in messages]
    bot.handle(commands[0], ACTOR)
    searcher = bot.services.searcher
    p50, p99 = percentiles(timed(lambda m: searcher.search(m, 10), messages, rounds))
    print(f"{label}: Searcher.search alone  p50 {p50:.3f} ms  p99 {p99:.3f} ms")
    p50, p99 = percentiles(timed(lambda m: bot.handle(m, ACTOR), commands, rounds))
    print(
        f"{label}: /paper via Listbot.handle  p50 {p50:.3f} ms  p99 {p99:.3f} ms "
        f"({len(commands) * rounds} calls)"
    )

    def answer_and_render(message: str) -> None:
        reply = bot.handle(message, ACTOR)
        render_telegram(reply)
        render_discord(reply)

    p50, p99 = percentiles(timed(answer_and_render, commands, rounds))
    print(f"{label}: /paper + render telegram + discord  p50 {p50:.3f} ms  p99 {p99:.3f} ms")


def report_baseline(label: str, papers: Sequence[Paper], messages: Sequence[str]) -> None:
    """The naive baseline: rapidfuzz process.extract with WRatio over every title."""
    from rapidfuzz import fuzz, process

    titles = [paper.title for paper in papers]
    p50, p99 = percentiles(
        timed(lambda m: process.extract(m, titles, scorer=fuzz.WRatio, limit=10), messages, 1)
    )
    print(f"{label}: baseline extract(WRatio, titles)  p50 {p50:.3f} ms  p99 {p99:.3f} ms")


def report_startup(runs: int) -> None:
    """Wall time of ``listbot ask "flashattention"`` from start to answer, and its peak RSS."""
    command = [sys.executable, "-m", "listbot", "ask", "flashattention"]
    subprocess.run(command, capture_output=True, check=True)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f'listbot ask "flashattention": median {statistics.median(samples) * 1000:.0f} ms, '
        f"max {max(samples) * 1000:.0f} ms over {runs} runs (goal < 500 ms); "
        f"peak RSS {rss:.0f} MiB"
    )


def report_memory(messages: Sequence[str]) -> Listbot:
    """Peak Python allocations of building the bot over the bundle and answering."""
    tracemalloc.start()
    bot = Listbot(load_bundled())
    for message in messages:
        bot.handle(f"/paper {message}", ACTOR)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"real catalog: peak traced memory building + answering {peak / 2**20:.1f} MiB")
    return bot


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print one line per number."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no 100k catalog")
    args = parser.parse_args(argv)
    messages = queries()
    rounds = 2 if args.quick else 10
    bot = report_memory(messages)
    print(f"real catalog: {len(bot.services.catalog)} papers, {len(messages)} queries")
    report_latency("real catalog", bot, messages, rounds)
    report_baseline("real catalog", bot.services.catalog.papers, messages)
    report_startup(3 if args.quick else 10)
    if not args.quick:
        start = time.perf_counter()
        big = Listbot(synthetic(bot.services.catalog, SYNTHETIC))
        print(f"100k catalog: built in {time.perf_counter() - start:.1f} s")
        report_latency("100k catalog", big, messages, 3)
        report_baseline("100k catalog", big.services.catalog.papers, messages[:40])
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"100k catalog: peak RSS of this process {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
