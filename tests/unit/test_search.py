"""Search over the newest list: names, typos, versions, the decisive rule, topics, safety."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listbot.catalog.model import Catalog
from listbot.search import Searcher
from listbot.search.topics import TOPIC_MIN


@pytest.fixture(scope="module")
def searcher(catalog: Catalog) -> Searcher:
    """One searcher over the newest list for the whole module."""
    return Searcher(catalog)


def top(searcher: Searcher, query: str) -> str:
    """The id of the first hit (or of the first suggestion when there is no hit)."""
    result = searcher.search(query)
    papers = [hit.paper for hit in result.hits] or result.suggestions
    return papers[0].id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("vllm", "vllm-202309"),
        ("h2o", "h2o-202306"),
        ("SnapKV", "snapkv-202404"),
        ("awq", "awq-202306"),
        ("medusa", "medusa-202309"),
        ("kvquant", "kvquant-202401"),
        ("kv quant", "kvquant-202401"),
        ("llama.cpp", "llamacpp-202303"),
        ("SmoothQuant+", "smoothquant-202312"),
    ],
)
def test_an_exact_name_is_the_decisive_answer(searcher: Searcher, query: str, expected: str):
    """A paper's name, however it is written, is answered directly."""
    result = searcher.search(query)
    assert result.decisive is not None
    assert result.decisive.id == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("flash attention 2", "flashattention2-202307"),
        ("FlashAttention-2", "flashattention2-202307"),
        ("FlashAttention v2", "flashattention2-202307"),
        ("flash attention 3", "flashattention3-202407"),
        ("deepseek v3", "deepseekv3-202412"),
        ("DeepSeek-V2", "deepseekv2-202405"),
        ("sage attention 2", "sageattention2-202411"),
    ],
)
def test_the_asked_version_ranks_first(searcher: Searcher, query: str, expected: str):
    """Version numbers must agree: version 2 is not version 3."""
    assert searcher.search(query).decisive is not None
    assert top(searcher, query) == expected


def test_a_version_that_is_not_in_the_list_is_not_answered(searcher: Searcher):
    """FlashAttention-4 is not in the list: no decisive answer, the near versions suggested."""
    result = searcher.search("flash attention 4")
    assert result.decisive is None
    assert "flashattention3-202407" in [paper.id for paper in result.suggestions]


@pytest.mark.parametrize("query", ["flashattention", "flash attention", "FlashAttention v1"])
def test_a_name_without_version_or_version_1_is_the_unversioned_paper(
    searcher: Searcher, query: str
):
    """FlashAttention itself is the answer, ahead of -2, -3 and the notes that mention it."""
    result = searcher.search(query)
    assert result.decisive is not None
    assert result.decisive.id == "flashattention-202205"
    assert "flashattention-202305" in [hit.paper.id for hit in result.hits]


@pytest.mark.parametrize(("query", "expected"), [("infllm", "infmllm-202409"), ("lora", None)])
def test_a_near_or_partial_name_is_a_candidate_not_the_answer(
    searcher: Searcher, query: str, expected: str | None
):
    """A short name one letter off, or a word that only ends a name, is never decisive."""
    result = searcher.search(query)
    assert result.decisive is None
    if expected:
        assert result.hits[0].paper.id == expected


@pytest.mark.parametrize(
    ("query", "expected"), [("snpakv", "snapkv-202404"), ("lookahead", "lookaheaddecoding-202402")]
)
def test_swapped_letters_and_the_start_of_a_name_are_decisive(
    searcher: Searcher, query: str, expected: str
):
    """Two neighbouring letters swapped is a typo; a name's first word names it."""
    result = searcher.search(query)
    assert result.decisive is not None
    assert result.decisive.id == expected


