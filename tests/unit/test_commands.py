"""The ask commands at the service layer: the real bundled list, no platform."""

from __future__ import annotations

import datetime as dt
import random

from listbot.app import Listbot
from listbot.catalog.bundle import Bundle
from listbot.context import Actor
from listbot.render import render_text
from listbot.replies import Kind, Reply
from listbot.search import FILTER_HELP


def text_of(reply: Reply) -> str:
    """The reply as the console shows it."""
    return render_text(reply)


def named(bundle: Bundle, short: str) -> str:
    """The id of the paper with this short name (ids are derived, so tests look them up)."""
    return next(p.id for p in bundle.catalog.papers if p.short == short)


def ids(reply: Reply) -> list[str]:
    """Ids of the papers a reply reports in its structured results."""
    return [row["id"] for row in reply.meta["results"]]


def test_search_ranks_and_paginates_with_buttons(bot: Listbot, actor: Actor) -> None:
    """/search shows one page of ranked results and a Next button that shows the next."""
    first = bot.handle("/search speculative decoding", actor)
    assert first.page is not None
    assert first.page.number == 0
    assert first.page.count > 1
    following = [b for b in first.buttons if b.label.startswith("Next")]
    assert following
    assert following[0].action is not None
    second = bot.press(following[0].action.encode(), actor)
    assert second.page is not None
    assert second.page.number == 1
    assert not set(ids(first)) & set(ids(second))
    assert any(b.label.endswith("Prev") for b in second.buttons)


def test_search_accepts_a_typed_page(bot: Listbot, actor: Actor) -> None:
    """``page:2`` in the query is the same page the Next button shows."""
    typed = bot.handle("/search speculative decoding page:2", actor)
    assert typed.page is not None
    assert typed.page.number == 1
    pressed = bot.press("search:1:speculative decoding", actor)
    assert ids(typed) == ids(pressed)


def test_search_reports_scores_in_rank_order(bot: Listbot, actor: Actor) -> None:
    """Structured results carry scores, best first."""
    scores = [row["score"] for row in bot.handle("/search awq", actor).meta["results"]]
    assert scores
    assert scores == sorted(scores, reverse=True)


def test_search_shows_its_filters_as_understood(bot: Listbot, actor: Actor) -> None:
    """A fuzzy topic filter is shown resolved to its section, beside the other filters."""
    text = text_of(bot.handle('/search topic:"spec decoding" year:>=2025', actor))
    assert "Filters: year ≥ 2025, topic Parallel Decoding/Sampling" in text


def test_search_with_a_bad_filter_explains_it(bot: Listbot, actor: Actor) -> None:
    """A filter the search cannot read is explained, not silently dropped."""
    reply = bot.handle("/search yaer:2024", actor)
    assert "year" in text_of(reply)


def test_topics_lists_every_section_with_its_count(
    bot: Listbot, actor: Actor, bundle: Bundle
) -> None:
    """/topics shows each section and how many papers it holds."""
    text = text_of(bot.handle("/topics", actor))
    catalog = bundle.catalog
    for section in catalog.sections:
        count = sum(1 for p in catalog.papers if section in p.sections)
        assert f"{count:>4}  {section}" in text


def test_topic_fuzzy_matches_and_lists_newest_first(bot: Listbot, actor: Actor) -> None:
    """/topic kv cache opens the KV cache section, newest papers first, paginated."""
    reply = bot.handle("/topic kv cache", actor)
    assert "KV Cache Scheduling/Quantize/Dropping" in text_of(reply)
    dates = [row["date"] for row in reply.meta["results"] if row["date"]]
    assert dates == sorted(dates, reverse=True)
    assert reply.page is not None
    assert reply.page.count > 1


def test_topic_that_matches_nothing_says_so(bot: Listbot, actor: Actor) -> None:
    """An unknown topic is reported, with where to look."""
    reply = bot.handle("/topic zzzzqqqq", actor)
    assert reply.kind is Kind.NOT_FOUND
    assert "No topic matches" in text_of(reply)


