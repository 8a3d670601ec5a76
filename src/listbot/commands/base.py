"""The command registry and what a handler is given.

A command is a name, aliases, a one-line description, a usage line and a handler
``(ctx, args) -> Reply``. Feature modules contribute commands as a *command set*
(any iterable of :class:`Command`) passed to ``Listbot(extra=...)`` or added with
:meth:`Registry.extend`. Handlers know no platform: they read the :class:`Context`
(who asks, the page a button asked for, the shared :class:`Services`) and return a
neutral :class:`~listbot.replies.Reply`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from listbot.catalog.history import EMPTY_HISTORY, History
from listbot.catalog.model import Catalog
from listbot.context import Actor
from listbot.replies import Reply

if TYPE_CHECKING:
    from listbot.catalog.bundle import Source
    from listbot.search import Searcher


@dataclass(frozen=True)
class Services:
    """The read side of the core that every command may use."""

    catalog: Catalog
    searcher: Searcher
    history: History = EMPTY_HISTORY
    source: Source | None = None
    first_seen: Mapping[str, dt.datetime] = field(default_factory=dict)
    """When each paper id was first seen by sync (from the follow store), if known."""
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    rng: random.Random = field(default_factory=random.Random)
    updated_at: dt.datetime | None = None
    """When the catalog answered from was synced from upstream (None: the bundled one)."""


@dataclass(frozen=True)
class Context:
    """Everything a handler is given besides its argument text."""

    actor: Actor
    services: Services
    registry: Registry
    page: int = 0
    """The page (0-based) a button asked for; 0 for a typed command."""
    pressed: bool = False
    """True when the command runs because a button or choice was pressed."""


Handler = Callable[[Context, str], Reply]


@dataclass(frozen=True)
class Command:
    """One command: ``/name args``."""

    name: str
    description: str
    """One line, shown in /help and registered with the platforms (at most 100 chars)."""
    handler: Handler
    usage: str = ""
    """The argument syntax, e.g. ``<query>`` or ``[n]``."""
    aliases: tuple[str, ...] = ()
    example: str = ""
    """A full example message, e.g. ``/paper flashattention``."""
    needs_args: bool = False
    """When True, an empty argument gets a usage answer instead of calling the handler."""
    group: str = "ask"
    """Where /help lists it: ``ask``, ``follow``, ``maintain``..."""


CommandSet = Iterable[Command]
"""What a feature module contributes: its commands, in the order /help shows them."""


class Registry:
    """Commands by name and alias."""

    def __init__(self, commands: CommandSet = ()) -> None:
        self._commands: dict[str, Command] = {}
        self._names: dict[str, str] = {}
        self.extend(commands)

    def add(self, command: Command) -> None:
        """Register ``command``; a later command with the same name replaces an earlier one."""
        self._commands[command.name] = command
        for name in (command.name, *command.aliases):
            self._names[name.lower()] = command.name

    def extend(self, commands: CommandSet) -> None:
        """Register every command of a command set."""
        for command in commands:
            self.add(command)

    def get(self, name: str) -> Command | None:
        """The command called ``name`` (or aliased so), case-insensitively."""
        canonical = self._names.get(name.lower())
        return self._commands[canonical] if canonical else None

    def commands(self) -> list[Command]:
        """Every command, in registration order."""
        return list(self._commands.values())

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Command names close to ``name`` (by name or alias), best first."""
        close = difflib.get_close_matches(name.lower(), list(self._names), n=n * 2, cutoff=0.6)
        if not close:
            close = [alias for alias in self._names if name and alias.startswith(name.lower())]
        names = dict.fromkeys(self._names[alias] for alias in close)
        return list(names)[:n]
