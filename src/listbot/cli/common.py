"""Small helpers shared by the subcommands: reading inputs and failing cleanly."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

EXIT_USAGE = 2


class CliError(Exception):
    """A problem with the command's input, reported as one line and exit status 2."""


def fail(message: str) -> NoReturn:
    """Raise a CliError with a one-line message."""
    raise CliError(message)


def read_text(source: str) -> str:
    """Read a UTF-8 text file, or standard input for ``-``; CliError on any problem."""
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        fail(f"cannot read {source}: {error.strerror or error}")
    name = "standard input" if source == "-" else source
    if not data.strip():
        fail(f"{name} is empty")
    if b"\x00" in data[:8192]:
        fail(f"{name} is a binary file, not a markdown list")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{name} is not UTF-8 text")


def print_json(value: Any) -> None:
    """Print a JSON document (UTF-8, not ASCII-escaped) on standard output."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def report(error: CliError) -> int:
    """Print the error as one line on standard error; return the usage exit status."""
    print(f"listbot: error: {error}", file=sys.stderr)
    return EXIT_USAGE
