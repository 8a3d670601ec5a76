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
Channel from then on. Every answer carries Discord's rate-limit headers, and ``limit`` makes a
route's bucket small: a request beyond it gets 429 (``discord_ratelimits``).

Interactions behave as Discord's: one response each, of a type valid for the interaction
(autocomplete cannot be deferred), within 3 seconds (else 404 Unknown interaction); the
callback answers ``{"interaction": …, "resource": …}`` only with ``?with_response``, a
follow-up answers its message only with ``?wait=true`` (else 204).

Answers are JSON with a Content-Type of exactly ``application/json`` (discord.py parses only
that); gateway frames are sent uncompressed, as text, which discord.py accepts.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from tests.fakes import discord_limits as limits
from tests.fakes.discord_gateway import GatewaySide
from tests.fakes.discord_interactions import InteractionRoutes
from tests.fakes.discord_objects import (
    ALICE,
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
    json_response,
    text_channel,
    thread,
)
from tests.fakes.discord_ratelimits import RateLimits, limited_body, limited_headers

__all__ = [
    "ALICE", "APP_ID", "BOB", "CHANNEL_ID", "EPHEMERAL", "GUILD_ID", "MANAGE_CHANNELS",
    "MEMBER_PERMISSIONS", "THREAD_ID", "Exchange", "FakeDiscord", "Place", "User", "dm",
    "text_channel", "thread",
]  # fmt: skip


class FakeDiscord(GatewaySide, InteractionRoutes):
    """Discord's REST API and gateway, enough for discord.py to run slash commands."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.channel_messages: dict[int, list[int]] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.exchanges: dict[str, Exchange] = {}
        self.identifies: list[dict[str, Any]] = []
        self.closed_with: list[int] = []
        """Gateway close codes the fake refused an IDENTIFY with (4010, 4014)."""
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self.lost: dict[int, web.Response] = {}
        self.nonces: dict[tuple[int, str], int] = {}
        """(channel, nonce) -> message id, for ``enforce_nonce``."""
        self.rate_limits = RateLimits()
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
        is_global: bool = False,
        times: int | None = 1,
    ) -> None:
        """Answer the next ``times`` requests matching ``pattern`` (a regex) with an error.

        A 429 carries Discord's body and headers (``Retry-After``, ``X-RateLimit-*``, and
        ``Via`` unless ``via`` is false, as from a proxy that is not Discord's limiter).
        """
        body: dict[str, Any] = {"code": code, "message": message or f"HTTP {status}"}
        headers: dict[str, str] = {}
        if status == 429:
            after = 1.0 if retry_after is None else retry_after
            body = limited_body(after, is_global=is_global)
            headers = limited_headers(after, scope="global" if is_global else "user")
            if not via:
                del headers["Via"]
        self.faults.append(Fault(pattern, status, body, headers, times))

    def limit(self, pattern: str, limit: int, per: float) -> None:
        """Requests matching ``pattern`` may be made ``limit`` times every ``per`` seconds;
        the headers say so, and a request beyond gets 429 (recorded in ``rate_limits``)."""
        self.rate_limits.limit(pattern, limit, per)

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

    # -- REST --------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body = await request.json() if request.can_read_body else None
        self.requests.append((request.method, path, body))
        key = f"{request.method} {path}"
        try:
            allowed, headers = self.rate_limits.check(key, asyncio.get_running_loop().time())
            if not allowed:
                after = float(headers["X-RateLimit-Reset-After"])
                return json_response(limited_body(after), 429, headers)
            response = self._fault(key) or await self._route(key, body, request.query)
        finally:
            await self._touch()
        if response.status != 429:  # a 429 carries its own headers (or, from a proxy, none)
            response.headers.update(headers)
        return response

    async def _route(self, key: str, body: Any, query: Mapping[str, str]) -> web.Response:
        for pattern, handler in self._routes():
            match = re.fullmatch(pattern, key)
            if match:
                answer: web.Response = handler(body, *match.groups())
                return _unless_asked(answer, query, key)
        return error_response(404, 0, f"the fake does not know {key}")

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


ASKED_FOR_THE_BODY = (
    (re.compile(r"POST /interactions/.*"), "with_response"),
    (re.compile(r"POST /webhooks/\d+/[^/]+"), "wait"),
)


def _unless_asked(answer: web.Response, query: Mapping[str, str], key: str) -> web.Response:
    """Discord answers a callback (without ``with_response``) or a follow-up (without
    ``wait``) with 204 No Content; the body only when asked for."""
    if answer.status != 200:
        return answer
    for pattern, flag in ASKED_FOR_THE_BODY:
        if pattern.fullmatch(key) and query.get(flag, "").lower() not in ("1", "true"):
            return web.Response(status=204)
    return answer
