"""The inverted index over a catalog: words and name keys to the papers that hold them.

Each paper contributes words from five fields, weighted by how much a match on
that field says about the paper: its squashed name keys (``flashattention3``),
the words of its name, of its title, of its org and of its topic sections. A
posting is one integer, ``paper index * 8 + field``, kept in compact arrays.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Iterator

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from listbot.catalog.model import Catalog, Paper
from listbot.search.text import (
    abbreviate,
    field_pairs,
    field_words,
    fold,
    phrase_acronyms,
    squash,
)

KEY, NAME, TITLE, ORG, SECTION, NAME_REST = range(6)
FIELD_WEIGHT = (1.0, 1.0, 0.9, 0.92, 0.55, 0.9)
"""How much a word matched in each field counts (name keys, name, title, org, section, and
the rest of a name after its start: ``lora`` alone does not name KV Cache Compress with LoRA,
nor ``gemm`` DeepGEMM, while ``lookahead`` names Lookahead Decoding)."""
CLEAR_TYPO = 0.94
"""Similarity of a clearly misspelt word to the word it misspells: a query matched only
through a typo stays just under the decisive score (misspelt names are ranked by name)."""
SHIFT = 3
FIELD_MASK = 7
_MIN_PREFIX = 3
_PREFIX_LIMIT = 24
_FUZZY_LIMIT = 5


def name_keys(paper: Paper) -> tuple[str, ...]:
    """The squashed names a paper answers to: its short name and aliases, their parts, its
    title's head.

    ``SP: Ring Attention`` answers to ``springattention`` and ``ringattention``;
    a title ``Infinite-LLM: Efficient ...`` adds ``infinitellm``.
    """
    keys = []
    for name in (paper.short, *paper.aliases):
        keys.append(squash(name))
        head, colon, tail = name.partition(":")
        if colon:
            keys.append(squash(head) if len(squash(head)) > 3 else squash(tail))
    title_head, colon, _ = paper.title.partition(":")
    if colon and len(title_head.split()) <= 4:
        keys.append(squash(title_head))
    return tuple(dict.fromkeys(key for key in keys if len(key) >= 2))


class Index:
    """Postings per word, document frequencies and the vocabulary for prefix and fuzzy lookups."""

    def __init__(self, catalog: Catalog) -> None:
        self.papers = catalog.papers
        self.keys: list[tuple[str, ...]] = []
        """Each paper's name keys (see ``name_keys``), by paper index."""
        self.titles: list[tuple[str, str]] = []
        """Each paper's folded title and folded subtitle (after a colon), by paper index."""
        self.mentions: list[bool] = []
        """Whether a paper's title mentions its short name other than at its start."""
        postings: dict[str, array[int]] = {}
        singles: set[str] = set()
        self._shared: dict[str, tuple[list[str], list[str]]] = {}
        for number, paper in enumerate(self.papers):
            keys = name_keys(paper)
            self.keys.append(keys)
            tail = paper.title.partition(":")[2]
            self.titles.append((abbreviate(fold(paper.title)), abbreviate(fold(tail))))
            self.mentions.append(_mentions(paper))
            for word, field in self._paper_words(paper, keys, singles):
                postings.setdefault(word, array("l")).append(number << SHIFT | field)
        self.postings = postings
        self.vocabulary = sorted(singles)
        """Single words (no neighbour pairs), sorted: what prefixes and typos may expand to."""
        self._buckets: dict[tuple[str, int], list[str]] = {}
        """Words by first letter and length: typos are looked for among similar words only."""
        for word in self.vocabulary:
            self._buckets.setdefault((word[0], len(word)), []).append(word)
        self.max_idf = math.log((len(self.papers) + 1) / 0.5)

    def idf(self, word: str) -> float:
        """Inverse document frequency of a vocabulary word (rare words weigh more)."""
        frequency = len(self.postings.get(word, ()))
        return math.log((len(self.papers) + 1) / (frequency + 0.5))

    def expand(self, word: str) -> list[tuple[str, float]]:
        """Vocabulary words that a query word may mean, with a similarity in 0..1."""
        found: dict[str, float] = {}
        if word in self.postings:
            found[word] = 1.0
        if len(word) >= _MIN_PREFIX:
            for other in self._prefixed(word):
                found.setdefault(other, 0.9 * (0.6 + 0.4 * len(word) / len(other)))
        if len(word) >= 5 and word not in found:
            for other, ratio in self._fuzzy(word):
                found.setdefault(other, _typo_similarity(word, other, ratio))
        return sorted(found.items(), key=lambda item: (-item[1], item[0]))

    def _prefixed(self, word: str) -> Iterator[str]:
        start = bisect_left(self.vocabulary, word)
        for other in self.vocabulary[start : start + _PREFIX_LIMIT]:
            if not other.startswith(word):
                return
            if other != word:
                yield other

    def _fuzzy(self, word: str) -> list[tuple[str, float]]:
        """Close spellings that start with the word's first or second letter."""
        cutoff = 80.0 if len(word) <= 7 else 75.0
        spread = max(1, len(word) // 4)
        choices: list[str] = []
        for letter in dict.fromkeys(word[:2]):
            for length in range(len(word) - spread, len(word) + spread + 1):
                choices += self._buckets.get((letter, length), [])
        best = process.extract(
            word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=_FUZZY_LIMIT
        )
        return [(str(choice), float(score)) for choice, score, _ in best]

    def fields_of(self, number: int, word: str) -> float:
        """The best field weight with which paper ``number`` holds ``word`` (0 if it does not)."""
        posting = self.postings.get(word)
        if posting is None:
            return 0.0
        start = bisect_left(posting, number << SHIFT)
        if start < len(posting) and posting[start] >> SHIFT == number:
            return FIELD_WEIGHT[posting[start] & FIELD_MASK]
        return 0.0

    def _paper_words(
        self, paper: Paper, keys: tuple[str, ...], singles: set[str]
    ) -> Iterator[tuple[str, int]]:
        """Each distinct word of a paper once, with the heaviest field it appears in.

        Single words (not neighbour pairs) are added to ``singles``: only those are
        candidates for typo matching.
        """
        seen: set[str] = set()
        name = paper.short or paper.title.partition(":")[0]
        head, rest = _name_parts(name)
        org, org_pairs = self._shared_words(paper.org or "")
        section, section_pairs = self._shared_words(" / ".join(paper.sections))
        fields = (
            (KEY, list(keys), ()),
            (NAME, *head),
            (NAME_REST, *rest),
            (
                TITLE,
                field_words(paper.title) + phrase_acronyms(paper.title),
                field_pairs(paper.title),
            ),
            (ORG, org, org_pairs),
            (SECTION, section, section_pairs),
        )
        for field, words, pairs in fields:
            singles.update(words)
            for word in (*words, *pairs):
                if word not in seen:
                    seen.add(word)
                    yield word, field

    def _shared_words(self, text: str) -> tuple[list[str], list[str]]:
        """Words and pairs of texts that many papers share (orgs, sections), computed once."""
        found = self._shared.get(text)
        if found is None:
            found = self._shared[text] = (field_words(text), field_pairs(text))
        return found


def _name_parts(name: str) -> tuple[tuple[list[str], list[str]], tuple[list[str], list[str]]]:
    """A name's (words, pairs) that start it, and those that do not (``deepgemm``, ``deep``
    start DeepGEMM; ``gemm`` does not)."""
    squashed = squash(name)
    words, pairs = field_words(name), field_pairs(name)
    return (
        (
            [w for w in words if squashed.startswith(w)],
            [p for p in pairs if squashed.startswith(p)],
        ),
        (
            [w for w in words if not squashed.startswith(w)],
            [p for p in pairs if not squashed.startswith(p)],
        ),
    )


def _mentions(paper: Paper) -> bool:
    """``From Online Softmax to FlashAttention`` is about FlashAttention, not FlashAttention."""
    short, title = squash(paper.short), squash(paper.title)
    return len(short) >= 2 and short in title and not title.startswith(short)


def _typo_similarity(word: str, other: str, ratio: float) -> float:
    """A clear misspelling (one edit in six letters or more, two in nine, letters only: a
    digit is a version, ``medusa2`` is no typo of ``medusa``) counts nearly in full; other
    close spellings (``qlora`` for ``lora``) count much less."""
    allowed = 2 if len(word) >= 9 else 1 if len(word) >= 6 else 0
    if not (allowed and word.isalpha() and other.isalpha()):
        return 0.95 * (ratio / 100) ** 3
    distance = DamerauLevenshtein.distance(word, other, score_cutoff=allowed)
    if distance <= allowed:
        return CLEAR_TYPO
    return 0.95 * (ratio / 100) ** 3
