"""``python -m discord_bot``: run listbot on Discord alone, over the bundled list.

Reads ``LISTBOT_DISCORD_TOKEN`` (and optionally ``LISTBOT_DISCORD_GUILDS``, comma-separated
ids). Subscriptions, announcements and deliveries need ``listbot serve``; this runs the read
commands only. Stop it with Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from discord_bot.adapter import DiscordAdapter
from discord_bot.options import DiscordOptions


async def run(options: DiscordOptions) -> None:
    """Start the adapter over the bundled list and run until cancelled."""
    from listbot.app import Listbot
    from listbot.catalog.bundle import load_bundled

    adapter = DiscordAdapter(Listbot(load_bundled()), options)
    await adapter.start()
    try:
        await adapter.wait_until_ready()
        logging.getLogger(__name__).info("listbot is online on Discord")
        await asyncio.Event().wait()
    finally:
        await adapter.stop()


def main() -> None:
    """Entry point of ``python -m discord_bot``."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    options = DiscordOptions.from_environment()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(options))


if __name__ == "__main__":
    main()
