"""/paper and plain messages at the service layer: answers, candidates, honest misses."""

from __future__ import annotations

from listbot.app import Listbot
from listbot.catalog.bundle import Bundle
from listbot.context import Actor
from listbot.render import render_text
from listbot.replies import Kind, Reply


def text_of(reply: Reply) -> str:
    """The reply as the console shows it."""
    return render_text(reply)


def named(bundle: Bundle, short: str) -> str:
    """The id of the paper with this short name (ids are derived, so tests look them up)."""
    return next(p.id for p in bundle.catalog.papers if p.short == short)


def test_paper_answers_a_decisive_match_in_full(bot: Listbot, actor: Actor) -> None:
    """/paper vllm shows vLLM's card: title, short name, date, org, topics, links, 🔥 and ⭐."""
    reply = bot.handle("/paper vllm", actor)
    assert reply.kind is Kind.ANSWER
    assert reply.meta["answer"]["short"] == "vLLM"
    card = reply.cards[0]
    assert "PagedAttention" in card.title
    text = text_of(reply)
    for expected in (
        "vLLM",
        "2023-09",
        "UC Berkeley",
        "KV Cache Scheduling",
        "🔥",
        "⭐",
        "https://github.com/vllm-project/vllm",
        "in the list since release v0.2",
    ):
        assert expected in text
    assert {b.label for b in reply.buttons} == {"Paper", "Code"}


def test_paper_offers_other_candidates_as_choices(bot: Listbot, actor: Actor) -> None:
    """Beside a decisive answer, the other candidates can be picked to open them."""
    reply = bot.handle("/paper flashattention-2", actor)
    assert reply.meta["answer"]["short"] == "FlashAttention-2"
    assert reply.choices
    assert all(c.action.command == "paper" for c in reply.choices)
    assert reply.meta["answer"]["id"] not in [c.action.arg for c in reply.choices]


def test_paper_without_a_decisive_match_lists_candidates(bot: Listbot, actor: Actor) -> None:
    """A query many papers match gets candidates to choose from, and no answer."""
    reply = bot.handle("/paper kv cache quantization", actor)
    assert reply.meta["answer"] is None
    assert not reply.cards
    assert 2 <= len(reply.choices) <= 5
    assert "which one?" in text_of(reply)


def test_paper_not_in_the_list_says_so_honestly(bot: Listbot, actor: Actor) -> None:
    """A paper that is not in the list is reported missing, never answered with a weak match."""
    reply = bot.handle("/paper quantum gravity of black holes", actor)
    assert reply.kind is Kind.NOT_FOUND
    assert reply.meta["answer"] is None
    assert "No paper in the list matches" in text_of(reply)
    assert len(reply.choices) <= 3


def test_paper_offers_only_close_other_matches(bot: Listbot, actor: Actor) -> None:
    """Beside FlashAttention-3, its other versions are offered; weak matches on "3" are not."""
    reply = bot.handle("/paper FlashAttention-3", actor)
    labels = [choice.label for choice in reply.choices]
    assert "FlashAttention-2" in labels
    assert "DeepSeek-V3" not in labels


def test_paper_with_one_uncertain_candidate_asks_about_it(bot: Listbot, actor: Actor) -> None:
    """One candidate that is not clearly meant is asked about, not called "several"."""
    text = text_of(bot.handle("infllm", actor))
    assert "Is this the paper you mean by “infllm”?" in text
    assert "Several" not in text


def test_filters_that_match_nothing_are_spelt_out(bot: Listbot, actor: Actor) -> None:
    """The reply says which filters (as understood) left nothing, and suggests fewer."""
    reply = bot.handle("/search topic:kv year:2030 has:code", actor)
    assert reply.kind is Kind.NOT_FOUND
    text = text_of(reply)
    assert "passes these filters: year 2030, topic KV Cache Scheduling" in text
    assert "with code" in text
    assert "fewer filters" in text


def test_suggestions_read_as_a_question(bot: Listbot, actor: Actor) -> None:
    """Near misses are offered as "Did you mean A, B or C?"."""
    text = text_of(bot.handle("deepseek v4", actor))
    assert "Did you mean DeepSeek-R1, DeepSeek-V3 or DeepSeek-V2?" in text
    assert "Did you mean Medusa?" in text_of(bot.handle("medusa 2", actor))


def test_counts_of_one_are_singular(bot: Listbot, actor: Actor) -> None:
    """A release that added one paper says "1 paper"; /latest 1 says "The paper"."""
    assert "added 1 paper\n" in text_of(bot.handle("/release v2.6.13", actor))
    assert text_of(bot.handle("/latest 1", actor)).startswith("The paper added")


def test_paper_by_exact_id_opens_it(bot: Listbot, actor: Actor, bundle: Bundle) -> None:
    """A paper id, as choices send it, opens exactly that paper."""
    reply = bot.handle(f"/paper {named(bundle, 'H2O')}", actor)
    assert reply.meta["answer"]["id"] == named(bundle, "H2O")


def test_a_plain_message_is_a_paper_query(bot: Listbot, actor: Actor) -> None:
    """A message without a leading slash answers like /paper."""
    plain, command = bot.handle("vllm", actor), bot.handle("/paper vllm", actor)
    assert plain.meta == command.meta
    assert plain.meta["command"] == "paper"


def test_a_command_addressed_to_the_bot_by_name_works(bot: Listbot, actor: Actor) -> None:
    """/paper@BotName in a group is /paper."""
    reply = bot.handle("/paper@ListBot vllm", actor)
    assert reply.meta["answer"]["short"] == "vLLM"


def test_the_paper_card_names_its_aliases(bot: Listbot, actor: Actor) -> None:
    """A paper listed under another name elsewhere says so on its card."""
    assert "Also listed as RadixAttention" in text_of(bot.handle("/paper sglang", actor))
