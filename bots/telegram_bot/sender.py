"""``TelegramSender``: the delivery port over ``sendMessage``, with Telegram's errors mapped.

``RetryAfter`` (429) -> ``listbot.sender.RetryAfter``; ``ChatMigrated`` -> ``ChatMoved``;
``Forbidden`` (blocked, kicked) and "chat not found"-like ``BadRequest`` -> ``ChatUnavailable``;
network errors, time-outs and server errors -> ``TransientFailure``; any other
``BadRequest`` (the message itself was refused) -> ``PermanentFailure``. A closed or
deleted forum topic pauses only that topic's subscriptions.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping
from typing import Any

from telegram import Bot
from telegram import error as tg

from listbot.context import Chat
from listbot.sender import (
    ChatMoved,
    ChatUnavailable,
    DeliveryError,
    PermanentFailure,
    RetryAfter,
    TransientFailure,
)
from telegram_bot.core import PLATFORM
from telegram_bot.payloads import message_kwargs

GONE = (
    "chat not found", "thread not found", "topic_closed", "topic_deleted", "not enough rights",
    "have no rights", "need administrator rights", "user is deactivated", "chat_write_forbidden",
    "peer_id_invalid", "chat_restricted",
)  # fmt: skip
"""``BadRequest`` descriptions meaning the bot can no longer post in that chat or topic."""
TOPIC_GONE = ("thread not found", "topic_closed", "topic_deleted")
"""Of those, the ones about the forum topic only: the rest of the chat is still reachable."""


class TelegramSender:
    """Posts rendered Telegram payloads with a PTB ``Bot``."""

    platform = PLATFORM

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat: Chat, payload: Mapping[str, Any], *, key: str | None = None) -> str:
        """Post ``payload`` to ``chat`` (its forum topic, if any); returns the message id.

        Telegram has no idempotent send, so ``key`` is not used.
        """
        try:
            message = await self._bot.send_message(
                chat_id=chat_ref(chat.chat_id),
                message_thread_id=int(chat.thread_id) if chat.thread_id else None,
                **message_kwargs(payload),
            )
        except tg.TelegramError as error:
            raise delivery_error(error, in_topic=chat.thread_id is not None) from error
        return str(message.message_id)


def chat_ref(chat_id: str) -> int | str:
    """A numeric chat id as an int; ``@channelname`` stays a string."""
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


def delivery_error(error: tg.TelegramError, *, in_topic: bool = False) -> DeliveryError:
    """The platform-neutral meaning of a PTB error (for a forum topic when ``in_topic``)."""
    if isinstance(error, tg.RetryAfter):
        return RetryAfter(retry_seconds(error))
    if isinstance(error, tg.ChatMigrated):
        return ChatMoved(str(error.new_chat_id))
    if isinstance(error, tg.Forbidden):
        return ChatUnavailable(error.message)
    if isinstance(error, tg.BadRequest):
        text = error.message.lower()
        if any(marker in text for marker in GONE):
            topic_gone = in_topic and any(marker in text for marker in TOPIC_GONE)
            return ChatUnavailable(error.message, thread_only=topic_gone)
        return PermanentFailure(error.message)
    if isinstance(error, tg.InvalidToken):
        return DeliveryError(error.message)
    return TransientFailure(error.message)


def retry_seconds(error: tg.RetryAfter) -> float:
    """``retry_after`` in seconds, whichever type this PTB version reports it as."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: int | float | dt.timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
