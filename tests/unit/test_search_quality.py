"""Search quality on the relevance sets (numbers from ``benchmarks/eval_search.py``).

``queries.tsv`` was written before tuning; ``holdout.tsv`` after the first round, and was
evaluated once before any further change (first result: top-1 0.931, MRR@5 0.931).
The floors sit just under what the searcher achieves.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from listbot.catalog.model import Catalog
from listbot.search import Searcher

ROOT = Path(__file__).resolve().parents[2]
RELEVANCE = Path(__file__).resolve().parents[1] / "relevance"


def load_eval() -> ModuleType:
    """The evaluation script, imported from ``benchmarks/``."""
    path = ROOT / "benchmarks" / "eval_search.py"
    spec = importlib.util.spec_from_file_location("eval_search", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_search", module)
    spec.loader.exec_module(module)
    return module


evaluation = load_eval()


@pytest.fixture(scope="module")
def searcher(catalog: Catalog) -> Searcher:
    """One searcher over the newest list for the whole module."""
    return Searcher(catalog)


@pytest.mark.parametrize("name", ["queries.tsv", "holdout.tsv"])
def test_relevance_sets_are_large_enough_and_name_real_papers(catalog: Catalog, name: str):
    """Every expected id is a paper of the newest list (ids compared without dashes)."""
    cases = evaluation.load_cases(RELEVANCE / name)
    ids = {evaluation.key(paper.id) for paper in catalog.papers}
    assert {key for case in cases for key in case.expected} <= ids
    if name == "queries.tsv":
        assert sum(1 for case in cases if case.expected) >= 150
        assert sum(1 for case in cases if not case.expected) >= 30


@pytest.mark.parametrize(
    ("name", "top1", "mrr"), [("queries.tsv", 0.97, 0.98), ("holdout.tsv", 0.95, 0.96)]
)
def test_quality_stays_above_its_floors(searcher: Searcher, name: str, top1: float, mrr: float):
    """Top-1 accuracy and MRR@5 stay above their floors; no confident wrong answer."""
    report = evaluation.evaluate(searcher, evaluation.load_cases(RELEVANCE / name))
    assert report.top1 >= top1, report.failures
    assert report.mrr >= mrr, report.failures
    assert report.confident_wrong == 0.0, report.failures
    assert report.decisive_precision >= 0.99, report.failures
