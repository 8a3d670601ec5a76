"""Subscription commands in threads and topics, without backlog; refusals change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_follow_commands import GROUP, PRIVATE, Harness

from listbot.context import Actor, Chat, ChatKind
from listbot.follow.sync import parse_cached
from listbot.render import render_text
from listbot.store import Kind, Seen, SeenPaper, SyncedVersion
from tests.follow_support import readme

TOPIC = Chat("telegram", "-100", "7", ChatKind.GROUP)
MONDAY_10AM = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # an hour after the default digest


@pytest.fixture
def h() -> Harness:
    """A fresh harness."""
    return Harness()


def _fresh_papers(h: Harness, seen_at: datetime, count: int = 3) -> None:
    """Sync v2.6.16 with ``count`` papers first seen (as new) at ``seen_at``."""
    papers = parse_cached(readme("v2.6.16")).papers
    seen = [SeenPaper(p.id, seen_at, Seen.NEW) for p in papers[:count]]
    h.store.record_sync(SyncedVersion("h", readme("v2.6.16"), seen_at), seen, ())


def test_a_topic_subscription_belongs_to_that_topic_only(h: Harness) -> None:
    """Subscribing in a forum topic posts there; the main chat neither lists nor removes it."""
    h.say("/subscribe", chat=TOPIC)
    (sub,) = h.store.subscriptions()
    assert sub.chat.thread_id == "7"
    assert "no subscriptions" in h.text("/subscriptions")
    assert "nothing changed" in h.text("/unsubscribe")
    assert "new papers" in h.text("/subscriptions", chat=TOPIC)
    assert "Removed 1 subscription." in h.text("/unsubscribe", chat=TOPIC)


def test_a_non_admin_in_a_topic_changes_nothing(h: Harness) -> None:
    """Topics of a group follow the group's rule: only its admins subscribe or unsubscribe."""
    h.say("/subscribe weekly", chat=TOPIC)
    before = h.store.subscriptions()
    assert h.say("/subscribe", chat=TOPIC, admin=False).is_error
    assert h.say("/unsubscribe", chat=TOPIC, admin=False).is_error
    assert h.store.subscriptions() == before


def test_a_channel_takes_subscriptions_from_its_admins_only(h: Harness) -> None:
    """A channel is managed like a group."""
    channel = Chat("telegram", "-200", None, ChatKind.CHANNEL)
    assert h.say("/subscribe releases", chat=channel, admin=False).is_error
    assert not h.say("/subscribe releases", chat=channel).is_error


@pytest.mark.parametrize(
    "args",
    ["weekly monday 25:00 UTC", "weekly topic:nosuchtopic", "releases friday", "weekly frobnicate"],
)
def test_bad_arguments_leave_an_existing_subscription_as_it_was(h: Harness, args: str) -> None:
    """A mistake while changing a subscription keeps the old one, schedule and filters intact."""
    h.say("/subscribe weekly kw:quant friday 17:00 Europe/Paris")
    before = h.store.subscriptions()
    reply = h.say(f"/subscribe {args}")
    assert reply.is_error
    assert "Nothing was changed." in render_text(reply)
    assert h.store.subscriptions() == before


def test_a_bad_unsubscribe_kind_is_named_and_removes_nothing(h: Harness) -> None:
    """``/unsubscribe sometimes`` says what the kinds are and keeps every subscription."""
    h.say("/subscribe")
    reply = h.say("/unsubscribe sometimes")
    assert "'sometimes' is not a kind" in render_text(reply)
    assert len(h.store.subscriptions()) == 1


def test_subscribing_just_after_a_digest_time_sends_no_backlog(h: Harness) -> None:
    """Papers of the past week, an hour after Monday 09:00: neither kind of subscription
    is sent them; the first digest comes next Monday."""
    h.clock.set(MONDAY_10AM)
    _fresh_papers(h, MONDAY_10AM - timedelta(days=2))
    h.say("/subscribe")
    h.say("/subscribe weekly quiet-note")
    assert h.follow.digests.run_due() == 0
    assert h.store.deliveries() == []
    h.clock.set(MONDAY_10AM + timedelta(days=7))
    assert h.follow.digests.run_due() == 1


def test_subscriptions_show_the_next_digest_in_the_subscriptions_zone(h: Harness) -> None:
    """A Tokyo digest shows Tokyo time; a Paris digest in summer shows CEST."""
    h.say("/subscribe weekly monday 08:00 Asia/Tokyo")
    assert "(next: Mon 30 Nov 08:00 JST)" in h.text("/subscriptions")
    h.clock.set(datetime(2027, 6, 1, tzinfo=UTC))
    h.say("/subscribe weekly friday 17:30 Europe/Paris", chat=PRIVATE)
    assert "(next: Fri 04 Jun 17:30 CEST)" in h.text("/subscriptions", chat=PRIVATE)


def test_only_a_maintainer_can_confirm_an_announcement(h: Harness) -> None:
    """Pressing a maintainer's confirm button as anyone else queues nothing."""
    h.say("/subscribe")
    preview = h.say("/announce hello", user="boss")
    confirm = preview.buttons[0].action
    assert confirm is not None
    refused = h.bot.press(confirm.encode(), Actor("mallory", "m", GROUP, True))
    assert refused.is_error
    assert h.store.deliveries() == []
    assert "Queued 1 message." in render_text(
        h.bot.press(confirm.encode(), Actor("boss", "b", GROUP))
    )


def test_maintainer_notices_cannot_be_subscribed_by_others(h: Harness) -> None:
    """Held-paper notices go to the maintainers only."""
    assert h.say("/subscribe notices", chat=PRIVATE).is_error
    assert h.store.subscriptions(kind=Kind.NOTICES) == []
    assert not h.say("/subscribe notices", user="boss", chat=PRIVATE).is_error


def test_an_announcement_confirmed_again_after_a_crash_is_queued_once(h: Harness) -> None:
    """A crash after queueing but before the draft is dropped: confirming again adds nothing."""
    h.say("/subscribe")
    preview = h.say("/announce hello", user="boss")
    confirm = preview.buttons[0].action
    assert confirm is not None
    token = confirm.encode().split()[-1]
    draft = h.store.get_meta(f"draft:{token}")
    h.bot.press(confirm.encode(), Actor("boss", "b", GROUP))
    h.store.set_meta(f"draft:{token}", draft)  # as if the process died before dropping it
    again = h.bot.press(confirm.encode(), Actor("boss", "b", GROUP))
    assert "Queued 0 messages." in render_text(again)
    assert len(h.store.deliveries()) == 1
