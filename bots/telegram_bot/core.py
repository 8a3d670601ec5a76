"""What the adapter needs from listbot's core, as a port (``listbot.app.Listbot`` fits it)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Sequence
from typing import Any, Protocol, TypeVar

from telegram.ext import Application

from listbot.context import Actor
from listbot.replies import Reply

PLATFORM = "telegram"
T = TypeVar("T")
App = Application[Any, Any, Any, Any, Any, Any]
"""A PTB application of any bot, context and data types."""


CommandInfo = tuple[str, str]
"""A core command as Telegram's menu shows it: ``(name, description)``."""


class Core(Protocol):
    """The slice of the core the adapter uses (sync or async methods both fit)."""

    def handle(self, text: str, actor: Actor) -> Reply | Awaitable[Reply]:
        """Answer one message, such as ``/paper flashattention`` or ``kv cache``."""
        ...

    def press(self, data: str, actor: Actor) -> Reply | Awaitable[Reply]:
        """Answer a pressed button (its encoded ``Action``)."""
        ...

    def complete_papers(self, prefix: str, limit: int = 25) -> Sequence[tuple[str, str]]:
        """Papers matching ``prefix``: ``(label, paper_id)`` pairs, best first."""
        ...

    def commands(self) -> Sequence[CommandInfo]:
        """``(name, description)`` of every command, in the order /help lists them."""
        ...


async def resolve(value: T | Awaitable[T]) -> T:
    """The value of a core call that may or may not be a coroutine."""
    if inspect.isawaitable(value):
        result: T = await value
        return result
    return value
