"""What the fake Discord checks in every payload it receives, as Discord's API does.

Each check returns a list of problems (empty when the payload is valid); the fake answers
400 "Invalid Form Body" and records the problems in ``FakeDiscord.violations``.
"""

from __future__ import annotations

import re
from typing import Any

CONTENT = 2000
EMBEDS = 10
EMBED_TOTAL = 6000
TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE, FOOTER, AUTHOR = (
    256,
    4096,
    25,
    256,
    1024,
    2048,
    256,
)
ROWS, BUTTONS_PER_ROW, CUSTOM_ID, BUTTON_LABEL = 5, 5, 100, 80
OPTIONS, OPTION_TEXT, PLACEHOLDER = 25, 100, 150
CHOICES, CHOICE_NAME, CHOICE_VALUE = 25, 100, 100
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
EMPTY = "Cannot send an empty message"
ACKNOWLEDGE_WITHIN = 3.0
"""Seconds Discord waits for an interaction's first response (autocomplete included)."""
CALLBACK_TYPES = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}
"""Callback types Discord accepts per interaction type (command, component, autocomplete,
modal): autocomplete can only be answered with choices (8), never deferred; only a component
(or a modal of one) can update its message (6, 7)."""
MESSAGE_FLAGS = 4 | 64 | 4096 | 32768
"""Flags a response may set: suppress embeds, ephemeral, suppress notifications, components v2."""


def message_problems(payload: dict[str, Any], *, creating: bool = False) -> list[str]:
    """Problems of a message payload (an edit, or a new message when ``creating``)."""
    problems: list[str] = []
    nonce = payload.get("nonce")
    if nonce is not None and len(str(nonce)) > 25:
        problems.append("nonce: must be 25 or fewer in length.")
    content = payload.get("content")
    if creating and not (content or payload.get("embeds") or payload.get("components")):
        problems.append(EMPTY)
    if int(payload.get("flags") or 0) & ~MESSAGE_FLAGS:
        problems.append(f"flags: {payload.get('flags')} sets flags a message may not set")
    if content is not None and len(content) > CONTENT:
        problems.append(f"content: {len(content)} > {CONTENT} characters")
    embeds = payload.get("embeds") or []
    problems += embeds_problems(embeds)
    problems += components_problems(payload.get("components") or [])
    has_message = bool(content) or bool(embeds)
    if has_message and payload.get("allowed_mentions", {}).get("parse") != []:
        problems.append(f"allowed_mentions must parse nothing: {payload.get('allowed_mentions')}")
    return problems


def embeds_problems(embeds: list[dict[str, Any]]) -> list[str]:
    """Per-embed limits and the 6000-character total."""
    problems = [f"embeds: {len(embeds)} > {EMBEDS}"] if len(embeds) > EMBEDS else []
    total = 0
    for index, embed in enumerate(embeds):
        parts = _embed_parts(embed)
        total += sum(len(text) for _, text, _ in parts)
        problems += [
            f"embeds[{index}].{name}: {len(text)} > {limit}"
            for name, text, limit in parts
            if len(text) > limit
        ]
        if len(embed.get("fields") or []) > FIELDS:
            problems.append(f"embeds[{index}].fields: more than {FIELDS}")
    if total > EMBED_TOTAL:
        problems.append(f"embeds: {total} > {EMBED_TOTAL} characters in total")
    return problems


def _embed_parts(embed: dict[str, Any]) -> list[tuple[str, str, int]]:
    parts = [
        ("title", embed.get("title") or "", TITLE),
        ("description", embed.get("description") or "", DESCRIPTION),
        ("footer", (embed.get("footer") or {}).get("text") or "", FOOTER),
        ("author", (embed.get("author") or {}).get("name") or "", AUTHOR),
    ]
    for number, field in enumerate(embed.get("fields") or []):
        if not field.get("name") or not field.get("value"):
            parts.append((f"fields[{number}] name and value are required", "x", 0))
        parts.append((f"fields[{number}].name", field.get("name") or "", FIELD_NAME))
        parts.append((f"fields[{number}].value", field.get("value") or "", FIELD_VALUE))
    return parts


def components_problems(rows: list[dict[str, Any]]) -> list[str]:
    """Action rows: at most 5, each 1–5 buttons or exactly one select; unique custom ids."""
    problems = [f"components: {len(rows)} > {ROWS} rows"] if len(rows) > ROWS else []
    ids: list[str] = []
    for number, row in enumerate(rows):
        items = row.get("components") or []
        selects = [item for item in items if item.get("type") == 3]
        if row.get("type") != 1 or not items:
            problems.append(f"components[{number}]: not a non-empty action row")
        if len(items) > BUTTONS_PER_ROW or (selects and len(items) > 1):
            problems.append(f"components[{number}]: {len(items)} items in one row")
        for item in items:
            problems += _item_problems(item, ids)
    if len(ids) != len(set(ids)):
        problems.append("components: custom_id values are not unique")
    return problems


