"""A query's free text made ready for scoring: weighted words, compounds, name spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from listbot.search.index import Index
from listbot.search.text import STOPWORDS, abbreviate, fold, squash, stem

STOPWORD_WEIGHT = 0.15
MAX_COMPOUND_WORDS = 6
MAX_SPAN_WORDS = 3
PHRASE_BONUS = 1.08
"""Two neighbouring query words found as one compound (``paged attn`` in PagedAttention)."""
_NOISE = frozenset({"paper", "papers", "pdf", "arxiv", "the"})
_VERSION_WORD = re.compile(r"^v?\d{1,2}(?:\.\d+)?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
"""A year in the free text (``flashattention 2022``) hardly says which paper is meant."""


@dataclass(frozen=True, slots=True)
class QueryWord:
    """A word of the query, its weight and the vocabulary words it may mean."""

    word: str
    weight: float
    expansions: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A query's free text, ready to score papers with.

    ``words`` holds the query's single words, then one compound per pair of neighbours
    (``paged attention`` -> ``pagedattention``); ``pairs`` names the two words each
    compound may stand for. ``names`` are the squashed forms of the whole query,
    ``spans`` those of runs of up to three words (``h2o`` in ``h2o kv cache eviction``).
    """

    words: tuple[QueryWord, ...]
    pairs: tuple[tuple[int, int], ...]
    names: tuple[str, ...]
    spans: dict[str, tuple[int, int]]
    folded: str
    acronym: str = ""
    """Initials of a query of 2 to 6 words (``expert parallel load balancer`` -> ``eplb``)."""
    known: bool = False
    """Whether every word is in the vocabulary as written (so no word is a typo)."""

    @property
    def size(self) -> int:
        """Number of single words (compounds come after them)."""
        return len(self.words) - len(self.pairs)

    def weight(self, positions: range | list[int]) -> float:
        """The summed weight of some single words."""
        return sum(self.words[position].weight for position in positions)

    def coverage(self, matches: list[float], skip: tuple[int, int] = (0, 0)) -> float:
        """Weighted share of the query found (0..1), without the words in ``skip``.

        Neighbouring words count as their compound wherever that matches better (the best
        choice over the whole query, by dynamic programming from the right).
        """
        size = self.size
        compound = {left: self.words[size + n] for n, (left, _) in enumerate(self.pairs)}
        found = {left: matches[size + n] for n, (left, _) in enumerate(self.pairs)}
        best = [0.0] * (size + 2)
        for n in range(size - 1, -1, -1):
            single = 0.0 if skip[0] <= n < skip[1] else matches[n]
            best[n] = best[n + 1] + single
            if n in compound and not skip[0] <= n + 1 < skip[1] and not skip[0] <= n < skip[1]:
                best[n] = max(best[n], best[n + 2] + found[n] * PHRASE_BONUS)
        rest = [n for n in range(size) if not skip[0] <= n < skip[1]]
        return min(best[0] / (self.weight(rest) or 1.0), 1.0)


def prepare(index: Index, words: list[str], text: str) -> Prepared:
    """Weigh and expand a query's (folded, abbreviation-expanded) words once."""
    raw = list(dict.fromkeys(words))
    singles = [stem(word) for word in raw]
    prepared = [_query_word(index, word) for word in singles]
    pairs = []
    if len(singles) <= MAX_COMPOUND_WORDS:
        for left in range(len(singles) - 1):
            if singles[left] in STOPWORDS or singles[left + 1] in STOPWORDS:
                continue
            joined = stem(raw[left] + raw[left + 1])
            weight = prepared[left].weight + prepared[left + 1].weight
            expansions = ((joined, 1.0),) if joined in index.postings else ()
            prepared.append(QueryWord(joined, weight, expansions))
            pairs.append((left, left + 1))
    folded = abbreviate(" ".join(word for word in fold(text).split() if word not in _NOISE))
    denoised = _denoise(text)
    names = [squash(denoised)]
    expanded = "".join(word for word in raw if word not in _NOISE)
    if expanded != fold(denoised).replace(" ", ""):
        names.append(expanded)
    essential = squash(" ".join(t for t in denoised.split() if not _filler(fold(t))))
    if essential and essential not in names:
        names.append(essential)
    content = [word for word in fold(text).split() if word not in STOPWORDS]
    acronym = "".join(word[0] for word in content) if 2 <= len(content) <= 6 else ""
    known = all(w.expansions and w.expansions[0][1] == 1.0 for w in prepared[: len(singles)])
    return Prepared(
        tuple(prepared), tuple(pairs), tuple(names), _spans(raw), folded, acronym, known
    )


def _query_word(index: Index, word: str) -> QueryWord:
    expansions = tuple(index.expand(word))
    if word in STOPWORDS or _YEAR.match(word):
        weight = STOPWORD_WEIGHT
    elif expansions and expansions[0][1] == 1.0:
        weight = index.idf(expansions[0][0])
    else:
        weight = index.max_idf
    return QueryWord(word, weight, expansions)


def _filler(word: str) -> bool:
    """Words around a name that are not part of it: stopwords, years, noise."""
    return word in STOPWORDS or word in _NOISE or bool(_YEAR.match(word))


def _denoise(text: str) -> str:
    return " ".join(word for word in text.split() if fold(word) not in _NOISE)


def _spans(raw: list[str]) -> dict[str, tuple[int, int]]:
    """Squashed runs of words that could be a name, unless a version number follows."""
    spans: dict[str, tuple[int, int]] = {}
    if len(raw) > MAX_COMPOUND_WORDS * 2:
        return spans
    for start in range(len(raw)):
        for end in range(start + 1, min(start + MAX_SPAN_WORDS, len(raw)) + 1):
            if end < len(raw) and _VERSION_WORD.match(raw[end]):
                continue
            if (start, end) != (0, len(raw)) and raw[start] not in STOPWORDS:
                spans.setdefault("".join(raw[start:end]), (start, end))
    return spans
