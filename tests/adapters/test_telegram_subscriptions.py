"""End to end: who may subscribe a chat, as the adapter tells the core (getChatMember, channels)."""

from __future__ import annotations

from telegram import Bot
from telegram_bot import AdminCache

from listbot.commands import Command, Context
from listbot.context import Chat, ChatKind
from listbot.replies import Kind, Reply, text_reply
from tests.fakes.telegram_api import FakeTelegramAPI, channel, group, private_chat, user
from tests.fakes.telegram_harness import listbot_core, running_bot

ADA, BOB = user(1001, "Ada"), user(1002, "Bob")
READERS = group(-1001234567890)


class Subscriptions:
    """A stand-in subscribe command that records the chats it subscribed."""

    def __init__(self) -> None:
        self.chats: list[Chat] = []

    def subscribe(self, ctx: Context, args: str) -> Reply:
        """Subscribe the asking chat when its admin asks."""
        if not ctx.actor.is_chat_admin:
            return text_reply("Only this chat's admins can subscribe it.", Kind.ERROR)
        self.chats.append(ctx.actor.chat)
        return text_reply("Subscribed to new papers.")

    def core(self):  # type: ignore[no-untyped-def]
        """The real core with this command added."""
        return listbot_core([[Command("subscribe", "Subscribe this chat", self.subscribe)]])


async def test_an_admin_subscribes_a_group() -> None:
    """A group admin's /subscribe is accepted after one getChatMember check."""
    subs = Subscriptions()
    async with running_bot(subs.core()) as (fake, _):
        fake.make_admin(READERS["id"], ADA["id"])
        fake.send_text("/subscribe", READERS, ADA)
        reply = await fake.wait_for("sendMessage")
        assert "Subscribed" in reply.params["text"]
        member = fake.calls_to("getChatMember")[0].params
        assert (int(member["chat_id"]), int(member["user_id"])) == (READERS["id"], ADA["id"])
    assert subs.chats == [Chat("telegram", str(READERS["id"]), None, ChatKind.GROUP)]


async def test_a_member_who_is_not_an_admin_is_refused() -> None:
    """A plain member's /subscribe is refused and nothing is subscribed."""
    subs = Subscriptions()
    async with running_bot(subs.core()) as (fake, _):
        fake.send_text("/subscribe", READERS, BOB)
        reply = await fake.wait_for("sendMessage")
        assert "Only this chat's admins" in reply.params["text"]
    assert subs.chats == []


async def test_admin_answers_are_cached_briefly() -> None:
    """Two commands in a row by the same admin cost one getChatMember call."""
    subs = Subscriptions()
    async with running_bot(subs.core()) as (fake, _):
        fake.make_admin(READERS["id"], ADA["id"], "creator")
        fake.send_text("/subscribe", READERS, ADA)
        fake.send_text("/subscribe", READERS, ADA)
        await fake.wait_for_count("sendMessage", 2)
        assert len(fake.calls_to("getChatMember")) == 1
    assert len(subs.chats) == 2


async def test_a_channel_post_subscribes_the_channel() -> None:
    """A /subscribe posted in a channel (admins only) subscribes it and is answered there."""
    subs = Subscriptions()
    papers = channel(-1005555555555)
    async with running_bot(subs.core()) as (fake, _):
        fake.post_in_channel("/subscribe", papers)
        reply = await fake.wait_for("sendMessage")
        assert reply.chat_id == papers["id"]
        assert not fake.calls_to("getChatMember")
    assert subs.chats == [Chat("telegram", str(papers["id"]), None, ChatKind.CHANNEL)]


async def test_a_subscription_made_in_a_forum_topic_names_the_topic() -> None:
    """/subscribe in a forum topic subscribes that topic (the chat carries its thread id)."""
    subs = Subscriptions()
    forum = group(-1009876543210, "Forum", forum=True)
    async with running_bot(subs.core()) as (fake, _):
        fake.make_admin(forum["id"], ADA["id"])
        fake.send_text("/subscribe", forum, ADA, thread_id=77)
        reply = await fake.wait_for("sendMessage")
        assert int(reply.params["message_thread_id"]) == 77
    assert subs.chats == [Chat("telegram", str(forum["id"]), "77", ChatKind.GROUP)]