def test_latest_puts_papers_added_since_the_last_release_first(
    bot: Listbot, actor: Actor, bundle: Bundle
) -> None:
    """/latest n lists papers by when they were added: unreleased ones, then newest release."""
    reply = bot.handle("/latest 5", actor)
    unreleased = list(bundle.history.unreleased)
    assert len(ids(reply)) == 5
    assert ids(reply)[: min(5, len(unreleased))] == unreleased[:5]


def test_latest_prefers_first_seen_times(bundle: Bundle, actor: Actor) -> None:
    """A first-seen time from sync makes that paper the most recent addition."""
    seen = {named(bundle, "vLLM"): dt.datetime(2026, 9, 1, tzinfo=dt.UTC)}
    bot = Listbot(bundle, first_seen=seen)
    assert ids(bot.handle("/latest 3", actor))[0] == named(bundle, "vLLM")
    assert "2026-09-01" in text_of(bot.handle("/stats", actor))


def test_stats_last_update_is_the_newest_first_seen_time_in_utc(
    bundle: Bundle, actor: Actor
) -> None:
    """First-seen times in another zone are shown in UTC; the newest one counts."""
    zone = dt.timezone(dt.timedelta(hours=2))
    seen = {"a": dt.datetime(2026, 9, 1, 1, 30, tzinfo=zone), "b": dt.datetime(2026, 8, 1)}
    text = text_of(Listbot(bundle, first_seen=seen).handle("/stats", actor))
    assert "Catalog last updated: 2026-08-31 23:30 UTC" in text


def test_stats_last_update_is_the_sync_time_after_an_update(bundle: Bundle, actor: Actor) -> None:
    """A sync that brought no new papers still moves "last updated" to its time."""
    seen = {"a": dt.datetime(2026, 9, 1, tzinfo=dt.UTC)}
    bot = Listbot(bundle, first_seen=seen)
    bot.update(bundle.catalog, updated_at=dt.datetime(2026, 11, 20, 8, 15, tzinfo=dt.UTC))
    assert "Catalog last updated: 2026-11-20 08:15 UTC" in text_of(bot.handle("/stats", actor))


def test_latest_rejects_a_non_number(bot: Listbot, actor: Actor) -> None:
    """/latest abc explains its argument."""
    reply = bot.handle("/latest abc", actor)
    assert reply.kind is Kind.ERROR
    assert "/latest 20" in text_of(reply)


def test_release_shows_the_newest_by_default(bot: Listbot, actor: Actor, bundle: Bundle) -> None:
    """/release without a tag shows what the newest release added."""
    newest = bundle.history.latest_release
    assert newest is not None
    reply = bot.handle("/release", actor)
    assert f"Release {newest.tag}" in text_of(reply)
    assert ids(reply) == list(bundle.history.added_in(newest.tag))


def test_release_of_a_tag_lists_what_it_added(bot: Listbot, actor: Actor, bundle: Bundle) -> None:
    """/release v0.2 includes vLLM, added in that release."""
    assert named(bundle, "vLLM") in ids(bot.handle("/release v0.2", actor))


def test_unknown_release_gets_did_you_mean(bot: Listbot, actor: Actor) -> None:
    """An unknown tag is answered with close tags."""
    reply = bot.handle("/release v2.6.99", actor)
    assert reply.kind is Kind.NOT_FOUND
    assert "Did you mean" in text_of(reply)


def test_release_without_history_says_so(catalog, actor: Actor) -> None:
    """A catalog without release history answers /release honestly."""
    reply = Listbot(catalog).handle("/release", actor)
    assert "No release history" in text_of(reply)


def test_random_is_deterministic_with_a_seeded_generator(bundle: Bundle, actor: Actor) -> None:
    """Two bots seeded alike pick the same papers, and offer another one."""
    first = Listbot(bundle, rng=random.Random(3)).handle("/random", actor)
    second = Listbot(bundle, rng=random.Random(3)).handle("/random", actor)
    assert first.meta["answer"] == second.meta["answer"] is not None
    assert [b.label for b in first.buttons] == ["Another one"]


