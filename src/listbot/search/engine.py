"""The searcher: filters, ranking, the decisive-hit rule, topics and autocomplete."""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from functools import cached_property

from listbot.catalog.identity import canonical_url
from listbot.catalog.model import Catalog, Paper
from listbot.search import topics
from listbot.search.filtering import FilterIndex
from listbot.search.index import Index
from listbot.search.prepared import prepare
from listbot.search.query import Filters, parse_query
from listbot.search.rank import rank
from listbot.search.text import clean, expand_words

DECISIVE_SCORE = 85.0
"""A top hit below this score is never answered directly."""
DECISIVE_MARGIN = 8.0
"""...and it must lead the runner-up by this much (an exact, unique name always does)."""
EXACT_SCORE = 100.0
"""An exact name or title: decisive unless another paper is exact too."""
GOOD_SCORE = 72.0
"""Below this, nothing matches well enough: no hits, only suggestions."""
HIT_FLOOR = 40.0
"""Once something matches well, weaker hits down to this score are still listed."""
SUGGESTIONS = 3
SUGGESTION_FLOOR = 45.0
"""Papers scoring less are too far off to be offered as "did you mean"."""
MAX_LIMIT = 100
_LINK = re.compile(r"https?://\S+|(?<![\w.])\d{4}\.\d{4,5}(?:v\d+)?(?![\w.])")


