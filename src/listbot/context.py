"""Who is asking, and where: the platform-neutral context of a message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ChatKind(Enum):
    """The kind of chat a message came from; it decides who may change subscriptions."""

    PRIVATE = "private"
    GROUP = "group"
    CHANNEL = "channel"


@dataclass(frozen=True, slots=True)
class Chat:
    """A place messages are posted to: a platform's chat, optionally one thread or topic of it."""

    platform: str
    chat_id: str
    thread_id: str | None = None
    kind: ChatKind = ChatKind.PRIVATE


@dataclass(frozen=True, slots=True)
class Actor:
    """The person behind a message, as the adapter knows them."""

    user_id: str
    name: str
    chat: Chat
    is_chat_admin: bool = False
    """The adapter's answer to "may this person manage this chat?" (always True in private)."""
