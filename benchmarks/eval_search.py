"""Search quality on the relevance set: top-1 accuracy, MRR@5 and confident-wrong answers.

Run ``python benchmarks/eval_search.py [--catalog README.md] [--verbose]``. Each line of
``tests/relevance/queries.tsv`` is a query, the ids of the papers that are right answers
(any of them) and a kind; queries with no ids are about things not in the list.

* top-1: share of in-list queries whose first hit is a right answer;
* MRR@5: mean of 1/rank of the first right answer within the first five hits (0 if none);
* confident-wrong: share of not-in-list queries that got a decisive answer (should be 0);
* also: decisive rate and decisive precision on in-list queries, and not-in-list queries
  that got suggestions.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from listbot.catalog.model import Catalog
from listbot.catalog.parse import parse_catalog
from listbot.search import Searcher

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "relevance" / "queries.tsv"
CATALOG = ROOT / "data" / "awesome-llm-inference.md"
RANKS = 5


@dataclass(frozen=True)
class Case:
    """One query of the relevance set."""

    query: str
    expected: frozenset[str]
    kind: str


@dataclass(frozen=True)
class Report:
    """Quality numbers over a relevance set."""

    top1: float
    mrr: float
    confident_wrong: float
    decisive_rate: float
    decisive_precision: float
    suggested: float
    in_list: int
    absent: int
    by_kind: dict[str, float]
    failures: list[str]


def key(paper_id: str) -> str:
    """An id without separators, so that ``flashattention-3-202407`` is ``...3202407`` too."""
    return re.sub(r"[^0-9a-z]", "", paper_id.lower())


def load_cases(path: Path = QUERIES) -> list[Case]:
    """The queries of a relevance file (tab-separated; ``#`` starts a comment line)."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, expected, kind = line.split("\t")
        cases.append(Case(query, frozenset(key(i) for i in expected.split()), kind))
    return cases


def evaluate(searcher: Searcher, cases: list[Case]) -> Report:
    """Run every query and compute the quality numbers."""
    reciprocal: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    decisive = decisive_right = confident_wrong = suggested = 0
    for case in cases:
        result = searcher.search(case.query, limit=RANKS)
        if not case.expected:
            confident_wrong += result.decisive is not None
            suggested += bool(result.suggestions)
            if result.decisive is not None:
                failures.append(f"absent  {case.query!r}: decisive {result.decisive.id}")
            continue
        ids = [key(hit.paper.id) for hit in result.hits[:RANKS]]
        rank = next((n for n, i in enumerate(ids, 1) if i in case.expected), None)
        reciprocal[case.kind].append(1 / rank if rank else 0.0)
        if result.decisive is not None:
            decisive += 1
            decisive_right += key(result.decisive.id) in case.expected
        if rank != 1:
            failures.append(f"{case.kind:7} {case.query!r}: rank {rank}, got {ids[:3]}")
    everything = [value for values in reciprocal.values() for value in values]
    absent = sum(1 for case in cases if not case.expected)
    return Report(
        top1=sum(value == 1.0 for value in everything) / len(everything),
        mrr=sum(everything) / len(everything),
        confident_wrong=confident_wrong / absent if absent else 0.0,
        decisive_rate=decisive / len(everything),
        decisive_precision=decisive_right / decisive if decisive else 1.0,
        suggested=suggested / absent if absent else 1.0,
        in_list=len(everything),
        absent=absent,
        by_kind={kind: sum(v == 1.0 for v in vs) / len(vs) for kind, vs in reciprocal.items()},
        failures=failures,
    )


def format_report(report: Report) -> str:
    """The report as a few readable lines."""
    kinds = ", ".join(f"{kind} {value:.2f}" for kind, value in sorted(report.by_kind.items()))
    return "\n".join(
        [
            f"in-list queries: {report.in_list}, not-in-list queries: {report.absent}",
            f"top-1 accuracy: {report.top1:.3f}   MRR@{RANKS}: {report.mrr:.3f}",
            f"confident-wrong rate (not in list, decisive): {report.confident_wrong:.3f}",
            f"not in list with suggestions: {report.suggested:.3f}",
            f"decisive on in-list: {report.decisive_rate:.3f}, "
            f"of which right: {report.decisive_precision:.3f}",
            f"top-1 by kind: {kinds}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Evaluate the searcher on the relevance set and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=CATALOG)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    catalog: Catalog = parse_catalog(args.catalog.read_text(encoding="utf-8"))
    report = evaluate(Searcher(catalog), load_cases(args.queries))
    print(format_report(report))
    if args.verbose:
        print("\n".join(report.failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
