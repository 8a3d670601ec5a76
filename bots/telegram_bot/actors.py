"""Who is asking and where, in the core's terms, with admin rights checked by ``getChatMember``."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from telegram import Bot, CallbackQuery, Message
from telegram import Chat as TgChat
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest

from listbot.context import Actor, Chat, ChatKind
from telegram_bot.core import PLATFORM

log = logging.getLogger(__name__)
ADMIN_STATUSES = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})
CACHE_SIZE = 4096
"""Answers kept before the expired ones are dropped (the default ``size``)."""
_KINDS: dict[str, ChatKind] = {
    ChatType.PRIVATE: ChatKind.PRIVATE,
    ChatType.CHANNEL: ChatKind.CHANNEL,
}


class AdminCache:
    """``getChatMember`` answers, trusted for ``ttl`` seconds per (chat, user)."""

    def __init__(
        self,
        ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        *,
        size: int = CACHE_SIZE,
    ) -> None:
        self.ttl, self.size = ttl, size
        self._clock = clock
        self._known: dict[tuple[int, int], tuple[bool, float]] = {}

    def __len__(self) -> int:
        """How many answers are kept (expired ones go when the cache is full)."""
        return len(self._known)

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        """Whether ``user_id`` is an administrator or the owner of ``chat_id``."""
        known = self._known.get((chat_id, user_id))
        if known is not None and self._clock() < known[1]:
            return known[0]
        try:
            member = await bot.get_chat_member(chat_id, user_id)
        except BadRequest as error:
            log.warning("getChatMember failed for chat %s: %s", chat_id, error.message)
            return False
        admin = member.status in ADMIN_STATUSES
        now = self._clock()
        if len(self._known) >= self.size:  # forget the expired answers
            self._known = {key: got for key, got in self._known.items() if now < got[1]}
        self._known[(chat_id, user_id)] = (admin, now + self.ttl)
        return admin


def chat_of(message: Message) -> Chat:
    """The chat of ``message``; a forum topic is the group plus its thread id."""
    topic = message.message_thread_id if message.is_topic_message else None
    kind = _KINDS.get(message.chat.type, ChatKind.GROUP)
    return Chat(PLATFORM, str(message.chat_id), str(topic) if topic else None, kind)


def speaks_for_chat(message: Message) -> bool:
    """True for a channel post or an anonymous admin: only a chat's admins can send those."""
    sender = message.sender_chat
    return message.chat.type == ChatType.CHANNEL or (
        sender is not None and sender.id == message.chat_id
    )


async def actor_of(message: Message, admins: AdminCache, *, check_admin: bool) -> Actor:
    """The sender of ``message``; admin rights are looked up only when ``check_admin``."""
    chat = chat_of(message)
    user, sender = message.from_user, message.sender_chat
    if sender is not None and (user is None or user.is_bot):
        return Actor(f"chat:{sender.id}", _title(sender), chat, speaks_for_chat(message))
    if user is None:
        return Actor("unknown", "someone", chat, is_chat_admin=False)
    admin = chat.kind is ChatKind.PRIVATE
    if check_admin and not admin:
        admin = await admins.is_admin(message.get_bot(), message.chat_id, user.id)
    return Actor(str(user.id), user.full_name, chat, is_chat_admin=admin)


def _title(chat: TgChat) -> str:
    return chat.title or chat.full_name or str(chat.id)


async def actor_of_query(query: CallbackQuery, admins: AdminCache, *, check_admin: bool) -> Actor:
    """Who pressed a button, in the chat of the message it sits under (their own for inline)."""
    user = query.from_user
    message = query.message if isinstance(query.message, Message) else None
    if message is None:
        return Actor(str(user.id), user.full_name, private_chat(user.id), is_chat_admin=True)
    chat = chat_of(message)
    admin = chat.kind is ChatKind.PRIVATE
    if check_admin and not admin:
        admin = await admins.is_admin(query.get_bot(), message.chat_id, user.id)
    return Actor(str(user.id), user.full_name, chat, is_chat_admin=admin)


def private_chat(user_id: int) -> Chat:
    """The private chat with a user."""
    return Chat(PLATFORM, str(user_id), None, ChatKind.PRIVATE)
