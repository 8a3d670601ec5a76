"""The follow commands: /subscribe, /unsubscribe, /subscriptions, /digest, /announce, /held.

Platform-neutral: the adapter says who asks and whether they administer the chat
(``Actor.is_chat_admin``). In groups and channels only admins change subscriptions; in
a private chat the user may. Maintainers are the configured user ids per platform.
Bad arguments get a precise message and change nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from listbot.commands import Command, Context
from listbot.context import Actor, ChatKind
from listbot.follow.announce import announce
from listbot.follow.arguments import USAGE, ArgumentError, parse_kind, parse_subscribe
from listbot.follow.config import WEEKDAYS
from listbot.follow.digest import current_period, digest_for, next_occurrence
from listbot.follow.sync import resolve_held
from listbot.replies import Kind as ReplyKind
from listbot.replies import Reply, plain, text_reply
from listbot.store.records import Kind, Seen, Subscription

if TYPE_CHECKING:
    from listbot.follow.service import Follow

KIND_NAMES = {
    Kind.NEW: "new papers",
    Kind.WEEKLY: "weekly digest",
    Kind.RELEASES: "releases",
    Kind.NOTICES: "maintainer notices",
}


def error(text: str) -> Reply:
    """An error reply of plain lines."""
    return text_reply(text, ReplyKind.ERROR)


def may_manage(actor: Actor) -> bool:
    """Anyone in a private chat; admins in groups and channels."""
    return actor.chat.kind is ChatKind.PRIVATE or actor.is_chat_admin


def describe(sub: Subscription, now: datetime) -> str:
    """One line about a subscription: kind, filters, schedule, next digest, pause."""
    text = f"{KIND_NAMES[sub.kind]} — {sub.filters.describe()}"
    if sub.kind is Kind.WEEKLY:
        s = sub.schedule
        upcoming = next_occurrence(s, now)
        text += f" — {WEEKDAYS[s.weekday].title()}s {s.at:%H:%M} {s.tz}"
        text += f" (next: {upcoming:%a %d %b %H:%M %Z})"
        text += ", with a note on quiet weeks" if s.quiet_note else ""
    if sub.paused_reason:
        text += f" — paused: {sub.paused_reason}"
    return text


class FollowHandlers:
    """The handlers, over one ``Follow`` deployment."""

    def __init__(self, follow: Follow) -> None:
        self.follow = follow

    def subscribe(self, ctx: Context, args: str) -> Reply:
        """Subscribe this chat (or thread) to a kind of post; resumes a paused one."""
        actor, follow = ctx.actor, self.follow
        if not may_manage(actor):
            return error("Only this chat's admins can change its subscriptions.")
        try:
            asked = parse_subscribe(
                args, ctx.services.catalog.sections, follow.config.default_schedule
            )
        except ArgumentError as problem:
            return error(f"{problem}\nNothing was changed.")
        if asked.kind is Kind.NOTICES and not self._maintainer(actor):
            return error("Only the list's maintainers can subscribe to maintainer notices.")
        now = follow.clock.now()
        before = follow.store.subscriptions(chat=actor.chat, kind=asked.kind)
        period = current_period(asked.schedule, now) if asked.kind is Kind.WEEKLY else None
        sub = Subscription(
            actor.chat, asked.kind, asked.filters, asked.schedule, actor.user_id, now, None, period
        )
        paused = [s for s in follow.store.subscriptions(chat=actor.chat) if not s.active]
        saved = follow.store.save_subscription(sub, resume_chat=True)
        verb = (
            "Resumed" if before and not before[0].active else "Updated" if before else "Subscribed"
        )
        resumed = [KIND_NAMES[s.kind] for s in paused if s.kind is not asked.kind]
        also = f"\nAlso resumed: {', '.join(resumed)}." if resumed else ""
        return text_reply(f"✅ {verb}: {describe(saved, now)}{also}")

    def unsubscribe(self, ctx: Context, args: str) -> Reply:
        """Remove this chat's subscriptions of one kind, or all of them."""
        if not may_manage(ctx.actor):
            return error("Only this chat's admins can change its subscriptions.")
        word = args.strip().lower()
        kind = parse_kind(word) if word not in ("", "all") else None
        if word not in ("", "all") and kind is None:
            return error(f"{args.strip()!r} is not a kind: use new, weekly, releases or all.")
        kinds = [kind] if kind else list(Kind)
        removed = self.follow.store.remove_subscriptions(ctx.actor.chat, kinds)
        if not removed:
            return text_reply("This chat had no such subscription; nothing changed.")
        return text_reply(f"🗑 Removed {removed} subscription{'s' * (removed != 1)}.")

    def subscriptions(self, ctx: Context, args: str) -> Reply:
        """This chat's subscriptions, with the next digest time."""
        subs = self.follow.store.subscriptions(chat=ctx.actor.chat)
        if not subs:
            return text_reply(f"This chat has no subscriptions. Try: {USAGE}")
        now = self.follow.clock.now()
        lines = [plain("This chat's subscriptions:")]
        lines += [plain(f"• {describe(sub, now)}") for sub in subs]
        return Reply(lines=tuple(lines), kind=ReplyKind.INFO)

    def digest(self, ctx: Context, args: str) -> Reply:
        """``/digest preview``: what this chat's weekly digest would hold right now."""
        if args.strip().lower() not in ("", "preview"):
            return error("Usage: /digest preview")
        follow, now = self.follow, self.follow.clock.now()
        found = follow.store.subscriptions(chat=ctx.actor.chat, kind=Kind.WEEKLY)
        sub = found[0] if found else Subscription(ctx.actor.chat, Kind.WEEKLY)
        body, _ = digest_for(follow.store, sub, now - timedelta(days=7), now)
        note = "Preview of this chat's weekly digest (papers first seen in the past 7 days):"
        if not found:
            note += "\nThis chat has no weekly subscription; /subscribe weekly adds one."
        return Reply(lines=(*map(plain, note.splitlines()), *body.lines), cards=body.cards)

    def announce(self, ctx: Context, args: str) -> Reply:
        """Maintainers: preview an announcement, then confirm it."""
        if not self._maintainer(ctx.actor):
            return error("Only the list's maintainers can announce.")
        return announce(self.follow, ctx, args)

    def held(self, ctx: Context, args: str) -> Reply:
        """Maintainers: show, release or discard the papers the safety valve held."""
        if not self._maintainer(ctx.actor):
            return error("Only the list's maintainers can release or discard held papers.")
        follow, word = self.follow, args.strip().lower()
        if word in ("release", "discard"):
            papers, queued = resolve_held(
                follow.store, follow.clock, word == "release", follow.render_cache()
            )
            follow.worker.wake()
            return text_reply(f"{word.title()}d {papers} held papers; {queued} posts queued.")
        if word:
            return error("Usage: /held [release|discard]")
        held = follow.store.seen_papers(status=Seen.HELD)
        if not held:
            return text_reply("No papers are held.")
        names = ", ".join(s.paper_id for s in held[:20])
        return text_reply(f"{len(held)} papers held: {names}\nUse /held release or /held discard.")

    def _maintainer(self, actor: Actor) -> bool:
        return self.follow.config.is_maintainer(actor.chat.platform, actor.user_id)


