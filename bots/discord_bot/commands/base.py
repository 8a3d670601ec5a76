"""What every feature's commands share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from discord import app_commands

from discord_bot.answering import Answerer

Command = app_commands.Command[Any, ..., None]


@dataclass(frozen=True, slots=True)
class Context:
    """Services the command handlers call."""

    answerer: Answerer
