"""Independent checks of rendered payloads: Telegram HTML and Discord limits.

Written from the platforms' documentation, separately from the renderers, so that a
renderer bug is not mirrored by its own test.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

TELEGRAM_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"}
TELEGRAM_ENTITIES = {"lt", "gt", "amp", "quot"}
MENTION = re.compile(r"@(?:everyone|here)|<@[!&]?\d|@[A-Za-z0-9_]", re.IGNORECASE)


class TelegramHtml(HTMLParser):
    """Parses Telegram HTML, collecting the visible text and every problem."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.text: list[str] = []
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
        names = [name for name, _ in attrs]
        if (tag == "a" and names != ["href"]) or (tag != "a" and names):
            self.problems.append(f"bad attributes on <{tag}>: {attrs}")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}> (open: {self.stack})")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if any(char in data for char in "<>&"):
            self.problems.append(f"unescaped markup character in {data[:40]!r}")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in TELEGRAM_ENTITIES:
            self.problems.append(f"unknown entity &{name};")
        self.text.append({"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(name, "?"))

    def handle_charref(self, name: str) -> None:
        code = int(name[1:], 16) if name.lower().startswith("x") else int(name)
        self.text.append(chr(code))

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")


def utf16_len(text: str) -> int:
    """UTF-16 code units, counted per character."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def telegram_text(html: str) -> tuple[str, list[str]]:
    """The visible text of Telegram HTML and the problems found in the markup."""
    parser = TelegramHtml()
    parser.feed(html)
    parser.close()
    problems = list(parser.problems)
    if parser.stack:
        problems.append(f"unclosed tags {parser.stack}")
    return "".join(parser.text), problems


def telegram_problems(payload: dict[str, Any]) -> list[str]:
    """Everything Telegram's sendMessage would reject (or that would mention someone)."""
    text, problems = telegram_text(payload["text"])
    if payload.get("parse_mode") != "HTML":
        problems.append("parse_mode is not HTML")
    if not text.strip():
        problems.append("text is empty after entity parsing")
    if utf16_len(text) > 4096:
        problems.append(f"text is {utf16_len(text)} UTF-16 units")
    if MENTION.search(text):
        problems.append(f"text mentions someone: {MENTION.search(text)}")
    if any(0xD800 <= ord(char) <= 0xDFFF for char in payload["text"]):
        problems.append("lone surrogate in text")
    for row in payload.get("reply_markup", {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                problems.append(f"callback_data of {len(data.encode())} bytes")
            if not button.get("text"):
                problems.append("button without text")
    return problems


def discord_problems(payload: dict[str, Any]) -> list[str]:
    """Everything Discord's create-message endpoint would reject, or that would ping."""
    problems: list[str] = []
    content = payload.get("content", "")
    if len(content) > 2000:
        problems.append(f"content of {len(content)} characters")
    if MENTION.search(content):
        problems.append(f"content mentions: {MENTION.search(content)}")
    if payload.get("allowed_mentions") != {"parse": []}:
        problems.append("allowed_mentions does not parse nothing")
    embeds = payload.get("embeds", [])
    if not content and not embeds:
        problems.append("empty message")
    problems += _embeds(embeds)
    problems += _components(payload.get("components", []))
    return problems


def _embeds(embeds: list[dict[str, Any]]) -> list[str]:
    problems = [f"{len(embeds)} embeds"] if len(embeds) > 10 else []
    total = 0
    for embed in embeds:
        fields = embed.get("fields", [])
        parts = [
            (embed.get("title", ""), 256),
            (embed.get("description", ""), 4096),
            (embed.get("footer", {}).get("text", ""), 2048),
        ]
        parts += [(f["name"], 256) for f in fields] + [(f["value"], 1024) for f in fields]
        problems += [f"embed text of {len(t)} > {limit}" for t, limit in parts if len(t) > limit]
        problems += ["empty field name or value" for f in fields if not f["name"] or not f["value"]]
        if len(fields) > 25:
            problems.append(f"{len(fields)} fields")
        total += sum(len(text) for text, _ in parts)
    if total > 6000:
        problems.append(f"embeds total {total}")
    return problems


def _components(rows: list[dict[str, Any]]) -> list[str]:
    problems = [f"{len(rows)} action rows"] if len(rows) > 5 else []
    ids: list[str] = []
    for row in rows:
        items = row["components"]
        if row.get("type") != 1 or not 1 <= len(items) <= 5:
            problems.append(f"bad action row of {len(items)}")
        for item in items:
            problems += _component(item)
            ids += [item["custom_id"]] if "custom_id" in item else []
    if len(ids) != len(set(ids)):
        problems.append("duplicate custom_id")
    return problems


def _component(item: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if "custom_id" in item and not 1 <= len(item["custom_id"]) <= 100:
        problems.append(f"custom_id of {len(item['custom_id'])}")
    if item["type"] == 2 and not 1 <= len(item.get("label", "")) <= 80:
        problems.append("button label length")
    if item["type"] == 3:
        options = item["options"]
        if not 1 <= len(options) <= 25:
            problems.append(f"{len(options)} select options")
        for option in options:
            for key in ("label", "value", "description"):
                if key in option and not 1 <= len(option[key]) <= 100:
                    problems.append(f"option {key} of {len(option[key])}")
    return problems
