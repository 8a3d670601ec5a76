"""``listbot serve``, ``listbot config check`` and ``listbot status``.

The configuration is ``--config FILE``, else ``$LISTBOT_CONFIG``, else
``config/listbot.yaml`` when it exists, else the defaults.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listbot.cli.common import EXIT_USAGE

if TYPE_CHECKING:
    from listbot.config import Settings

DEFAULT_CONFIG = Path("config/listbot.yaml")
NO_ADAPTER = """\
No chat adapter is configured, so there is nothing to serve.
To run on Telegram or Discord, set a token and start again:
  export LISTBOT_TELEGRAM_TOKEN=...   # from @BotFather
  export LISTBOT_DISCORD_TOKEN=...    # from the Discord developer portal
and use a configuration that references them (see config/listbot.example.yaml).
To try listbot without any token, chat with it on the console:  listbot chat"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add serve, config check and status."""
    serve = subparsers.add_parser(
        "serve",
        help="run the configured adapters, scheduler and delivery worker",
        description="Run listbot for real: the configured chat adapters, the scheduler "
        "(sync, releases, digests) and the delivery worker, until SIGINT or SIGTERM.",
    )
    _config_option(serve)
    serve.add_argument(
        "--adapters-only",
        action="store_true",
        help="answer messages only, without the scheduler and delivery worker "
        "(extra processes of a sharded Discord bot; one full serve runs beside them)",
    )
    serve.set_defaults(run=run_serve)
    config = subparsers.add_parser("config", help="work with the configuration file")
    actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate the configuration without starting anything")
    _config_option(check)
    check.set_defaults(run=run_check)
    status = subparsers.add_parser(
        "status", help="what the store says: sync, subscriptions, deliveries, counters"
    )
    _config_option(status)
    status.add_argument("--store", metavar="PATH", help="the SQLite store (default: from config)")
    status.add_argument("--json", action="store_true", help="print as JSON")
    status.set_defaults(run=run_status)


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", metavar="FILE", help=f"the YAML configuration (default {DEFAULT_CONFIG})"
    )


def config_path(args: argparse.Namespace) -> str | None:
    """The configuration file to read, or None for the defaults."""
    chosen = args.config or os.environ.get("LISTBOT_CONFIG")
    if chosen:
        return str(chosen)
    return str(DEFAULT_CONFIG) if DEFAULT_CONFIG.exists() else None


def load(args: argparse.Namespace) -> Settings | None:
    """The validated settings, or None after printing the configuration error."""
    from listbot.config import ConfigError, load_settings

    try:
        return load_settings(config_path(args))
    except ConfigError as error:
        print(f"listbot: configuration error: {error}", file=sys.stderr)
        return None


def run_check(args: argparse.Namespace) -> int:
    """Validate the configuration and summarise it, secrets shown only as set or not."""
    settings = load(args)
    if settings is None:
        return EXIT_USAGE
    from listbot.serve import enabled_platforms

    platforms = enabled_platforms(settings)
    print(f"{settings.origin}: OK")
    print(f"  source:   {settings.source.readme_url}")
    print(f"  store:    {settings.store.path}")
    print(f"  adapters: {', '.join(platforms) or 'none (set a token to enable one)'}")
    print(
        f"  sync every {settings.source.sync_interval:g} s, hold above "
        f"{settings.source.hold_threshold} papers"
    )
    http = settings.http
    print(f"  http:     {f'on {http.host}:{http.port}' if http.enabled else 'off'}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM."""
    settings = load(args)
    if settings is None:
        return EXIT_USAGE
    from listbot.logs import configure_logging
    from listbot.serve import enabled_platforms

    configure_logging(settings.logging.level, settings.logging.format, settings.secrets())
    if not enabled_platforms(settings):
        return _no_adapter(args)
    return _serve(settings, args.adapters_only)


def _serve(settings: Settings, adapters_only: bool) -> int:
    import asyncio
    import logging

    from listbot.adapters import AdapterMissing
    from listbot.ops.lock import AlreadyRunning
    from listbot.serve import serve

    try:
        return asyncio.run(serve(settings, adapters_only=adapters_only))
    except AlreadyRunning as error:
        print(f"listbot: {error}", file=sys.stderr)
        return 1
    except AdapterMissing as error:
        print(f"listbot: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        logging.getLogger("listbot.serve").exception("listbot serve failed")
        print(f"listbot: serve failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


def _no_adapter(args: argparse.Namespace) -> int:
    print(NO_ADAPTER, file=sys.stderr)
    if not sys.stdin.isatty():
        return EXIT_USAGE
    answer = input("Start the console chat now? [Y/n] ").strip().lower()
    if answer not in ("", "y", "yes"):
        return EXIT_USAGE
    from listbot.cli import main

    return main(["chat"])


def run_status(args: argparse.Namespace) -> int:
    """Print the state of the store."""
    settings = load(args)
    if settings is None:
        return EXIT_USAGE
    path = args.store or os.environ.get("LISTBOT_STORE") or settings.store.path
    if not Path(path).exists():
        print(f"listbot: no store at {path} (nothing has run yet)", file=sys.stderr)
        return EXIT_USAGE
    from listbot.ops.telemetry import status_report
    from listbot.store import SqliteStore

    store = SqliteStore(path)
    try:
        report = status_report(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(_describe(path, report))
    return 0


def _describe(path: str, report: dict[str, Any]) -> str:
    synced, last = report["synced"], report["last_sync"]
    lines = [f"store: {path}"]
    lines.append(
        f"list: synced {synced['at']} ({synced['content_hash']})"
        if synced
        else "list: never synced"
    )
    if last:
        lines.append(f"last sync: {last['outcome']} at {last['at']}: {last['message']}")
    subs = report["subscriptions"]
    lines.append(f"subscriptions: {subs['active']} active, {subs['paused']} paused")
    lines.append("deliveries: " + ", ".join(f"{n} {s}" for s, n in report["deliveries"].items()))
    oldest = report["oldest_pending_seconds"]
    if oldest is not None:
        lines.append(f"oldest pending: {oldest:.0f} s")
    lines += [f"  error x{e['count']}: {e['error']}" for e in report["errors"]]
    for name, series in sorted(report["counters"].items()):
        for labels, value in sorted(series.items()):
            lines.append(f"{name}{{{labels}}} {value:g}")
    return "\n".join(lines)
