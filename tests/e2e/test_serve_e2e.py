"""End to end: `listbot serve` as a subprocess, with both platforms and upstream faked locally."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp

from listbot.catalog.diff import diff
from listbot.catalog.parse import parse_catalog
from tests.fakes.discord_api import CHANNEL_ID, MANAGE_CHANNELS, MEMBER_PERMISSIONS, FakeDiscord
from tests.fakes.discord_harness import fake_discord
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_objects import group, private_chat, user
from tests.serve_support import (
    NEW,
    OLD,
    STARTUP,
    Upstream,
    serving,
    telegram_section,
    until,
    write_config,
)

ADA = user(1001, "Ada")
READERS = group(-1001234567890)


def config_for(
    tmp_path: Path, upstream: Upstream, discord: FakeDiscord, telegram: FakeTelegramAPI, port: int
) -> Path:
    """Both adapters on their fakes, and the health endpoint on ``port``."""
    discord_yaml = (
        f"discord:\n  token: ${{LISTBOT_DISCORD_TOKEN}}\n  api_base: {discord.api_base}\n"
        f"  gateway_url: {discord.gateway_url}\n"
    )
    http = f"http:\n  enabled: true\n  port: {port}\n"
    return write_config(tmp_path, upstream, discord_yaml, telegram_section(telegram.base_url), http)


async def both_connected(discord: FakeDiscord, telegram: FakeTelegramAPI, polls: int) -> None:
    await asyncio.wait_for(discord.connected(), STARTUP)
    await telegram.wait_for_count("getUpdates", polls, timeout=STARTUP)


def announcements(discord: FakeDiscord, telegram: FakeTelegramAPI) -> tuple[list[str], list[str]]:
    on_discord = [str(m) for m in discord.posted(CHANNEL_ID)]
    on_telegram = [m.get("text", "") for m in telegram.sent_to(READERS["id"])]
    return on_discord, [t for t in on_telegram if "Subscribed" not in t]


async def test_serve_answers_both_platforms_announces_once_and_restarts_cleanly(
    tmp_path: Path, unused_tcp_port: int
) -> None:
    """Both adapters answer; a new README is announced once on each; restart repeats nothing."""
    upstream = Upstream()
    await upstream.start()
    telegram = FakeTelegramAPI()
    await telegram.start()
    async with fake_discord() as discord:
        config = config_for(tmp_path, upstream, discord, telegram, unused_tcp_port)
        log = tmp_path / "serve.log"
        async with serving(config, log, telegram) as first:
            await both_connected(discord, telegram, 1)

            asked = await discord.slash("paper", query="flashattention-3")
            [answer] = await discord.answered(asked)
            assert "FlashAttention-3" in str(answer)
            telegram.send_text("/paper pagedattention", private_chat(ADA), ADA)
            reply = await telegram.wait_for("sendMessage", lambda c: "chat_id" in c.params)
            assert "PagedAttention" in reply.params["text"] or "vLLM" in reply.params["text"]

            subscribed = await discord.slash(
                "subscribe", permissions=MEMBER_PERMISSIONS | MANAGE_CHANNELS, kind="new"
            )
            await discord.answered(subscribed)
            telegram.make_admin(READERS["id"], ADA["id"])
            telegram.send_text("/subscribe new", READERS, ADA)
            await telegram.wait_for(
                "sendMessage", lambda c: int(c.params["chat_id"]) == READERS["id"]
            )
            url = f"http://127.0.0.1:{unused_tcp_port}/healthz"
            async with aiohttp.ClientSession() as http, http.get(url) as health:
                assert health.status == 200

            upstream.readme = NEW.read_text(encoding="utf-8")
            await discord.wait(lambda: discord.posted(CHANNEL_ID), timeout=STARTUP)
            await telegram.wait_for(
                "sendMessage",
                lambda c: (
                    int(c.params["chat_id"]) == READERS["id"]
                    and "new" in c.params["text"].lower()
                    and "Subscribed" not in c.params["text"]
                ),
                timeout=STARTUP,
            )
            await asyncio.sleep(2.5)  # more sync cycles: still announced once
            before = announcements(discord, telegram)
            assert_each_added_paper_announced_once(before)
            assert await first.terminate() == 0
        text = log.read_text(encoding="utf-8")
        assert '"message": "stopped"' in text
        entries = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
        assert {"job": "follow-sync", "outcome": "updated"}.items() <= next(
            e for e in entries if e.get("outcome") == "updated"
        ).items()
        assert "discord-test-token" not in text
        assert telegram.token not in text

        polls = len(telegram.calls_to("getUpdates"))
        async with serving(config, log, telegram) as second:
            await both_connected(discord, telegram, polls + 1)
            fetches = upstream.fetches
            await until(lambda: upstream.fetches >= fetches + 2)
            await asyncio.sleep(1)
            assert announcements(discord, telegram) == before
            assert await second.terminate() == 0
    await telegram.close()
    await upstream.close()


def assert_each_added_paper_announced_once(posts: tuple[list[str], list[str]]) -> None:
    """Every paper v2.6.20 added is named in exactly one post on each platform."""
    added = diff(parse_catalog(OLD.read_text("utf-8")), parse_catalog(NEW.read_text("utf-8"))).added
    assert added
    for platform_posts in posts:
        for paper in added:
            name = paper.display_name
            assert sum(name in post for post in platform_posts) == 1, (name, platform_posts)
