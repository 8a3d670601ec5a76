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
    data = _read_stdin() if source == "-" else _read_file(source)
    name = "standard input" if source == "-" else source
    if not data.strip():
        fail(f"{name} is empty")
    if b"\x00" in data[:8192]:
        fail(f"{name} is a binary file, not a markdown list")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{name} is not UTF-8 text")


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")


def _read_stdin() -> bytes:
    if sys.stdin is None:
        fail("standard input is closed")
    try:
        return sys.stdin.buffer.read()
    except OSError as error:
        fail(f"cannot read standard input: {error.strerror or error}")


def print_json(value: Any) -> None:
    """Print a JSON document (UTF-8, not ASCII-escaped) on standard output."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def report(error: CliError) -> int:
    """Print the error on one line of standard error; return the usage exit status."""
    message = " ".join(str(error).splitlines())
    print(f"listbot: error: {message}", file=sys.stderr)
    return EXIT_USAGE