def test_spec_dec_means_speculative_decoding(searcher: Searcher):
    """Abbreviated ``spec dec`` lists speculative decoding papers, answering none."""
    result = searcher.search("spec dec")
    assert result.decisive is None
    assert all("peculative" in hit.paper.title for hit in result.hits[:3])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("flashatention", "flashattention-202205"),
        ("paged attn", "vllm-202309"),
        ("pagedattn", "vllm-202309"),
        ("medussa", "medusa-202309"),
        ("splitwize", "splitwise-202311"),
        ("snap kv", "snapkv-202404"),
        ("spec infer", "specinfer-202305"),
        ("trt llm", "tensorrtllm-202310"),
    ],
)
def test_typos_and_split_or_squashed_words_still_find_the_paper(
    searcher: Searcher, query: str, expected: str
):
    """Misspelt, split or squashed names rank the paper first."""
    assert top(searcher, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Efficient Memory Management for Large Language Model Serving", "vllm-202309"),
        ("efficient streaming language models with attention sinks", "streamingllm-202309"),
        ("SGLang: Efficient Execution of Structured Language Model Programs", "sglang-202312"),
        ("grouped query attention", "gqa-202305"),
    ],
)
def test_titles_written_differently_find_the_paper(searcher: Searcher, query: str, expected: str):
    """Partial titles, missing subtitles, renamed arXiv titles and spelt-out acronyms."""
    assert top(searcher, query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "Efficient Memory Management for LLM Serving with PagedAttention",
        "efficient memory management for large language models serving with pagedattention",
    ],
)
def test_llm_and_large_language_model_are_the_same_in_titles(searcher: Searcher, query: str):
    """A title with ``LLM`` spelt out, or the other way round, still finds its paper."""
    result = searcher.search(query)
    assert result.decisive is not None
    assert result.decisive.id == "vllm-202309"


def test_an_org_lists_its_papers_without_a_decisive_answer(searcher: Searcher):
    """``microsoft`` lists Microsoft's papers and picks none of them as the answer."""
    result = searcher.search("microsoft")
    assert result.decisive is None
    assert all("microsoft" in (hit.paper.org or "").lower() for hit in result.hits[:5])


def test_topic_words_list_papers_on_the_topic(searcher: Searcher):
    """``speculative decoding`` lists speculative papers and picks none of them."""
    result = searcher.search("speculative decoding")
    assert result.decisive is None
    assert all("peculative" in hit.paper.title + hit.paper.short for hit in result.hits[:5])


@pytest.mark.parametrize(
    "query",
    [
        "gpt-5 pricing",
        "bert fine-tuning tutorial",
        "stable diffusion lora",
        "mamba 2",
        "deepseek v4",
        "medusa2",
        "eagle speculative decoding",
    ],
)
def test_something_not_in_the_list_gets_no_decisive_answer(searcher: Searcher, query: str):
    """A query for a paper that is not in the list is never answered with a weak match."""
    result = searcher.search(query)
    assert result.decisive is None
    assert len(result.suggestions) <= 3


def test_nothing_close_gives_suggestions_instead_of_hits(searcher: Searcher):
    """When nothing matches well enough there are no hits, only up to three suggestions."""
    result = searcher.search("medusa 2")
    assert result.hits == []
    assert 1 <= len(result.suggestions) <= 3
    assert result.suggestions[0].id == "medusa-202309"


@pytest.mark.parametrize("query", ["stable diffusion lora", "what is this bot", "EAGLE-2"])
def test_far_off_queries_get_no_odd_suggestions(searcher: Searcher, query: str):
    """Papers sharing only a digit or a common word are not offered as "did you mean"."""
    result = searcher.search(query)
    assert result.hits == []
    assert result.suggestions == []


def test_ranking_is_deterministic(searcher: Searcher, catalog: Catalog):
    """The same query gives the same order, even from a freshly built searcher."""
    first = [hit.paper.id for hit in searcher.search("kv cache", limit=50).hits]
    again = [hit.paper.id for hit in Searcher(catalog).search("kv cache", limit=50).hits]
    assert first == again


def test_ties_are_broken_by_popularity_then_date_then_id(searcher: Searcher):
    """Hits with equal scores come in a stable order: 🔥/⭐ first, then newest, then id."""
    hits = searcher.search("nvidia", limit=50).hits
    keys = [
        (-hit.score, -(hit.paper.hot * 2 + hit.paper.recom), hit.paper.date, hit.paper.id)
        for hit in hits
    ]
    for before, after in itertools.pairwise(keys):
        if before[:2] == after[:2] and before[2] and after[2]:
            assert before[2] >= after[2]


