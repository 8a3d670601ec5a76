"""Rendered ``sendMessage`` parameters (``listbot.render.telegram``) as PTB call arguments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup, InputTextMessageContent, LinkPreviewOptions
from telegram.constants import ParseMode

from listbot.replies import Reply

ANSWER_TEXT_LIMIT = 200
"""Characters of an ``answerCallbackQuery`` notification."""
_KNOWN = frozenset({"text", "parse_mode", "reply_markup", "link_preview_options"})


def message_kwargs(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``send_message`` / ``edit_message_text`` from a payload."""
    kwargs: dict[str, Any] = {
        "text": payload["text"],
        "parse_mode": payload.get("parse_mode", ParseMode.HTML),
    }
    if markup := payload.get("reply_markup"):
        kwargs["reply_markup"] = InlineKeyboardMarkup.de_json(dict(markup), None)
    if preview := payload.get("link_preview_options"):
        kwargs["link_preview_options"] = LinkPreviewOptions.de_json(dict(preview), None)
    extra = {key: value for key, value in payload.items() if key not in _KNOWN}
    if extra:
        kwargs["api_kwargs"] = extra
    return kwargs


def content_of(payload: Mapping[str, Any]) -> InputTextMessageContent:
    """The message an inline result inserts."""
    kwargs = message_kwargs(payload)
    return InputTextMessageContent(
        kwargs["text"],
        parse_mode=kwargs["parse_mode"],
        link_preview_options=kwargs.get("link_preview_options"),
    )


def markup_of(payload: Mapping[str, Any]) -> InlineKeyboardMarkup | None:
    """The payload's inline keyboard, if any."""
    markup: InlineKeyboardMarkup | None = message_kwargs(payload).get("reply_markup")
    return markup


def summary(reply: Reply, limit: int = ANSWER_TEXT_LIMIT) -> str:
    """A reply's first lines as plain text, short enough for a callback notification."""
    texts = ["".join(span.text for span in line) for line in reply.lines]
    texts += [card.title for card in reply.cards]
    text = " ".join(" ".join(t for t in texts if t.strip()).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
