"""Plain text for the console: every line, card, choice and button of a reply, readable."""

from __future__ import annotations

from listbot.render.textutil import clean
from listbot.replies import Action, Card, Line, Reply, Style


def pickable(reply: Reply) -> list[Action]:
    """The actions a console user can pick by number: choices, then action buttons."""
    actions = [choice.action for choice in reply.choices]
    actions += [button.action for button in reply.buttons if button.action is not None]
    return actions


def render_text(reply: Reply) -> str:
    """The reply as plain text, choices and buttons numbered in the order of ``pickable``."""
    blocks = [_lines(reply.lines)] if reply.lines else []
    blocks += [_card(card) for card in reply.cards]
    blocks += [block for block in (_choices(reply), _buttons(reply), _page(reply)) if block]
    return clean("\n\n".join(block for block in blocks if block))


def _span_text(text: str, style: Style, url: str | None) -> str:
    shown = f"`{text}`" if style is Style.CODE else text
    return f"{shown} <{url}>" if url and url != text else shown


def _line(line: Line) -> str:
    return "".join(_span_text(span.text, span.style, span.url) for span in line)


def _lines(lines: tuple[Line, ...], indent: str = "") -> str:
    return "\n".join(indent + _line(line) for line in lines)


def _card(card: Card) -> str:
    title = f"{card.title} <{card.url}>" if card.url else card.title
    parts = [f"== {title} =="] if title else []
    if card.lines:
        parts.append(_lines(card.lines, "  "))
    for field in card.fields:
        parts.append(f"  {field.name}:")
        parts.append(_lines(field.lines, "    "))
    if card.footer:
        parts.append(f"  -- {card.footer}")
    return "\n".join(parts)


def _choices(reply: Reply) -> str:
    if not reply.choices:
        return ""
    rows = ["Other matches:" if reply.cards else "Pick one:"]
    rows += [
        f"  [{n}] {c.label} — {c.description}" if c.description else f"  [{n}] {c.label}"
        for n, c in enumerate(reply.choices, start=1)
    ]
    return "\n".join(rows)


def _buttons(reply: Reply) -> str:
    number = len(reply.choices)
    shown: list[str] = []
    for button in reply.buttons:
        if button.action is not None:
            number += 1
            shown.append(f"[{number}] {button.label}")
        elif button.url:
            shown.append(f"{button.label} <{button.url}>")
    return "  ".join(shown)


def _page(reply: Reply) -> str:
    if reply.page is None or reply.page.count < 2:
        return ""
    return f"(page {reply.page.number + 1} of {reply.page.count})"
