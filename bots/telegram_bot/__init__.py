"""listbot on Telegram: a python-telegram-bot 22 adapter over the platform-neutral core.

Construct ``TelegramAdapter(core, BotSettings(token=...))``, then ``await adapter.start()``
inside a running event loop and ``await adapter.stop()`` at shutdown; ``adapter.sender``
is the ``listbot.sender.Sender`` for deliveries, and ``adapter.on_chat_moved`` (set by
``listbot serve`` to the store's ``move_chat``) moves a group's subscriptions when Telegram
says it became a supergroup. ``python -m telegram_bot`` runs one bot from
``LISTBOT_TELEGRAM_TOKEN``.
"""

from __future__ import annotations

from telegram_bot.actors import AdminCache
from telegram_bot.adapter import TelegramAdapter, build_application
from telegram_bot.core import Core
from telegram_bot.handlers import register
from telegram_bot.redaction import TokenFilter, TokenRedaction
from telegram_bot.sender import TelegramSender, delivery_error
from telegram_bot.settings import BotSettings

__all__ = [
    "AdminCache",
    "BotSettings",
    "Core",
    "TelegramAdapter",
    "TelegramSender",
    "TokenFilter",
    "TokenRedaction",
    "build_application",
    "delivery_error",
    "register",
]
