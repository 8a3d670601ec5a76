"""Search over the catalog: ranked matches, query filters, topics and autocomplete.

The only part of listbot that imports rapidfuzz. Usage::

    searcher = Searcher(catalog)          # builds the index once
    result = searcher.search("flash attention 2 year:2023")
    result.decisive                       # the paper, when the top hit is clearly the one
    result.hits                           # ranked Hit(paper, score 0..100), one page
    result.suggestions                    # up to 3 near misses when nothing matches well

Query syntax (``FILTER_HELP`` is the text /help shows): free words plus filters
``year:2024`` ``year:2023-2024`` ``year:>=2023`` ``topic:kv`` ``topic:"spec decoding"``
``org:nvidia`` ``has:code`` ``no:code`` ``stars:2`` (at least 2) ``stars:<=1`` ``hot:1``
``sort:new`` ``sort:old`` ``page:2``. A query of filters only lists every matching paper,
newest first. Unreadable filters are reported in ``errors`` with a "did you mean".

Ranking (see ``listbot.search.rank``): the query is cleaned (cut at 400 characters;
control, zero-width and bidi characters, terminal escapes and @mentions dropped), folded to
lower-case ASCII words, abbreviations expanded (attn, spec, moe...) and lightly stemmed. Each
paper scores the best of word coverage (idf-weighted, by field: name > org > title > topic
section; exact, prefix or typo matches; neighbours as compounds), name similarity of the
squashed query with version numbers respected (``flash attention 2`` is FlashAttention-2,
not -3; another version of a name is at most a suggestion), spelt-out acronyms, a name among
other words, and whole-title similarity. A pasted paper or code link finds its paper. Ties
are broken by 🔥/⭐, then newest, then id, so the order is deterministic.

Decisive rule (``engine.DECISIVE_SCORE`` and friends): the top hit is the answer when its
name or title matches exactly and no other paper's does, or when it scores at least 85 and
leads the runner-up by 8 points. A paper whose title only mentions the name asked yields to
the one bearing it; a short name one letter off (other than two swapped letters), a word
matched only through a typo, or a word that only ends a name (``lora``, ``gemm``) scores
under 85: a candidate, never the answer. ``v1`` is the unversioned name. Below 72 nothing
matches well enough: no hits, up to three suggestions. ``Searcher.match_topic`` and
``Searcher.complete`` serve /topic and autocomplete.
"""

from __future__ import annotations

from listbot.search.engine import Hit, Searcher, SearchResult
from listbot.search.query import FILTER_HELP, Filters

__all__ = ["FILTER_HELP", "Filters", "Hit", "SearchResult", "Searcher"]
