"""Renderers: a neutral ``Reply`` to what each front end sends.

- :func:`render_text` -> ``str`` for the console;
- :func:`render_discord` -> ``list[dict]`` of Discord message payloads;
- :func:`render_telegram` -> ``list[dict]`` of Telegram ``sendMessage`` parameters.

Each renderer owns its platform's limits (:mod:`listbot.render.limits`), escaping and
mention rules. :data:`RENDERERS` maps a platform name to its renderer of payload lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from listbot.render.discord import render_discord
from listbot.render.telegram import render_telegram
from listbot.render.text import render_text
from listbot.replies import Reply

__all__ = ["RENDERERS", "render", "render_discord", "render_telegram", "render_text"]


def _text_payloads(reply: Reply) -> list[dict[str, Any]]:
    return [{"text": render_text(reply)}]


RENDERERS: dict[str, Callable[[Reply], list[dict[str, Any]]]] = {
    "text": _text_payloads,
    "console": _text_payloads,
    "discord": render_discord,
    "telegram": render_telegram,
}


def render(platform: str, reply: Reply) -> list[dict[str, Any]]:
    """The payloads of ``reply`` for ``platform`` (``text``, ``discord`` or ``telegram``)."""
    return RENDERERS[platform](reply)
