"""Telegram Bot API objects for the fake: users, chats, members, the bot itself."""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.telegram_checks import utf16_len

TOKEN = "123456789:AAH-fake-token-for-tests-0123456789abcdef"
BOT_ID = 123456789
BOT_USERNAME = "ListBot"
Json = dict[str, Any]


def user(user_id: int, first_name: str = "Ada", username: str | None = None) -> Json:
    """A Telegram User object."""
    data: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        data["username"] = username
    return data


def private_chat(person: Json) -> Json:
    """The private chat with ``person``."""
    return {"id": person["id"], "type": "private", "first_name": person["first_name"]}


def group(chat_id: int, title: str = "Readers", *, forum: bool = False) -> Json:
    """A supergroup (a forum when ``forum``)."""
    data: Json = {"id": chat_id, "type": "supergroup", "title": title}
    if forum:
        data["is_forum"] = True
    return data


def channel(chat_id: int, title: str = "Papers") -> Json:
    """A channel."""
    return {"id": chat_id, "type": "channel", "title": title}


def chat_ref(value: Any) -> int | str:
    """A ``chat_id`` parameter as Telegram reads it: a number, or an ``@username``."""
    text = str(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def bot_user() -> Json:
    """The bot, as getMe describes it."""
    return {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": "listbot",
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
    }


def anonymous_bot(sender_chat: Json, chat: Json) -> Json:
    """The ``from`` of a message sent on behalf of a chat: GroupAnonymousBot or Channel_Bot."""
    if sender_chat["id"] == chat["id"]:
        return {
            "id": 1087968824,
            "is_bot": True,
            "first_name": "Group",
            "username": "GroupAnonymousBot",
        }
    return {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}


def member(person: Json, status: str) -> Json:
    """A ChatMember object of ``status`` (creator, administrator, member ...)."""
    if status == "creator":
        return {"status": status, "user": person, "is_anonymous": False}
    if status != "administrator":
        return {"status": status, "user": person}
    rights = ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
              "can_manage_video_chats", "can_restrict_members", "can_promote_members",
              "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
              "can_delete_stories")  # fmt: skip
    return {"status": status, "user": person, **dict.fromkeys(rights, False)}


def command_entities(text: str) -> list[Json]:
    """The ``bot_command`` entity Telegram adds to a message starting with a command."""
    if not text.startswith("/"):
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(text.split()[0])}]
