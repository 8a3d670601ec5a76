"""``listbot ask`` and ``listbot chat``: the console front end of the ask commands.

``ask`` answers one message (or, with ``--batch``, one per line) and exits; ``chat`` is
an interactive session (see :mod:`listbot.cli.console`). Output is plain text, or with
``--json`` the structured answer ``{"command", "answer", "results"}``, or with
``--render PLATFORM`` the exact payloads that would be sent. Heavy modules (search,
renderers) are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from listbot.cli.common import CliError, read_text, report

if TYPE_CHECKING:
    from collections.abc import Iterable

    from listbot.app import Listbot
    from listbot.commands import CommandSet
    from listbot.context import Actor
    from listbot.replies import Reply

RENDER_CHOICES = ("text", "discord", "telegram")
CONSOLE_STORE = "var/console.sqlite3"
"""The console chat keeps its subscriptions apart from ``listbot serve``'s store."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``ask`` and ``chat``."""
    ask = subparsers.add_parser(
        "ask", help="answer one message and exit", description="Answer one message and exit."
    )
    ask.add_argument("message", nargs="?", help='e.g. "/paper flashattention" or "vllm"')
    _add_common(ask)
    ask.add_argument(
        "--batch", metavar="FILE", help="one message per line (- for stdin), one JSON line out"
    )
    ask.set_defaults(run=run_ask)
    chat = subparsers.add_parser(
        "chat", help="chat with listbot on the console", description="Chat with listbot."
    )
    _add_common(chat)
    chat.add_argument(
        "--store",
        metavar="PATH",
        default=CONSOLE_STORE,
        help=f"the console's own store of subscriptions (default {CONSOLE_STORE})",
    )
    chat.set_defaults(run=run_chat)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="FILE", help="answer from this README of the list")
    parser.add_argument("--json", action="store_true", help="print the structured answer")
    parser.add_argument(
        "--render", choices=RENDER_CHOICES, help="print the payloads sent to this platform"
    )
    parser.set_defaults(batch=None)


def build_bot(catalog_file: str | None, extra: Iterable[CommandSet] = ()) -> Listbot:
    """The bot over the bundled list, or over the README in ``catalog_file``."""
    from listbot.app import Listbot  # lazy: keeps ``listbot --help`` fast

    if catalog_file is None:
        from listbot.catalog.bundle import load_bundled

        return Listbot(load_bundled(), extra=extra)
    from listbot.catalog.parse import parse_catalog

    catalog = parse_catalog(read_text(catalog_file))
    if not catalog.papers:
        raise CliError(f"{catalog_file} holds no table rows of the list")
    return Listbot(catalog, extra=extra)


def console_actor() -> Actor:
    """The person at the console: a private chat they manage."""
    import getpass

    from listbot.context import Actor, Chat, ChatKind

    try:
        name = getpass.getuser()
    except (OSError, KeyError):
        name = "you"
    return Actor("console", name, Chat("console", "local", None, ChatKind.PRIVATE), True)


def structured(reply: Reply, render: str | None) -> dict[str, Any]:
    """The ``--json`` answer: exactly ``command``, ``answer`` and ``results``.

    ``payloads`` is added only when ``--render`` asks for them as well.
    """
    data: dict[str, Any] = {
        "command": reply.meta.get("command"),
        "answer": reply.meta.get("answer"),
        "results": reply.meta.get("results", []),
    }
    if render:
        data["payloads"] = payloads(reply, render)
    return data


def printable(text: str) -> str:
    """Text safe to print as UTF-8: undecodable input (lone surrogates) becomes U+FFFD."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def tolerant_stdin() -> None:
    """Read standard input as UTF-8, replacing undecodable bytes instead of failing."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")


def payloads(reply: Reply, platform: str) -> list[dict[str, Any]]:
    """What would be sent to ``platform`` for ``reply``."""
    from listbot.render import render

    return render(platform, reply)


def emit(reply: Reply, args: argparse.Namespace, out: TextIO) -> None:
    """Print one answer in the format the flags ask for."""
    if args.batch or args.json:
        data: Any = structured(reply, args.render)
        indent = None if args.batch else 2
    elif args.render:
        data, indent = payloads(reply, args.render), 2
    else:
        from listbot.render import render_text

        out.write(render_text(reply) + "\n")
        return
    out.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")


def run_ask(args: argparse.Namespace) -> int:
    """Answer one message, or every line of a batch."""
    try:
        if args.batch is None and args.message is None:
            raise CliError('give a message, e.g. listbot ask "/paper flashattention"')
        messages = _batch(args.batch) if args.batch else [args.message]
        bot = build_bot(args.catalog)
    except CliError as error:
        return report(error)
    actor = console_actor()
    for message in messages:
        emit(bot.handle(message, actor), args, sys.stdout)
        sys.stdout.flush()
    return 0


def _batch(source: str) -> list[str]:
    """Every line of the batch, blank ones too: line n of the output answers line n."""
    if source == "-":
        tolerant_stdin()
    text = sys.stdin.read() if source == "-" else read_text(source)
    return [printable(line) for line in text.splitlines()]


def run_chat(args: argparse.Namespace) -> int:
    """Chat on the console until /quit, end of input or Ctrl-C."""
    import asyncio

    from listbot.cli.console import chat
    from listbot.follow import console_follow

    try:
        Path(args.store).parent.mkdir(parents=True, exist_ok=True)
        follow = console_follow(args.store)
        bot = build_bot(args.catalog, extra=[follow.commands()])
    except (CliError, OSError) as error:
        return report(error if isinstance(error, CliError) else CliError(str(error)))

    def deliver() -> None:
        asyncio.run(follow.worker.drain())

    tolerant_stdin()
    try:
        return chat(bot, console_actor(), args, after_each=deliver)
    finally:
        follow.store.close()
