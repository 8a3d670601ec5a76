"""Filters written inside a query (``year:2024 topic:kv org:nvidia has:code``).

``parse_query`` splits a message into free text and filters, and explains every
filter it cannot read in ``errors`` (with a "did you mean" where one is close).
Topic names are resolved by the caller (they need the catalog's sections).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from listbot.catalog.model import Paper
from listbot.search.text import fold

FILTER_HELP = """\
Filters can go anywhere in a query, combined with words or alone:
  year:2024          dated 2024 in the list (also year:2023-2024, year:>=2023, year:<2022)
  topic:kv           in the best-matching topic section (topic:"spec decoding", see /topics)
  org:nvidia         from an organisation (matches words of the org, e.g. org:berkeley)
  has:code           with a code link (also has:paper, has:hot, has:stars; no:code for none)
  stars:2            at least 2 ⭐ recommendations (also stars:3, stars:<=1, stars:1-2)
  hot:1              at least 1 🔥 (same forms as stars)
  sort:new           newest first (also sort:old, sort:relevance)
  page:2             the second page of results
A query of filters only lists every matching paper, newest first.
Example: /search year:2024 topic:kv org:nvidia has:code"""
"""The syntax of query filters, as shown by /help."""

FILTER_KEYS = ("year", "topic", "org", "has", "no", "stars", "hot", "sort", "page")
_ALIASES = {
    "years": "year",
    "date": "year",
    "section": "topic",
    "topics": "topic",
    "orgs": "org",
    "by": "org",
    "lab": "org",
    "recom": "stars",
    "star": "stars",
    "without": "no",
    "pg": "page",
    "order": "sort",
}
HAS_VALUES = ("code", "paper", "hot", "stars")
_EXAMPLES = {
    "year": "year:2024",
    "topic": "topic:kv",
    "org": "org:nvidia",
    "has": "has:code",
    "no": "no:code",
    "stars": "stars:2",
    "hot": "hot:1",
    "sort": "sort:new",
    "page": "page:2",
}
SORT_VALUES = {"new": "new", "newest": "new", "old": "old", "oldest": "old"}
SORT_VALUES |= {"relevance": "", "score": "", "best": ""}
MAX_PAGE = 1000
_FILTER = re.compile(r"""(?<!\S)([A-Za-z]+):("[^"]*"|'[^']*'|\S+|(?=\s|$))""")
_RANGE = re.compile(r"^(\d{1,4})\s*(?:-|\.\.)\s*(\d{1,4})$")
_COMPARE = re.compile(r"^(>=|<=|>|<|=)?\s*(\d{1,4})(\+)?$")
_INFINITY = 10**6


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions parsed from a query; the default accepts every paper."""

    years: tuple[int, int] | None = None
    topics: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    has: frozenset[str] = frozenset()
    lacks: frozenset[str] = frozenset()
    stars: tuple[int, int] | None = None
    hot: tuple[int, int] | None = None
    sort: str = ""
    page: int = 1
    raw: tuple[str, ...] = field(default=(), compare=False)
    """The filter tokens as written, in order."""

    @property
    def active(self) -> bool:
        """Whether any filter restricts the papers (sort and page do not)."""
        return bool(self.years or self.topics or self.orgs or self.has or self.lacks) or bool(
            self.stars or self.hot
        )

    def accepts(self, paper: Paper, org_words: frozenset[str]) -> bool:
        """Whether a paper passes every filter (``org_words``: the folded words of its org).

        ``listbot.search.filtering`` computes the same as set operations, fast at any size.
        """
        year = paper.date.year if paper.date else None
        return (
            (self.years is None or (year is not None and _within(year, self.years)))
            and all(topic in paper.sections for topic in self.topics)
            and all(_org_matches(org, org_words) for org in self.orgs)
            and all(has_flag(paper, what) for what in self.has)
            and not any(has_flag(paper, what) for what in self.lacks)
            and (self.stars is None or _within(paper.recom, self.stars))
            and (self.hot is None or _within(paper.hot, self.hot))
        )


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query split into its free text, its filters and the errors found in them."""

    terms: str
    filters: Filters
    errors: tuple[str, ...]


TopicResolver = Callable[[str], "str | None"]


