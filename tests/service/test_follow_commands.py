"""Subscription and maintainer commands, through the real Listbot facade and registry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from listbot.app import Listbot
from listbot.context import Actor, Chat, ChatKind
from listbot.follow.config import FollowConfig
from listbot.follow.service import Follow
from listbot.follow.sync import parse_cached
from listbot.render import render_text
from listbot.replies import Reply
from listbot.store import Kind, Seen, SeenPaper, Status, SyncedVersion
from listbot.testing import FakeClock, MemoryStore
from tests.follow_support import readme

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday
GROUP = Chat("telegram", "-100", None, ChatKind.GROUP)
PRIVATE = Chat("telegram", "42", None, ChatKind.PRIVATE)


class Harness:
    """A Listbot with the follow commands over an in-memory store."""

    def __init__(self) -> None:
        self.store, self.clock = MemoryStore(), FakeClock(NOW)
        config = FollowConfig(maintainers={"telegram": frozenset({"boss"})})
        self.follow = Follow(self.store, config, clock=self.clock)
        self.bot = Listbot(parse_cached(readme("v2.6.16")), extra=[self.follow.commands()])

    def say(self, text: str, user: str = "u", chat: Chat = GROUP, admin: bool = True) -> Reply:
        return self.bot.handle(text, Actor(user, user, chat, admin))

    def text(self, text: str, **kw: object) -> str:
        return render_text(self.say(text, **kw))  # type: ignore[arg-type]


@pytest.fixture
def h() -> Harness:
    """A fresh harness."""
    return Harness()


def test_an_admin_subscribes_a_group_to_new_papers(h: Harness) -> None:
    """/subscribe with no arguments subscribes to new papers, all of them."""
    assert "Subscribed: new papers — all papers" in h.text("/subscribe")
    (sub,) = h.store.subscriptions()
    assert (sub.chat, sub.kind, sub.created_by) == (GROUP, Kind.NEW, "u")


def test_a_non_admin_cannot_change_a_groups_subscriptions(h: Harness) -> None:
    """Members of a group who are not admins are refused and nothing changes."""
    reply = h.say("/subscribe weekly", admin=False)
    assert reply.is_error
    assert h.store.subscriptions() == []
    assert h.say("/unsubscribe", admin=False).is_error


def test_anyone_may_subscribe_their_private_chat(h: Harness) -> None:
    """In a private chat the user manages their own subscriptions."""
    assert not h.say("/subscribe releases", chat=PRIVATE, admin=False).is_error
    assert h.store.subscriptions()[0].kind is Kind.RELEASES


def test_a_weekly_subscription_takes_filters_and_a_schedule(h: Harness) -> None:
    """Filters, weekday, time and zone are read and shown with the next digest time."""
    text = h.text('/subscribe weekly topic:"KV Cache" org:nvidia stars:1 fri 17:30 Europe/Paris')
    (sub,) = h.store.subscriptions()
    assert sub.filters.topics == ("KV Cache Scheduling/Quantize/Dropping",)
    assert (sub.filters.org, sub.filters.min_stars) == ("nvidia", 1)
    assert (sub.schedule.weekday, sub.schedule.at.strftime("%H:%M")) == (4, "17:30")
    assert sub.schedule.tz == "Europe/Paris"
    assert "next: Fri 27 Nov 17:30 CET" in text
    assert sub.last_period == "2026-11-20"


@pytest.mark.parametrize(
    ("args", "why"),
    [
        ("weekly topic:nosuchtopic", "unknown topic 'nosuchtopic'"),
        ("weekly monday 25:00 UTC", "'25:00' is not a time"),
        ("weekly monday 09:00 Mars/Olympus", "unknown timezone 'Mars/Olympus'"),
        ("new friday", "only applies to weekly"),
        ("weekly stars:9", "stars: takes a number from 0 to 5"),
        ("weekly frobnicate", "I don't understand 'frobnicate'"),
        ('weekly topic:"kv', "unbalanced quotes"),
        ("new weekly", "one kind per /subscribe"),
        ("weekly topic:attention", "ambiguous"),
        ("weekly monday 09:00 EST", "'EST' is not an IANA timezone"),
        ("weekly monday friday", "'friday': give one weekday per /subscribe"),
        ("weekly 09:00 10:00", "'10:00': give one time per /subscribe"),
        ("weekly UTC Europe/Paris", "give one timezone per /subscribe"),
    ],
)
def test_bad_subscribe_arguments_get_a_precise_message_and_change_nothing(
    h: Harness, args: str, why: str
) -> None:
    """Each mistake is named; the store is untouched."""
    reply = h.say(f"/subscribe {args}")
    assert reply.is_error
    assert why in render_text(reply)
    assert h.store.subscriptions() == []


def test_subscribing_again_updates_and_resumes_a_paused_subscription(h: Harness) -> None:
    """An admin subscribing again is how a paused subscription resumes."""
    h.say("/subscribe")
    h.store.pause_chat("telegram", "-100", "bot was kicked")
    assert "Resumed" in h.text("/subscribe kw:quant")
    (sub,) = h.store.subscriptions()
    assert sub.active
    assert sub.filters.keywords == ("quant",)


def test_subscribing_again_resumes_every_paused_subscription_of_the_chat(h: Harness) -> None:
    """A chat that was unreachable is reachable again once an admin acts in it."""
    h.say("/subscribe")
    h.say("/subscribe releases")
    h.store.pause_chat("telegram", "-100", "bot was kicked")
    assert "Also resumed: releases." in h.text("/subscribe")
    assert all(s.active for s in h.store.subscriptions())


def test_subscribing_never_floods_the_chat_with_backlog(h: Harness) -> None:
    """New papers seen before subscribing are not sent; the weekly digest starts next time."""
    h.say("/subscribe")
    h.say("/subscribe weekly")
    assert h.store.deliveries() == []
    assert h.follow.digests.run_due() == 0


def test_unsubscribe_removes_one_kind_or_all(h: Harness) -> None:
    """/unsubscribe weekly leaves the others; /unsubscribe removes the rest."""
    for kind in ("new", "weekly", "releases"):
        h.say(f"/subscribe {kind}")
    assert "Removed 1 subscription." in h.text("/unsubscribe weekly")
    assert "Removed 2 subscriptions." in h.text("/unsubscribe")
    assert "nothing changed" in h.text("/unsubscribe")
    assert h.say("/unsubscribe sometimes").is_error


def test_subscriptions_lists_this_chats_subscriptions_with_the_next_digest(h: Harness) -> None:
    """Only this chat's subscriptions are listed, paused ones with their reason."""
    h.say("/subscribe weekly")
    h.say("/subscribe", chat=PRIVATE)
    text = h.text("/subscriptions")
    assert "weekly digest — all papers — Mondays 09:00 UTC (next: Mon 30 Nov 09:00 UTC)" in text
    assert "new papers" not in text


