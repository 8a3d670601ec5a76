"""The neutral replies that follow-and-announce posts: new papers, digests, releases, notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from listbot.catalog.model import Paper
from listbot.follow.filters import topic_of
from listbot.replies import Card, Kind, Line, Reply, Span, Style, plain
from listbot.store.records import Filters

LIST_NAME = "Awesome-LLM-Inference"
LIST_URL = "https://github.com/xlite-dev/Awesome-LLM-Inference"
NO_FILTERS = Filters()


def paper_line(paper: Paper) -> Line:
    """One paper on one line: name (linked), title, date and org, ⭐, code link."""
    url = paper.paper.url if paper.paper else None
    if paper.title.lower().startswith(paper.short.lower()):
        spans = [Span(paper.title, Style.BOLD, url)]
    else:
        spans = [Span(paper.short, Style.BOLD, url), Span(f" {paper.title}")]
    facts = [str(paper.date) if paper.date else "", paper.org or "", "⭐" * paper.recom]
    shown = ", ".join(fact for fact in facts if fact)
    if shown:
        spans.append(Span(f" ({shown})"))
    if paper.code:
        spans += [Span(" · "), Span("code", url=paper.code.url)]
    return tuple(spans)


def topic_cards(papers: Sequence[Paper], filters: Filters = NO_FILTERS) -> tuple[Card, ...]:
    """Papers grouped by topic, one card per topic in order of first appearance."""
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(topic_of(filters, paper), []).append(paper)
    return tuple(
        Card(title=topic, lines=tuple(paper_line(p) for p in group))
        for topic, group in groups.items()
    )


def new_papers_reply(papers: Sequence[Paper], filters: Filters = NO_FILTERS) -> Reply:
    """The announcement of papers a sync found new."""
    count = len(papers)
    head = f"🆕 {count} new paper{'s' * (count != 1)} in {LIST_NAME}"
    return Reply(
        lines=((Span(head, Style.BOLD, LIST_URL),),),
        cards=topic_cards(papers, filters),
        kind=Kind.INFO,
    )


def digest_reply(
    papers: Sequence[Paper], start: datetime, end: datetime, filters: Filters = NO_FILTERS
) -> Reply:
    """The weekly digest of the papers first seen between ``start`` and ``end``."""
    span = f"{start:%d %b} – {end:%d %b %Y}"
    if not papers:
        return Reply(lines=(plain(f"📭 No new papers in {LIST_NAME} this week ({span})."),))
    head = f"📚 {LIST_NAME} weekly: {len(papers)} new paper{'s' * (len(papers) != 1)}"
    return Reply(
        lines=((Span(head, Style.BOLD, LIST_URL),), plain(span)),
        cards=topic_cards(papers, filters),
        kind=Kind.INFO,
    )


def release_reply(tag: str, published: datetime | None, papers: Sequence[Paper]) -> Reply:
    """The announcement of a release: tag, date, and the papers it added by topic."""
    url = f"{LIST_URL}/releases/tag/{tag}"
    when = f" ({published:%Y-%m-%d})" if published else ""
    count = len(papers)
    summary = f"{count} paper{'s' * (count != 1)} added since the previous release"
    return Reply(
        lines=((Span(f"🚀 {LIST_NAME} {tag}{when}", Style.BOLD, url),), plain(summary)),
        cards=topic_cards(papers),
        kind=Kind.INFO,
    )


def text_announcement(text: str) -> Reply:
    """A maintainer's announcement."""
    return Reply(lines=(plain(f"📣 {LIST_NAME}"), *(plain(line) for line in text.splitlines())))


def held_notice(count: int, sample: Sequence[Paper]) -> Reply:
    """Tell maintainers that a sync was held by the safety valve."""
    names = ", ".join(p.display_name for p in sample[:10])
    return Reply(
        lines=(
            plain(f"⏸ A sync found {count} new papers, more than the announcement limit."),
            plain(f"Held: {names}{' …' if count > 10 else ''}"),
            plain("Use /held release to announce them, or /held discard to drop them."),
        ),
        kind=Kind.INFO,
    )
