"""Discord message payloads, exactly as the API takes them (``POST /channels/{id}/messages``).

Lines become ``content`` (markdown escaped, links masked without previews), cards become
embeds, action buttons become buttons whose ``custom_id`` is ``Action.encode()``, and choices
become one string select (``custom_id`` :data:`SELECT_ID`; each option's value is an encoded
action, so an adapter answers a pick with ``Listbot.press(values[0])``). Every payload carries
``allowed_mentions: {"parse": []}`` and ``@`` before a name is broken with a zero-width space.
A reply that does not fit one message is split at line boundaries over several payloads;
the components go on the last one.
"""

from __future__ import annotations

import re
from typing import Any

from listbot.render import limits
from listbot.render.textutil import Fragment, clean, cut, defuse, fit_spans, join, pack
from listbot.replies import Button, Card, Choice, Line, Reply, Span, Style

SELECT_ID = "choose:0:"
"""The custom id of the disambiguation select; the picked option's value is the action."""
NO_MENTIONS: dict[str, list[str]] = {"parse": []}
_NEWLINE = Fragment("\n", 1)
_MARKDOWN = re.compile(r"([\\*_~`|\[\]<>])")
_LINE_START = re.compile(r"^([#>+-])")
_WRAP = {Style.BOLD: "**", Style.ITALIC: "*", Style.CODE: "`"}


def escape(text: str) -> str:
    """Text shown literally by Discord markdown, pinging nobody."""
    return defuse(_MARKDOWN.sub(r"\\\1", clean(text).replace("\n", " ")))


def render_discord(reply: Reply) -> list[dict[str, Any]]:
    """One or more message payloads, in order; the components are on the last."""
    contents = _contents(reply)
    payloads: list[dict[str, Any]] = [{"content": text} for text in contents] or [{}]
    for index, group in enumerate(_embed_groups(reply.cards)):
        if index or "embeds" in payloads[-1]:
            payloads.append({})
        payloads[-1]["embeds"] = group
    components = _components(reply)
    if components:
        payloads[-1]["components"] = components
    for payload in payloads:
        if not payload.get("content") and not payload.get("embeds"):
            payload["content"] = "…"
        payload["allowed_mentions"] = dict(NO_MENTIONS)
    return payloads


def _contents(reply: Reply) -> list[str]:
    lines = [_line(line, limits.DISCORD_CONTENT) for line in reply.lines]
    if reply.page and reply.page.count > 1 and not reply.cards:
        lines.append(
            _line(
                (Span(f"Page {reply.page.number + 1} of {reply.page.count}", Style.ITALIC),),
                limits.DISCORD_CONTENT,
            )
        )
    chunks = pack(lines, limits.DISCORD_CONTENT, _NEWLINE)
    texts = [join(chunk, _NEWLINE).markup.strip("\n") for chunk in chunks]
    return [text for text in texts if text.strip()]


def _line(line: Line, limit: int, embed: bool = False) -> Fragment:
    spans = [span for span in line if span.text]

    def render(index: int, text: str) -> Fragment:
        return _span(spans[index], text, embed)

    fragment = fit_spans([span.text for span in spans], render, limit - 1)
    if _LINE_START.match(fragment.markup):
        return Fragment("\\" + fragment.markup, fragment.size + 1)
    return fragment


def _span(span: Span, text: str, embed: bool) -> Fragment:
    if span.style is Style.CODE:
        shown = defuse(clean(text).replace("\n", " ").replace("`", "ˋ"))
    else:
        shown = escape(text)
    if not shown.strip():
        return Fragment(shown, len(shown))
    wrap = _WRAP.get(span.style, "")
    markup = f"{wrap}{shown}{wrap}"
    if _linkable(span.url):
        target = _safe_url(span.url or "")
        markup = f"[{markup}]({target})" if embed else f"[{markup}](<{target}>)"
    return Fragment(markup, len(markup))


def _linkable(url: str | None) -> bool:
    ok = bool(url) and (url or "").startswith(("https://", "http://"))
    return ok and len(url or "") <= limits.DISCORD_URL


def _safe_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace(">", "%3E")


def _embed_groups(cards: tuple[Card, ...]) -> list[list[dict[str, Any]]]:
    groups: list[list[dict[str, Any]]] = []
    used = 0
    for card in cards:
        embed, size = _embed(card)
        fits = used + size <= limits.DISCORD_EMBED_TOTAL
        if not groups or not fits or len(groups[-1]) >= limits.DISCORD_EMBEDS_PER_MESSAGE:
            groups.append([])
            used = 0
        groups[-1].append(embed)
        used += size
    return groups


