"""What the adapter needs from listbot's core, and who is asking, in the core's terms."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

import discord

from listbot.context import Actor, Chat, ChatKind
from listbot.replies import Reply

PLATFORM = "discord"
Interaction = discord.Interaction[discord.Client]
T = TypeVar("T")


class Core(Protocol):
    """The slice of ``listbot.app.Listbot`` the adapter uses (sync or async methods both fit)."""

    def handle(self, text: str, actor: Actor) -> Reply | Awaitable[Reply]:
        """Answer one command line, such as ``/paper flashattention``."""
        ...

    def press(self, data: str, actor: Actor) -> Reply | Awaitable[Reply]:
        """Answer a pressed button or a picked choice (its encoded ``Action``)."""
        ...

    def complete_papers(self, prefix: str, limit: int = 25) -> Sequence[str | tuple[str, str]]:
        """Autocomplete choices for a paper: ``(label, paper_id)`` pairs."""
        ...

    def complete_topics(self, prefix: str, limit: int = 25) -> Sequence[str | tuple[str, str]]:
        """Autocomplete choices for a topic: names, or ``(label, value)`` pairs."""
        ...


Renderer = Callable[[Reply], Sequence[Mapping[str, Any]]]
"""``listbot.render.discord.render_discord``: a reply as Discord message payloads."""


async def resolve(value: T | Awaitable[T]) -> T:
    """The value of a core call that may or may not be a coroutine."""
    if inspect.isawaitable(value):
        result: T = await value
        return result
    return value


def chat_of(interaction: Interaction) -> Chat:
    """The chat an interaction came from; a thread is its parent channel plus the thread id."""
    channel = interaction.channel
    if isinstance(channel, discord.Thread):
        return Chat(PLATFORM, str(channel.parent_id), str(channel.id), ChatKind.GROUP)
    if interaction.guild_id is None:
        return Chat(PLATFORM, str(interaction.channel_id), None, ChatKind.PRIVATE)
    news = isinstance(channel, discord.TextChannel) and channel.is_news()
    return Chat(PLATFORM, str(interaction.channel_id), None, _kind(news))


def _kind(news: bool) -> ChatKind:
    return ChatKind.CHANNEL if news else ChatKind.GROUP


def actor_of(interaction: Interaction) -> Actor:
    """Who is asking: the user, their chat, and whether they may manage that chat.

    In a guild that is the Manage Channels permission, resolved by Discord for this channel;
    in a DM the user always manages their own chat.
    """
    chat = chat_of(interaction)
    admin = chat.kind is ChatKind.PRIVATE or interaction.permissions.manage_channels
    user = interaction.user
    return Actor(str(user.id), user.display_name, chat, is_chat_admin=admin)


def command_text(name: str, *args: object) -> str:
    """The core's command line for a slash command: ``/name arg …``, skipping empty ones."""
    words = [str(arg).strip() for arg in args if arg is not None and str(arg).strip()]
    return " ".join([f"/{name}", *words])
