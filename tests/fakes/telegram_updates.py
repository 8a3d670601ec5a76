"""The update side of the fake Bot API: updates pushed by tests, delivered by getUpdates.

As on Telegram: ``offset`` confirms (forgets) earlier updates, a negative one keeps only the
last ``-offset``; ``timeout`` holds the request until an update arrives; ``limit`` is
clamped to 1-100; ``allowed_updates`` is remembered across calls (by default every kind but
``chat_member`` and the reactions) and updates of other kinds are dropped; while a webhook
is set, getUpdates answers 409 Conflict.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.telegram_checks import ApiError
from tests.fakes.telegram_objects import Json, anonymous_bot, command_entities, user

DEFAULT_UPDATES = frozenset(
    {"message", "edited_message", "channel_post", "edited_channel_post", "inline_query",
     "chosen_inline_result", "callback_query", "my_chat_member", "chat_join_request"}
)  # fmt: skip
"""The update kinds a bot gets when it never set ``allowed_updates`` (a subset suffices here)."""
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class UpdateSource:
    """Pending updates and the messages the fake knows, with getUpdates over them."""

    messages: dict[tuple[int | str, int], Json] = field(default_factory=dict)
    """Every message in the fake's chats, by (chat id, message id): pushed and posted."""
    webhook: Json = field(default_factory=dict)
    allowed_updates: frozenset[str] = DEFAULT_UPDATES
    """The update kinds getUpdates delivers (Telegram keeps the last ``allowed_updates``)."""
    _updates: list[Json] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _open_queries: set[str] = field(default_factory=set)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def push(self, **update: Any) -> int:
        """Queue an update (``message=...``, ``callback_query=...``); returns its id."""
        update_id = next(self._ids)
        self._updates.append({"update_id": update_id, **update})
        self._arrived.set()
        return update_id

    def send_text(
        self,
        text: str,
        chat: Json,
        sender: Json | None = None,
        *,
        thread_id: int | None = None,
        sender_chat: Json | None = None,
    ) -> Json:
        """A user writes ``text`` in ``chat`` (in forum topic ``thread_id``); returns it.

        With ``sender_chat`` the message is sent on behalf of a chat: the group itself (an
        anonymous admin) or a channel; ``from`` is then Telegram's placeholder bot.
        """
        message = self._message(text, chat)
        if sender_chat is not None:
            message |= {"sender_chat": sender_chat, "from": anonymous_bot(sender_chat, chat)}
        else:
            message["from"] = sender or user(chat["id"], chat.get("first_name", "Ada"))
        if thread_id is not None:
            message |= {"message_thread_id": thread_id, "is_topic_message": True}
        self.push(message=message)
        return message

    def post_in_channel(self, text: str, chat: Json) -> Json:
        """An admin posts ``text`` in the channel ``chat``; returns the post."""
        message = self._message(text, chat) | {"sender_chat": chat}
        self.push(channel_post=message)
        return message

    def auto_forward(self, post: Json, discussion: Json) -> Json:
        """Telegram copies the channel ``post`` into the channel's ``discussion`` group."""
        message = self._message(post["text"], discussion) | {"is_automatic_forward": True}
        message |= {"sender_chat": post["chat"], "from": user(777000, "Telegram")}
        self.push(message=message)
        return message

    def press(self, message: Json, data: str, sender: Json) -> str:
        """``sender`` presses a button with ``data`` under ``message``; returns the query id."""
        query_id = f"cb{next(self._ids)}"
        self._open_queries.add(query_id)
        query = {"id": query_id, "from": sender, "chat_instance": "42", "data": data}
        self.push(callback_query=query | {"message": message})
        return query_id

    def inline(self, query: str, sender: Json, offset: str = "") -> str:
        """``sender`` types ``@bot query``; returns the inline query id."""
        query_id = f"iq{next(self._ids)}"
        self._open_queries.add(query_id)
        self.push(inline_query={"id": query_id, "from": sender, "query": query, "offset": offset})
        return query_id

    def _message(self, text: str, chat: Json) -> Json:
        message_id = next(self._ids)
        message: Json = {"message_id": message_id, "date": int(time.time()), "chat": chat}
        message |= {"text": text, "entities": command_entities(text)}
        self.messages[(chat["id"], message_id)] = message
        return message

    def delete_message(self, message: Json) -> None:
        """Someone deleted ``message`` (replies to it then need allow_sending_without_reply)."""
        self.messages.pop((message["chat"]["id"], message["message_id"]), None)

    # -- getUpdates ---------------------------------------------------------------------

    async def _api_getupdates(self, params: Json) -> list[Json]:
        if self.webhook.get("url"):
            raise ApiError(409, WEBHOOK_CONFLICT)
        if "allowed_updates" in params:
            self.allowed_updates = frozenset(params["allowed_updates"]) or DEFAULT_UPDATES
        self._confirm(int(params.get("offset", 0)))
        timeout = float(params.get("timeout", 0))
        if not self._updates and timeout > 0:
            self._arrived.clear()
            try:
                async with asyncio.timeout(timeout):
                    await self._arrived.wait()
            except TimeoutError:
                pass
            self._confirm(0)
        return self._updates[: min(max(int(params.get("limit", 100)), 1), 100)]

    def _confirm(self, offset: int) -> None:
        """Forget confirmed updates and those of kinds the bot does not want."""
        if offset < 0:
            self._updates = self._updates[offset:]
        elif offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._updates = [u for u in self._updates if self.allowed_updates & u.keys()]
