"""``/paper`` and ``/search``: answering a question about the list.

A message without a leading ``/`` is a ``/paper`` query: the decisive paper when there is
one, otherwise the candidates to pick from — the same answer a search would lead to, one
step shorter.
"""

from __future__ import annotations

from collections.abc import Sequence

from listbot.catalog.model import Paper
from listbot.commands.base import Command, Context
from listbot.commands.views import (
    PAGE_SIZE,
    choices,
    describe,
    echo,
    meta,
    nav,
    paper_card,
    paper_line,
)
from listbot.replies import Button, Kind, Line, Page, Reply, Span, Style
from listbot.search import SearchResult

CANDIDATES = 10
"""How many candidates /paper considers and reports."""
OTHERS_FLOOR = 60.0
"""Beside a decisive answer, only hits this close are offered as "other matches"."""


def paper(ctx: Context, args: str) -> Reply:
    """The decisive match in full, other candidates as choices; or candidates; or not found."""
    by_id = ctx.services.catalog.by_id.get(args.strip())
    if by_id is not None:
        return _answer(ctx, by_id, [(by_id, None)], ())
    result = ctx.services.searcher.search(args, CANDIDATES)
    ranked: list[tuple[Paper, float | None]] = [(hit.paper, hit.score) for hit in result.hits]
    if result.errors and not ranked:
        return _errors(result.errors, "paper")
    if not ranked:
        return _not_found(args, result, "paper")
    if result.decisive is not None:
        others = tuple(
            p for p, score in ranked if p.id != result.decisive.id and (score or 0) >= OTHERS_FLOOR
        )
        return _answer(ctx, result.decisive, ranked, others)
    return _candidates(args, ranked, result.errors)


def _answer(
    ctx: Context, found: Paper, ranked: list[tuple[Paper, float | None]], others: tuple[Paper, ...]
) -> Reply:
    """One paper in full, with link buttons and the other candidates to pick from."""
    buttons = [
        Button(label.title(), url=link.url)
        for label, link in (("paper", found.paper), ("code", found.code))
        if link
    ]
    release = ctx.services.history.first_release(found.id)
    footer = f"id: {found.id}" + (f" · in the list since release {release.tag}" if release else "")
    return Reply(
        cards=(paper_card(found, footer),),
        buttons=tuple(buttons),
        choices=choices(others),
        meta=meta("paper", found, ranked),
    )


def _candidates(
    query: str, ranked: list[tuple[Paper, float | None]], errors: Sequence[str]
) -> Reply:
    """No single clear match: the top candidates to choose from."""
    papers = [p for p, _ in ranked[:5]]
    asked = f"“{echo(query)}”"
    question = f"Is this the paper you mean by {asked}?"
    if len(papers) > 1:
        question = f"Several papers match {asked}; which one?"
    lines: list[Line] = [(Span(question),)]
    lines += [paper_line(n, p) for n, p in enumerate(papers, start=1)]
    lines += [(Span(error, Style.ITALIC),) for error in errors]
    return Reply(lines=tuple(lines), choices=choices(papers), meta=meta("paper", None, ranked))


def _not_found(query: str, result: SearchResult, command: str) -> Reply:
    """Nothing matches: say so honestly (with the filters as understood), up to three
    suggestions."""
    suggestions = result.suggestions
    lines: list[Line] = [(Span(_nothing(result)),)]
    names = [paper.display_name for paper in suggestions[:3]]
    if names:
        lines.append((Span("Did you mean "), *_joined(names)))
    else:
        hint = "fewer filters (see /help)" if describe(result.filters) else "other words"
        lines.append((Span(f"Try {hint}, or browse with /topics and /latest."),))
    return Reply(
        lines=tuple(lines),
        kind=Kind.NOT_FOUND,
        choices=choices(suggestions[:3]),
        meta=meta(command),
    )


def _nothing(result: SearchResult) -> str:
    filters = describe(result.filters)
    if not filters:
        return f"No paper in the list matches “{echo(result.terms or result.query)}”."
    if not result.terms:
        return f"No paper in the list passes these filters: {filters}."
    return f"No paper in the list matches “{echo(result.terms)}” with these filters: {filters}."


def _joined(names: list[str]) -> list[Span]:
    """``A``, ``A or B``, ``A, B or C`` in bold, then a question mark."""
    spans: list[Span] = []
    for number, name in enumerate(names):
        if number:
            spans.append(Span(" or " if number == len(names) - 1 else ", "))
        spans.append(Span(name, Style.BOLD))
    spans.append(Span("?"))
    return spans


def _errors(errors: Sequence[str], command: str) -> Reply:
    lines = tuple((Span(error),) for error in errors)
    return Reply(
        lines=(*lines, (Span("See /help for the filter syntax."),)),
        kind=Kind.ERROR,
        meta=meta(command),
    )


def search(ctx: Context, args: str) -> Reply:
    """Ranked matches, a page at a time, with buttons to page and a menu to open one."""
    query = _without_page(args)
    asked = f"{query} page:{ctx.page + 1}" if ctx.pressed else " ".join(args.split())
    result = ctx.services.searcher.search(asked, PAGE_SIZE)
    if not result.hits and result.total == 0:
        if result.errors:
            return _errors(result.errors, "search")
        return _not_found(query, result, "search")
    count = max(1, -(-result.total // PAGE_SIZE))
    if not result.hits:
        result = ctx.services.searcher.search(f"{query} page:{count}", PAGE_SIZE)
    return _results(query, result, count)


def _results(query: str, result: SearchResult, count: int) -> Reply:
    """One page of ranked results with Prev/Next (or a typed hint when they cannot fit)."""
    ranked: list[tuple[Paper, float | None]] = [(hit.paper, hit.score) for hit in result.hits]
    page = min(result.page, count) - 1
    first = page * PAGE_SIZE + 1
    lines: list[Line] = [(Span(f"Results for “{echo(query)}” ({result.total})", Style.BOLD),)]
    understood = describe(result.filters)
    lines += [(Span(f"Filters: {understood}", Style.ITALIC),)] if understood else []
    lines += [paper_line(first + n, p) for n, (p, _) in enumerate(ranked)]
    lines += [(Span(error, Style.ITALIC),) for error in result.errors]
    buttons = nav("search", query, page, count)
    if count > 1 and len(buttons) < (page > 0) + (page < count - 1):
        lines.append((Span(f"More: /search {echo(query)} page:{page + 2}"),))
    return Reply(
        lines=tuple(lines),
        buttons=buttons,
        choices=choices([p for p, _ in ranked]),
        page=Page(page, count),
        meta=meta("search", None, ranked),
    )


def _without_page(query: str) -> str:
    """The query without its ``page:N`` filter, for buttons that set the page themselves."""
    kept = [word for word in query.split() if not word.lower().startswith(("page:", "pg:"))]
    return " ".join(kept)


COMMANDS = (
    Command(
        "paper",
        "Show the paper that best matches a name, title or topic",
        paper,
        "<query>",
        ("p", "find"),
        "/paper flashattention",
        needs_args=True,
    ),
    Command(
        "search",
        "Search the list, ranked, with filters such as year:2024",
        search,
        "<query>",
        ("s",),
        "/search kv cache quantization year:2024",
        needs_args=True,
    ),
)
"""The ask commands."""
