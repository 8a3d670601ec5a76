"""Filters inside a query: syntax, errors with "did you mean", listing and pagination."""

from __future__ import annotations

import pytest

from listbot.catalog.model import Catalog
from listbot.search import FILTER_HELP, Searcher
from listbot.search.query import FILTER_KEYS, parse_query


@pytest.fixture(scope="module")
def searcher(catalog: Catalog) -> Searcher:
    """One searcher over the newest list for the whole module."""
    return Searcher(catalog)


def no_topics(name: str) -> str | None:
    """A topic resolver that knows no topic."""
    return None


def test_filters_are_split_from_the_free_text():
    """``year:2024 attention org:nvidia`` is the words "attention" and two filters."""
    parsed = parse_query("year:2024 attention org:nvidia", no_topics)
    assert parsed.terms == "attention"
    assert parsed.filters.years == (2024, 2024)
    assert parsed.filters.orgs == ("nvidia",)
    assert parsed.errors == ()


@pytest.mark.parametrize(
    ("value", "years"),
    [
        ("2024", (2024, 2024)),
        ("2023-2024", (2023, 2024)),
        ("2024..2023", (2023, 2024)),
        (">=2023", (2023, 10**6)),
        ("<2022", (-(10**6), 2021)),
    ],
)
def test_year_takes_a_year_a_range_or_a_comparison(value: str, years: tuple[int, int]):
    """Every documented form of ``year:`` is read."""
    assert parse_query(f"year:{value}", no_topics).filters.years == years


def test_stars_alone_means_at_least():
    """``stars:2`` is two stars or more; ``stars:<=1`` at most one."""
    assert parse_query("stars:2", no_topics).filters.stars == (2, 10**6)
    assert parse_query("recom:<=1", no_topics).filters.stars == (-(10**6), 1)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("yr:2024", 'unknown filter "yr" — did you mean "year"?'),
        ("topc:kv", 'unknown filter "topc" — did you mean "topic"?'),
        ("has:cod", 'unknown value "cod" for has: — did you mean "code"?'),
        ("year:abc", 'bad year "abc": use year:2024, year:2023-2024 or year:>=2023'),
        ("page:0", 'bad page "0": use page:2 (a number from 1 to 1000)'),
        ("year:", "year: needs a value, e.g. year:2024"),
        ("topic:zzzzqq", 'no topic matches "zzzzqq" (see /topics)'),
    ],
)
def test_bad_filters_get_precise_errors(searcher: Searcher, query: str, error: str):
    """Every unreadable filter is reported, with a suggestion where one is close."""
    assert searcher.search(query).errors == [error]


def test_words_with_a_colon_that_are_not_filters_stay_text():
    """``MP: ZeRO`` and a URL are text, not filters."""
    assert parse_query("MP: ZeRO", no_topics).terms == "MP: ZeRO"
    assert parse_query("https://arxiv.org/abs/2309.06180", no_topics).errors == ()


def test_a_query_of_filters_only_lists_matching_papers_newest_first(searcher: Searcher):
    """``org:nvidia year:2024`` lists NVIDIA's 2024 papers, newest first, none decisive."""
    result = searcher.search("org:nvidia year:2024", limit=50)
    dates = [hit.paper.date for hit in result.hits]
    assert result.hits
    assert result.decisive is None
    assert all(date is not None and date.year == 2024 for date in dates)
    assert dates == sorted(dates, reverse=True)
    assert all("nvidia" in (hit.paper.org or "").lower() for hit in result.hits)


def test_topic_and_has_code_filters_restrict_a_text_search(searcher: Searcher):
    """``quantization topic:kv has:code`` only returns KV-cache papers with code."""
    result = searcher.search("quantization topic:kv has:code")
    assert result.hits
    for hit in result.hits:
        assert "KV Cache Scheduling/Quantize/Dropping" in hit.paper.sections
        assert hit.paper.code is not None


def test_no_code_excludes_papers_with_code(searcher: Searcher):
    """``no:code`` keeps only papers without a code link."""
    result = searcher.search("no:code", limit=100)
    assert result.hits
    assert all(hit.paper.code is None for hit in result.hits)


def test_pages_do_not_overlap_and_count_the_total(searcher: Searcher):
    """``page:2`` continues where page 1 stopped; ``total`` and ``pages`` count all hits."""
    first = searcher.search("stars:2", limit=10)
    second = searcher.search("stars:2 page:2", limit=10)
    assert not {h.paper.id for h in first.hits} & {h.paper.id for h in second.hits}
    assert first.total == second.total > 10
    assert first.pages == -(-first.total // 10)


def test_sort_old_lists_oldest_first(searcher: Searcher):
    """``sort:old`` reverses the listing order."""
    dates = [hit.paper.date for hit in searcher.search("stars:3 sort:old", limit=50).hits]
    assert dates == sorted(dates, key=lambda date: (date is not None, date))


def test_the_help_text_documents_every_filter():
    """``FILTER_HELP`` (shown by /help) names every filter key."""
    for key in FILTER_KEYS:
        assert f"{key}:" in FILTER_HELP
