"""``listbot sync``, ``held``, ``digest preview``, ``outbox``, ``subscriptions``: follow on the CLI.

The store is ``--store PATH``, else ``$LISTBOT_STORE``, else the ``store.path`` of the
configuration (found as ``listbot serve`` finds it: ``--config FILE``, ``$LISTBOT_CONFIG``
or ``config/listbot.yaml``), else ``var/listbot.sqlite3`` in the working directory.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import timedelta
from typing import TYPE_CHECKING

from listbot.cli.common import CliError, print_json, report

if TYPE_CHECKING:
    from listbot.follow.config import FollowConfig
    from listbot.store.records import Subscription
    from listbot.store.sqlite import SqliteStore

    _Sub = argparse._SubParsersAction[argparse.ArgumentParser]

DEFAULT_STORE = "var/listbot.sqlite3"


def register(subparsers: _Sub) -> None:
    """Add the follow subcommands."""
    sync = _parser(subparsers, "sync", "fetch the list, announce new papers")
    sync.add_argument("--from", dest="source", metavar="FILE|URL", help="read the list from here")
    sync.add_argument(
        "--dry-run", action="store_true", help="say what would change; change nothing"
    )
    sync.add_argument("--force", action="store_true", help="accept a version that lost many papers")
    sync.set_defaults(run=run_sync)
    held = _parser(subparsers, "held", "papers held by the safety valve: list, release, discard")
    held.add_argument("action", nargs="?", choices=["release", "discard"], help="what to do")
    held.set_defaults(run=run_held)
    digest = _parser(subparsers, "digest", "weekly digests")
    digest.add_argument("action", choices=["preview"], help="show a digest without sending it")
    digest.add_argument("--chat", metavar="PLATFORM:ID", help="the digest of this chat")
    digest.add_argument("--days", type=int, default=7, help="papers first seen in these days")
    digest.add_argument("--render", choices=["text", "telegram", "discord"], default="text")
    digest.set_defaults(run=run_digest)
    outbox = _parser(subparsers, "outbox", "delivery outbox: pending and failed, oldest reasons")
    outbox.add_argument("--json", action="store_true", help="print as JSON")
    outbox.set_defaults(run=run_outbox)
    subs = _parser(subparsers, "subscriptions", "every subscription of the store")
    subs.add_argument("--json", action="store_true", help="print as JSON")
    subs.set_defaults(run=run_subscriptions)


def _parser(subparsers: _Sub, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help_text, description=help_text.capitalize() + ".")
    parser.add_argument(
        "--store", metavar="PATH", help=f"the SQLite store (default {DEFAULT_STORE})"
    )
    parser.add_argument("--config", metavar="FILE", help="take the store and source from here")
    return parser


def _setup(args: argparse.Namespace, *, create: bool = True) -> tuple[SqliteStore, FollowConfig]:
    """The store and follow config the arguments name; without ``create``, a store file
    that does not exist yet is stood in for by an empty one in memory (``--dry-run``)."""
    from listbot.cli.serve_commands import config_path
    from listbot.follow.config import FollowConfig
    from listbot.store.sqlite import SqliteStore

    config, path = FollowConfig(), args.store or os.environ.get("LISTBOT_STORE")
    config_file = config_path(args)
    if config_file:
        from listbot.config import ConfigError, load_settings

        try:
            settings = load_settings(config_file)
        except ConfigError as error:
            raise CliError(str(error)) from error
        config, path = FollowConfig.from_settings(settings), path or settings.store.path
    path = path or DEFAULT_STORE
    if not create and not os.path.exists(path):
        return SqliteStore(":memory:"), config
    return SqliteStore(path), config


def run_sync(args: argparse.Namespace) -> int:
    """One sync now; exit status 1 on a fault."""
    from listbot.follow.fetch import source_for
    from listbot.follow.service import Follow

    try:
        store, config = _setup(args, create=not args.dry_run)
    except CliError as error:
        return report(error)
    source = source_for(args.source or config.readme_url, timeout=config.timeout)
    follow = Follow(store, config, source=source)
    result = asyncio.run(follow.syncer.sync(dry_run=args.dry_run, force=args.force))
    print(f"{result.outcome}: {result.message}")
    for paper in result.added:
        print(f"  + {paper.display_name}  [{paper.id}]")
    store.close()
    return 1 if result.outcome == "fault" else 0


def run_held(args: argparse.Namespace) -> int:
    """List the held papers, or release (announce) or discard them."""
    from listbot.follow.clock import SystemClock
    from listbot.follow.sync import resolve_held
    from listbot.store.records import Seen

    try:
        store, _ = _setup(args)
    except CliError as error:
        return report(error)
    if args.action:
        papers, queued = resolve_held(store, SystemClock(), args.action == "release")
        done = "released" if args.action == "release" else "discarded"
        print(f"{done} {papers} held papers; {queued} posts queued")
    else:
        held = store.seen_papers(status=Seen.HELD)
        for row in held:
            print(f"  {row.paper_id}  (first seen {row.first_seen:%Y-%m-%d %H:%M} UTC)")
        print(f"{len(held)} papers held")
    store.close()
    return 0


def run_digest(args: argparse.Namespace) -> int:
    """Print the digest a chat (or an unfiltered subscription) would get now."""
    from listbot.context import Chat
    from listbot.follow.clock import SystemClock
    from listbot.follow.digest import digest_for
    from listbot.follow.posts import default_render
    from listbot.store.records import Kind, Subscription

    try:
        store, _ = _setup(args)
    except CliError as error:
        return report(error)
    platform, _, chat_id = (args.chat or "console:local").partition(":")
    chat = Chat(platform, chat_id)
    found = store.subscriptions(chat=chat, kind=Kind.WEEKLY)
    sub = found[0] if found else Subscription(chat, Kind.WEEKLY)
    now = SystemClock().now()
    reply, _ = digest_for(store, sub, now - timedelta(days=args.days), now)
    payloads = default_render(args.render if args.render != "text" else "console", reply)
    if args.render == "text":
        print("\n\n".join(str(p.get("text", "")) for p in payloads))
    else:
        print_json(payloads)
    store.close()
    return 0


def run_outbox(args: argparse.Namespace) -> int:
    """Counts of the outbox by status, the oldest pending row, the commonest errors."""
    try:
        store, _ = _setup(args)
    except CliError as error:
        return report(error)
    stats = store.outbox_stats()
    counts = {status.value: n for status, n in stats.counts.items()}
    oldest = stats.oldest_pending.isoformat() if stats.oldest_pending else None
    if args.json:
        errors = [{"error": e, "count": n} for e, n in stats.errors]
        print_json({"counts": counts, "oldest_pending": oldest, "errors": errors})
    else:
        for status in ("pending", "sending", "sent", "failed"):
            print(f"{status:8} {counts.get(status, 0)}")
        print(f"oldest pending: {oldest or '-'}")
        for reason, count in stats.errors:
            print(f"  {count:>5} × {reason}")
    store.close()
    return 0


def run_subscriptions(args: argparse.Namespace) -> int:
    """Every subscription, one per line (or JSON)."""
    from listbot.follow.clock import SystemClock
    from listbot.follow.commands import describe

    try:
        store, _ = _setup(args)
    except CliError as error:
        return report(error)
    subs, now = store.subscriptions(), SystemClock().now()
    if args.json:
        print_json([_sub_json(s) for s in subs])
    else:
        for sub in subs:
            where = f"{sub.chat.platform}:{sub.chat.chat_id}" + (
                f"/{sub.chat.thread_id}" if sub.chat.thread_id else ""
            )
            print(f"{where:28} {describe(sub, now)}")
        print(f"{len(subs)} subscriptions")
    store.close()
    return 0


def _sub_json(sub: Subscription) -> dict[str, object]:
    return {
        "id": sub.id,
        "platform": sub.chat.platform,
        "chat_id": sub.chat.chat_id,
        "thread_id": sub.chat.thread_id,
        "kind": sub.kind.value,
        "filters": sub.filters.to_json(),
        "schedule": {
            "weekday": sub.schedule.weekday,
            "time": sub.schedule.at.strftime("%H:%M"),
            "timezone": sub.schedule.tz,
            "quiet_note": sub.schedule.quiet_note,
        },
        "created_by": sub.created_by,
        "created_at": sub.created_at.isoformat(),
        "paused": sub.paused_reason,
    }
