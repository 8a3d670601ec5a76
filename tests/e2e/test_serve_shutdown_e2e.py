"""End to end: SIGTERM in the middle of a broadcast loses nothing and repeats nothing."""

from __future__ import annotations

from pathlib import Path

from listbot.catalog.diff import diff
from listbot.catalog.parse import parse_catalog
from listbot.store import SqliteStore
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_objects import Json, group, user
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
GROUPS = [group(-1002000000000 - n) for n in range(25)]
SEND_DELAY = 0.5
"""Seconds the fake Telegram takes to answer each sendMessage: the broadcast takes seconds."""
SIGTERM_AFTER = 4
"""Announcements the fake has received when the first process is told to stop."""


def announced(telegram: FakeTelegramAPI, chat: Json) -> list[str]:
    """The bot's posts in ``chat`` other than its /subscribe confirmation."""
    posts = [m.get("text", "") for m in telegram.sent_to(chat["id"])]
    return [text for text in posts if "Subscribed" not in text]


def reached(telegram: FakeTelegramAPI) -> int:
    """How many groups have received at least one announcement."""
    return sum(bool(announced(telegram, chat)) for chat in GROUPS)


def in_flight(telegram: FakeTelegramAPI) -> bool:
    """Whether a sendMessage has been posted but not yet answered."""
    return any(c.result is None and c.error is None for c in telegram.calls_to("sendMessage"))


async def subscribe_all(telegram: FakeTelegramAPI) -> None:
    """Make Ada an admin of every group and subscribe each to new papers; wait for each reply."""
    for chat in GROUPS:
        telegram.make_admin(chat["id"], ADA["id"])
        telegram.send_text("/subscribe new", chat, ADA)
    for chat in GROUPS:
        await telegram.wait_for(
            "sendMessage",
            lambda c, chat=chat: c.chat_id == chat["id"] and "Subscribed" in c.params["text"],
            timeout=STARTUP,
        )


async def test_sigterm_mid_broadcast_exits_cleanly_and_each_group_gets_the_post_once(
    tmp_path: Path,
) -> None:
    """SIGTERM mid-broadcast exits 0; after a restart every group has the announcement once."""
    upstream, telegram = Upstream(), FakeTelegramAPI()
    await upstream.start()
    await telegram.start()
    config = write_config(tmp_path, upstream, telegram_section(telegram.base_url), hold=1000)
    log = tmp_path / "serve.log"
    async with serving(config, log, telegram) as first:
        await telegram.wait_for_count("getUpdates", 1, timeout=STARTUP)
        await subscribe_all(telegram)
        telegram.send_delay = SEND_DELAY
        upstream.readme = NEW.read_text(encoding="utf-8")
        await until(lambda: reached(telegram) >= SIGTERM_AFTER and in_flight(telegram))
        assert reached(telegram) < len(GROUPS), "the broadcast ended before SIGTERM"
        assert await first.terminate() == 0
    assert '"message": "stopped"' in log.read_text(encoding="utf-8")

    async with serving(config, log, telegram) as second:
        await until(lambda: reached(telegram) == len(GROUPS))
        fetches = upstream.fetches
        await until(lambda: upstream.fetches >= fetches + 3)  # more sync cycles
        assert await second.terminate() == 0
    await telegram.close()
    await upstream.close()

    assert_each_group_announced_once(telegram)
    store = SqliteStore(tmp_path / "store" / "listbot.sqlite3")
    assert [row.status for row in store.deliveries()] == ["sent"] * len(GROUPS)
    store.close()


def assert_each_group_announced_once(telegram: FakeTelegramAPI) -> None:
    """Every group got one post besides its confirmation, the same one, naming each added paper."""
    posts = {chat["id"]: announced(telegram, chat) for chat in GROUPS}
    assert all(len(texts) == 1 for texts in posts.values()), posts
    [post] = {texts[0] for texts in posts.values()}
    added = diff(parse_catalog(OLD.read_text("utf-8")), parse_catalog(NEW.read_text("utf-8"))).added
    assert added
    assert all(paper.display_name in post for paper in added), post
