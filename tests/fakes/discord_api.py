"""A local fake of Discord (REST and gateway over aiohttp) for end-to-end tests.

The real discord.py client logs in to it (``Route.BASE`` and the gateway URL pointed here),
syncs its slash commands, connects to the gateway (HELLO, IDENTIFY, READY, heartbeats) and
receives the INTERACTION_CREATE events that tests push: slash commands (``slash``),
autocomplete (``autocomplete``), button clicks and menu picks (``click``). Everything the
bot sends back is recorded: interaction callbacks, edits of the original response,
follow-ups and channel messages, as message objects in ``messages``.

Every payload is validated against Discord's limits (``discord_limits``): a bad one gets
400 "Invalid Form Body" and lands in ``violations``. Faults: ``fail`` answers matching
requests with any status (429 with rate-limit headers, and ``Via`` so discord.py treats it
as Discord's own limiter), ``lose`` makes a channel answer 403 Missing Access or 404 Unknown
Channel from then on.

Answers are JSON with a Content-Type of exactly ``application/json`` (discord.py parses only
that); gateway frames are sent uncompressed, as text, which discord.py accepts.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes import discord_limits as limits
from tests.fakes.discord_objects import (
    ALICE,
    ANSWERED_TYPES,
    APP_ID,
    BOB,
    BOT,
    CHANNEL_ID,
    EPHEMERAL,
    GUILD_ID,
    LOADING,
    MANAGE_CHANNELS,
    MEMBER_PERMISSIONS,
    THREAD_ID,
    Exchange,
    Fault,
    Place,
    User,
    command_permissions,
    dm,
    error_response,
    interaction_payload,
    json_response,
    message_object,
    now_iso,
    text_channel,
    thread,
)

__all__ = [
    "ALICE", "APP_ID", "BOB", "CHANNEL_ID", "EPHEMERAL", "GUILD_ID", "MANAGE_CHANNELS",
    "MEMBER_PERMISSIONS", "THREAD_ID", "Exchange", "FakeDiscord", "Place", "User", "dm",
    "text_channel", "thread",
]  # fmt: skip


class FakeDiscord:
    """Discord's REST API and gateway, enough for discord.py to run slash commands."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.channel_messages: dict[int, list[int]] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.exchanges: dict[str, Exchange] = {}
        self.identifies: list[dict[str, Any]] = []
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self.lost: dict[int, web.Response] = {}
        self._ids = itertools.count(960000000000000000)
        self._sockets: list[tuple[web.WebSocketResponse, list[int], list[int]]] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        for socket, _, _ in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- faults ------------------------------------------------------------------------

    def fail(
        self,
        pattern: str,
        status: int,
        *,
        code: int = 0,
        message: str = "",
        retry_after: float | None = None,
        via: bool = True,
        times: int | None = 1,
    ) -> None:
        """Answer the next ``times`` requests matching ``pattern`` (a regex) with an error."""
        body: dict[str, Any] = {"code": code, "message": message or f"HTTP {status}"}
        headers: dict[str, str] = {}
        if status == 429:
            after = 1.0 if retry_after is None else retry_after
            body = {"message": "You are being rate limited.", "retry_after": after, "global": False}
            headers = {
                "Retry-After": str(max(1, round(after))),
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": str(after),
                "X-RateLimit-Bucket": "fake-bucket",
                "X-RateLimit-Scope": "user",
            }
            if via:
                headers["Via"] = "1.1 google"
        self.faults.append(Fault(pattern, status, body, headers, times))

    def lose(self, channel_id: int, *, status: int = 403) -> None:
        """From now on the bot may not post in ``channel_id`` (403 Missing Access or 404)."""
        if status == 404:
            self.lost[channel_id] = error_response(404, 10003, "Unknown Channel")
        else:
            self.lost[channel_id] = error_response(403, 50001, "Missing Access")

    def _fault(self, key: str) -> web.Response | None:
        for fault in self.faults:
            if fault.times != 0 and re.fullmatch(fault.pattern, key):
                if fault.times is not None:
                    fault.times -= 1
                return json_response(fault.body, fault.status, fault.headers)
        return None

    # -- waiting -----------------------------------------------------------------------

    async def wait(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked after every request)."""

        async def until() -> Any:
            async with self._changed:
                while not (value := predicate()):
                    await self._changed.wait()
                return value

        return await asyncio.wait_for(until(), timeout)

    async def _touch(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def connected(self, scope: int | None = None) -> None:
        """Wait until a bot has synced its commands (globally, or to guild ``scope``) and
        identified on the gateway: from then on it receives what tests push."""
        await self.wait(lambda: scope in self.commands and self.identifies)

    async def answered(self, exchange: Exchange, messages: int = 1) -> list[dict[str, Any]]:
        """The visible messages of an exchange once it has ``messages`` of them, loaded."""

        def ready() -> list[dict[str, Any]] | None:
            shown = self.shown(exchange)
            loaded = all(not message["flags"] & LOADING for message in shown)
            return shown if len(shown) >= messages and loaded else None

        return await self.wait(ready)  # type: ignore[no-any-return]

    def shown(self, exchange: Exchange) -> list[dict[str, Any]]:
        """The messages the exchange produced, as they stand (original first)."""
        ids = [] if exchange.original is None or exchange.deleted_original else [exchange.original]
        return [self.messages[message_id] for message_id in [*ids, *exchange.followups]]

    def posted(self, channel_id: int) -> list[dict[str, Any]]:
        """Messages posted to a channel through ``POST /channels/{id}/messages``."""
        return [
            self.messages[message_id] for message_id in self.channel_messages.get(channel_id, [])
        ]

    # -- gateway -----------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        shard, sequence = [0, 1], [0]
        self._sockets.append((socket, shard, sequence))
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            if message["op"] == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif message["op"] == 2:
                self.identifies.append(message["d"])
                shard[:] = message["d"].get("shard", [0, 1])
                await self._send(socket, sequence, "READY", self._ready(shard))
                await self._touch()
            elif message["op"] == 6:
                await self._send(socket, sequence, "RESUMED", {})
        self._sockets = [entry for entry in self._sockets if entry[0] is not socket]
        return socket

    def _ready(self, shard: list[int]) -> dict[str, Any]:
        return {
            "v": 10,
            "user": {**BOT, "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [],
            "session_id": f"session-{next(self._ids)}",
            "resume_gateway_url": self.gateway_url,
            "shard": shard,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
        }

    async def _send(
        self, socket: web.WebSocketResponse, sequence: list[int], event: str, data: dict[str, Any]
    ) -> None:
        sequence[0] += 1
        await socket.send_json({"op": 0, "t": event, "s": sequence[0], "d": data})

    async def dispatch(self, event: str, data: dict[str, Any], guild_id: int | None = None) -> None:
        """Send a gateway event to the session of the shard that owns ``guild_id``."""
        for socket, shard, sequence in self._sockets:
            shard_id, count = shard
            if (guild_id >> 22) % count == shard_id if guild_id else shard_id == 0:
                await self._send(socket, sequence, event, data)
                return
        raise AssertionError(f"no gateway session for guild {guild_id}")

    # -- pushing interactions ----------------------------------------------------------

    async def slash(
        self,
        name: str,
        *,
        user: User = ALICE,
        place: Place | None = None,
        permissions: int = MEMBER_PERMISSIONS,
        **options: Any,
    ) -> Exchange:
        """The user runs ``/name option:value …``; options are typed as the command declares."""
        place = place or text_channel()
        command = self._command(name, place)
        kinds = {option["name"]: option["type"] for option in command.get("options", [])}
        given = [
            {"name": key, "type": kinds[key], "value": value}
            for key, value in options.items()
            if value is not None
        ]
        data = {"id": command["id"], "name": name, "type": 1, "options": given}
        return await self._push(2, data, user, place, permissions)

    async def autocomplete(
        self, name: str, option: str, typed: str, *, user: User = ALICE, place: Place | None = None
    ) -> Exchange:
        """The user types ``typed`` into ``option`` of ``/name``."""
        place = place or text_channel()
        command = self._command(name, place)
        data = {
            "id": command["id"],
            "name": name,
            "type": 1,
            "options": [{"name": option, "type": 3, "value": typed, "focused": True}],
        }
        return await self._push(4, data, user, place, MEMBER_PERMISSIONS)

    async def click(
        self,
        message: dict[str, Any],
        custom_id: str,
        *,
        user: User = ALICE,
        values: list[str] | None = None,
    ) -> Exchange:
        """The user presses a button (or picks ``values`` in a menu) of ``message``."""
        exchange = self._exchange_of(int(message["id"]))
        place = exchange.place if exchange else text_channel(int(message["channel_id"]))
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 3 if values else 2}
        if values:
            data["values"] = values
        return await self._push(3, data, user, place, MEMBER_PERMISSIONS, message)

    def _command(self, name: str, place: Place) -> dict[str, Any]:
        scopes = [place.guild_id, None] if place.guild_id else [None]
        for scope in scopes:
            for command in self.commands.get(scope, []):
                if command["name"] == name:
                    return command
        raise AssertionError(f"/{name} was not synced")

    async def _push(
        self,
        kind: int,
        data: dict[str, Any],
        user: User,
        place: Place,
        permissions: int,
        message: dict[str, Any] | None = None,
    ) -> Exchange:
        number = next(self._ids)
        exchange = Exchange(number, f"token-{number}", kind, user, place)
        self.exchanges[exchange.token] = exchange
        payload = interaction_payload(exchange, data, permissions)
        if message is not None:
            payload["message"] = message
            exchange.message_id = int(message["id"])
        await self.dispatch("INTERACTION_CREATE", payload, place.guild_id)
        return exchange

    def _exchange_of(self, message_id: int) -> Exchange | None:
        for exchange in self.exchanges.values():
            if message_id == exchange.original or message_id in exchange.followups:
                return exchange
        return None

    # -- REST --------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body = await request.json() if request.can_read_body else None
        self.requests.append((request.method, path, body))
        try:
            key = f"{request.method} {path}"
            response = self._fault(key) or await self._route(request.method, path, body)
        finally:
            await self._touch()
        return response

    async def _route(self, method: str, path: str, body: Any) -> web.Response:
        for pattern, handler in self._routes():
            match = re.fullmatch(pattern, f"{method} {path}")
            if match:
                return handler(body, *match.groups())
        return error_response(404, 0, f"the fake does not know {method} {path}")

    def _routes(self) -> list[tuple[str, Callable[..., web.Response]]]:
        return [
            (r"GET /users/@me", lambda _: json_response({**BOT, "flags": 0})),
            (r"GET /oauth2/applications/@me", lambda _: json_response(self._application())),
            (r"GET /gateway(?:/bot)?", lambda _: json_response(self._gateway_info())),
            (r"PUT /applications/\d+/commands", self._sync),
            (r"PUT /applications/\d+/guilds/(\d+)/commands", self._sync),
            (r"POST /interactions/(\d+)/([^/]+)/callback", self._callback),
            (r"PATCH /webhooks/\d+/([^/]+)/messages/(@original|\d+)", self._edit),
            (r"GET /webhooks/\d+/([^/]+)/messages/(@original|\d+)", self._get),
            (r"DELETE /webhooks/\d+/([^/]+)/messages/@original", self._delete),
            (r"POST /webhooks/\d+/([^/]+)", self._followup),
            (r"POST /channels/(\d+)/messages", self._channel_message),
        ]

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(APP_ID),
            "name": "listbot",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": BOB.payload(),
            "flags": 0,
            "team": None,
            "summary": "",
        }

    def _gateway_info(self) -> dict[str, Any]:
        return {
            "url": self.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }

    def _sync(self, body: list[dict[str, Any]], guild: str | None = None) -> web.Response:
        problems = [problem for command in body for problem in limits.command_problems(command)]
        if len(body) > 100:
            problems.append("more than 100 commands")
        if problems:
            return self._invalid(problems)
        synced = [
            {
                **command,
                "id": str(next(self._ids)),
                "application_id": str(APP_ID),
                "version": "1",
                "guild_id": guild,
                "default_member_permissions": command_permissions(command),
            }
            for command in body
        ]
        self.commands[int(guild) if guild else None] = synced
        return json_response(synced)

    def _invalid(self, problems: list[str]) -> web.Response:
        self.violations += problems
        errors = {"_errors": [{"code": "INVALID", "message": problem} for problem in problems]}
        return error_response(400, 50035, "Invalid Form Body", errors=errors)

    def _callback(self, body: dict[str, Any], interaction_id: str, token: str) -> web.Response:
        exchange = self.exchanges.get(token)
        if exchange is None or str(exchange.id) != interaction_id:
            return error_response(404, 10062, "Unknown interaction")
        if exchange.callbacks:
            return error_response(400, 40060, "Interaction has already been acknowledged.")
        data, kind = body.get("data") or {}, body["type"]
        problems = limits.choices_problems(data.get("choices", [])) if kind == 8 else []
        problems += limits.message_problems(data) if kind in (4, 7) else []
        if problems or kind not in ANSWERED_TYPES:
            return self._invalid(problems or [f"callback type {kind}"])
        exchange.callbacks.append(body)
        return json_response(self._acknowledge(exchange, kind, data))

    def _acknowledge(self, exchange: Exchange, kind: int, data: dict[str, Any]) -> dict[str, Any]:
        flags = data.get("flags", 0) & EPHEMERAL
        message: dict[str, Any] | None = None
        if kind in (4, 5):
            loading = LOADING if kind == 5 else 0
            message = self._create(exchange.place.channel_id, data, flags | loading, exchange)
            exchange.original = int(message["id"])
        elif kind == 7:
            message = self._update(exchange.message_id or 0, data)
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(exchange.id),
                "type": exchange.type,
                "response_message_id": message["id"] if message else None,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(flags),
            }
        }
        if message is not None:
            answer["resource"] = {"type": kind, "message": message}
        return answer

    def _original(self, exchange: Exchange) -> int | None:
        """The response message; for a click answered by an update, the clicked message."""
        return exchange.original if exchange.original is not None else exchange.message_id

    def _edit(self, body: dict[str, Any], token: str, which: str) -> web.Response:
        exchange = self.exchanges.get(token)
        target = (
            (self._original(exchange) if which == "@original" else int(which)) if exchange else None
        )
        if target is None or target not in self.messages:
            return error_response(404, 10008, "Unknown Message")
        problems = limits.message_problems(body)
        if problems:
            return self._invalid(problems)
        return json_response(self._update(target, body))

    def _get(self, _: Any, token: str, which: str) -> web.Response:
        exchange = self.exchanges.get(token)
        target = (
            (self._original(exchange) if which == "@original" else int(which)) if exchange else None
        )
        if target is None:
            return error_response(404, 10008, "Unknown Message")
        return json_response(self.messages[target])

    def _delete(self, _: Any, token: str) -> web.Response:
        exchange = self.exchanges.get(token)
        if exchange is None or exchange.original is None:
            return error_response(404, 10008, "Unknown Message")
        exchange.deleted_original = True
        return web.Response(status=204)

    def _followup(self, body: dict[str, Any], token: str) -> web.Response:
        exchange = self.exchanges.get(token)
        if exchange is None or not exchange.callbacks:
            return error_response(404, 10015, "Unknown Webhook")
        problems = limits.message_problems(body)
        if problems:
            return self._invalid(problems)
        message = self._create(
            exchange.place.channel_id, body, body.get("flags", 0) & EPHEMERAL, exchange
        )
        exchange.followups.append(int(message["id"]))
        return json_response(message)

    def _channel_message(self, body: dict[str, Any], channel: str) -> web.Response:
        if int(channel) in self.lost:
            return self.lost[int(channel)]
        problems = limits.message_problems(body)
        if problems:
            return self._invalid(problems)
        message = self._create(int(channel), body, 0, None)
        self.channel_messages.setdefault(int(channel), []).append(int(message["id"]))
        return json_response(message)

    # -- messages ----------------------------------------------------------------------

    def _create(
        self, channel_id: int, body: dict[str, Any], flags: int, exchange: Exchange | None
    ) -> dict[str, Any]:
        number = next(self._ids)
        message = message_object(number, channel_id, body, flags, exchange)
        self.messages[number] = message
        return message

    def _update(self, message_id: int, body: dict[str, Any]) -> dict[str, Any]:
        message = self.messages[message_id]
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = (
                    body[key] if body[key] is not None else ([] if key != "content" else "")
                )
        message["flags"] &= ~LOADING
        message["edited_timestamp"] = now_iso()
        return message
