"""What the fake Bot API checks, as Telegram does: HTML, lengths, buttons; and its errors.

``parse_html(text)`` returns the plain text Telegram would show, or raises
``HtmlError`` with the description Telegram gives after "can't parse entities: ".
``check_text`` and ``check_markup`` raise the ``ApiError`` Telegram would answer.
"""

from __future__ import annotations

import html
import re
from typing import Any

Json = dict[str, Any]
TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64

ALLOWED_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
        "blockquote", "tg-spoiler", "span", "tg-emoji",
    }
)  # fmt: skip
"""The whitelist of the Bot API's HTML style, with the aliases Telegram accepts."""
_ATTRIBUTE = r"""\s+[a-zA-Z-]+(?:=(?:"[^"]*"|'[^']*'|[^\s>]+))?"""
_TAG = re.compile(rf"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:{_ATTRIBUTE})*)\s*>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


class HtmlError(ValueError):
    """The text is not valid Telegram HTML."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def parse_html(text: str) -> str:
    """The plain text of ``text`` after entity parsing; raises ``HtmlError`` when invalid."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            pos = _tag(text, pos, stack)
        elif char == "&" and (entity := _ENTITY.match(text, pos)):
            out.append(html.unescape(entity.group(0)))
            pos = entity.end()
        else:
            out.append(char)
            pos += 1
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _tag(text: str, pos: int, stack: list[str]) -> int:
    match = _TAG.match(text, pos)
    offset = len(text[:pos].encode())
    if match is None:
        raise HtmlError(f"Unsupported start tag at byte offset {offset}")
    closing, name = match.group(1) == "/", match.group(2).lower()
    if name not in ALLOWED_TAGS:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {offset}')
    if closing:
        if not stack or stack[-1] != name:
            expected = f', expected "</{stack[-1]}>"' if stack else ""
            found = f'found "</{name}>"'
            raise HtmlError(f"Unmatched end tag at byte offset {offset}{expected}, {found}")
        stack.pop()
    else:
        stack.append(name)
    return match.end()


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def body(self) -> Json:
        """The JSON body Telegram answers with."""
        body: Json = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(why: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {why}")


def check_text(text: str, parse_mode: str | None) -> None:
    """Raise Telegram's 400 for text that is invalid HTML, empty or too long."""
    try:
        plain = parse_html(text) if (parse_mode or "").upper() == "HTML" else text
    except HtmlError as error:
        raise bad_request(f"can't parse entities: {error}") from None
    if not plain.strip():
        raise bad_request("message text is empty")
    if utf16_len(plain) > TEXT_LIMIT:
        raise bad_request("message is too long")


def check_markup(markup: Json | None) -> None:
    """Raise Telegram's 400 for an inline keyboard with invalid buttons."""
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 0 < len(data.encode()) <= CALLBACK_DATA_LIMIT:
                raise bad_request("BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise bad_request("BUTTON_TEXT_INVALID")
