"""Filters applied as set operations over precomputed groups of papers (fast at any size)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from functools import cached_property
from typing import TypeVar

from listbot.catalog.model import Catalog, Paper
from listbot.search.query import Filters, has_flag
from listbot.search.text import fold

K = TypeVar("K", bound=Hashable)


def org_words(paper: Paper) -> frozenset[str]:
    """The folded words of a paper's org (``UC Berkeley etc`` -> uc, berkeley, etc)."""
    return frozenset(fold(paper.org or "").split())


class FilterIndex:
    """Papers grouped by year, topic, org word and flags; each group built on first use."""

    def __init__(self, catalog: Catalog) -> None:
        self.papers = catalog.papers

    def select(self, filters: Filters) -> set[int] | None:
        """Indices of the papers that pass every filter (``None``: no filter, every paper)."""
        groups: list[set[int]] = [*self._ranges(filters), *self._words(filters)]
        if not groups:
            return None
        groups.sort(key=len)
        chosen = set(groups[0])
        for group in groups:
            chosen &= group
        for what in filters.lacks:
            chosen -= self._flags[what]
        return chosen

    def _ranges(self, filters: Filters) -> list[set[int]]:
        groups = []
        for bounds, values in (
            (filters.years, self._years),
            (filters.stars, self._stars),
            (filters.hot, self._hot),
        ):
            if bounds is not None:
                low, high = bounds
                groups.append(set().union(*(v for k, v in values.items() if low <= k <= high)))
        return groups

    def _words(self, filters: Filters) -> list[set[int]]:
        groups = [self._topics.get(topic, set()) for topic in filters.topics]
        for org in filters.orgs:
            groups += [self._orgs.get(word, set()) for word in org.split()]
        groups += [self._flags[what] for what in filters.has]
        if filters.lacks and not groups:
            groups.append(set(range(len(self.papers))))
        return groups

    @cached_property
    def _years(self) -> dict[int, set[int]]:
        return _group(self.papers, lambda paper: [paper.date.year] if paper.date else [])

    @cached_property
    def _stars(self) -> dict[int, set[int]]:
        return _group(self.papers, lambda paper: [paper.recom])

    @cached_property
    def _hot(self) -> dict[int, set[int]]:
        return _group(self.papers, lambda paper: [paper.hot])

    @cached_property
    def _topics(self) -> dict[str, set[int]]:
        return _group(self.papers, lambda paper: list(paper.sections))

    @cached_property
    def _orgs(self) -> dict[str, set[int]]:
        return _group(self.papers, lambda paper: list(org_words(paper)))

    @cached_property
    def _flags(self) -> dict[str, set[int]]:
        return {name: self._where(name) for name in ("code", "paper", "hot", "stars")}

    def _where(self, flag: str) -> set[int]:
        return {n for n, paper in enumerate(self.papers) if has_flag(paper, flag)}


def _group(papers: tuple[Paper, ...], keys: Callable[[Paper], list[K]]) -> dict[K, set[int]]:
    groups: dict[K, set[int]] = defaultdict(set)
    for number, paper in enumerate(papers):
        for key in keys(paper):
            groups[key].add(number)
    return dict(groups)
