"""The chat adapters as plugins: how ``listbot serve`` finds and runs them.

The core never imports an adapter. Each adapter package (``bots/telegram_bot``,
``bots/discord_bot``) declares a factory under the ``listbot.adapters`` entry-point
group in ``pyproject.toml``; ``listbot serve`` loads the factories of the platforms
the configuration enables and drives the adapters through this protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from listbot.app import Listbot
    from listbot.config import Settings
    from listbot.sender import Sender

ENTRY_POINT_GROUP = "listbot.adapters"


class Adapter(Protocol):
    """A running chat platform: takes messages in, and delivers through ``sender``."""

    @property
    def sender(self) -> Sender:
        """The delivery port of this platform."""
        ...

    async def start(self) -> None:
        """Connect and start taking updates; return once running."""
        ...

    async def stop(self) -> None:
        """Stop taking updates, finish those in hand, close connections."""
        ...


@runtime_checkable
class MovesChats(Protocol):
    """An adapter that learns of chat id changes itself (a Telegram group upgraded to a
    supergroup) and reports them through this hook, set by ``serve``."""

    on_chat_moved: Callable[[str, str], object] | None


class AdapterFactory(Protocol):
    """Builds an adapter from the validated configuration and the core (no network yet)."""

    def __call__(self, settings: Settings, core: Listbot) -> Adapter: ...


class AdapterMissing(Exception):
    """The configuration enables a platform whose adapter is not installed."""


def load_factory(platform: str) -> AdapterFactory:
    """The installed factory of ``platform`` (``telegram`` or ``discord``)."""
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name == platform:
            factory: AdapterFactory = entry.load()
            return factory
    raise AdapterMissing(
        f"no listbot adapter for {platform} is installed (entry point group {ENTRY_POINT_GROUP})"
    )