@dataclass(frozen=True, slots=True)
class Hit:
    """A paper and how well it matches the query (0..100)."""

    paper: Paper
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Ranked hits (one page), the decisive answer if any, suggestions and filter errors.

    Exactly one of three cases: ``decisive`` is set (answer it; it is also ``hits[0]``);
    ``hits`` without ``decisive`` (show the candidates); or no ``hits`` (nothing matches
    well enough: say so, offer ``suggestions``, possibly empty, and show ``errors``).
    """

    query: str
    """The query as searched (cleaned and cut)."""
    terms: str
    """The free text left once the filters are taken out."""
    filters: Filters
    hits: list[Hit] = field(default_factory=list)
    decisive: Paper | None = None
    suggestions: list[Paper] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    total: int = 0
    """Number of hits over all pages."""
    page: int = 1
    limit: int = 10

    @property
    def pages(self) -> int:
        """Number of pages of ``limit`` hits (at least 1)."""
        return max(1, -(-self.total // self.limit))

    @property
    def found(self) -> bool:
        """Whether anything matched well enough (otherwise see ``suggestions``)."""
        return bool(self.hits)


class Searcher:
    """Search over one catalog: build once (tens of milliseconds), then query many times."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.index = Index(catalog)
        self._topics = topics.TopicIndex(catalog, self.index)
        self._filters = FilterIndex(catalog)

    @cached_property
    def _position(self) -> list[int]:
        """Each paper's place from the newest (ties by place in the list)."""
        papers = self.catalog.papers
        newest = sorted(range(len(papers)), key=lambda n: (_neg_date(papers[n]), n))
        position = [0] * len(papers)
        for place, number in enumerate(newest):
            position[number] = place
        return position

    def search(self, query: str, limit: int = 10) -> SearchResult:
        """Rank the papers for a message: free text and filters (see ``FILTER_HELP``)."""
        limit = min(max(limit, 1), MAX_LIMIT)
        text = clean(query)
        parsed = parse_query(text, self._best_topic)
        filters, errors = parsed.filters, list(parsed.errors)
        linked = self._linked(parsed.terms)
        if linked:
            hits = [Hit(paper, 100.0) for paper in linked]
            return self._result(text, parsed.terms, filters, errors, hits, limit)
        words = expand_words(parsed.terms)
        if not words:
            return self._listing(text, parsed.terms, filters, errors, limit)
        allowed = self._filters.select(filters)
        prepared = prepare(self.index, words, parsed.terms)
        scored = rank(self.index, prepared, None if allowed is None else allowed.__contains__)
        ranked = sorted(scored, key=lambda item: self._order(item))
        hits = [Hit(self.catalog.papers[n], score) for score, n in ranked]
        return self._result(text, parsed.terms, filters, errors, hits, limit)

    def match_topic(self, name: str, limit: int = 5) -> list[tuple[str, float]]:
        """Topic sections whose names (or papers) match ``name``, best first, with scores."""
        return self._topics.match(clean(name), limit)

    def complete(self, prefix: str, limit: int = 25) -> list[Paper]:
        """Papers whose names start with (or nearly spell) ``prefix``, for autocomplete."""
        return self._topics.complete(clean(prefix), limit)

    def _linked(self, terms: str) -> list[Paper]:
        """Papers whose paper or code link is in the query (a URL or a bare arXiv id)."""
        found: list[Paper] = []
        for link in _LINK.findall(terms):
            key = canonical_url(link) if "/" in link else f"arxiv:{link.split('v')[0]}"
            found += [paper for paper in self._links.get(key or "", ()) if paper not in found]
        return found

    @cached_property
    def _links(self) -> dict[str, list[Paper]]:
        links: dict[str, list[Paper]] = {}
        for paper in self.catalog.papers:
            for link in (paper.paper, paper.code):
                key = canonical_url(link.url) if link else None
                if key:
                    links.setdefault(key, []).append(paper)
        return links

    def _best_topic(self, name: str) -> str | None:
        found = self.match_topic(name, limit=1)
        return found[0][0] if found and found[0][1] >= topics.TOPIC_MIN else None

    def _order(self, item: tuple[float, int]) -> tuple[float, int, tuple[int, int], str]:
        score, number = item
        paper = self.catalog.papers[number]
        return (-score, -(paper.hot * 2 + paper.recom), _neg_date(paper), paper.id)

    def _listing(
        self, text: str, terms: str, filters: Filters, errors: list[str], limit: int
    ) -> SearchResult:
        """A query of filters only: every matching paper, newest (or oldest) first.

        Nothing when there is no filter, or only unreadable ones (their errors say why).
        """
        if not filters.active and (errors or not filters.raw):
            return SearchResult(text, terms, filters, errors=errors)
        allowed = self._filters.select(filters)
        chosen = range(len(self.catalog.papers)) if allowed is None else allowed
        end = filters.page * limit
        ascending = filters.sort == "old"
        position = self._position
        order = (
            heapq.nsmallest(end, chosen, key=lambda n: -position[n])
            if ascending
            else heapq.nsmallest(end, chosen, key=position.__getitem__)
        )
        hits = [Hit(self.catalog.papers[n], 100.0) for n in order[end - limit :]]
        return SearchResult(
            text, terms, filters, hits, None, [], errors, len(chosen), filters.page, limit
        )

    def _result(
        self,
        text: str,
        terms: str,
        filters: Filters,
        errors: list[str],
        hits: list[Hit],
        limit: int,
    ) -> SearchResult:
        if not hits or hits[0].score < GOOD_SCORE:
            nearest = [hit.paper for hit in hits[:SUGGESTIONS] if hit.score >= SUGGESTION_FLOOR]
            return SearchResult(text, terms, filters, suggestions=nearest, errors=errors)
        first_page = filters.page == 1 and not filters.sort
        decisive = hits[0].paper if first_page and _is_decisive(hits) else None
        hits = [hit for hit in hits if hit.score >= HIT_FLOOR]
        if filters.sort:
            hits.sort(key=lambda hit: _date_key(hit.paper), reverse=filters.sort == "new")
        start = (filters.page - 1) * limit
        page = hits[start : start + limit]
        return SearchResult(
            text, terms, filters, page, decisive, [], errors, len(hits), filters.page, limit
        )


def _is_decisive(hits: list[Hit]) -> bool:
    """The top hit is clearly the one: high enough and clearly ahead of the runner-up."""
    top = hits[0].score
    runner_up = hits[1].score if len(hits) > 1 else 0.0
    if top >= EXACT_SCORE:
        return runner_up < EXACT_SCORE
    return top >= DECISIVE_SCORE and top - runner_up >= DECISIVE_MARGIN


def _date_key(paper: Paper) -> tuple[int, int]:
    return (paper.date.year, paper.date.month) if paper.date else (0, 0)


def _neg_date(paper: Paper) -> tuple[int, int]:
    year, month = _date_key(paper)
    return (-year, -month)
