"""About the list and the bot: ``/stats``, ``/help`` and ``/about``."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from listbot import __version__
from listbot.commands.base import Command, Context
from listbot.commands.views import count, echo, meta
from listbot.replies import Card, Field, Kind, Line, Reply, Span, Style

LIST_NAME = "Awesome-LLM-Inference"
LIST_URL = "https://github.com/xlite-dev/Awesome-LLM-Inference"
LIST_LICENSE = "GPL-3.0"
GROUP_TITLES = {"ask": "Ask", "follow": "Follow", "maintain": "Maintainers"}


def stats(ctx: Context, args: str) -> Reply:
    """Counts by topic and year, the newest release, and when the catalog was updated."""
    catalog = ctx.services.catalog
    topics = Counter(section for paper in catalog.papers for section in paper.sections)
    years = Counter(paper.date.year for paper in catalog.papers if paper.date)
    by_topic = tuple((Span(f"{topics[name]:>4}  {name}"),) for name in catalog.sections)
    by_year = tuple((Span(f"{year}: {years[year]}"),) for year in sorted(years, reverse=True))
    card = Card(
        f"{LIST_NAME} in numbers",
        LIST_URL,
        _summary(ctx),
        (Field("By topic", by_topic), Field("By year", by_year)),
    )
    return Reply(cards=(card,), kind=Kind.INFO, meta=meta("stats"))


def _summary(ctx: Context) -> tuple[Line, ...]:
    services = ctx.services
    catalog = services.catalog
    coded = sum(1 for paper in catalog.papers if paper.code)
    lines: list[Line] = [
        (
            Span(count(len(catalog)), Style.BOLD),
            Span(f" in {count(len(catalog.sections), 'topic')}, {coded} with code"),
        )
    ]
    newest = services.history.latest_release
    if newest:
        date = f" ({newest.date})" if newest.date else ""
        lines.append((Span(f"Newest release: {newest.tag}{date}"),))
    lines.append((Span(f"Catalog last updated: {_updated(ctx)}"),))
    return tuple(lines)


def _updated(ctx: Context) -> str:
    """When the catalog was synced (else when sync last saw new papers), in UTC; else the
    date of the bundled snapshot."""
    seen = [_utc(moment) for moment in ctx.services.first_seen.values()]
    if ctx.services.updated_at is not None:
        seen.append(_utc(ctx.services.updated_at))
    if seen:
        return max(seen).strftime("%Y-%m-%d %H:%M UTC")
    source = ctx.services.source
    return f"{source.date} (bundled snapshot)" if source else "unknown"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def help_(ctx: Context, args: str) -> Reply:
    """Every command with its description, and the filter syntax; or one command in detail."""
    from listbot.search import FILTER_HELP

    name = args.strip().lstrip("/").split("@")[0]
    if name:
        return _command_help(ctx, name)
    groups: dict[str, list[Line]] = {}
    for command in ctx.registry.commands():
        usage = f" {command.usage}" if command.usage else ""
        groups.setdefault(command.group, []).append(
            (Span(f"/{command.name}{usage}", Style.BOLD), Span(f" — {command.description}"))
        )
    lines: list[Line] = [
        (Span("listbot answers questions about the list.", Style.BOLD),),
        (Span("Write a paper's name without a command to look it up."),),
    ]
    for group, entries in groups.items():
        lines += [(), (Span(GROUP_TITLES.get(group, group.title()), Style.BOLD),), *entries]
    lines += [(), *((Span(line),) for line in FILTER_HELP.splitlines())]
    return Reply(lines=tuple(lines), kind=Kind.INFO, meta=meta("help"))


def _command_help(ctx: Context, name: str) -> Reply:
    command = ctx.registry.get(name)
    if command is None:
        close = ctx.registry.suggest(name)
        hint = f" Did you mean {', '.join('/' + c for c in close)}?" if close else ""
        return Reply(
            lines=((Span(f"There is no /{echo(name)} command.{hint}"),),),
            kind=Kind.NOT_FOUND,
            meta=meta("help"),
        )
    lines: list[Line] = [
        (Span(f"/{command.name} {command.usage}".rstrip(), Style.BOLD),),
        (Span(command.description),),
    ]
    if command.aliases:
        lines.append((Span("Also: " + ", ".join("/" + a for a in command.aliases)),))
    if command.example:
        lines.append((Span("Example: "), Span(command.example, Style.CODE)))
    return Reply(lines=tuple(lines), kind=Kind.INFO, meta=meta("help"))


def about(ctx: Context, args: str) -> Reply:
    """The list, where the copy comes from and its license, and listbot's version."""
    source = ctx.services.source
    lines: list[Line] = [
        (
            Span("listbot answers questions about "),
            Span(LIST_NAME, Style.BOLD, LIST_URL),
            Span(", a curated list of papers with code on LLM inference."),
        ),
        (Span(f"The list is © its contributors, licensed under {LIST_LICENSE}."),),
    ]
    if source:
        lines.append(
            (
                Span("Answering from a snapshot of "),
                Span(source.url, url=source.url),
                Span(f" taken on {source.date} ({source.license})."),
            )
        )
    lines.append((Span(f"listbot {__version__}, free software under GPL-3.0-or-later."),))
    return Reply(lines=tuple(lines), kind=Kind.INFO, meta=meta("about"))


COMMANDS = (
    Command("stats", "Count the list's papers by topic and year", stats, example="/stats"),
    Command(
        "help",
        "List the commands and the search filters",
        help_,
        "[command]",
        ("start", "h", "commands"),
        "/help paper",
    ),
    Command(
        "about", "About the list, its source and license, and listbot", about, example="/about"
    ),
)
"""The information commands."""
