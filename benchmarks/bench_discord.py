"""Discord answer times through the real discord.py adapter: ``python benchmarks/bench_discord.py``.

Autocomplete cannot be deferred: Discord drops choices not sent within 3 seconds of the
keystroke. This measures, against the local fake Discord of the tests (no network), the time
from an INTERACTION_CREATE leaving the gateway to the bot's answer reaching the REST API:

* autocomplete of ``/paper`` for every prefix of the relevance queries (what a user types),
  on the bundled catalog, and the core's ``complete_papers`` alone on 100,000 papers;
* ``/paper`` answered in full (an embed, and a menu when the hit is not decisive).

Goals: autocomplete p99 at most 100 ms round trip on the bundled catalog (30 times under
Discord's limit), and ``complete_papers`` p99 at most 250 ms at 100,000 papers (leaving most
of the 3 seconds to Discord's own round trips on a busy day).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence

from benchmarks.bench_search import load_queries, percentiles, synthetic
from listbot.app import Listbot
from listbot.catalog.bundle import load_bundled
from tests.fakes.discord_harness import running_bot

GOAL_AUTOCOMPLETE_MS, GOAL_COMPLETE_100K_MS = 100.0, 250.0
CORE_SAMPLE = 10
"""At 100,000 papers every tenth keystroke is measured (all of them take minutes)."""


def prefixes(queries: Sequence[str]) -> list[str]:
    """What a user has typed at each keystroke of each query."""
    return [query[:end] for query in queries for end in range(1, len(query) + 1)]


async def round_trips(
    send: Callable[[str], Awaitable[object]], texts: Sequence[str]
) -> list[float]:
    """Milliseconds from pushing each interaction to its first answer."""
    samples = []
    for text in texts:
        started = time.perf_counter()
        await send(text)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def measure_adapter(queries: Sequence[str]) -> dict[str, dict[str, float]]:
    """Autocomplete and /paper round trips through discord.py and the fake Discord."""
    async with running_bot() as (fake, _):

        async def complete(text: str) -> object:
            exchange = await fake.autocomplete("paper", "query", text)
            return await fake.wait(lambda: exchange.callbacks)

        async def paper(text: str) -> object:
            return await fake.answered(await fake.slash("paper", query=text))

        return {
            "autocomplete": percentiles(await round_trips(complete, prefixes(queries))),
            "/paper": percentiles(await round_trips(paper, queries)),
        }


def measure_core(queries: Sequence[str]) -> dict[str, float]:
    """``complete_papers`` alone on a 100,000-paper catalog (every ``CORE_SAMPLE``-th prefix)."""
    bot = Listbot(load_bundled())
    bot.update(synthetic(bot.services.catalog))
    samples = []
    for text in prefixes(queries)[::CORE_SAMPLE]:
        started = time.perf_counter()
        bot.complete_papers(text, 25)
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def _line(label: str, numbers: dict[str, float], goal: float) -> str:
    verdict = "ok" if numbers["p99"] <= goal else "OVER GOAL"
    shown = "  ".join(f"{key} {value:7.2f} ms" for key, value in numbers.items())
    return f"{label:<28} {shown}  (goal p99 <= {goal:g} ms: {verdict})"


def main() -> int:
    """Print the numbers; exit status 1 when a goal is missed."""
    queries = load_queries()
    adapter = asyncio.run(measure_adapter(queries))
    core = measure_core(queries)
    print(_line("autocomplete round trip", adapter["autocomplete"], GOAL_AUTOCOMPLETE_MS))
    print(_line("/paper round trip", adapter["/paper"], 3000.0))
    print(_line("complete_papers, 100k", core, GOAL_COMPLETE_100K_MS))
    missed = adapter["autocomplete"]["p99"] > GOAL_AUTOCOMPLETE_MS
    return int(missed or core["p99"] > GOAL_COMPLETE_100K_MS)


if __name__ == "__main__":
    raise SystemExit(main())
