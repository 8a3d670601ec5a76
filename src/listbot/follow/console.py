"""The console's part in following: a Sender that prints, and a Follow wired to it.

follow = console_follow("var/console.sqlite3")  # `listbot chat`'s own store
bot = Listbot(bundle, extra=[follow.commands()])   # /subscribe works in `listbot chat`
await follow.worker.drain()                          # print what is due
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from listbot.context import Chat
from listbot.follow.config import FollowConfig
from listbot.follow.service import Follow
from listbot.store.sqlite import SqliteStore

CONSOLE = "console"


class ConsoleSender:
    """Posts by printing the plain-text payload."""

    platform = CONSOLE

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out
        self._ids = itertools.count(1)

    async def send(self, chat: Chat, payload: Mapping[str, Any], *, key: str | None = None) -> str:
        """Print the message; its id is a counter."""
        out = self._out or sys.stdout
        print(f"--- to {chat.platform}:{chat.chat_id} ---", file=out)
        print(payload.get("text") or payload.get("content") or payload, file=out)
        return str(next(self._ids))


CONSOLE_CONFIG = FollowConfig(maintainers={CONSOLE: frozenset({CONSOLE})})
"""The person at the console maintains their own console: /announce and /held work there."""


def console_follow(store_path: str | Path, config: FollowConfig | None = None) -> Follow:
    """A Follow over the SQLite store at ``store_path`` that delivers console rows by printing."""
    return Follow(
        SqliteStore(store_path), config or CONSOLE_CONFIG, senders={CONSOLE: ConsoleSender()}
    )
