"""End to end: the real python-telegram-bot Application answering commands through the fake API."""

from __future__ import annotations

from listbot.commands import Command, Context
from listbot.replies import Reply, text_reply
from tests.fakes.telegram_api import BOT_USERNAME, group, private_chat, user
from tests.fakes.telegram_harness import listbot_core, running_bot

ADA = user(1001, "Ada")


def _nothing(ctx: Context, args: str) -> Reply:
    """A command that answers nothing in particular."""
    return text_reply("ok")


READERS = group(-1001234567890)


async def test_startup_calls_get_me_then_set_my_commands_then_delete_webhook_then_polls() -> None:
    """Start-up connects with getMe, registers the command menu and starts long polling."""
    async with running_bot() as (fake, _):
        await fake.wait_for("getUpdates")
        order = [c.method for c in fake.calls if c.method != "getUpdates"]
        assert order[:3] == ["getMe", "setMyCommands", "deleteWebhook"]
        names = [c["command"] for c in fake.commands]
        assert {"start", "paper", "search", "help"} <= set(names)
        assert {name for name, _ in listbot_core().commands()} <= set(names)
        assert all(c["description"] for c in fake.commands)


async def test_paper_in_a_private_chat_answers_with_valid_html() -> None:
    """/paper in a private chat gets a sendMessage in HTML that the fake accepts."""
    async with running_bot() as (fake, _):
        fake.send_text("/paper pagedattention", private_chat(ADA), ADA)
        call = await fake.wait_for("sendMessage")
        assert call.error is None
        assert call.chat_id == ADA["id"]
        assert call.params["parse_mode"] == "HTML"
        assert "PagedAttention" in call.params["text"]


async def test_paper_addressed_to_the_bot_in_a_group_is_answered() -> None:
    """/paper@ListBot in a group is answered in that group."""
    async with running_bot() as (fake, _):
        fake.send_text(f"/paper@{BOT_USERNAME} vllm", READERS, ADA)
        call = await fake.wait_for("sendMessage")
        assert call.chat_id == READERS["id"]
        assert "vLLM" in call.params["text"] or "PagedAttention" in call.params["text"]


async def test_paper_without_a_mention_in_a_group_is_answered() -> None:
    """/paper in a group (what Telegram delivers with privacy mode) is answered there."""
    async with running_bot() as (fake, _):
        fake.send_text("/paper awq", READERS, ADA)
        call = await fake.wait_for("sendMessage")
        assert call.chat_id == READERS["id"]
        assert "AWQ" in call.params["text"]


async def test_an_answer_is_sent_even_if_the_command_was_deleted_meanwhile() -> None:
    """A group reply quotes the command, yet still goes out when the command is gone."""
    async with running_bot() as (fake, _):
        command = fake.send_text("/paper awq", READERS, ADA)
        fake.delete_message(command)
        call = await fake.wait_for("sendMessage")
        assert call.error is None
        assert call.params["reply_parameters"]["message_id"] == command["message_id"]


async def test_a_plain_message_in_a_group_is_not_a_search() -> None:
    """Group chatter (seen when the bot is an admin) is never answered; commands still are."""
    async with running_bot() as (fake, _):
        fake.send_text("flash attention is neat", READERS, ADA)
        fake.send_text("/paper awq", READERS, ADA)
        await fake.wait_for("sendMessage")
        assert len(fake.calls_to("sendMessage")) == 1


async def test_polling_asks_for_exactly_the_updates_it_handles() -> None:
    """getUpdates names its allowed_updates, overriding a narrower setting left by another
    program on the same token, so inline queries and buttons still arrive."""
    narrow = lambda fake: setattr(fake, "allowed_updates", frozenset({"message"}))  # noqa: E731
    async with running_bot(prepare=narrow) as (fake, _):
        fake.inline("awq", ADA)
        await fake.wait_for("answerInlineQuery")
        asked = fake.calls_to("getUpdates")[0].params["allowed_updates"]
    assert set(asked) == {"message", "channel_post", "callback_query", "inline_query"}


async def test_a_command_for_another_bot_is_ignored() -> None:
    """/paper@OtherBot and unknown commands without a mention get no answer in a group."""
    async with running_bot() as (fake, _):
        fake.send_text("/paper@OtherBot vllm", READERS, ADA)
        fake.send_text("/weather", READERS, ADA)
        fake.send_text(f"/paper@{BOT_USERNAME} awq", READERS, ADA)
        call = await fake.wait_for("sendMessage")
        assert "AWQ" in call.params["text"]
        assert len(fake.calls_to("sendMessage")) == 1


async def test_a_plain_private_message_is_a_search() -> None:
    """A message without a slash in a private chat is answered like /paper."""
    async with running_bot() as (fake, _):
        fake.send_text("flash attention 3", private_chat(ADA), ADA)
        call = await fake.wait_for("sendMessage")
        assert "FlashAttention-3" in call.params["text"]


async def test_start_introduces_the_bot() -> None:
    """/start answers with a short introduction naming the inline mode."""
    async with running_bot() as (fake, _):
        fake.send_text("/start", private_chat(ADA), ADA)
        call = await fake.wait_for("sendMessage")
        assert "listbot" in call.params["text"]
        assert f"@{BOT_USERNAME}" in call.params["text"]


async def test_an_unknown_command_in_a_private_chat_suggests_one() -> None:
    """A mistyped command in a private chat gets a "did you mean" answer."""
    async with running_bot() as (fake, _):
        fake.send_text("/papr flashattention", private_chat(ADA), ADA)
        call = await fake.wait_for("sendMessage")
        assert "/paper" in call.params["text"]


async def test_a_reply_in_a_forum_topic_goes_to_that_topic() -> None:
    """A command sent in a forum topic is answered in the same topic."""
    forum = group(-1009876543210, "Forum", forum=True)
    async with running_bot() as (fake, _):
        fake.send_text("/paper snapkv", forum, ADA, thread_id=77)
        call = await fake.wait_for("sendMessage")
        assert call.chat_id == forum["id"]
        assert int(call.params["message_thread_id"]) == 77


async def test_maintainers_get_the_full_menu_in_their_private_chat() -> None:
    """The public menu hides /announce; a maintainer's chat shows it; an unknown one is skipped."""
    core = listbot_core([[Command("announce", "Maintainers: announce", _nothing)]])
    bot = running_bot(core, prepare=lambda fake: fake.lose(2002), maintainers=("1001", "2002"))
    async with bot as (fake, _):
        await fake.wait_for("getUpdates")
        public = {c["command"] for c in fake.commands}
        private = {c["command"] for c in fake.chat_menus[1001]}
    assert "announce" not in public
    assert {"announce", "paper"} <= private
    assert 2002 not in fake.chat_menus
