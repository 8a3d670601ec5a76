"""The command menu (setMyCommands): everyone's, and a fuller one in each maintainer's chat."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from telegram_bot.core import CommandInfo
from telegram_bot.handlers import COMMAND_NAME

log = logging.getLogger(__name__)
DESCRIPTION_CHARS = 256
MENU_SIZE = 100
MAINTAINER_COMMANDS = frozenset({"announce", "held"})
"""Shown only in the maintainers' private chats (the core refuses them to anyone else)."""


def bot_commands(commands: Sequence[CommandInfo], hide: Collection[str] = ()) -> list[BotCommand]:
    """Menu entries: /start first, valid names only, descriptions within 256 characters."""
    menu = [BotCommand("start", "What listbot is and how to use it")]
    for name, description in commands:
        if COMMAND_NAME.match(name) and name not in hide:
            menu.append(BotCommand(name, (description.strip() or name)[:DESCRIPTION_CHARS]))
    return list({c.command: c for c in menu}.values())[:MENU_SIZE]


async def publish_menus(
    bot: Bot, commands: Sequence[CommandInfo], maintainers: Sequence[str]
) -> None:
    """Register the public menu, then the full one for each maintainer who has a chat with us."""
    await bot.set_my_commands(bot_commands(commands, hide=MAINTAINER_COMMANDS))
    full = bot_commands(commands)
    for user_id in maintainers:
        if not user_id.isdigit():
            continue
        try:
            await bot.set_my_commands(full, scope=BotCommandScopeChat(int(user_id)))
        except TelegramError as error:  # e.g. the maintainer has not started the bot yet
            log.warning("no maintainer menu for %s: %s", user_id, error.message)
