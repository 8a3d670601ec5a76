"""Building blocks of command replies: paper cards, listing lines, pages, usage answers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from listbot.catalog.jsonio import paper_to_json
from listbot.catalog.model import Paper
from listbot.render.limits import ACTION_DATA, ECHO
from listbot.render.textutil import cut, one_line
from listbot.replies import Action, Button, Card, Choice, Field, Kind, Line, Page, Reply, Span
from listbot.replies import Style as S
from listbot.search import Filters

PAGE_SIZE = 8
TITLE_CHARS = 110
_HUGE = 10**5


def echo(text: str) -> str:
    """User text fit to be quoted back: one line, at most ``ECHO`` characters."""
    return cut(" ".join(one_line(text).split()), ECHO)


def count(number: int, noun: str = "paper") -> str:
    """``1 paper``, ``2 papers``."""
    return f"{number} {noun}" + ("" if number == 1 else "s")


def describe(filters: Filters) -> str:
    """The restricting filters of a query in words: ``year 2024, topic KV Cache…, with code``."""
    parts = [_bounds("year", filters.years)] if filters.years else []
    parts += [f"topic {topic}" for topic in filters.topics]
    parts += [f"org {org}" for org in filters.orgs]
    parts += [f"with {what}" for what in sorted(filters.has)]
    parts += [f"without {what}" for what in sorted(filters.lacks)]
    parts += [
        _bounds(name, bounds) for name, bounds in (("⭐", filters.stars), ("🔥", filters.hot))
    ]
    return ", ".join(part for part in parts if part)


def _bounds(name: str, bounds: tuple[int, int] | None) -> str:
    if bounds is None:
        return ""
    low, high = bounds
    if low == high:
        return f"{name} {low}"
    if high >= _HUGE:
        return f"{name} ≥ {low}"
    return f"{name} ≤ {high}" if low <= -_HUGE else f"{name} {low}–{high}"


def action(command: str, arg: str = "", page: int = 0) -> Action | None:
    """An action whose encoding fits every platform's callback data, or None."""
    candidate = Action(command, arg, page)
    encoded = candidate.encode()
    fits = len(encoded.encode("utf-8", "replace")) <= ACTION_DATA and one_line(arg) == arg
    return candidate if fits and Action.decode(encoded) == candidate else None


def heading(paper: Paper) -> str:
    """The paper's short name and title, without saying the name twice."""
    if paper.short and paper.short.lower() not in paper.title.lower():
        return f"{paper.short} — {paper.title}"
    return paper.title or paper.short


def rating(paper: Paper) -> str:
    """🔥 and ⭐ as the list shows them."""
    return " ".join(part for part in ("🔥" * paper.hot, "⭐" * paper.recom) if part)


def facts(paper: Paper) -> str:
    """Date and org, e.g. ``2024-05 · DeepSeek-AI``."""
    return " · ".join(str(part) for part in (paper.date, paper.org) if part)


def links(paper: Paper) -> tuple[Span, ...]:
    """The paper and code links as spans."""
    spans: list[Span] = []
    for label, link in (("paper", paper.paper), ("code", paper.code)):
        if link:
            spans += [Span(" · ")] if spans else []
            spans.append(Span(label, url=link.url))
    return tuple(spans)


def paper_card(paper: Paper, footer: str | None = None) -> Card:
    """A paper in full: title, short name (unless the title starts with it), date, org,
    topics, links, 🔥 and ⭐."""
    url = paper.paper.url if paper.paper else (paper.code.url if paper.code else None)
    title = heading(paper)
    lines: list[Line] = []
    if paper.short and not title.lower().startswith(paper.short.lower()):
        lines.append((Span(paper.short, S.BOLD),))
    if paper.aliases:
        lines.append((Span("Also listed as " + ", ".join(paper.aliases), S.ITALIC),))
    for text in (facts(paper), rating(paper)):
        if text:
            lines.append((Span(text),))
    fields = [Field("Topics", tuple((Span(section),) for section in paper.sections))]
    if paper.paper or paper.code:
        fields.append(Field("Links", (links(paper),)))
    return Card(title, url, tuple(lines), tuple(fields), footer or f"id: {paper.id}")


def paper_line(number: int, paper: Paper) -> Line:
    """One numbered line of a listing."""
    spans = [Span(f"{number}. "), Span(paper.short or cut(paper.title, TITLE_CHARS), S.BOLD)]
    if paper.short:
        spans.append(Span(" — " + cut(paper.title, TITLE_CHARS)))
    detail = " · ".join(part for part in (facts(paper), rating(paper)) if part)
    if detail:
        spans.append(Span(f" ({detail})"))
    if paper.paper or paper.code:
        spans += [Span(" "), *links(paper)]
    return tuple(spans)


def paper_choice(paper: Paper) -> Choice | None:
    """A menu option that opens the paper, or None when its id cannot travel in a button."""
    opened = action("paper", paper.id)
    if opened is None:
        return None
    description = facts(paper) or ", ".join(paper.sections)
    return Choice(cut(paper.display_name, 90), cut(description, 90), opened)


def choices(papers: Sequence[Paper]) -> tuple[Choice, ...]:
    """Menu options for papers (at most 25, those whose ids fit)."""
    made = (paper_choice(paper) for paper in papers[:25])
    return tuple(choice for choice in made if choice)


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    """Number of pages for ``total`` items (at least one)."""
    return max(1, math.ceil(total / size))


def page_slice(items: Sequence[Paper], page: int, size: int = PAGE_SIZE) -> Sequence[Paper]:
    """The items on ``page`` (0-based, clamped)."""
    page = min(max(page, 0), page_count(len(items), size) - 1)
    return items[page * size : (page + 1) * size]


def nav(command: str, arg: str, page: int, count: int) -> tuple[Button, ...]:
    """Previous/next buttons for a paginated listing (those whose action fits)."""
    buttons: list[Button] = []
    for label, target in (("◀ Prev", page - 1), ("Next ▶", page + 1)):
        act = action(command, arg, target) if 0 <= target < count else None
        if act:
            buttons.append(Button(label, act))
    return tuple(buttons)


def listing(command: str, arg: str, papers: Sequence[Paper], page: int, header: Line) -> Reply:
    """A page of numbered paper lines with navigation and a menu to open each."""
    count = page_count(len(papers))
    page = min(max(page, 0), count - 1)
    shown = page_slice(papers, page)
    first = page * PAGE_SIZE + 1
    lines = [header, *(paper_line(first + i, p) for i, p in enumerate(shown))]
    buttons = nav(command, arg, page, count)
    if count > 1 and len(buttons) < (page > 0) + (page < count - 1):
        lines.append((Span(f"More: /{command} {arg} page:{page + 2}".replace("  ", " ")),))
    return Reply(
        lines=tuple(lines), buttons=buttons, choices=choices(shown), page=Page(page, count)
    )


def meta(
    command: str, answer: Paper | None = None, results: Sequence[tuple[Paper, float | None]] = ()
) -> dict[str, object]:
    """The machine-readable side of a reply (the ``--json`` contract)."""
    rows: list[dict[str, Any]] = [
        {**paper_to_json(paper), "score": score} for paper, score in results
    ]
    return {
        "command": command,
        "answer": paper_to_json(answer) if answer else None,
        "results": rows,
    }


def usage(command: str, usage_text: str, example: str, description: str) -> Reply:
    """The answer to a command given without its argument."""
    lines = [f"/{command} {usage_text}".rstrip() + f" — {description}"]
    if example:
        lines.append(f"For example: {example}")
    return Reply(lines=tuple((Span(line),) for line in lines), kind=Kind.ERROR, meta=meta(command))
