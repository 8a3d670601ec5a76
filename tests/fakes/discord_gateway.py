"""The fake Discord's gateway side: sessions, READY, and the interactions tests push.

A mixin of ``FakeDiscord``: its sessions answer HELLO, heartbeats, IDENTIFY (refused with
4014 for a privileged intent, 4010 for a bad shard, as Discord does) and RESUME; tests push
slash commands, autocomplete and clicks as INTERACTION_CREATE to the shard owning the guild.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Iterator
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes import discord_limits as limits
from tests.fakes.discord_objects import (
    ALICE,
    APP_ID,
    BOT,
    MEMBER_PERMISSIONS,
    Exchange,
    Place,
    User,
    interaction_payload,
    text_channel,
)

Socket = tuple[web.WebSocketResponse, list[int], list[int]]


class GatewaySide:
    """Gateway sessions and the interactions pushed through them."""

    identifies: list[dict[str, Any]]
    closed_with: list[int]
    commands: dict[int | None, list[dict[str, Any]]]
    exchanges: dict[str, Exchange]
    _ids: Iterator[int]
    _sockets: list[Socket]
    gateway_url: str

    def _touch(self) -> Awaitable[None]:
        """Wake whoever waits on the fake (``FakeDiscord`` implements it)."""
        raise NotImplementedError

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
                await self._touch()
                refusal = limits.identify_problem(message["d"])
                if refusal is not None:
                    self.closed_with.append(refusal[0])
                    await socket.close(code=refusal[0], message=refusal[1].encode())
                    break
                shard[:] = message["d"].get("shard", [0, 1])
                await self._send(socket, sequence, "READY", self._ready(shard))
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
        exchange.created = asyncio.get_running_loop().time()
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
