"""A local fake of the Telegram Bot API, served by aiohttp, for end-to-end tests.

Point python-telegram-bot at it with ``base_url=fake.base_url``. It speaks the
methods listbot uses (getMe, deleteWebhook, setWebhook, getUpdates with long
polling, sendMessage, editMessageText, answerCallbackQuery, answerInlineQuery,
setMyCommands, getChatMember), takes form-encoded parameters with nested objects as
JSON strings (or a JSON body), answers ``{"ok": ..., "result"|"description", ...}`` with
Telegram's status codes, records every call in ``calls``, and validates what it
receives as Telegram does:

- HTML parse mode as TDLib parses it (``telegram_html``), else 400 "can't parse entities";
- text length after entity parsing, in UTF-16 units, 1 to 4096, else 400;
- ``callback_data`` 1 to 64 bytes, else 400 "BUTTON_DATA_INVALID";
- at most 50 inline results, unique ids of at most 64 bytes, ``next_offset`` of 64 bytes;
- a reply to a message that is gone fails unless ``allow_sending_without_reply``;
- setWebhook wants an HTTPS URL and a secret token of 1-256 ``A-Z a-z 0-9 _ -``.

getUpdates behaves as Telegram's (offset, negative offset, timeout, limit, remembered
``allowed_updates``, 409 while a webhook is set): see ``telegram_updates``.

Faults: ``fail_next`` answers one call with any error (429 with ``retry_after``);
``kick`` makes a chat answer 403 (kicked, or blocked in a private chat); ``migrate``
makes a group answer 400 with ``migrate_to_chat_id`` and ``upgrade`` also sends the
service messages Telegram sends; ``lose`` makes a chat answer "chat not found";
``close_topic`` makes one forum topic refuse posts; ``delete_message`` makes a reply to
that message fail unless it allows sending without the reply; ``send_delay`` makes
sendMessage answer late, after the message is posted.
Tests push updates (``send_text``, ``post_in_channel``, ``press``, ``inline``) and
assert on the calls the fake received.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.telegram_checks import ApiError, bad_request, check_markup, check_text
from tests.fakes.telegram_faults import Faults
from tests.fakes.telegram_objects import (
    BOT_ID,
    BOT_USERNAME,
    TOKEN,
    Json,
    bot_user,
    channel,
    chat_ref,
    group,
    member,
    private_chat,
    user,
)
from tests.fakes.telegram_updates import DEFAULT_UPDATES, UpdateSource

__all__ = [
    "BOT_ID",
    "BOT_USERNAME",
    "TOKEN",
    "ApiError",
    "Call",
    "FakeTelegramAPI",
    "channel",
    "group",
    "private_chat",
    "user",
]

INLINE_RESULTS_LIMIT = 50
_JSON_PARAMS = frozenset(
    {"reply_markup", "results", "commands", "allowed_updates", "link_preview_options",
     "entities", "reply_parameters", "scope", "button"}
)  # fmt: skip
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass
class Call:
    """One request the fake received, with its decoded parameters and outcome."""

    method: str
    params: Json
    result: Any = None
    error: ApiError | None = None

    @property
    def chat_id(self) -> int | str | None:
        """The ``chat_id`` parameter as Telegram reads it."""
        return chat_ref(self.params["chat_id"]) if "chat_id" in self.params else None


@dataclass
class FakeTelegramAPI(UpdateSource, Faults):
    """The fake Bot API server; ``await start()``, then use ``base_url`` and ``token``."""

    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    commands: list[Json] = field(default_factory=list)
    """The default command menu."""
    chat_menus: dict[int, list[Json]] = field(default_factory=dict)
    """Command menus set for one chat (``BotCommandScopeChat``)."""
    send_delay: float = 0.0
    """Seconds sendMessage takes to answer after it posted the message (a slow Telegram)."""
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _runner: web.AppRunner | None = None
    port: int = 0

    # -- server -------------------------------------------------------------------------

    async def start(self) -> None:
        """Serve on a free local port."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """Stop serving; wakes any pending long poll."""
        self._arrived.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """The ``base_url`` for python-telegram-bot (the token is appended to it)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        call = Call(request.match_info["method"], await _params(request))
        self.calls.append(call)
        try:
            call.result = await self._dispatch(call)
        except ApiError as error:
            call.error = error
        async with self._changed:
            self._changed.notify_all()
        if call.error is not None:
            return web.json_response(call.error.body(), status=call.error.code)
        return web.json_response({"ok": True, "result": call.result})

    async def _dispatch(self, call: Call) -> Any:
        handler = getattr(self, f"_api_{call.method.lower()}", None)
        if handler is None:
            raise ApiError(404, "Not Found")
        self._inject(call)
        return await handler(call.params)

    # -- scenarios across updates and faults ----------------------------------------------

    def upgrade(self, old: Json, new_chat_id: int) -> None:
        """Upgrade the group ``old``, with the two service messages Telegram sends about it."""
        self.migrate(old["id"], new_chat_id)
        sender = user(1001, "Ada")
        notice = self._message("", old) | {"from": sender, "migrate_to_chat_id": new_chat_id}
        new = {"id": new_chat_id, "type": "supergroup", "title": old.get("title", "Readers")}
        welcome = self._message("", new) | {"migrate_from_chat_id": old["id"]}
        for message in (notice, welcome | {"sender_chat": new}):
            del message["text"], message["entities"]
            self.push(message=message)

    # -- asserting ----------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        """Every call of ``method`` so far (case-insensitive), oldest first."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    async def wait_for(
        self, method: str, where: Callable[[Call], bool] = lambda _: True, timeout: float = 10
    ) -> Call:
        """The first call of ``method`` matching ``where``, waiting for it to arrive."""

        def found() -> Call | None:
            done = (c for c in self.calls_to(method) if c.result is not None or c.error)
            return next((c for c in done if where(c)), None)

        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: found() is not None)
        return _must(found())

    async def wait_for_count(self, method: str, count: int, timeout: float = 10) -> list[Call]:
        """The first ``count`` answered calls of ``method``, waiting for them."""

        def answered() -> list[Call]:
            return [c for c in self.calls_to(method) if c.result is not None or c.error]

        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(answered()) >= count)
        return answered()[:count]

    def sent_to(self, chat_id: int) -> list[Json]:
        """The messages the bot posted in ``chat_id``, oldest first."""
        posted = sorted(self.messages.items())
        return [m for (chat, _), m in posted if chat == chat_id and m.get("from") == bot_user()]

    # -- the API ------------------------------------------------------------------------

    async def _api_getme(self, params: Json) -> Json:
        return bot_user()

    async def _api_deletewebhook(self, params: Json) -> bool:
        self.webhook = {}
        return True

    async def _api_setwebhook(self, params: Json) -> bool:
        if not str(params.get("url", "")).startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if not _SECRET.fullmatch(str(params.get("secret_token", "x"))):
            raise bad_request("secret token contains unallowed characters")
        if "allowed_updates" in params:
            self.allowed_updates = frozenset(params["allowed_updates"]) or DEFAULT_UPDATES
        self.webhook = dict(params)
        return True

    async def _api_sendmessage(self, params: Json) -> Json:
        chat_id = self._reachable(params["chat_id"])
        thread = (chat_id, int(params.get("message_thread_id", 0)))
        if thread in self.closed_topics:
            raise bad_request(self.closed_topics[thread])
        reply = params.get("reply_parameters") or {"allow_sending_without_reply": True}
        replied = (chat_id, int(reply.get("message_id", 0))) in self.messages
        if not replied and not reply.get("allow_sending_without_reply"):
            raise bad_request("message to be replied not found")
        check_text(params["text"], params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        message_id = next(self._ids)
        message: Json = {"message_id": message_id, "date": int(time.time()), "from": bot_user()}
        message |= {"chat": self._chat(chat_id), "text": params["text"]}
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        if "message_thread_id" in params:
            message |= {"message_thread_id": int(params["message_thread_id"])}
            message["is_topic_message"] = True
        self.messages[(chat_id, message_id)] = message
        if self.send_delay:
            await asyncio.sleep(self.send_delay)
        return message

    async def _api_editmessagetext(self, params: Json) -> Json | bool:
        check_text(params["text"], params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        if "inline_message_id" in params:
            return True
        key = (self._reachable(params["chat_id"]), int(params["message_id"]))
        old = self.messages.get(key)
        if old is None:
            raise bad_request("message to edit not found")
        if old.get("from") != bot_user():
            raise bad_request("message can't be edited")
        markup = params.get("reply_markup")
        if old["text"] == params["text"] and old.get("reply_markup") == markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        old |= {"text": params["text"], "reply_markup": markup, "edit_date": int(time.time())}
        return old

    async def _api_answercallbackquery(self, params: Json) -> bool:
        self._close_query(params["callback_query_id"])
        if len(params.get("text", "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        return True

    async def _api_answerinlinequery(self, params: Json) -> bool:
        self._close_query(params["inline_query_id"])
        results = params.get("results", [])
        if len(results) > INLINE_RESULTS_LIMIT:
            raise bad_request("RESULTS_TOO_MUCH")
        ids = [str(r.get("id", "")) for r in results]
        if any(not 0 < len(i.encode()) <= 64 for i in ids) or len(set(ids)) != len(ids):
            raise bad_request("RESULT_ID_INVALID")
        for result in results:
            content = result.get("input_message_content", {})
            check_text(content.get("message_text", ""), content.get("parse_mode"))
            check_markup(result.get("reply_markup"))
        if len(str(params.get("next_offset", "")).encode()) > 64:
            raise bad_request("NEXT_OFFSET_INVALID")
        return True

    async def _api_setmycommands(self, params: Json) -> bool:
        commands = params["commands"]
        if len(commands) > 100 or not all(_COMMAND.match(c["command"]) for c in commands):
            raise bad_request("BOT_COMMAND_INVALID")
        if not all(0 < len(c["description"]) <= 256 for c in commands):
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope") or {"type": "default"}
        if scope["type"] == "chat":
            self._reachable(scope["chat_id"])
            self.chat_menus[int(scope["chat_id"])] = commands
        else:
            self.commands = commands
        return True

    async def _api_getchatmember(self, params: Json) -> Json:
        chat_id = self._reachable(params["chat_id"])
        user_id = int(params["user_id"])
        status = self.members.get((int(chat_id), user_id), "member")
        return member(user(user_id), status)

    # -- checks -------------------------------------------------------------------------

    def _chat(self, chat_id: int | str) -> Json:
        """The chat as its messages showed it; else a private chat or a supergroup."""
        known = (m["chat"] for (chat, _), m in self.messages.items() if chat == chat_id)
        if chat := next(known, None):
            return dict(chat)
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Ada"}
        return {"id": chat_id, "type": "supergroup", "title": "Readers"}

    def _close_query(self, query_id: str) -> None:
        if query_id not in self._open_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self._open_queries.discard(query_id)


async def _params(request: web.Request) -> Json:
    if request.content_type == "application/json":
        data: Json = await request.json()
        return data
    form = await request.post()
    return {k: json.loads(v) if k in _JSON_PARAMS else v for k, v in form.items()}


def _must(call: Call | None) -> Call:
    assert call is not None
    return call
