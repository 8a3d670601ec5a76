"""The interactive console chat: line editing, persistent history, numbered picks.

Type a message as in any chat (``/paper flashattention``, ``vllm``, ``/help``); type the
number shown beside a choice or button to press it; ``/quit``, end of input (Ctrl-D) or
Ctrl-C leaves. With a terminal, readline gives line editing and a history kept in the
user's data directory (``$XDG_DATA_HOME/listbot/chat_history``, or ``LISTBOT_CHAT_HISTORY``);
with piped input, lines are answered one after another without prompts.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from listbot.cli.ask_commands import emit

if TYPE_CHECKING:
    from listbot.app import Listbot
    from listbot.context import Actor
    from listbot.replies import Action

QUIT = frozenset({"/quit", "/exit", "/q", "quit", "exit"})
PROMPT = "listbot> "
HISTORY_LENGTH = 1000


def history_path() -> Path:
    """Where the chat history is kept."""
    override = os.environ.get("LISTBOT_CHAT_HISTORY")
    if override:
        return Path(override)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    if sys.platform == "win32":
        base = os.environ.get("APPDATA", base)
    return Path(base) / "listbot" / "chat_history"


def chat(
    bot: Listbot,
    actor: Actor,
    args: argparse.Namespace,
    after_each: Callable[[], None] | None = None,
) -> int:
    """Run the chat loop; returns the exit status (0 on /quit, EOF or Ctrl-C).

    ``after_each`` runs after every answer (the console prints due deliveries there).
    """
    interactive = sys.stdin.isatty()
    saved = _start_history() if interactive else None
    if interactive:
        print("listbot — ask about Awesome-LLM-Inference. /help for commands, /quit to leave.")
    picks: list[Action] = []
    try:
        while True:
            line = _read(interactive)
            if line is None or line.strip().lower() in QUIT:
                break
            if not line.strip():
                continue
            picks = _answer(bot, actor, line.strip(), picks, args)
            if after_each is not None:
                after_each()
    except KeyboardInterrupt:
        print()
    finally:
        if saved is not None:
            _save_history(saved)
    return 0


def _read(interactive: bool) -> str | None:
    """The next line, or None at the end of input."""
    try:
        if interactive:
            return input(PROMPT)
        line = sys.stdin.readline()
        return line if line else None
    except EOFError:
        if interactive:
            print()
        return None


def _answer(
    bot: Listbot, actor: Actor, line: str, picks: list[Action], args: argparse.Namespace
) -> list[Action]:
    """Print the answer to a line (a number presses a pick); return the next picks."""
    from listbot.render.text import pickable

    if line.isdigit() and 1 <= int(line) <= len(picks):
        reply = bot.press(picks[int(line) - 1].encode(), actor)
    else:
        reply = bot.handle(line, actor)
    emit(reply, args, sys.stdout)
    if not (args.json or args.render):
        sys.stdout.write("\n")
    sys.stdout.flush()
    return pickable(reply)


def _start_history() -> Path | None:
    """Load the readline history; the path to save it to, or None without readline."""
    try:
        import readline  # lazy: only a terminal session needs it
    except ImportError:
        return None
    path = history_path()
    readline.set_history_length(HISTORY_LENGTH)
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    return path


def _save_history(path: Path) -> None:
    import readline

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(path)
    except OSError:
        pass
