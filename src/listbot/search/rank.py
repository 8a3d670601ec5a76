"""Scoring one query against the index: word coverage, names with versions, titles.

A paper's score (0..100) is the best of these views of the query:

* **coverage** — the query's words found in the paper's fields, each word weighted by
  its rarity (idf) and by the field it was found in, matched exactly, by prefix or
  with a typo, neighbours also as one compound; at most ``COVERAGE_CAP`` so that a
  name match outranks it;
* **name** — the query squashed (``flash attention 2`` -> ``flashattention2``) against
  the paper's name keys: 100 when equal, ``VERSIONED_BASE`` for the unversioned asking
  of a versioned name, less per typo (a misspelt name);
* **acronym** — the initials of a spelt-out name (``grouped query attention``);
* **span** — a name among other words (``h2o kv cache eviction``): ``SPAN_BASE`` plus how
  well the rest of the query matches;
* **title** — a long query compared with the whole title, its subtitle or its start.

A paper whose name is another version of the one asked (``deepseek v4`` for DeepSeek-V3)
scores ``OTHER_VERSION``, whatever else matches.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from listbot.search.index import FIELD_MASK, FIELD_WEIGHT, KEY, SHIFT, Index
from listbot.search.prepared import Prepared, QueryWord
from listbot.search.text import STOPWORDS, split_version

COVERAGE_CAP = 90.0
OTHER_VERSION = 70.0
VERSIONED_BASE = 96.0
ACRONYM_SCORE = 90.0
"""The initials of a query of several words are a paper's name (``grouped query attention``)."""
SPAN_BASE = 75.0
"""A name found among other words scores this plus up to 25 for how well the rest matches."""
POSTING_BUDGET = 12_000
"""Postings read per query before very common words are only checked on the best papers."""
SHORTLIST = 40
NAMED_LIMIT = 60
"""Papers added for their name at most (exact names first): at 100,000 papers a popular name
may be shared by hundreds, and scoring them all would cost tens of milliseconds."""
DEFERRED_EXPANSIONS = 8
Accept = Callable[[int], bool]
"""Whether the paper of an index passes the query's filters."""
NAMED_WORDS = 5
PARTIAL_TITLE_SHARE = 0.6
"""A query this long relative to a title may match the title's start (a missing subtitle)."""
TYPO_COST = 2.0
TYPO_STEP = 5.0
"""A name misspelt by n edits scores 100 - 2 - 5 n (``flashatention``: 93)."""
SHORT_NAME = 8
UNSURE_TYPO = 84.0
"""A name shorter than ``SHORT_NAME`` one letter off (not two neighbours swapped) is often
another name (``infllm`` is not Inf-MLLM): at most a candidate, never the decisive answer."""
MENTION_COST = 1.0
"""An exact name that the paper's title only mentions (``From Online Softmax to
FlashAttention``) yields to the paper that bears it (FlashAttention itself)."""
_SAME_BASE = 90.0
_TYPO_MIN_LENGTH = 5
_TITLE_MIN = 80.0


def rank(index: Index, query: Prepared, accept: Accept | None) -> list[tuple[float, int]]:
    """(score, paper index) of the best papers for a query (that ``accept`` lets through)."""
    partial, deferred = _accumulate(index, query)
    items = partial.items()
    if accept is not None:
        items = {number: matches for number, matches in items if accept(number)}.items()
    best = heapq.nlargest(SHORTLIST, items, key=lambda item: (sum(item[1]), -item[0]))
    chosen = {number for number, _ in best}
    for number in _named(index, query, accept):
        if number not in chosen:
            best.append((number, partial.get(number) or [0.0] * len(query.words)))
    everything = range(len(query.words))
    scored = []
    for number, matches in best:
        for position in deferred if number in partial else everything:
            matches[position] = _match(index, number, query.words[position])
        scored.append((score(index, query, number, matches), number))
    return scored


def score(index: Index, query: Prepared, number: int, matches: list[float]) -> float:
    """A paper's score for a query: the best of the views in the module docstring."""
    keys = index.keys[number]
    if any(_other_version(name, key) for name in query.names for key in keys):
        return OTHER_VERSION
    named = max(name_score(name, keys, fuzzy=not query.known) for name in query.names)
    if named >= 100.0 and index.mentions[number]:
        named -= MENTION_COST
    best = max(
        query.coverage(matches) * COVERAGE_CAP,
        named,
        ACRONYM_SCORE if query.acronym and query.acronym in keys else 0.0,
        span_score(query, matches, keys),
        title_score(query.folded, index.titles[number]),
    )
    return round(best, 2)


def _named(index: Index, query: Prepared, accept: Accept | None) -> list[int]:
    """Papers (that ``accept`` lets through) whose name key is the squashed query (or a typo
    of it) or its initials: the closest keys first, at most ``NAMED_LIMIT`` papers."""
    keys: dict[str, float] = {}
    for name in (*query.names, query.acronym):
        for word, similarity in index.expand(name)[:NAMED_WORDS] if name else ():
            keys[word] = max(keys.get(word, 0.0), similarity)
    found: dict[int, None] = {}
    for word in sorted(keys, key=lambda word: (-keys[word], word)):
        for code in index.postings[word]:
            if code & FIELD_MASK == KEY and (accept is None or accept(code >> SHIFT)):
                found.setdefault(code >> SHIFT)
                if len(found) >= NAMED_LIMIT:
                    return list(found)
    return list(found)