async def test_in_a_private_chat_the_user_may_subscribe_without_a_lookup() -> None:
    """In a private chat the user manages their own chat: no getChatMember."""
    subs = Subscriptions()
    async with running_bot(subs.core()) as (fake, _):
        fake.send_text("/subscribe", private_chat(ADA), ADA)
        await fake.wait_for("sendMessage")
        assert not fake.calls_to("getChatMember")
    assert subs.chats == [Chat("telegram", str(ADA["id"]), None, ChatKind.PRIVATE)]


async def test_a_demoted_admin_is_refused_once_the_cache_expires() -> None:
    """Admin rights are looked up again after the cache time (here 0 s): demotion counts."""
    subs = Subscriptions()
    async with running_bot(subs.core(), admin_cache_seconds=0) as (fake, _):
        fake.make_admin(READERS["id"], ADA["id"])
        fake.send_text("/subscribe", READERS, ADA)
        await fake.wait_for("sendMessage")
        fake.members[(READERS["id"], ADA["id"])] = "member"
        fake.send_text("/subscribe", READERS, ADA)
        refused = (await fake.wait_for_count("sendMessage", 2))[1]
    assert "Only this chat's admins" in refused.params["text"]
    assert len(subs.chats) == 1


async def test_an_anonymous_admin_subscribes_the_group() -> None:
    """A message on behalf of the group itself comes from an anonymous admin: accepted."""
    subs = Subscriptions()
    async with running_bot(subs.core()) as (fake, _):
        fake.send_text("/subscribe", READERS, sender_chat=READERS)
        reply = await fake.wait_for("sendMessage")
        assert "Subscribed" in reply.params["text"]
        assert not fake.calls_to("getChatMember")
    assert subs.chats == [Chat("telegram", str(READERS["id"]), None, ChatKind.GROUP)]


async def test_a_message_on_behalf_of_another_channel_is_refused() -> None:
    """Anyone may post in a group as their own channel: that proves nothing, so it is refused."""
    subs = Subscriptions()
    async with running_bot(subs.core()) as (fake, _):
        fake.send_text("/subscribe", READERS, sender_chat=channel(-1007777777777, "Mine"))
        reply = await fake.wait_for("sendMessage")
        assert "Only this chat's admins" in reply.params["text"]
    assert subs.chats == []


async def test_the_admin_cache_forgets_expired_answers_when_full() -> None:
    """A full cache drops the answers past their time, so it never grows without bound."""
    fake, now = FakeTelegramAPI(), [0.0]
    await fake.start()
    cache = AdminCache(ttl=10, clock=lambda: now[0], size=2)
    try:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            fake.make_admin(READERS["id"], ADA["id"])
            assert await cache.is_admin(bot, READERS["id"], ADA["id"])
            assert not await cache.is_admin(bot, READERS["id"], BOB["id"])
            now[0] = 11.0
            assert not await cache.is_admin(bot, READERS["id"], 1003)
    finally:
        await fake.close()
    assert len(cache) == 1


async def test_a_channel_post_copied_into_its_discussion_group_is_ignored() -> None:
    """The automatic forward of a channel's /subscribe into its linked group gets no answer."""
    subs = Subscriptions()
    papers = channel(-1005555555555)
    async with running_bot(subs.core()) as (fake, _):
        post = fake.post_in_channel("/subscribe", papers)
        fake.auto_forward(post, READERS)
        fake.send_text("/paper awq", READERS, ADA)
        answers = await fake.wait_for_count("sendMessage", 2)
    assert [a.chat_id for a in answers] == [papers["id"], READERS["id"]]
    assert len(fake.calls_to("sendMessage")) == 2
    assert subs.chats == [Chat("telegram", str(papers["id"]), None, ChatKind.CHANNEL)]
