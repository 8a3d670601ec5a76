"""Topic sections matched by name or by what their papers are about; name autocomplete."""

from __future__ import annotations

from bisect import bisect_left
from functools import cached_property

from rapidfuzz import fuzz, process

from listbot.catalog.model import Catalog, Paper
from listbot.search.index import FIELD_MASK, KEY, NAME, NAME_REST, SHIFT, TITLE, Index, name_keys
from listbot.search.text import STOPWORDS, field_words, fold, query_words, squash

TOPIC_MIN = 40.0
"""A ``topic:`` filter resolves to the best section only when it scores at least this."""
NAME_SHARE = 0.7
"""A section's score: 70 % how well the query covers its name, 30 % how many of its papers
the query words describe (``spec decoding`` finds "Parallel Decoding/Sampling")."""
CONCENTRATION = 0.6
"""...or 60 % of the share of the papers the query describes that are in the section, when it
describes at least ``MIN_DESCRIBED`` (``speculative``: 17 of its 20 papers are in "Parallel
Decoding/Sampling", whose name does not say so)."""
MIN_DESCRIBED = 5
_TEXT_FIELDS = (KEY, NAME, TITLE, NAME_REST)
_CACHE_SIZE = 1024


class TopicIndex:
    """Sections' words and papers, and a sorted list of name keys for autocomplete."""

    def __init__(self, catalog: Catalog, index: Index) -> None:
        self.catalog = catalog
        self.index = index
        self.sections = catalog.sections or tuple(
            dict.fromkeys(s for paper in catalog.papers for s in paper.sections)
        )
        self._words = [frozenset(field_words(section)) for section in self.sections]
        self._folded = [fold(section) for section in self.sections]
        self._parts = [{fold(part) for part in section.split("/")} for section in self.sections]
        self._cache: dict[str, list[tuple[str, float]]] = {}
        self._members: dict[str, set[int]] = {section: set() for section in self.sections}
        for number, paper in enumerate(catalog.papers):
            for section in paper.sections:
                self._members.setdefault(section, set()).add(number)

    def match(self, name: str, limit: int) -> list[tuple[str, float]]:
        """Sections best matching ``name``, with scores 0..100, best first (stable order)."""
        folded = fold(name)
        if folded not in self._cache:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[folded] = self._match(name, folded)
        return self._cache[folded][:limit]

    def _match(self, name: str, folded: str) -> list[tuple[str, float]]:
        words = [word for word in query_words(name) if word not in STOPWORDS]
        if not words:
            return []
        described = self._described(words)
        scored = []
        for position, section in enumerate(self.sections):
            members = self._members[section]
            share = len(members & described) / len(members) if members else 0.0
            if folded == self._folded[position] or folded in self._parts[position]:
                score = 100.0
            else:
                cover = _cover(words, self._words[position])
                score = 100 * (NAME_SHARE * cover + (1 - NAME_SHARE) * share)
                if len(described) >= MIN_DESCRIBED:
                    concentration = len(members & described) / len(described)
                    score = max(score, 100 * CONCENTRATION * concentration)
            scored.append((round(score, 2), -len(members), position, section))
        scored.sort()
        scored.sort(key=lambda item: -item[0])
        return [(section, score) for score, _, _, section in scored if score > 0]

    def _described(self, words: list[str]) -> set[int]:
        """Papers whose name or title holds every query word (or a close form of it)."""
        found: set[int] | None = None
        for word in words:
            papers = {
                code >> SHIFT
                for other, similarity in self.index.expand(word)
                if similarity >= 0.8
                for code in self.index.postings[other]
                if code & FIELD_MASK in _TEXT_FIELDS
            }
            found = papers if found is None else found & papers
        return found or set()

    def complete(self, prefix: str, limit: int) -> list[Paper]:
        """Papers by name prefix first, then by close spelling; popular ones when empty."""
        key = squash(prefix)
        papers = self.catalog.papers
        if not key:
            return [papers[n] for n in self._popular[:limit]]
        start = bisect_left(self._keys, (key, -1))
        prefixed: dict[int, int] = {}
        for other, number in self._keys[start : start + limit * 4]:
            if not other.startswith(key):
                break
            prefixed.setdefault(number, len(other))
        order = sorted(prefixed, key=lambda n: (prefixed[n], self._rank[n]))
        chosen = dict.fromkeys(order[:limit])
        if len(chosen) < limit:
            for _, _, position in process.extract(
                key, self._key_texts, scorer=fuzz.partial_ratio, limit=limit * 2, score_cutoff=70
            ):
                chosen.setdefault(self._keys[position][1])
        return [papers[n] for n in list(chosen)[:limit]]

    @cached_property
    def _keys(self) -> list[tuple[str, int]]:
        """Every (name key, paper index), sorted: built on the first autocomplete."""
        papers = self.catalog.papers
        pairs = {(key, n) for n, paper in enumerate(papers) for key in name_keys(paper)}
        return sorted(pairs, key=lambda pair: (pair[0], len(pair[0]), pair[1]))

    @cached_property
    def _key_texts(self) -> list[str]:
        return [key for key, _ in self._keys]

    @cached_property
    def _popular(self) -> list[int]:
        papers = self.catalog.papers
        return sorted(
            range(len(papers)),
            key=lambda n: (-papers[n].hot, -papers[n].recom, papers[n].id),
        )

    @cached_property
    def _rank(self) -> dict[int, int]:
        return {number: position for position, number in enumerate(self._popular)}


def _cover(words: list[str], section_words: frozenset[str]) -> float:
    """Share of the query words found in a section's name (prefix or typo counts partly)."""
    total = 0.0
    for word in words:
        if word in section_words:
            total += 1.0
            continue
        close = [fuzz.ratio(word, other) for other in section_words if len(word) >= 4]
        prefixed = any(other.startswith(word) for other in section_words if len(word) >= 3)
        total += max(0.9 if prefixed else 0.0, max(close, default=0) / 100 * 0.9 - 0.2)
    return total / len(words)