def follow_commands(follow: Follow) -> list[Command]:
    """The command set of follow-and-announce, in /help order."""
    h = FollowHandlers(follow)
    return [
        Command(
            "subscribe",
            "Subscribe this chat to new papers, a weekly digest or releases",
            h.subscribe,
            usage=USAGE.removeprefix("/subscribe "),
            example="/subscribe weekly topic:kv friday 17:00 Europe/Paris",
            group="follow",
        ),
        Command(
            "unsubscribe",
            "Stop this chat's subscriptions (one kind, or all)",
            h.unsubscribe,
            usage="[new|weekly|releases|all]",
            example="/unsubscribe weekly",
            group="follow",
        ),
        Command(
            "subscriptions",
            "This chat's subscriptions and its next digest",
            h.subscriptions,
            group="follow",
        ),
        Command(
            "digest",
            "Preview this chat's weekly digest",
            h.digest,
            usage="preview",
            example="/digest preview",
            group="follow",
        ),
        Command(
            "announce",
            "Maintainers: announce a text or a release, after a preview",
            h.announce,
            usage="<text> | release <tag>",
            example="/announce release v2.6.20",
            needs_args=True,
            group="maintain",
        ),
        Command(
            "held",
            "Maintainers: release or discard papers held by the safety valve",
            h.held,
            usage="[release|discard]",
            group="maintain",
        ),
    ]
