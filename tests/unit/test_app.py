"""The Listbot facade: dispatch, buttons, autocomplete, extension and failure handling."""

from __future__ import annotations

import gc
import logging

import pytest

from listbot import app
from listbot.app import Listbot
from listbot.catalog.bundle import Bundle
from listbot.catalog.model import Catalog
from listbot.commands import Command, Context
from listbot.context import Actor
from listbot.render import render_text
from listbot.replies import Kind, Reply, text_reply


def echo_command(ctx: Context, args: str) -> Reply:
    """A test command that repeats its argument and who asked."""
    return text_reply(f"{ctx.actor.name} said {args} on page {ctx.page}")


def broken_command(ctx: Context, args: str) -> Reply:
    """A test command that always fails."""
    raise RuntimeError("boom")


EXTRA = [
    Command("echo", "Repeat the argument", echo_command, "<text>", ("say",), group="follow"),
    Command("broken", "Always fails", broken_command),
]


@pytest.fixture
def extended(bundle: Bundle) -> Listbot:
    """A Listbot with an extra command set."""
    return Listbot(bundle, extra=[EXTRA])


def test_extra_command_sets_are_dispatched_and_listed(extended: Listbot, actor: Actor) -> None:
    """A feature module's commands answer, appear in commands() and in /help."""
    assert render_text(extended.handle("/say hi", actor)) == "Ada said hi on page 0"
    assert ("echo", "Repeat the argument") in extended.commands()
    help_text = render_text(extended.handle("/help", actor))
    assert "Follow" in help_text
    assert "/echo <text>" in help_text


def test_an_internal_error_becomes_a_short_reply_and_is_logged(
    extended: Listbot, actor: Actor, caplog: pytest.LogCaptureFixture
) -> None:
    """A failing handler never raises: the user gets a short error and the log the traceback."""
    with caplog.at_level(logging.ERROR, logger="listbot.app"):
        reply = extended.handle("/broken", actor)
    assert reply.kind is Kind.ERROR
    assert "went wrong" in render_text(reply)
    assert "boom" in caplog.text


def test_a_button_runs_its_command_on_its_page(extended: Listbot, actor: Actor) -> None:
    """Pressed data ``command:page:arg`` runs the command with that page."""
    assert render_text(extended.press("echo:3:hello", actor)) == "Ada said hello on page 3"


@pytest.mark.parametrize(
    "data", ["", "garbage", "nope:0:x", "paper:0:", "paper:x:vllm", "choose:0:", "::", "ü:1:x"]
)
def test_stale_or_forged_button_data_gets_a_polite_reply(
    bot: Listbot, actor: Actor, data: str
) -> None:
    """Data that is not a current action of ours is declined politely."""
    reply = bot.press(data, actor)
    assert reply.kind is Kind.ERROR
    assert "expired" in render_text(reply)


def test_a_stale_paper_id_is_answered_as_a_query(bot: Listbot, actor: Actor) -> None:
    """A choice whose paper id is gone still answers (as a search for those words)."""
    reply = bot.press("paper:0:no-such-paper-199901", actor)
    assert reply.kind in {Kind.NOT_FOUND, Kind.ANSWER}


def test_complete_papers_gives_short_labels_and_ids(bot: Listbot, bundle: Bundle) -> None:
    """Autocomplete returns at most 25 (label ≤ 100 characters, paper id) pairs."""
    found = bot.complete_papers("flash")
    assert 0 < len(found) <= 25
    assert all(len(label) <= 100 for label, _ in found)
    assert all(value in bundle.catalog.by_id for _, value in found)
    assert any("FlashAttention" in label for label, _ in found)
    assert len(bot.complete_papers("", limit=5)) <= 5


def test_complete_topics_matches_names_and_words(bot: Listbot) -> None:
    """Topic autocomplete matches a prefix, a word inside, and fuzzy names."""
    assert bot.complete_topics("KV")[0].startswith("KV Cache")
    assert "Mixture-of-Experts(MoE) LLM Inference" in bot.complete_topics("moe")
    assert len(bot.complete_topics("", limit=25)) == 21


def test_commands_fit_the_platform_menus(bot: Listbot) -> None:
    """Command names are lowercase identifiers and descriptions fit in 100 characters."""
    for name, description in bot.commands():
        assert name.isidentifier()
        assert name == name.lower()
        assert 3 <= len(description) <= 100


def test_update_answers_from_a_new_catalog(bundle: Bundle, actor: Actor) -> None:
    """After update(), answers come from the new version of the list."""
    bot = Listbot(bundle)
    smaller = Catalog(bundle.catalog.papers[:10], bundle.catalog.sections)
    bot.update(smaller)
    assert "10 papers" in render_text(bot.handle("/stats", actor))


def test_a_large_catalog_is_kept_out_of_the_cycle_collector(
    bundle: Bundle, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From FREEZE_PAPERS papers on, the built index is frozen; it still answers, and updates."""
    monkeypatch.setattr(app, "FREEZE_PAPERS", len(bundle.catalog))
    try:
        bot = Listbot(bundle)
        assert gc.get_freeze_count() > 0
        bot.update(bundle.catalog)
        assert bot.handle("vllm", actor).meta["answer"]["short"] == "vLLM"
    finally:
        gc.unfreeze()
