"""Telegram ``sendMessage`` parameters (without ``chat_id``): HTML text and an inline keyboard.

Text is escaped (``&``, ``<``, ``>``; also ``"`` in links), styled only with ``b``, ``i``,
``code`` and ``a``; ``@`` before a name is broken with a zero-width space so nobody is
mentioned. A reply longer than one message is split at line boundaries; a line longer than
a message is shortened before it is marked up, so no tag, entity or link is ever cut. The
keyboard goes on the last message; a button whose callback data would exceed 64 bytes is
left out.
"""

from __future__ import annotations

from typing import Any

from listbot.render import limits
from listbot.render.textutil import Fragment, clean, cut, defuse, fit_spans, join, pack, utf16_len
from listbot.replies import Card, Line, Reply, Span, Style

_NEWLINE = Fragment("\n", 1)
_TAGS = {Style.BOLD: "b", Style.ITALIC: "i", Style.CODE: "code"}


def escape(text: str) -> str:
    """Text safe inside Telegram HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_href(url: str) -> str:
    """A URL safe inside a double-quoted ``href``."""
    return escape(url).replace('"', "&quot;")


def render_telegram(reply: Reply) -> list[dict[str, Any]]:
    """One or more ``sendMessage`` parameter sets, in order; the keyboard is on the last."""
    lines = _reply_lines(reply)
    chunks = pack(lines, limits.TELEGRAM_TEXT, _NEWLINE)
    texts = [join(chunk, _NEWLINE).markup.strip("\n") for chunk in chunks]
    messages = [_message(text) for text in texts if text.strip()] or [_message("…")]
    keyboard = _keyboard(reply)
    if keyboard:
        messages[-1]["reply_markup"] = {"inline_keyboard": keyboard}
    return messages


def _message(text: str) -> dict[str, Any]:
    return {"text": text, "parse_mode": "HTML", "link_preview_options": {"is_disabled": True}}


def _reply_lines(reply: Reply) -> list[Fragment]:
    lines = [_line(line) for line in reply.lines]
    for card in reply.cards:
        if lines:
            lines.append(Fragment("", 0))
        lines += _card_lines(card)
    if reply.page and reply.page.count > 1:
        lines.append(
            _line((Span(f"Page {reply.page.number + 1} of {reply.page.count}", Style.ITALIC),))
        )
    nonblank = [line for line in lines if line.markup.strip()]
    return lines if nonblank else [Fragment("…", 1)]


def _card_lines(card: Card) -> list[Fragment]:
    lines = [_line((Span(card.title, Style.BOLD, card.url),))] if card.title else []
    lines += [_line(line) for line in card.lines]
    for field in card.fields:
        label = Span(f"{field.name}: ", Style.BOLD)
        if len(field.lines) == 1:
            lines.append(_line((label, *field.lines[0])))
        else:
            lines.append(_line((label,)))
            lines += [_line(line) for line in field.lines]
    if card.footer:
        lines.append(_line((Span(card.footer, Style.ITALIC),)))
    return lines


def _line(line: Line) -> Fragment:
    spans = [span for span in line if span.text]

    def render(index: int, text: str) -> Fragment:
        return _span(spans[index], text)

    return fit_spans([span.text for span in spans], render, limits.TELEGRAM_TEXT)


def _span(span: Span, text: str) -> Fragment:
    visible = defuse(clean(text).replace("\n", " "))
    if not visible:
        return Fragment("", 0)
    markup = escape(visible)
    tag = _TAGS.get(span.style)
    if tag:
        markup = f"<{tag}>{markup}</{tag}>"
    if _linkable(span.url) and visible.strip():
        markup = f'<a href="{escape_href(span.url or "")}">{markup}</a>'
    return Fragment(markup, utf16_len(visible))


def _linkable(url: str | None) -> bool:
    return bool(url) and (url or "").startswith(("https://", "http://")) and len(url or "") < 2048


def _keyboard(reply: Reply) -> list[list[dict[str, str]]]:
    rows: list[list[dict[str, str]]] = []
    for number, choice in enumerate(reply.choices, start=1):
        button = _callback(f"{number}. {choice.label}", choice.action.encode())
        if button:
            rows.append([button])
    actions = [_callback(b.label, b.action.encode()) for b in reply.buttons if b.action]
    links = [_url_button(b.label, b.url) for b in reply.buttons if not b.action and b.url]
    for group in (actions, links):
        row = [button for button in group if button]
        for start in range(0, len(row), limits.TELEGRAM_BUTTONS_PER_ROW):
            rows.append(row[start : start + limits.TELEGRAM_BUTTONS_PER_ROW])
    return rows


def _label(text: str) -> str:
    return cut(" ".join(clean(text).split()), limits.TELEGRAM_BUTTON_TEXT) or "…"


def _callback(label: str, data: str) -> dict[str, str] | None:
    if not fits_callback(data):
        return None
    return {"text": _label(label), "callback_data": data}


def fits_callback(data: str) -> bool:
    """True when ``data`` is valid Telegram callback data (1 to 64 bytes of clean UTF-8)."""
    if not data or clean(data) != data:
        return False
    return len(data.encode("utf-8")) <= limits.TELEGRAM_CALLBACK_DATA


def _url_button(label: str, url: str | None) -> dict[str, str] | None:
    return {"text": _label(label), "url": url or ""} if _linkable(url) else None
