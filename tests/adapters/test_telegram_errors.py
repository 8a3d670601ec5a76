"""End to end: one error handler answers briefly, logs with context, and never leaks the token."""

from __future__ import annotations

import logging
import sys

import pytest
from telegram_bot import TokenFilter
from telegram_bot.errors import SORRY, SORRY_BUTTON

from listbot.context import Actor
from listbot.replies import Reply
from tests.fakes.telegram_api import TOKEN, private_chat, user
from tests.fakes.telegram_harness import listbot_core, running_bot

ADA = user(1001, "Ada")


class ExplodingCore:
    """The real core, except that answering messages and buttons raises."""

    def __init__(self) -> None:
        self.real = listbot_core()

    def handle(self, text: str, actor: Actor) -> Reply:
        """Fail with an internal detail that must not reach the chat."""
        raise RuntimeError("internal detail: database locked")

    def press(self, data: str, actor: Actor) -> Reply:
        """Fail likewise."""
        raise RuntimeError("internal detail: button")

    def complete_papers(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """Complete as the real core does."""
        return self.real.complete_papers(prefix, limit)

    def commands(self) -> list[tuple[str, str]]:
        """The real commands."""
        return self.real.commands()


async def test_a_failing_command_gets_a_short_apology_and_a_logged_context(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The user sees one short sentence; the log has the update, chat, user, text and traceback."""
    async with running_bot(ExplodingCore()) as (fake, _):
        fake.send_text("/paper awq", private_chat(ADA), ADA)
        call = await fake.wait_for("sendMessage")
    assert call.params["text"] == SORRY
    failure = next(r for r in caplog.records if r.name == "telegram_bot.errors")
    assert f"chat={ADA['id']}" in failure.getMessage()
    assert "'/paper awq'" in failure.getMessage()
    assert "database locked" in caplog.text


async def test_a_rate_limited_answer_is_logged_briefly_and_not_apologised_for(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 429 on a reply is a warning without traceback; no apology floods the chat further."""
    async with running_bot() as (fake, _):
        fake.rate_limit("sendMessage", 30, chat_id=ADA["id"])
        fake.send_text("/paper awq", private_chat(ADA), ADA)
        fake.send_text("/paper vllm", private_chat(ADA), ADA)
        calls = await fake.wait_for_count("sendMessage", 2)
    assert calls[0].error is not None
    assert calls[0].error.code == 429
    assert SORRY not in calls[1].params["text"]
    [record] = [r for r in caplog.records if r.name == "telegram_bot.errors"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "'/paper awq'" in record.getMessage()


async def test_a_failing_button_answers_the_callback_query() -> None:
    """A button whose handling fails still gets its callback query answered, briefly."""
    async with running_bot(ExplodingCore()) as (fake, _):
        message = fake.send_text("hello", private_chat(ADA), ADA)
        fake.press(message, "paper:0:awq-202306", ADA)
        call = await fake.wait_for("answerCallbackQuery")
    assert call.error is None
    assert call.params["text"] == SORRY_BUTTON


async def test_the_token_never_appears_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    """httpx and PTB log request URLs at INFO and DEBUG; the token in them is redacted."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")
    async with running_bot() as (fake, _):
        fake.fail_next("getUpdates", 500, "Internal Server Error")
        fake.send_text("/paper awq", private_chat(ADA), ADA)
        await fake.wait_for("sendMessage")
    assert "/bot***/sendMessage" in caplog.text
    assert TOKEN not in caplog.text
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


def test_the_token_filter_redacts_messages_arguments_and_tracebacks() -> None:
    """A record's message, its arguments and its exception text all lose the token."""
    try:
        raise ValueError(f"https://api.telegram.org/bot{TOKEN}/getMe failed")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("httpx", logging.ERROR, __file__, 1, "GET %s", (TOKEN,), exc_info)
    TokenFilter(TOKEN).filter(record)
    assert record.getMessage() == "GET ***"
    assert record.exc_text is not None
    assert TOKEN not in record.exc_text
    assert "bot***/getMe" in record.exc_text
