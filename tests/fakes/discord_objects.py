"""The objects of the fake Discord: users, places, exchanges, and payloads as Discord sends them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

APP_ID = 900000000000000001
BOT = {
    "id": "900000000000000002",
    "username": "listbot",
    "discriminator": "0",
    "bot": True,
    "global_name": "listbot",
    "avatar": None,
}
GUILD_ID = 910000000000000000
CHANNEL_ID = 920000000000000000
THREAD_ID = 930000000000000000
MANAGE_CHANNELS = 1 << 4
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 38)
EPHEMERAL, LOADING = 64, 128


@dataclass(frozen=True)
class User:
    """Someone who uses slash commands."""

    id: int
    name: str

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": self.name,
            "avatar": None,
        }


ALICE = User(940000000000000001, "alice")
BOB = User(940000000000000002, "bob")


@dataclass(frozen=True)
class Place:
    """Where an interaction happens: a guild channel, a thread, or a DM."""

    channel: dict[str, Any]
    guild_id: int | None = GUILD_ID

    @property
    def channel_id(self) -> int:
        return int(self.channel["id"])


def text_channel(
    channel_id: int = CHANNEL_ID, *, news: bool = False, guild_id: int = GUILD_ID
) -> Place:
    """A text (or announcement) channel of a guild (the test guild by default)."""
    return Place(
        {
            "id": str(channel_id),
            "type": 5 if news else 0,
            "guild_id": str(guild_id),
            "name": "papers",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        },
        guild_id,
    )


def thread(thread_id: int = THREAD_ID, parent_id: int = CHANNEL_ID) -> Place:
    """A public thread of a text channel."""
    return Place(
        {
            "id": str(thread_id),
            "type": 11,
            "guild_id": str(GUILD_ID),
            "name": "kv",
            "parent_id": str(parent_id),
            "owner_id": str(ALICE.id),
            "flags": 0,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "thread_metadata": {
                "archived": False,
                "locked": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": now_iso(),
            },
        }
    )


def dm(user: User = ALICE, channel_id: int = 950000000000000001) -> Place:
    """A DM between ``user`` and the bot."""
    return Place(
        {"id": str(channel_id), "type": 1, "recipients": [user.payload()], "last_message_id": None},
        guild_id=None,
    )


@dataclass
class Fault:
    """An error answer for requests matching ``pattern`` (``"POST /channels/1/messages"``)."""

    pattern: str
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int | None = 1


@dataclass
class Exchange:
    """One interaction pushed to the bot, and everything the bot answered to it."""

    id: int
    token: str
    type: int
    user: User
    place: Place
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    original: int | None = None
    followups: list[int] = field(default_factory=list)
    deleted_original: bool = False
    message_id: int | None = None
    """For a click: the message whose component was used."""
    created: float = 0.0
    """When it was pushed (event loop time): it must be acknowledged within 3 seconds."""


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with a Content-Type of exactly ``application/json`` (no charset)."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def command_permissions(command: dict[str, Any]) -> str | None:
    """Discord answers a command's permission bits as a string (or null)."""
    value = command.get("default_member_permissions")
    return None if value is None else str(value)


def error_response(status: int, code: int, message: str, **extra: Any) -> web.Response:
    return json_response({"code": code, "message": message, **extra}, status)


def interaction_payload(
    exchange: Exchange, data: dict[str, Any], permissions: int
) -> dict[str, Any]:
    """The INTERACTION_CREATE data of an exchange, as Discord sends it."""
    place = exchange.place
    payload: dict[str, Any] = {
        "id": str(exchange.id),
        "application_id": str(APP_ID),
        "type": exchange.type,
        "data": data,
        "token": exchange.token,
        "version": 1,
        "locale": "en-US",
        "channel_id": str(place.channel_id),
        "channel": place.channel,
        "app_permissions": str(MEMBER_PERMISSIONS),
        "entitlements": [],
        "attachment_size_limit": 8388608,
        "context": 0 if place.guild_id else 1,
    }
    if place.guild_id is None:
        payload["user"] = exchange.user.payload()
        payload["authorizing_integration_owners"] = {"0": str(exchange.user.id)}
        return payload
    payload.update(
        guild_id=str(place.guild_id),
        guild_locale="en-US",
        guild={"id": str(place.guild_id), "locale": "en-US", "features": []},
        authorizing_integration_owners={"0": str(place.guild_id)},
    )
    payload["member"] = {
        "user": exchange.user.payload(),
        "roles": [],
        "joined_at": now_iso(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(permissions),
    }
    return payload


def message_object(
    number: int, channel_id: int, body: dict[str, Any], flags: int, exchange: Exchange | None
) -> dict[str, Any]:
    """A message as Discord returns it; one answering an interaction names its user."""
    message: dict[str, Any] = {
        "id": str(number),
        "channel_id": str(channel_id),
        "author": BOT,
        "content": body.get("content") or "",
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "pinned": False,
        "type": 20 if exchange else 0,
        "flags": flags,
        "components": body.get("components") or [],
        "application_id": str(APP_ID),
    }
    if exchange is not None:
        message["interaction_metadata"] = {
            "id": str(exchange.id),
            "type": exchange.type,
            "user": exchange.user.payload(),
            "authorizing_integration_owners": {},
        }
    return message