def _embed(card: Card) -> tuple[dict[str, Any], int]:
    """One embed within every per-embed limit, and its size towards the 6000 total."""
    title = cut(defuse(one_line_text(card.title)), limits.DISCORD_EMBED_TITLE)
    embed: dict[str, Any] = {"title": title or "…"}
    if _linkable(card.url):
        embed["url"] = card.url
    description = _block(card.lines, limits.DISCORD_EMBED_DESCRIPTION)
    if description:
        embed["description"] = description
    fields = [_field(f.name, f.lines, f.inline) for f in card.fields]
    fields = fields[: limits.DISCORD_EMBED_FIELDS]
    if fields:
        embed["fields"] = fields
    footer = cut(defuse(one_line_text(card.footer or "")), limits.DISCORD_FOOTER)
    if footer:
        embed["footer"] = {"text": footer}
    size = len(embed["title"]) + len(description) + len(footer)
    size += sum(len(f["name"]) + len(f["value"]) for f in fields)
    return _shrink_embed(embed, size)


def one_line_text(text: str) -> str:
    """Text for a place without markdown: one clean line."""
    return " ".join(clean(text).split())


def _block(lines: tuple[Line, ...], limit: int) -> str:
    fragments = [_line(line, limit, embed=True) for line in lines]
    chunks = pack(fragments, limit - 2, _NEWLINE)
    text = join(chunks[0], _NEWLINE).markup if chunks else ""
    return text + "\n…" if len(chunks) > 1 else text


def _field(name: str, lines: tuple[Line, ...], inline: bool) -> dict[str, Any]:
    value = _block(lines, limits.DISCORD_FIELD_VALUE).strip() or "-"
    shown = cut(defuse(one_line_text(name)), limits.DISCORD_FIELD_NAME) or "-"
    return {"name": shown, "value": value, "inline": inline}


def _shrink_embed(embed: dict[str, Any], size: int) -> tuple[dict[str, Any], int]:
    """Drop trailing fields, then shorten the description, until the embed fits 6000."""
    while size > limits.DISCORD_EMBED_TOTAL and embed.get("fields"):
        field = embed["fields"].pop()
        size -= len(field["name"]) + len(field["value"])
    if size > limits.DISCORD_EMBED_TOTAL:
        over = size - limits.DISCORD_EMBED_TOTAL
        description = embed.get("description", "")
        kept = description[: max(len(description) - over - 2, 0)].rsplit("\n", 1)[0]
        embed["description"] = (kept + "\n…").strip() or "…"
        size += len(embed["description"]) - len(description)
    if not embed.get("fields"):
        embed.pop("fields", None)
    return embed, size


def _components(reply: Reply) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    select = _select(reply.choices, "Other matches…" if reply.cards else "Open one…")
    if select:
        rows.append({"type": 1, "components": [select]})
    buttons = _buttons(reply.buttons)
    per_row = limits.DISCORD_BUTTONS_PER_ROW
    for start in range(0, len(buttons), per_row):
        if len(rows) < limits.DISCORD_ACTION_ROWS:
            rows.append({"type": 1, "components": buttons[start : start + per_row]})
    return rows


def _select(choices: tuple[Choice, ...], placeholder: str) -> dict[str, Any] | None:
    options: list[dict[str, Any]] = []
    seen: set[str] = set()
    for choice in choices[: limits.DISCORD_SELECT_OPTIONS]:
        value = choice.action.encode()
        if value in seen or not _fits_id(value):
            continue
        seen.add(value)
        option: dict[str, Any] = {
            "label": _text(choice.label, limits.DISCORD_SELECT_LABEL),
            "value": value,
        }
        description = _text(choice.description, limits.DISCORD_SELECT_DESCRIPTION, "")
        if description:
            option["description"] = description
        options.append(option)
    if not options:
        return None
    return {
        "type": 3,
        "custom_id": SELECT_ID,
        "placeholder": placeholder,
        "min_values": 1,
        "max_values": 1,
        "options": options,
    }


def _buttons(buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = []
    seen: set[str] = set()
    for button in buttons:
        label = _text(button.label, limits.DISCORD_BUTTON_LABEL)
        if button.action is not None:
            custom_id = button.action.encode()
            if custom_id in seen or not _fits_id(custom_id):
                continue
            seen.add(custom_id)
            shown.append({"type": 2, "style": 2, "label": label, "custom_id": custom_id})
        elif _linkable(button.url) and len(button.url or "") <= 512:
            shown.append({"type": 2, "style": 5, "label": label, "url": button.url})
    return shown


def _fits_id(custom_id: str) -> bool:
    return (
        bool(custom_id)
        and clean(custom_id) == custom_id
        and (len(custom_id) <= limits.DISCORD_CUSTOM_ID)
    )


def _text(text: str, limit: int, empty: str = "…") -> str:
    return cut(one_line_text(text), limit) or empty
