"""The Telegram adapter: a PTB ``Application`` over listbot's core, started inside a running loop.

``TelegramAdapter(core, settings)`` builds everything without touching the network;
``await start()`` calls getMe, registers the commands (setMyCommands) and starts long
polling (or the webhook) for exactly the update kinds it handles; ``await stop()``
reverses it. ``sender`` is the delivery port; ``on_chat_moved`` the hook for group upgrades.
"""

from __future__ import annotations

import logging
import os
import secrets

from telegram.ext import ApplicationBuilder, Defaults

from telegram_bot.actors import AdminCache
from telegram_bot.core import App, Core
from telegram_bot.handlers import ALLOWED_UPDATES, ChatMovedHook, register
from telegram_bot.menu import publish_menus
from telegram_bot.redaction import TokenRedaction
from telegram_bot.sender import TelegramSender
from telegram_bot.settings import BotSettings
from telegram_bot.webhook import WebhookServer

log = logging.getLogger(__name__)


def build_application(settings: BotSettings) -> App:
    """A PTB application from explicit settings; no job queue (listbot schedules its own jobs).

    Replies in groups quote the command, but are sent even when it was deleted meanwhile
    (``allow_sending_without_reply``). Opts in to PTB's ``timedelta`` durations
    (``PTB_TIMEDELTA``): PTB 22 otherwise warns whenever Telegram answers 429.
    """
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .defaults(Defaults(allow_sending_without_reply=True))
        .job_queue(None)
    )
    if settings.mode == "webhook":
        builder = builder.updater(None)
    return builder.build()


class TelegramAdapter:
    """One bot: its application, handlers, sender, and the start/stop of its update source."""

    def __init__(
        self, core: Core, settings: BotSettings, *, on_chat_moved: ChatMovedHook | None = None
    ) -> None:
        self.settings = settings
        self.core = core
        self._redaction = TokenRedaction(settings.token)
        self._redaction.install()  # before PTB logs its URLs, which contain the token
        self.application = build_application(settings)
        self.admins = AdminCache(settings.admin_cache_seconds)
        self.handlers = register(self.application, core, self.admins)
        self.handlers.on_chat_moved = on_chat_moved
        self.sender = TelegramSender(self.application.bot)
        self.secret_token = settings.secret_token or secrets.token_urlsafe(32)
        self.webhook: WebhookServer | None = None

    @property
    def on_chat_moved(self) -> ChatMovedHook | None:
        """Called with ``(old, new)`` chat ids when a group is upgraded to a supergroup."""
        return self.handlers.on_chat_moved

    @on_chat_moved.setter
    def on_chat_moved(self, hook: ChatMovedHook | None) -> None:
        self.handlers.on_chat_moved = hook

    async def start(self) -> None:
        """Connect (getMe), register the commands, then take updates; returns once running."""
        app = self.application
        await app.initialize()
        await publish_menus(app.bot, self.core.commands(), self.settings.maintainers)
        await app.start()
        if self.settings.mode == "webhook":
            await self._start_webhook()
        else:
            await self._start_polling()
        log.info("telegram bot @%s started (%s)", app.bot.username, self.settings.mode)

    async def stop(self) -> None:
        """Stop taking updates, finish the ones in hand, close the connections."""
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if self.webhook is not None:
            await self.webhook.stop()
            self.webhook = None
        if app.running:
            await app.stop()
        await app.shutdown()
        self._redaction.uninstall()  # the filter stays only while this bot is alive

    async def _start_polling(self) -> None:
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            poll_interval=self.settings.poll_interval,
            timeout=int(self.settings.poll_timeout),
            allowed_updates=list(ALLOWED_UPDATES),
        )

    async def _start_webhook(self) -> None:
        url = self.settings.webhook_url or ""
        self.webhook = WebhookServer(
            self.application,
            url=url,
            secret_token=self.secret_token,
            listen=self.settings.listen,
            port=self.settings.port,
        )
        await self.webhook.start()
        await self.application.bot.set_webhook(
            url, secret_token=self.secret_token, allowed_updates=list(ALLOWED_UPDATES)
        )
