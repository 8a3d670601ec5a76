"""Commands: the platform-neutral answers of listbot.

Public API for feature modules and adapters:

- :class:`Command` (name, description, handler ``(ctx, args) -> Reply``, usage, aliases,
  example, ``needs_args``, ``group``) and :data:`CommandSet` (any iterable of commands);
- :class:`Registry` (``add``, ``extend``, ``get``, ``commands``, ``suggest``);
- :class:`Context` (``actor``, ``services``, ``registry``, ``page``, ``pressed``) and
  :class:`Services` (catalog, searcher, history, source, first_seen, clock, rng);
- :func:`core_commands`, the ask commands in /help order.
"""

from __future__ import annotations

from listbot.commands import ask, browse, info
from listbot.commands.base import Command, CommandSet, Context, Handler, Registry, Services

__all__ = ["Command", "CommandSet", "Context", "Handler", "Registry", "Services", "core_commands"]


def core_commands() -> list[Command]:
    """The ask commands: /paper, /search, /topics, /topic, /latest, /release, /random, ..."""
    return [*ask.COMMANDS, *browse.COMMANDS, *info.COMMANDS]