def _item_problems(item: dict[str, Any], ids: list[str]) -> list[str]:
    problems: list[str] = []
    custom_id = item.get("custom_id")
    if item.get("type") == 2 and item.get("style") == 5:
        if not item.get("url") or custom_id:
            problems.append("link button: needs a url and no custom_id")
    elif not custom_id or len(custom_id) > CUSTOM_ID:
        problems.append(f"custom_id: missing or longer than {CUSTOM_ID}: {custom_id!r}")
    else:
        ids.append(custom_id)
    if item.get("type") == 2 and not (item.get("label") or item.get("emoji")):
        problems.append("button: needs a label or an emoji")
    if len(item.get("label") or "") > BUTTON_LABEL:
        problems.append(f"button label longer than {BUTTON_LABEL}")
    if item.get("type") == 3:
        problems += _select_problems(item)
    return problems


def _select_problems(select: dict[str, Any]) -> list[str]:
    options = select.get("options") or []
    problems = [] if 1 <= len(options) <= OPTIONS else [f"select: {len(options)} options"]
    if len(select.get("placeholder") or "") > PLACEHOLDER:
        problems.append("select placeholder too long")
    for option in options:
        for key in ("label", "value", "description"):
            if len(option.get(key) or "") > OPTION_TEXT:
                problems.append(f"select option {key} longer than {OPTION_TEXT}")
        if not option.get("label") or not option.get("value"):
            problems.append("select option without a label or value")
    return problems


def choices_problems(choices: list[dict[str, Any]]) -> list[str]:
    """Autocomplete results: at most 25, names and values of 1–100 characters."""
    problems = [f"choices: {len(choices)} > {CHOICES}"] if len(choices) > CHOICES else []
    for choice in choices:
        name, value = str(choice.get("name", "")), str(choice.get("value", ""))
        if not 1 <= len(name) <= CHOICE_NAME:
            problems.append(f"choice name of {len(name)} characters")
        if len(value) > CHOICE_VALUE:
            problems.append(f"choice value of {len(value)} characters")
    return problems


def command_problems(command: dict[str, Any]) -> list[str]:
    """An application command as bulk-overwritten by a sync."""
    name = command.get("name", "")
    problems = [] if COMMAND_NAME.match(name) and name == name.lower() else [f"name {name!r}"]
    if not 1 <= len(command.get("description", "")) <= 100:
        problems.append(f"/{name}: description must be 1-100 characters")
    options = command.get("options") or []
    if len(options) > 25:
        problems.append(f"/{name}: more than 25 options")
    required = [bool(option.get("required")) for option in options]
    if required != sorted(required, reverse=True):
        problems.append(f"/{name}: required options must come first")
    names = [option.get("name", "") for option in options]
    if len(names) != len(set(names)):
        problems.append(f"/{name}: option names are not unique")
    for option in options:
        if (
            not COMMAND_NAME.match(option.get("name", ""))
            or option["name"] != option["name"].lower()
        ):
            problems.append(f"/{name}: option name {option.get('name')!r}")
        problems += [
            f"/{name} {option.get('name')}: {p}"
            for p in choices_problems(option.get("choices") or [])
        ]
        if not 1 <= len(option.get("description", "")) <= 100:
            problems.append(f"/{name} {option.get('name')}: description must be 1-100")
        if option.get("autocomplete") and option.get("choices"):
            problems.append(f"/{name} {option.get('name')}: autocomplete and choices")
    return problems


def callback_problems(interaction_type: int, kind: Any, data: dict[str, Any]) -> list[str]:
    """An interaction response: a type valid for the interaction, and valid data for it."""
    if kind not in CALLBACK_TYPES.get(interaction_type, set()):
        return [f"type: callback type {kind} is not valid for interaction type {interaction_type}"]
    if kind == 8:
        return choices_problems(data.get("choices", []))
    if kind in (4, 7):
        return message_problems(data, creating=kind == 4)
    if int(data.get("flags") or 0) & ~MESSAGE_FLAGS:
        return [f"flags: {data.get('flags')}"]
    return []


PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)
"""Server members, presences, message content: not enabled for the fake's application."""


def identify_problem(identify: dict[str, Any]) -> tuple[int, str] | None:
    """The close code and reason Discord answers a bad IDENTIFY with, or None."""
    if int(identify.get("intents", 0)) & PRIVILEGED_INTENTS:
        return 4014, "Disallowed intent(s)."
    shard_id, count = identify.get("shard", [0, 1])
    if not 0 <= shard_id < count:
        return 4010, "Invalid shard."
    return None