def test_a_name_shared_by_hundreds_of_papers_ranks_them_by_popularity(catalog: Catalog):
    """At any size the papers bearing the name come first, the popular one on top."""
    base = catalog.by_id["medusa-202309"]
    copies = [dataclasses.replace(base, id=f"medusa-{n}", hot=0, recom=n % 2) for n in range(300)]
    big = Catalog((*catalog.papers, *copies), catalog.sections)
    hits = Searcher(big).search("medusa", limit=5).hits
    assert hits[0].paper.id == "medusa-202309"
    assert all(hit.paper.short == "Medusa" for hit in hits)


def test_a_link_to_the_paper_finds_it(searcher: Searcher):
    """A pasted arXiv link, or a bare arXiv id, is the paper."""
    result = searcher.search("https://arxiv.org/pdf/2309.06180v1")
    assert result.decisive is not None
    assert result.decisive.id == "vllm-202309"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "a" * 100_000,
        "flash " * 20_000,
        "\x00\x01\x1b[31mvllm\x7f",
        "🔥 vllm 👨‍👩‍👧",
        "שלום עולם",
        "\u202eflashattention\u200b",
        "<script>alert(1)</script>",
        "year:2024" * 1000,
    ],
)
def test_any_input_is_handled(searcher: Searcher, query: str):
    """Empty, huge, control, emoji, right-to-left and markup input return a result."""
    result = searcher.search(query)
    assert len(result.hits) <= 10
    assert len(result.query) <= 400


def test_mentions_and_terminal_escapes_are_ignored(searcher: Searcher):
    """``@everyone`` and colour escapes do not get in the way of the name."""
    assert top(searcher, "@everyone \x1b[31mawq") == "awq-202306"


def test_match_topic_matches_section_names_and_abbreviations(searcher: Searcher):
    """``kv``, ``moe`` and ``spec decoding`` find their sections."""
    assert searcher.match_topic("kv")[0][0] == "KV Cache Scheduling/Quantize/Dropping"
    assert searcher.match_topic("moe")[0][0] == "Mixture-of-Experts(MoE) LLM Inference"
    assert searcher.match_topic("spec decoding")[0][0] == "Parallel Decoding/Sampling"


def test_match_topic_finds_the_section_where_a_word_s_papers_are(searcher: Searcher):
    """``speculative`` is in no section name, but most speculative papers are in one section."""
    (section, score), *_ = searcher.match_topic("speculative")
    assert section == "Parallel Decoding/Sampling"
    assert score >= TOPIC_MIN
    assert searcher.match_topic("serving")[0][1] < TOPIC_MIN


def test_match_topic_of_nonsense_is_empty(searcher: Searcher):
    """A name that matches no section gives nothing."""
    assert searcher.match_topic("zzzzqqq") == []


def test_complete_offers_names_by_prefix_first(searcher: Searcher):
    """Autocomplete lists names starting with the prefix, shortest first."""
    names = [paper.short.lower() for paper in searcher.complete("flash")]
    assert names[0].startswith("flash")
    assert len(names) <= 25


def test_complete_tolerates_a_typo_and_an_empty_prefix(searcher: Searcher):
    """A misspelt prefix still completes; an empty one offers popular papers."""
    assert searcher.complete("sglnag")[0].id == "sglang-202312"
    assert len(searcher.complete("", limit=5)) == 5


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3000).map(
        lambda text: text + " year:2024" if len(text) % 3 == 0 else text
    )
)
def test_no_message_makes_search_fail(searcher: Searcher, message: str):
    """Any text (with or without filters) gives a well-formed result, never an exception."""
    result = searcher.search(message, limit=5)
    assert len(result.hits) <= 5
    assert len(result.suggestions) <= 3
    assert all(0 <= hit.score <= 100 for hit in result.hits)
    assert result.decisive is None or result.decisive == result.hits[0].paper


@pytest.mark.parametrize(
    ("query", "expected"),
    [("radix attention", "SGLang"), ("RadixAttention", "SGLang"), ("paged attention", "vLLM")],
)
def test_a_name_a_copy_of_the_paper_carries_finds_it(searcher: Searcher, query: str, expected: str):
    """Short names of a paper's other rows (its aliases) are names it answers to."""
    result = searcher.search(query)
    assert result.hits[0].paper.short == expected
