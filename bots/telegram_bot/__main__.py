"""``python -m telegram_bot``: run one bot over the bundled list, token from the environment.

Set ``LISTBOT_TELEGRAM_TOKEN`` (and optionally ``LISTBOT_TELEGRAM_BASE_URL`` for a local Bot
API server). Long polling; stops on Ctrl-C or SIGTERM. ``listbot serve`` is the full service.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys

from listbot.app import Listbot
from listbot.catalog.bundle import load_bundled
from listbot.logs import configure_logging
from telegram_bot.adapter import TelegramAdapter
from telegram_bot.settings import TOKEN_VARIABLE, BotSettings


async def run(adapter: TelegramAdapter) -> None:
    """Run ``adapter`` until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await adapter.start()
    try:
        await stop.wait()
    finally:
        await adapter.stop()


def main() -> int:
    """Build the core and the adapter, then run until interrupted."""
    settings = BotSettings.from_env(os.environ)
    if settings is None:
        print(f"Set {TOKEN_VARIABLE} to the token BotFather gave you.", file=sys.stderr)
        return 2
    configure_logging("INFO", secrets=[settings.token])
    asyncio.run(run(TelegramAdapter(Listbot(load_bundled()), settings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
