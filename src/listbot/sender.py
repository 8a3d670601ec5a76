"""The delivery port: how the core's outbox hands one message to a platform.

Each adapter implements ``Sender`` and maps its platform's errors onto the
exceptions below, so the delivery worker can decide, platform-neutrally, to
wait, retry, pause a subscription or move it to a new chat id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from listbot.context import Chat


class DeliveryError(Exception):
    """A message could not be delivered this time."""


class RetryAfter(DeliveryError):
    """The platform rate-limited us (HTTP 429): wait ``seconds`` and retry this message."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"rate limited, retry after {seconds} s")
        self.seconds = seconds


class ChatUnavailable(DeliveryError):
    """The bot can no longer post there (blocked, kicked, chat not found, missing access).

    The chat's subscriptions are paused with ``reason`` until an admin subscribes again;
    with ``thread_only`` just those of the thread or forum topic posted to (it was closed,
    deleted or archived, while the chat itself may still be fine).
    """

    def __init__(self, reason: str, *, thread_only: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.thread_only = thread_only


class PermanentFailure(DeliveryError):
    """The platform refused this message itself (e.g. a malformed payload).

    Sending it again cannot help: the row is marked failed at once, with the reason.
    """


class ChatMoved(DeliveryError):
    """The chat has a new id (a Telegram group upgraded to a supergroup)."""

    def __init__(self, new_chat_id: str) -> None:
        super().__init__(f"chat moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class TransientFailure(DeliveryError):
    """A server error or network fault: retry later with backoff; the message is kept."""


class Sender(Protocol):
    """Posts one rendered message to one chat of one platform."""

    platform: str
    """``"telegram"``, ``"discord"`` or ``"console"``: which rendering the payload is in."""

    async def send(self, chat: Chat, payload: Mapping[str, Any], *, key: str | None = None) -> str:
        """Post ``payload`` (this platform's rendered message) and return the message id.

        ``key`` is the same for every attempt at one outbox message: a platform that can
        deduplicate with it (Discord's message nonce) posts the message at most once even
        when a crash made the worker send it again. Raises a ``DeliveryError`` subclass when
        the platform did not accept the message.
        """
        ...
