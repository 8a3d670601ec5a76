"""Maintainers' broadcasts: ``/announce <text>`` and ``/announce release <tag>``.

The first step stores a draft under a short token and answers with a preview and a
confirm button (``/announce confirm <token>``); only the confirmation enqueues the
broadcast, keyed ``announce:<token>`` or ``release:<tag>`` so that it goes out once.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from listbot.commands import Context
from listbot.follow.content import release_reply, text_announcement
from listbot.replies import Action, Button, Reply, plain, text_reply
from listbot.replies import Kind as ReplyKind
from listbot.store.records import Kind, Post, Subscription

if TYPE_CHECKING:
    from listbot.follow.service import Follow

DRAFT = "draft:"


def announce(follow: Follow, ctx: Context, args: str) -> Reply:
    """Dispatch ``/announce`` (the caller checked that the actor is a maintainer)."""
    head, _, rest = args.strip().partition(" ")
    if head.lower() in ("confirm", "cancel") and rest.strip().isalnum():
        return _finish(follow, ctx, rest.strip(), head.lower() == "confirm")
    if head.lower() == "release":
        return _release_draft(follow, ctx, rest.strip())
    return _preview(follow, ctx, {"kind": "text", "text": args.strip()})


def _release_draft(follow: Follow, ctx: Context, tag: str) -> Reply:
    history = ctx.services.history
    release = history.release(tag) if tag else history.latest_release
    if release is None:
        return text_reply(
            f"Unknown release {tag!r}; see /release for the list's releases.", ReplyKind.ERROR
        )
    return _preview(follow, ctx, {"kind": "release", "tag": release.tag})


def build(ctx: Context, draft: dict[str, str]) -> tuple[str, Reply, Kind | None]:
    """The content key, the reply and the kind of subscription (None: every chat)."""
    if draft["kind"] == "release":
        tag, history = draft["tag"], ctx.services.history
        release = history.release(tag)
        by_id = {**history.former, **ctx.services.catalog.by_id}
        papers = [by_id[i] for i in history.added_in(tag) if i in by_id]
        date = release.date if release else None
        when = datetime.combine(date, time(0), tzinfo=UTC) if date else None
        return f"release:{tag}", release_reply(tag, when, papers), Kind.RELEASES
    return f"announce:{draft['token']}", text_announcement(draft["text"]), None


def recipients(follow: Follow, kind: Kind | None) -> list[Subscription]:
    """``releases`` subscriptions, or one active subscription per chat for a text."""
    if kind is not None:
        return follow.store.subscriptions(kind=kind, active_only=True)
    chosen: dict[tuple[str, str, str], Subscription] = {}
    for sub in follow.store.subscriptions(active_only=True):
        if sub.kind is not Kind.NOTICES:
            chosen.setdefault((sub.chat.platform, sub.chat.chat_id, sub.chat.thread_id or ""), sub)
    return list(chosen.values())


def _preview(follow: Follow, ctx: Context, draft: dict[str, str]) -> Reply:
    token = secrets.token_hex(5)
    draft |= {"token": token, "by": ctx.actor.user_id}
    _, reply, kind = build(ctx, draft)
    count = len(recipients(follow, kind))
    follow.store.set_meta(DRAFT + token, json.dumps(draft))
    chats = f"{count} chat{'s' * (count != 1)}"
    head = plain(f"Preview — confirm to send this to {chats}:")
    return Reply(
        lines=(head, *reply.lines),
        cards=reply.cards,
        buttons=(
            Button(f"Send to {chats}", Action("announce", f"confirm {token}")),
            Button("Cancel", Action("announce", f"cancel {token}")),
        ),
        kind=ReplyKind.INFO,
    )


def _finish(follow: Follow, ctx: Context, token: str, confirm: bool) -> Reply:
    stored = follow.store.get_meta(DRAFT + token)
    if stored is None:
        return text_reply("That announcement was already sent or cancelled.", ReplyKind.ERROR)
    if not confirm:
        follow.store.set_meta(DRAFT + token, None)
        return text_reply("Announcement cancelled; nothing was sent.")
    key, reply, kind = build(ctx, json.loads(stored))
    cache = follow.render_cache()
    posts: list[Post] = [
        p for s in recipients(follow, kind) for p in cache.posts(s, key, reply, key)
    ]
    # Enqueue first: the rows are keyed by the token, so a second confirmation (a double
    # tap, or a retry after a crash right here) queues nothing again, and none is lost.
    queued = follow.store.enqueue(posts, follow.clock.now())
    follow.store.set_meta(DRAFT + token, None)
    follow.worker.wake()
    return text_reply(f"📣 Queued {queued} message{'s' * (queued != 1)}.")
