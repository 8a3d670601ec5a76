"""A local fake of the Telegram Bot API, served by aiohttp, for end-to-end tests.

Point python-telegram-bot at it with ``base_url=fake.base_url``. It speaks the
methods listbot uses (getMe, deleteWebhook, setWebhook, getUpdates with long
polling, sendMessage, editMessageText, answerCallbackQuery, answerInlineQuery,
setMyCommands, getChatMember), records every call in ``calls``, and validates
what it receives as Telegram does:

- HTML parse mode: only Telegram's tags, balanced, else 400 "can't parse entities";
- text length after entity parsing, in UTF-16 units, at most 4096, else 400;
- ``callback_data`` at most 64 bytes, else 400 "BUTTON_DATA_INVALID";
- at most 50 inline results, unique ids of at most 64 bytes.

Faults: ``fail_next`` answers one call with any error (429 with ``retry_after``);
``kick`` makes a chat answer 403 "bot was kicked"; ``migrate`` makes a group answer
400 with ``migrate_to_chat_id``; ``lose`` makes a chat answer "chat not found".
Tests push updates (``send_text``, ``post_in_channel``, ``press``, ``inline``) and
assert on the calls the fake received.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.telegram_checks import ApiError, bad_request, check_markup, check_text
from tests.fakes.telegram_objects import (
    BOT_ID,
    BOT_USERNAME,
    TOKEN,
    Json,
    bot_user,
    channel,
    chat_ref,
    command_entities,
    group,
    member,
    private_chat,
    user,
)

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
class _Failure:
    method: str
    error: ApiError
    chat_id: int | str | None


@dataclass
class FakeTelegramAPI:
    """The fake Bot API server; ``await start()``, then use ``base_url`` and ``token``."""

    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    """(chat id, user id) -> status; unknown pairs are plain members."""
    kicked: set[int] = field(default_factory=set)
    lost: set[int] = field(default_factory=set)
    migrated: dict[int, int] = field(default_factory=dict)
    messages: dict[tuple[int | str, int], Json] = field(default_factory=dict)
    commands: list[Json] = field(default_factory=list)
    """The default command menu."""
    chat_menus: dict[int, list[Json]] = field(default_factory=dict)
    """Command menus set for one chat (``BotCommandScopeChat``)."""
    webhook: Json = field(default_factory=dict)
    _updates: list[Json] = field(default_factory=list)
    _failures: list[_Failure] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _open_queries: set[str] = field(default_factory=set)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
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

    def _inject(self, call: Call) -> None:
        for failure in self._failures:
            wanted = failure.chat_id is None or failure.chat_id == call.chat_id
            if failure.method.lower() == call.method.lower() and wanted:
                self._failures.remove(failure)
                raise failure.error

    # -- scenario controls --------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        code: int,
        description: str,
        parameters: Json | None = None,
        *,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next ``method`` call (to ``chat_id``, if given) with this error."""
        self._failures.append(_Failure(method, ApiError(code, description, parameters), chat_id))

    def rate_limit(self, method: str, retry_after: int, *, chat_id: int | None = None) -> None:
        """Answer the next ``method`` call with 429 and ``retry_after``."""
        why = f"Too Many Requests: retry after {retry_after}"
        self.fail_next(method, 429, why, {"retry_after": retry_after}, chat_id=chat_id)

    def kick(self, chat_id: int) -> None:
        """The bot was removed from ``chat_id``: every send there answers 403."""
        self.kicked.add(chat_id)

    def lose(self, chat_id: int) -> None:
        """``chat_id`` no longer exists: sends answer 400 "chat not found"."""
        self.lost.add(chat_id)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """``chat_id`` was upgraded to the supergroup ``new_chat_id``."""
        self.migrated[chat_id] = new_chat_id

    def make_admin(self, chat_id: int, user_id: int, status: str = "administrator") -> None:
        """Give ``user_id`` the admin ``status`` (administrator or creator) in ``chat_id``."""
        self.members[(chat_id, user_id)] = status

    # -- pushing updates ----------------------------------------------------------------

    def push(self, **update: Any) -> int:
        """Queue an update (``message=...``, ``callback_query=...``); returns its id."""
        update_id = next(self._ids)
        self._updates.append({"update_id": update_id, **update})
        self._arrived.set()
        return update_id

    def send_text(
        self, text: str, chat: Json, sender: Json | None = None, *, thread_id: int | None = None
    ) -> Json:
        """A user writes ``text`` in ``chat`` (in forum topic ``thread_id``); returns it."""
        message = self._message(text, chat)
        message["from"] = sender or {k: chat[k] for k in ("id", "first_name")} | {"is_bot": False}
        if thread_id is not None:
            message |= {"message_thread_id": thread_id, "is_topic_message": True}
        self.push(message=message)
        return message

    def post_in_channel(self, text: str, chat: Json) -> Json:
        """An admin posts ``text`` in the channel ``chat``; returns the post."""
        message = self._message(text, chat) | {"sender_chat": chat}
        self.push(channel_post=message)
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
        return message

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
        return [m for (chat, _), m in sorted(self.messages.items()) if chat == chat_id]

    # -- the API ------------------------------------------------------------------------

    async def _api_getme(self, params: Json) -> Json:
        return bot_user()

    async def _api_deletewebhook(self, params: Json) -> bool:
        self.webhook = {}
        return True

    async def _api_setwebhook(self, params: Json) -> bool:
        self.webhook = dict(params)
        return True

    async def _api_getupdates(self, params: Json) -> list[Json]:
        offset = int(params.get("offset", 0))
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout", 0))
        if not self._updates and timeout > 0:
            self._arrived.clear()
            try:
                async with asyncio.timeout(timeout):
                    await self._arrived.wait()
            except TimeoutError:
                pass
        return self._updates[: int(params.get("limit", 100))]

    async def _api_sendmessage(self, params: Json) -> Json:
        chat_id = self._reachable(params["chat_id"])
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

    def _reachable(self, raw: Any) -> int | str:
        chat_id = chat_ref(raw)
        if chat_id in self.migrated:
            params = {"migrate_to_chat_id": self.migrated[chat_id]}
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", params)
        if chat_id in self.kicked:
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        if chat_id in self.lost:
            raise bad_request("chat not found")
        return chat_id

    def _chat(self, chat_id: int | str) -> Json:
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
