"""The Discord side of the delivery port: post one rendered payload to a channel or thread.

The payload goes out as rendered (content, embeds, components) through discord.py's HTTP
client, so its per-route buckets and short 429 waits apply. What discord.py does not absorb
is mapped onto the core's delivery errors:

- 429 that discord.py gives up on (longer than its ``max_ratelimit_timeout``, or without the
  ``Via`` header that marks Discord's own limiter) -> ``RetryAfter(seconds)``;
- 403 (Missing Access, Missing Permissions) and 404 (Unknown Channel) -> ``ChatUnavailable``
  with Discord's reason, so the subscription is paused until an admin subscribes again;
  (only the thread's subscriptions when the message went to a thread);
- 5xx, 401 (the bot's token refused: no message's fault), network faults and timeouts ->
  ``TransientFailure``;
- any other refusal (a 400 for the message itself) -> ``PermanentFailure``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
import discord
from discord.http import Route

from listbot.context import Chat
from listbot.sender import (
    ChatUnavailable,
    DeliveryError,
    PermanentFailure,
    RetryAfter,
    TransientFailure,
)

PLATFORM = "discord"
NO_MENTIONS: dict[str, Any] = {"parse": []}
DEFAULT_RETRY_AFTER = 5.0
NONCE_CHARS = 25
UNAVAILABLE_CODES = {
    10003: "unknown channel",
    50001: "missing access",
    50013: "missing permissions",
    50083: "thread is archived",
}


class DiscordSender:
    """Posts messages with a logged-in discord.py client (the adapter's, or its own)."""

    platform = PLATFORM

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send(self, chat: Chat, payload: Mapping[str, Any], *, key: str | None = None) -> str:
        """Post ``payload`` to the chat's thread, or its channel; returns the message id.

        ``key`` becomes the message nonce with ``enforce_nonce``: Discord answers a repeat
        within a few minutes with the message already created instead of posting it twice.
        """
        target = chat.thread_id or chat.chat_id
        body = {**payload, "allowed_mentions": NO_MENTIONS}
        if key:
            body |= {"nonce": key[:NONCE_CHARS], "enforce_nonce": True}
        route = Route("POST", "/channels/{channel_id}/messages", channel_id=int(target))
        if self.client.is_closed() or not self.client.http.token:
            raise TransientFailure("the Discord client is not logged in")
        try:
            data = await self.client.http.request(route, json=body)
        except discord.RateLimited as error:
            raise RetryAfter(error.retry_after) from error
        except discord.HTTPException as error:
            raise delivery_error(error, in_thread=chat.thread_id is not None) from error
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            raise TransientFailure(f"network: {error!r}") from error
        return str(data["id"])


def delivery_error(error: discord.HTTPException, *, in_thread: bool = False) -> DeliveryError:
    """The delivery error of a failed Discord request (to a thread when ``in_thread``)."""
    if error.status == 429:
        return RetryAfter(_retry_after(error))
    if error.status in (403, 404) or error.code in UNAVAILABLE_CODES:
        reason = UNAVAILABLE_CODES.get(error.code) or error.text or f"HTTP {error.status}"
        message = f"discord: {reason} ({error.status}/{error.code})"
        return ChatUnavailable(message, thread_only=in_thread)
    if error.status >= 500 or error.status == 401:
        return TransientFailure(f"discord: HTTP {error.status} {error.text}".rstrip())
    return PermanentFailure(
        f"discord refused the message: {error.status}/{error.code} {error.text}"
    )


def _retry_after(error: discord.HTTPException) -> float:
    header = error.response.headers.get("Retry-After")
    try:
        return float(header) if header is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER
