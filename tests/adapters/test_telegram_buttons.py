"""End to end: inline keyboards, callback queries and inline mode through the fake API."""

from __future__ import annotations

from tests.fakes.telegram_api import private_chat, user
from tests.fakes.telegram_harness import running_bot

ADA = user(1001, "Ada")


async def test_a_pagination_button_edits_the_message_to_the_next_page() -> None:
    """Pressing "Next" answers the callback and edits the listing in place to page 2."""
    async with running_bot() as (fake, _):
        fake.send_text("/search attention", private_chat(ADA), ADA)
        sent = (await fake.wait_for("sendMessage")).result
        keyboard = sent["reply_markup"]["inline_keyboard"]
        data = next(b["callback_data"] for row in keyboard for b in row if "Next" in b["text"])
        query_id = fake.press(sent, data, ADA)
        answered = await fake.wait_for("answerCallbackQuery")
        edit = await fake.wait_for("editMessageText")
        assert answered.params["callback_query_id"] == query_id
        assert edit.error is None
        assert int(edit.params["message_id"]) == sent["message_id"]
        assert "Page 2 of" in edit.params["text"]


async def test_picking_a_candidate_sends_the_paper() -> None:
    """Pressing a candidate of a disambiguation menu posts that paper's card."""
    async with running_bot() as (fake, _):
        fake.send_text("/paper flashattention", private_chat(ADA), ADA)
        menu = (await fake.wait_for("sendMessage")).result
        choice = menu["reply_markup"]["inline_keyboard"][1][0]  # the second candidate
        fake.press(menu, choice["callback_data"], ADA)
        await fake.wait_for("answerCallbackQuery")
        card = (await fake.wait_for_count("sendMessage", 2))[1]
        assert card.error is None
        title = choice["text"].split(". ", 1)[1][:15]
        assert title in card.params["text"]


async def test_forged_callback_data_gets_a_polite_answer_and_no_message() -> None:
    """Unknown or forged callback data is answered politely; nothing is posted or edited."""
    async with running_bot() as (fake, _):
        fake.send_text("/paper awq", private_chat(ADA), ADA)
        sent = (await fake.wait_for("sendMessage")).result
        fake.press(sent, "drop table;--", ADA)
        fake.press(sent, "nosuchcommand:0:x", ADA)
        answers = await fake.wait_for_count("answerCallbackQuery", 2)
        assert all(a.error is None for a in answers)
        assert all("expired" in a.params["text"] for a in answers)
        assert len(fake.calls_to("sendMessage")) == 1
        assert not fake.calls_to("editMessageText")


async def test_a_stale_button_gets_a_polite_alert() -> None:
    """A well-formed button for a paper that is gone is answered with an alert, nothing else."""
    async with running_bot() as (fake, _):
        sent = fake.send_text("hello", private_chat(ADA), ADA)
        await fake.wait_for("sendMessage")
        fake.press(sent, "paper:0:no-such-paper-2019", ADA)
        answer = await fake.wait_for("answerCallbackQuery")
        assert answer.error is None
        assert answer.params["show_alert"] in (True, "true", "True")
        assert answer.params["text"]
        assert len(fake.calls_to("sendMessage")) == 1
        assert not fake.calls_to("editMessageText")


async def test_an_inline_query_offers_paper_cards() -> None:
    """@ListBot flashatt answers article results whose content is a valid HTML paper card."""
    async with running_bot() as (fake, _):
        query_id = fake.inline("flashatt", ADA)
        call = await fake.wait_for("answerInlineQuery")
        assert call.error is None
        assert call.params["inline_query_id"] == query_id
        results = call.params["results"]
        assert results[0]["type"] == "article"
        assert "FlashAttention" in results[0]["title"]
        content = results[0]["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert "<b>" in content["message_text"]


async def test_inline_results_are_paged_fifty_at_a_time() -> None:
    """A broad inline query answers at most 50 results and a next_offset for the rest."""
    async with running_bot() as (fake, _):
        fake.inline("a", ADA)
        first = await fake.wait_for("answerInlineQuery")
        assert len(first.params["results"]) == 50
        assert first.params["next_offset"] == "50"
        fake.inline("a", ADA, offset="50")
        second = (await fake.wait_for_count("answerInlineQuery", 2))[1]
        assert second.error is None
        first_ids = {r["id"] for r in first.params["results"]}
        assert first_ids.isdisjoint(r["id"] for r in second.params["results"])