def test_stats_counts_by_topic_and_year(bot: Listbot, actor: Actor, bundle: Bundle) -> None:
    """/stats gives the total, counts by topic and year, newest release and last update."""
    text = text_of(bot.handle("/stats", actor))
    assert f"{len(bundle.catalog)} papers" in text
    years = [p.date.year for p in bundle.catalog.papers if p.date]
    assert f"2024: {years.count(2024)}" in text
    assert f"Newest release: {bundle.history.latest_release.tag}" in text
    assert f"Catalog last updated: {bundle.source.date}" in text


def test_help_lists_every_command_and_the_filters(bot: Listbot, actor: Actor) -> None:
    """/help shows each command with its description, and the filter syntax."""
    text = text_of(bot.handle("/help", actor))
    for name, description in bot.commands():
        assert f"/{name}" in text
        assert description in text
    assert FILTER_HELP.splitlines()[1] in text


def test_help_for_one_command_shows_usage_and_example(bot: Listbot, actor: Actor) -> None:
    """/help paper shows /paper's usage, aliases and example."""
    text = text_of(bot.handle("/help paper", actor))
    assert "/paper <query>" in text
    assert "/paper flashattention" in text


def test_about_names_the_list_license_and_version(bot: Listbot, actor: Actor) -> None:
    """/about gives the list, its source and license, and listbot's version."""
    from listbot import __version__

    text = text_of(bot.handle("/about", actor))
    assert "Awesome-LLM-Inference" in text
    assert "GPL-3.0" in text
    assert __version__ in text
    assert "2026-07-26" in text


def test_unknown_command_suggests_a_close_one(bot: Listbot, actor: Actor) -> None:
    """/papr gets "did you mean /paper"."""
    reply = bot.handle("/papr vllm", actor)
    assert reply.kind is Kind.NOT_FOUND
    assert "Did you mean /paper" in text_of(reply)


def test_unknown_command_that_looks_like_a_paper_points_to_paper(
    bot: Listbot, actor: Actor
) -> None:
    """/flashattention suggests looking it up with /paper."""
    assert "/paper flashattention" in text_of(bot.handle("/flashattention", actor))


def test_missing_argument_gets_usage_and_an_example(bot: Listbot, actor: Actor) -> None:
    """/paper alone explains what to write."""
    reply = bot.handle("/paper", actor)
    assert reply.kind is Kind.ERROR
    assert "For example: /paper flashattention" in text_of(reply)


def test_an_empty_message_gets_a_greeting(bot: Listbot, actor: Actor) -> None:
    """An empty message is answered with how to ask."""
    assert "/help" in text_of(bot.handle("   ", actor))


def test_search_beyond_the_last_page_shows_the_last_page(bot: Listbot, actor: Actor) -> None:
    """A stale Next button past the end shows the last page rather than nothing."""
    reply = bot.press("search:500:kv cache", actor)
    assert reply.page is not None
    assert reply.page.number == reply.page.count - 1
    assert ids(reply)


def test_actions_always_fit_64_bytes_of_callback_data() -> None:
    """An action that would not fit Telegram's callback data is not made at all."""
    from listbot.commands.views import action

    assert action("search", "kv cache", 2) is not None
    assert action("search", "ü" * 40) is None
    assert action("search", "line\nbreak") is None


def test_a_long_query_pages_by_a_typed_hint_instead_of_buttons(bot: Listbot, actor: Actor) -> None:
    """When the query cannot travel in a button, the reply says how to type the next page."""
    query = "kv cache " + "compression " * 6
    reply = bot.handle(f"/search {query}", actor)
    assert reply.page is not None
    assert reply.page.count > 1
    assert not reply.buttons
    assert "page:2" in text_of(reply)