def span_score(query: Prepared, matches: list[float], keys: tuple[str, ...]) -> float:
    """A paper's name written among other words: ``h2o kv cache eviction``, a renamed title."""
    best = 0.0
    for key in keys:
        span = query.spans.get(key)
        if span is not None:
            best = max(best, SPAN_BASE + (100 - SPAN_BASE) * query.coverage(matches, span))
    return best


def _accumulate(index: Index, query: Prepared) -> tuple[dict[int, list[float]], list[int]]:
    """Weighted matches per paper, reading the rarest words' postings first.

    Postings are read up to ``POSTING_BUDGET``; words past it (and stopwords) are
    ``deferred``: they are checked on the shortlisted papers only.
    """
    partial: dict[int, list[float]] = {}
    deferred: list[int] = []
    budget = POSTING_BUDGET
    size = len(query.words)
    for position in sorted(range(size), key=lambda i: (-query.words[i].weight, i)):
        word = query.words[position]
        cost = sum(len(index.postings[other]) for other, _ in word.expansions)
        if word.word in STOPWORDS or (cost > budget and partial):
            deferred.append(position)
            continue
        for other, similarity in word.expansions:
            postings = index.postings[other][: max(budget, 0)]
            budget -= len(postings)
            if len(postings) < len(index.postings[other]) and position not in deferred:
                deferred.append(position)
            values = [word.weight * similarity * weight for weight in FIELD_WEIGHT]
            for code in postings:
                matches = partial.get(code >> SHIFT)
                if matches is None:
                    matches = partial[code >> SHIFT] = [0.0] * size
                value = values[code & FIELD_MASK]
                if value > matches[position]:
                    matches[position] = value
    return partial, deferred


def _match(index: Index, number: int, word: QueryWord) -> float:
    best = 0.0
    for other, similarity in word.expansions[:DEFERRED_EXPANSIONS]:
        best = max(best, similarity * index.fields_of(number, other))
    return best * word.weight


def name_score(squashed: str, keys: tuple[str, ...], *, fuzzy: bool = True) -> float:
    """How well a squashed query names a paper (see the module rules).

    Typo-tolerant (``fuzzy``) only when some query word is unknown to the vocabulary:
    ``mobile inference`` is two known words, not a misspelt ``MoE Inference``.
    """
    if len(squashed) < 2:
        return 0.0
    return max((_key_score(squashed, key, fuzzy) for key in keys), default=0.0)


def _other_version(query: str, key: str) -> bool:
    """Whether the query names another version of the key (``deepseekv4`` and ``deepseekv3``,
    ``mamba2`` and ``mamba``): such a paper is never more than ``OTHER_VERSION``."""
    query_base, query_version = split_version(query)
    if not query_version or query == key or _first_version(query_base, query_version, key):
        return False
    key_base, key_version = split_version(key)
    if key_version:
        return query_version != key_version and fuzz.ratio(query_base, key_base) >= _SAME_BASE
    return fuzz.ratio(query_base, key) >= _SAME_BASE


def _key_score(query: str, key: str, fuzzy: bool) -> float:
    if query == key:
        return 100.0
    query_base, query_version = split_version(query)
    key_base, key_version = split_version(key)
    if query_version and (query_base, query_version) == (key_base, key_version):
        return 100.0
    if _first_version(query_base, query_version, key):
        return 100.0
    best = VERSIONED_BASE if key_version and not query_version and query == key_base else 0.0
    if not fuzzy or len(query) < _TYPO_MIN_LENGTH:
        return best
    for form, exact in ((key, 100.0), (key_base, VERSIONED_BASE)):
        distance = DamerauLevenshtein.distance(query, form, score_cutoff=_allowed(len(query)))
        if 0 < distance <= _allowed(len(query)):
            typo = exact - TYPO_COST - TYPO_STEP * distance
            if len(query) < SHORT_NAME and Levenshtein.distance(query, form) == distance:
                typo = min(typo, UNSURE_TYPO)
            best = max(best, typo)
    return best


def _first_version(query_base: str, query_version: str, key: str) -> bool:
    """``flashattention v1`` names FlashAttention: a first version is the unversioned name."""
    return query_version == "1" and query_base == key


def _allowed(length: int) -> int:
    """Typos tolerated in a name: 1 up to 8 letters, then 2."""
    return 1 if length <= 8 else 2


def title_score(folded: str, titles: tuple[str, str]) -> float:
    """Similarity of a long query (three words or more) to the title, its subtitle or its start.

    Discounted by the share of the query's words that the title holds, so that one wrong
    word in a short title (``eagle speculative decoding``) is not a near match.
    """
    if folded.count(" ") < 2:
        return 0.0
    title, tail = titles
    parts = [title, tail] if tail else [title]
    best = max(fuzz.ratio(folded, part) for part in parts)
    if len(title) > len(folded) >= max(24, len(title) * PARTIAL_TITLE_SHARE):
        start = title[: len(folded) + 1].rsplit(" ", 1)[0]
        best = max(best, fuzz.ratio(folded, start) * 0.97)
    if best < _TITLE_MIN:
        return 0.0
    words = [word for word in folded.split() if word not in STOPWORDS]
    share = sum(word in title.split() for word in words) / (len(words) or 1)
    return best * (0.5 + 0.5 * share) if best < 100 else 100.0
