"""What the fake Bot API checks, as Telegram does: HTML, lengths, buttons; and its errors.

``check_text`` and ``check_markup`` raise the ``ApiError`` Telegram would answer; the HTML
itself is parsed by ``tests.fakes.telegram_html``.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.telegram_html import HtmlError, parse_html, utf16_len

__all__ = [
    "ApiError",
    "HtmlError",
    "bad_request",
    "check_markup",
    "check_text",
    "parse_html",
    "utf16_len",
]

Json = dict[str, Any]
TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64


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
