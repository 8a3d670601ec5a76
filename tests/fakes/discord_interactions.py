"""The fake Discord's message routes: interaction callbacks, their messages, channel posts.

A mixin of ``FakeDiscord``. An interaction takes one response, of a type valid for it and
within 3 seconds; the callback answers ``{"interaction": …, "resource": …}``; the original
response can be fetched, edited and deleted, and follow-ups posted, by the interaction's token;
a channel message is refused for a lost channel. Every message is checked against the limits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from aiohttp import web

from tests.fakes import discord_limits as limits
from tests.fakes.discord_objects import (
    EPHEMERAL,
    LOADING,
    Exchange,
    error_response,
    json_response,
    message_object,
    now_iso,
)


class InteractionRoutes:
    """Answering interactions, and the messages they create."""

    exchanges: dict[str, Exchange]
    messages: dict[int, dict[str, Any]]
    channel_messages: dict[int, list[int]]
    lost: dict[int, web.Response]
    violations: list[str]
    _ids: Iterator[int]

    def _callback(self, body: dict[str, Any], interaction_id: str, token: str) -> web.Response:
        exchange = self.exchanges.get(token)
        if exchange is None or str(exchange.id) != interaction_id or self._expired(exchange):
            return error_response(404, 10062, "Unknown interaction")
        if exchange.callbacks:
            return error_response(400, 40060, "Interaction has already been acknowledged.")
        data, kind = body.get("data") or {}, body.get("type")
        problems = limits.callback_problems(exchange.type, kind, data)
        if problems:
            return self._invalid(problems)
        exchange.callbacks.append(body)
        return json_response(self._acknowledge(exchange, int(kind or 0), data))

    def _expired(self, exchange: Exchange) -> bool:
        """Discord forgets an interaction not acknowledged within 3 seconds."""
        return asyncio.get_running_loop().time() - exchange.created > limits.ACKNOWLEDGE_WITHIN

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

    def _target(self, token: str, which: str) -> int | None:
        """The message a webhook route names: the original response, or one of the
        interaction's own follow-ups (any other id is unknown to this token, as on Discord)."""
        exchange = self.exchanges.get(token)
        if exchange is None:
            return None
        if which == "@original":
            return self._original(exchange)
        own = {self._original(exchange), *exchange.followups}
        return int(which) if int(which) in own else None

    def _edit(self, body: dict[str, Any], token: str, which: str) -> web.Response:
        target = self._target(token, which)
        if target is None or target not in self.messages:
            return error_response(404, 10008, "Unknown Message")
        problems = limits.message_problems(body)
        if problems:
            return self._invalid(problems)
        return json_response(self._update(target, body))

    def _get(self, _: Any, token: str, which: str) -> web.Response:
        target = self._target(token, which)
        if target is None or target not in self.messages:
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
        problems = limits.message_problems(body, creating=True)
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
        problems = limits.message_problems(body, creating=True)
        if problems:
            return self._invalid(problems)
        nonce = str(body["nonce"]) if body.get("nonce") is not None else None
        seen = (
            self.nonces.get((int(channel), nonce)) if nonce and body.get("enforce_nonce") else None
        )
        if seen is not None:  # Discord returns the message that nonce already created
            return json_response(self.messages[seen])
        message = self._create(int(channel), body, 0, None)
        self.channel_messages.setdefault(int(channel), []).append(int(message["id"]))
        if nonce:
            self.nonces[(int(channel), nonce)] = int(message["id"])
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

    def _invalid(self, problems: list[str]) -> web.Response:
        self.violations += problems
        if problems == [limits.EMPTY]:
            return error_response(400, 50006, limits.EMPTY)
        errors = {"_errors": [{"code": "INVALID", "message": problem} for problem in problems]}
        return error_response(400, 50035, "Invalid Form Body", errors=errors)