def parse_query(text: str, resolve_topic: TopicResolver) -> ParsedQuery:
    """Split a (cleaned) query into free text and filters; bad filters become errors."""
    filters, errors, kept = Filters(), [], []
    last = 0
    for match in _FILTER.finditer(text):
        key, value = match.group(1).lower(), match.group(2).strip("\"'")
        canonical = _ALIASES.get(key, key)
        if canonical not in FILTER_KEYS and not value:
            continue
        if canonical in FILTER_KEYS and not value:
            errors.append(f"{key}: needs a value, e.g. {_EXAMPLES[canonical]}")
        elif canonical not in FILTER_KEYS:
            hint = _closest(key, FILTER_KEYS + tuple(_ALIASES))
            if hint is None:
                continue
            errors.append(f'unknown filter "{key}" — did you mean "{_ALIASES.get(hint, hint)}"?')
        else:
            filters, error = _apply(filters, canonical, value, resolve_topic)
            if error:
                errors.append(error)
        kept.append(text[last : match.start()])
        last = match.end()
        filters = replace(filters, raw=(*filters.raw, match.group(0)))
    kept.append(text[last:])
    return ParsedQuery(" ".join(" ".join(kept).split()), filters, tuple(errors))


def _apply(
    filters: Filters, key: str, value: str, resolve_topic: TopicResolver
) -> tuple[Filters, str | None]:
    if key == "year":
        years = _bounds(value, exact=True)
        if years is None:
            return filters, f'bad year "{value}": use year:2024, year:2023-2024 or year:>=2023'
        return replace(filters, years=years), None
    if key in ("stars", "hot"):
        bounds = _bounds(value, exact=False)
        if bounds is None:
            return filters, f'bad {key} "{value}": use {key}:2, {key}:>=2, {key}:<=1 or {key}:1-2'
        if key == "stars":
            return replace(filters, stars=bounds), None
        return replace(filters, hot=bounds), None
    if key == "topic":
        section = resolve_topic(value.replace("_", " "))
        if section is None:
            return filters, f'no topic matches "{value}" (see /topics)'
        return replace(filters, topics=(*filters.topics, section)), None
    if key == "org":
        words = fold(value)
        if not words:
            return filters, f'bad org "{value}": use org:nvidia'
        return replace(filters, orgs=(*filters.orgs, words)), None
    return _apply_word(filters, key, value)


def _apply_word(filters: Filters, key: str, value: str) -> tuple[Filters, str | None]:
    word = value.lower()
    if key in ("has", "no"):
        choice = word.rstrip("s") if word.rstrip("s") in HAS_VALUES else word
        if choice not in HAS_VALUES:
            return filters, _bad_choice(key, value, HAS_VALUES)
        if key == "has":
            return replace(filters, has=filters.has | {choice}), None
        return replace(filters, lacks=filters.lacks | {choice}), None
    if key == "sort":
        if word not in SORT_VALUES:
            return filters, _bad_choice(key, value, tuple(SORT_VALUES))
        return replace(filters, sort=SORT_VALUES[word]), None
    if not word.isdigit() or not 1 <= int(word) <= MAX_PAGE:
        return filters, f'bad page "{value}": use page:2 (a number from 1 to {MAX_PAGE})'
    return replace(filters, page=int(word)), None


def _bounds(value: str, *, exact: bool) -> tuple[int, int] | None:
    """``2024`` (exactly, or at least when not ``exact``), ``2023-2024``, ``>=2``, ``3+``."""
    span = _RANGE.match(value.strip())
    if span:
        low, high = sorted((int(span.group(1)), int(span.group(2))))
        return low, high
    compare = _COMPARE.match(value.strip())
    if not compare:
        return None
    op, number = compare.group(1) or ("=" if exact else ">="), int(compare.group(2))
    if compare.group(3):
        op = ">="
    return {
        "=": (number, number),
        ">=": (number, _INFINITY),
        ">": (number + 1, _INFINITY),
        "<=": (-_INFINITY, number),
        "<": (-_INFINITY, number - 1),
    }[op]


def _bad_choice(key: str, value: str, choices: tuple[str, ...]) -> str:
    hint = _closest(value.lower(), choices)
    suffix = f' — did you mean "{hint}"?' if hint else f" (one of: {', '.join(choices)})"
    return f'unknown value "{value}" for {key}:{suffix}'


def _closest(word: str, choices: tuple[str, ...]) -> str | None:
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=60)
    return str(best[0]) if best else None


def _within(number: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= number <= bounds[1]


def has_flag(paper: Paper, flag: str) -> bool:
    """Whether a paper has a code link, a paper link, a 🔥 or a ⭐ (``has:`` values)."""
    if flag == "code":
        return paper.code is not None
    if flag == "paper":
        return paper.paper is not None
    return (paper.hot if flag == "hot" else paper.recom) > 0


def _org_matches(org: str, org_words: frozenset[str]) -> bool:
    return all(word in org_words for word in org.split())
