"""Webhook mode: a small aiohttp server that checks Telegram's secret token and queues updates.

It feeds ``application.update_queue`` exactly as PTB's own webhook does, but runs on the
event loop it is started in, so ``listbot serve`` can share one loop with other adapters.
"""

from __future__ import annotations

import hmac
import logging
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from telegram_bot.core import App

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookServer:
    """Receives updates at the path of ``url``; requests without the secret get 403."""

    def __init__(
        self, application: App, *, url: str, secret_token: str, listen: str, port: int
    ) -> None:
        self.application = application
        self.path = urlsplit(url).path or "/"
        self._secret = secret_token.encode()
        self._listen, self._port = listen, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen for Telegram's POSTs."""
        app = web.Application()
        app.router.add_post(self.path, self.receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._listen, self._port).start()

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def port(self) -> int:
        """The port actually bound (useful when configured as 0)."""
        assert self._runner is not None
        address: tuple[str, int] = self._runner.addresses[0]
        return address[1]

    async def receive(self, request: web.Request) -> web.Response:
        """Queue one update after checking the secret token."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook request without the right secret token from %s", request.remote)
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), self.application.bot)
        except (ValueError, TypeError, AttributeError):  # not JSON, or not an Update
            return web.Response(status=400)
        await self.application.update_queue.put(update)
        return web.Response()