def test_digest_preview_shows_the_past_weeks_papers(h: Harness) -> None:
    """The preview lists papers first seen in the past 7 days that match."""
    catalog = parse_cached(readme("v2.6.16"))
    fresh = catalog.papers[0]
    seen = [SeenPaper(fresh.id, datetime(2026, 11, 24, tzinfo=UTC), Seen.NEW)]
    h.store.record_sync(SyncedVersion("h", readme("v2.6.16"), NOW), seen, ())
    text = h.text("/digest preview")
    assert fresh.title in text
    assert "has no weekly subscription" in text
    assert h.say("/digest now").is_error


def test_only_maintainers_can_announce(h: Harness) -> None:
    """An admin who is not a maintainer is refused."""
    assert h.say("/announce hello").is_error


def test_an_announcement_is_previewed_then_broadcast_once_after_confirmation(h: Harness) -> None:
    """The preview sends nothing; confirming queues one post per chat; a second confirm nothing."""
    h.say("/subscribe")
    h.say("/subscribe weekly")
    h.say("/subscribe", chat=PRIVATE, admin=False)
    preview = h.say("/announce Version 3 is out!", user="boss", chat=PRIVATE)
    assert "confirm to send this to 2 chats" in render_text(preview)
    assert h.store.deliveries() == []
    confirm = preview.buttons[0].action
    assert confirm is not None
    assert "Queued 2 messages" in render_text(
        h.bot.press(confirm.encode(), Actor("boss", "b", PRIVATE))
    )
    assert "already sent" in render_text(h.bot.press(confirm.encode(), Actor("boss", "b", PRIVATE)))
    assert {d.chat.chat_id for d in h.store.deliveries(Status.PENDING)} == {"-100", "42"}


