"""Browsing the list: ``/topics``, ``/topic``, ``/latest``, ``/release`` and ``/random``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Sequence

from listbot.catalog.model import Paper
from listbot.commands.base import Command, Context
from listbot.commands.views import action, count, echo, listing, meta, paper_card
from listbot.replies import Button, Kind, Line, Reply, Span, Style
from listbot.search.topics import TOPIC_MIN

LATEST_DEFAULT = 10
LATEST_MAX = 50
_PAGE = re.compile(r"(?:^|\s)(?:page|pg):(\d{1,4})(?=\s|$)", re.IGNORECASE | re.ASCII)
_NUMBER = re.compile(r"\d{1,6}", re.ASCII)


def split_page(args: str) -> tuple[str, int]:
    """``args`` without a ``page:N`` word, and N-1 (0 when absent)."""
    match = _PAGE.search(args)
    if not match:
        return " ".join(args.split()), 0
    rest = args[: match.start()] + " " + args[match.end() :]
    return " ".join(rest.split()), max(int(match.group(1)) - 1, 0)


def _page(ctx: Context, typed: int) -> int:
    return ctx.page if ctx.pressed else typed


def topics(ctx: Context, args: str) -> Reply:
    """Every topic section with its number of papers."""
    catalog = ctx.services.catalog
    counts = dict.fromkeys(catalog.sections, 0)
    for paper in catalog.papers:
        for section in paper.sections:
            counts[section] = counts.get(section, 0) + 1
    lines: list[Line] = [
        (Span(f"{count(len(counts), 'topic')}, {count(len(catalog))}", Style.BOLD),)
    ]
    lines += [(Span(f"{number:>4}  "), Span(name)) for name, number in counts.items()]
    lines.append((Span("Open one with /topic <name>, e.g. /topic kv cache", Style.ITALIC),))
    return Reply(lines=tuple(lines), kind=Kind.INFO, meta=meta("topics"))


def newest_first(papers: Sequence[Paper]) -> list[Paper]:
    """Papers by date, newest first; undated last; list order breaks ties."""
    return sorted(
        papers, key=lambda p: (p.date is None, -(p.date.year * 12 + p.date.month) if p.date else 0)
    )


def topic(ctx: Context, args: str) -> Reply:
    """The papers of one topic section (fuzzy-matched), newest first, a page at a time."""
    name, page = split_page(args)
    found = ctx.services.searcher.match_topic(name, limit=1)
    section = found[0][0] if found and found[0][1] >= TOPIC_MIN else None
    if section is None:
        close = difflib.get_close_matches(name, ctx.services.catalog.sections, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(close)}?" if close else " See /topics."
        return Reply(
            lines=((Span(f"No topic matches “{echo(name)}”.{hint}"),),),
            kind=Kind.NOT_FOUND,
            meta=meta("topic"),
        )
    papers = newest_first([p for p in ctx.services.catalog.papers if section in p.sections])
    header: Line = (Span(f"{section} — {count(len(papers))}, newest first", Style.BOLD),)
    reply = listing("topic", section, papers, _page(ctx, page), header)
    return _with_meta(reply, meta("topic", None, [(p, None) for p in papers]))


def _with_meta(reply: Reply, data: dict[str, object]) -> Reply:
    return dataclasses.replace(reply, meta=data)


def added_order(ctx: Context) -> list[Paper]:
    """Papers by when they were added to the list, most recent first.

    First-seen times from sync come first; then papers no release holds yet (added since
    the latest release); then by the release that first held them; list order breaks ties.
    """
    services = ctx.services
    history = services.history
    if not history.releases and not services.first_seen:
        return newest_first(services.catalog.papers)
    rank = {release.tag: index for index, release in enumerate(history.releases)}
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)

    def key(indexed: tuple[int, Paper]) -> tuple[dt.datetime, int, int]:
        position, paper = indexed
        seen = services.first_seen.get(paper.id)
        release = history.first_release(paper.id)
        order = rank[release.tag] if release else len(rank)
        stamp = _aware(seen) if seen else epoch
        return stamp, order, -position

    ordered = sorted(enumerate(services.catalog.papers), key=key, reverse=True)
    return [paper for _, paper in ordered]


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def latest(ctx: Context, args: str) -> Reply:
    """The n papers most recently added to the list."""
    text, page = split_page(args)
    if text and not _NUMBER.fullmatch(text):
        return Reply(
            lines=((Span("/latest takes a number, e.g. /latest 20"),),),
            kind=Kind.ERROR,
            meta=meta("latest"),
        )
    wanted = min(max(int(text), 1), LATEST_MAX) if text else LATEST_DEFAULT
    papers = added_order(ctx)[:wanted]
    shown = "The paper" if len(papers) == 1 else f"The {len(papers)} papers"
    header: Line = (Span(f"{shown} added to the list most recently", Style.BOLD),)
    reply = listing("latest", str(wanted), papers, _page(ctx, page), header)
    return _with_meta(reply, meta("latest", None, [(p, None) for p in papers]))


def release(ctx: Context, args: str) -> Reply:
    """What a release of the list added (the newest by default)."""
    history = ctx.services.history
    text, page = split_page(args)
    if not history.releases:
        return Reply(
            lines=((Span("No release history is available for this list."),),),
            kind=Kind.NOT_FOUND,
            meta=meta("release"),
        )
    found = history.release(text) if text else history.latest_release
    if found is None:
        return _unknown_release(ctx, text)
    by_id = ctx.services.catalog.by_id
    papers = [
        by_id.get(i) or history.former[i]
        for i in history.added_in(found.tag)
        if i in by_id or i in history.former
    ]
    date = f" ({found.date})" if found.date else ""
    header: Line = (Span(f"Release {found.tag}{date} added {count(len(papers))}", Style.BOLD),)
    reply = listing("release", found.tag, papers, _page(ctx, page), header)
    return _with_meta(reply, meta("release", None, [(p, None) for p in papers]))


def _unknown_release(ctx: Context, tag: str) -> Reply:
    tags = [r.tag for r in ctx.services.history.releases]
    close = difflib.get_close_matches(tag, tags, n=3, cutoff=0.5)
    hint = f"Did you mean {', '.join(close)}?" if close else f"The newest is {tags[-1]}."
    return Reply(
        lines=((Span(f"No release is tagged “{echo(tag)}”. {hint}"),),),
        kind=Kind.NOT_FOUND,
        meta=meta("release"),
    )


def random_paper(ctx: Context, args: str) -> Reply:
    """A paper picked at random, with a button for another."""
    papers = ctx.services.catalog.papers
    if not papers:
        return Reply(
            lines=((Span("The list is empty."),),), kind=Kind.NOT_FOUND, meta=meta("random")
        )
    picked = ctx.services.rng.choice(papers)
    again = action("random")
    buttons = (Button("Another one", again),) if again else ()
    return Reply(cards=(paper_card(picked),), buttons=buttons, meta=meta("random", picked))


COMMANDS = (
    Command(
        "topics",
        "List the topic sections with their number of papers",
        topics,
        aliases=("sections",),
        example="/topics",
    ),
    Command(
        "topic",
        "Show a topic's papers, newest first",
        topic,
        "<name>",
        ("section",),
        "/topic kv cache",
        needs_args=True,
    ),
    Command(
        "latest",
        "Show the papers added to the list most recently",
        latest,
        "[n]",
        ("new", "recent"),
        "/latest 20",
    ),
    Command(
        "release",
        "Show what a release of the list added (the newest by default)",
        release,
        "[tag]",
        ("releases",),
        "/release v2.6.9",
    ),
    Command(
        "random",
        "Show a random paper from the list",
        random_paper,
        aliases=("rand",),
        example="/random",
    ),
)
"""The browsing commands."""
