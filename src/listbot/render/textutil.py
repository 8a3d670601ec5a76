"""Text helpers shared by the renderers: cleaning, defusing mentions, measuring, packing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

ELLIPSIS = "…"
ZWSP = "\u200b"
_MENTION = re.compile(r"@(?=[\w&!#])")
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean(text: str) -> str:
    """Text without control characters (other than newline and tab) or lone surrogates."""
    return _BAD_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """Cleaned text on one line: newlines and tabs become spaces."""
    return clean(text).replace("\n", " ").replace("\t", " ")


def defuse(text: str) -> str:
    """Break every ``@name``, ``@everyone``, ``<@id>`` and ``<@&id>`` with a zero-width space."""
    return _MENTION.sub("@" + ZWSP, text)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut(text: str, limit: int, measure: Callable[[str], int] = len) -> str:
    """``text`` shortened to at most ``limit`` units, ending with an ellipsis when cut."""
    if measure(text) <= limit:
        return text
    if limit <= 0:
        return ""
    budget = limit - measure(ELLIPSIS)
    kept = text[: max(budget, 0)]
    while kept and measure(kept) > budget:
        kept = kept[:-1]
    return kept.rstrip() + ELLIPSIS


@dataclass(frozen=True, slots=True)
class Fragment:
    """Rendered markup and the size it counts for on its platform."""

    markup: str
    size: int


def join(fragments: Iterable[Fragment], separator: Fragment | None = None) -> Fragment:
    """Fragments one after another, optionally separated."""
    items = list(fragments)
    markup = (separator.markup if separator else "").join(f.markup for f in items)
    gaps = separator.size * max(len(items) - 1, 0) if separator else 0
    return Fragment(markup, sum(f.size for f in items) + gaps)


def fit_spans(texts: Sequence[str], render: Callable[[int, str], Fragment], limit: int) -> Fragment:
    """Render pieces ``render(i, text)`` in order, cutting the piece that would overflow.

    Markup is never cut: an overflowing piece is rendered again from shorter text, so a
    tag, an entity or a link is either whole or absent.
    """
    parts: list[Fragment] = []
    used = 0
    for index, text in enumerate(texts):
        fragment = render(index, text)
        if used + fragment.size <= limit:
            parts.append(fragment)
            used += fragment.size
            continue
        parts.extend(_shrink(index, text, render, limit - used))
        break
    return join(parts)


def _shrink(
    index: int, text: str, render: Callable[[int, str], Fragment], budget: int
) -> list[Fragment]:
    """The piece re-rendered from the longest cut of ``text`` that fits ``budget`` (maybe none)."""
    best: list[Fragment] = []
    low, high = 1, len(text) - 1
    while low <= high:
        middle = (low + high) // 2
        fragment = render(index, cut(text, middle))
        if fragment.size <= budget:
            best, low = [fragment], middle + 1
        else:
            high = middle - 1
    return best


def pack(lines: Sequence[Fragment], limit: int, separator: Fragment) -> list[list[Fragment]]:
    """Group whole lines into chunks whose joined size stays within ``limit``."""
    chunks: list[list[Fragment]] = []
    current: list[Fragment] = []
    used = 0
    for line in lines:
        extra = line.size + (separator.size if current else 0)
        if current and used + extra > limit:
            chunks.append(current)
            current, used, extra = [], 0, line.size
        current.append(line)
        used += extra
    if current:
        chunks.append(current)
    return chunks