def test_a_cancelled_announcement_sends_nothing(h: Harness) -> None:
    """Cancel drops the draft."""
    h.say("/subscribe")
    preview = h.say("/announce hi", user="boss")
    cancel = preview.buttons[1].action
    assert cancel is not None
    assert "cancelled" in render_text(h.bot.press(cancel.encode(), Actor("boss", "b", GROUP)))
    assert h.store.deliveries() == []


def test_held_papers_are_listed_and_released_by_a_maintainer(h: Harness) -> None:
    """/held shows the held papers; /held release queues their announcement."""
    catalog = parse_cached(readme("v2.6.16"))
    h.say("/subscribe")
    seen = [SeenPaper(p.id, NOW, Seen.HELD) for p in catalog.papers[:9]]
    h.store.record_sync(SyncedVersion("h", readme("v2.6.16"), NOW), seen, ())
    assert "9 papers held" in h.text("/held", user="boss")
    assert h.say("/held release").is_error
    assert "Released 9 held papers; 1 posts queued." in h.text("/held release", user="boss")
    assert h.store.seen_papers(status=Seen.HELD) == []


def test_maintainer_notices_are_for_maintainers_only(h: Harness) -> None:
    """Only a maintainer can subscribe a chat to the safety valve's notices."""
    assert h.say("/subscribe notices", chat=PRIVATE).is_error
    assert not h.say("/subscribe notices", user="boss", chat=PRIVATE).is_error


def test_the_follow_commands_are_in_the_registry_for_help_and_menus(h: Harness) -> None:
    """Adapters register every command from Listbot.commands()."""
    names = [name for name, _ in h.bot.commands()]
    for name in ("subscribe", "unsubscribe", "subscriptions", "digest", "announce", "held"):
        assert name in names
    assert all(len(description) <= 100 for _, description in h.bot.commands())


def _with_history() -> Harness:
    """A harness whose bot knows releases v2.6.15 and v2.6.16."""
    from listbot.catalog.bundle import Bundle
    from listbot.catalog.history import Release, build_history

    h = Harness()
    versions = [(Release(t), parse_cached(readme(t))) for t in ("v2.6.15", "v2.6.16")]
    current = parse_cached(readme("v2.6.16"))
    h.bot = Listbot(
        Bundle(current, build_history(versions, current), None),  # type: ignore[arg-type]
        extra=[h.follow.commands()],
    )
    return h


def test_a_release_announcement_goes_to_releases_subscriptions_once() -> None:
    """/announce release previews the release's papers; confirming twice queues once."""
    h = _with_history()
    h.say("/subscribe releases")
    h.say("/subscribe")
    preview = h.say("/announce release v2.6.16", user="boss")
    assert "4 papers added since the previous release" in render_text(preview)
    assert "confirm to send this to 1 chat:" in render_text(preview)
    confirm = preview.buttons[0].action
    assert confirm is not None
    h.bot.press(confirm.encode(), Actor("boss", "b", GROUP))
    again = h.say("/announce release v2.6.16", user="boss").buttons[0].action
    assert again is not None
    assert "Queued 0 messages" in render_text(
        h.bot.press(again.encode(), Actor("boss", "b", GROUP))
    )
    assert [d.content_key for d in h.store.deliveries()] == ["release:v2.6.16"]


def test_an_unknown_release_tag_is_refused(h: Harness) -> None:
    """/announce release of a tag the history does not know names the problem."""
    reply = h.say("/announce release v9.9", user="boss")
    assert reply.is_error
    assert "Unknown release 'v9.9'" in render_text(reply)
