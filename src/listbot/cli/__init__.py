"""The ``listbot`` command line: one subcommand per job, each defined beside its feature."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from listbot import __version__
from listbot.cli import (
    ask_commands,
    catalog_commands,
    data_commands,
    follow_commands,
    serve_commands,
)

EXAMPLES = """\
examples:
  listbot chat                                   chat on the console (no tokens needed)
  listbot ask "/paper flashattention"            answer one message
  listbot diff OLD.md NEW.md --json              what changed between two versions
  listbot config check --config config/listbot.yaml
  listbot serve --config config/listbot.yaml     run the Telegram/Discord bots for real

Run "listbot COMMAND --help" for a command's options."""

FEATURES = (ask_commands, catalog_commands, data_commands, follow_commands, serve_commands)
"""Modules that each add their subcommands with ``register(subparsers)``."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="listbot",
        description="A chat bot for the Awesome-LLM-Inference paper list.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"listbot {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for feature in FEATURES:
        feature.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    return status
