"""The compact JSON that ``data/`` stores: a catalog and a history, quick to load.

This is listbot's own storage format, not the public JSON of ``listbot parse``:
each paper is one array (see ``_PAPER_FIELDS``) so that loading is a single
``json.loads`` and one constructor call per paper. ``FORMAT`` is bumped whenever
the layout changes; a reader refuses any other version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from listbot.catalog.history import History, Release
from listbot.catalog.model import Catalog, Link, Paper, ParseWarning, YearMonth

FORMAT = 2
_PAPER_FIELDS = (
    "id short title org date sections paper_url paper_label code_url code_label hot recom line"
    " aliases"
)


class FormatError(ValueError):
    """A data file of another format version, or not one of ours."""


def paper_to_row(paper: Paper, section_index: dict[str, int]) -> list[Any]:
    """A paper as one compact array."""
    return [
        paper.id,
        paper.short,
        paper.title,
        paper.org,
        str(paper.date) if paper.date else None,
        [section_index[s] for s in paper.sections],
        paper.paper.url if paper.paper else None,
        paper.paper.label if paper.paper else None,
        paper.code.url if paper.code else None,
        paper.code.label if paper.code else None,
        paper.hot,
        paper.recom,
        paper.line,
        list(paper.aliases),
    ]


def paper_from_row(row: list[Any], sections: list[str]) -> Paper:
    """The paper of one compact array."""
    pid, short, title, org, date, secs, purl, plabel, curl, clabel, hot, recom, line, aka = row
    return Paper(
        id=pid,
        short=short,
        title=title,
        org=org,
        date=YearMonth(int(date[:4]), int(date[5:])) if date else None,
        sections=tuple(sections[i] for i in secs),
        paper=Link(purl, plabel) if purl is not None else None,
        code=Link(curl, clabel) if curl is not None else None,
        hot=hot,
        recom=recom,
        line=line,
        aliases=tuple(aka),
    )


def catalog_to_compact(catalog: Catalog) -> dict[str, Any]:
    """A catalog as compact JSON."""
    sections = list(catalog.sections)
    for paper in catalog.papers:
        sections.extend(s for s in paper.sections if s not in sections)
    index = {name: i for i, name in enumerate(sections)}
    return {
        "format": FORMAT,
        "paper_fields": _PAPER_FIELDS.split(),
        "sections": sections,
        "catalog_sections": len(catalog.sections),
        "rows": catalog.rows,
        "warnings": [[w.line, w.message] for w in catalog.warnings],
        "papers": [paper_to_row(p, index) for p in catalog.papers],
    }


def catalog_from_compact(data: dict[str, Any]) -> Catalog:
    """The catalog of compact JSON; FormatError when it is not ours."""
    _check_format(data)
    sections: list[str] = data["sections"]
    papers = tuple(paper_from_row(row, sections) for row in data["papers"])
    warnings = tuple(ParseWarning(line, message) for line, message in data["warnings"])
    own = tuple(sections[: data["catalog_sections"]])
    return Catalog(papers, own, warnings, rows=data["rows"])


def history_to_compact(history: History) -> dict[str, Any]:
    """A history as compact JSON."""
    former = list(history.former.values())
    sections = list(dict.fromkeys(s for p in former for s in p.sections))
    index = {name: i for i, name in enumerate(sections)}
    return {
        "format": FORMAT,
        "releases": [
            [r.tag, r.date.isoformat() if r.date else None, list(history.added.get(r.tag, ()))]
            for r in history.releases
        ],
        "unreleased": list(history.unreleased),
        "former_sections": sections,
        "former": [paper_to_row(p, index) for p in former],
    }


def history_from_compact(data: dict[str, Any]) -> History:
    """The history of compact JSON; FormatError when it is not ours."""
    _check_format(data)
    releases = tuple(
        Release(tag, dt.date.fromisoformat(date) if date else None)
        for tag, date, _ in data["releases"]
    )
    added = {tag: tuple(ids) for tag, _, ids in data["releases"]}
    sections = data["former_sections"]
    former = {row[0]: paper_from_row(row, sections) for row in data["former"]}
    return History(releases, added, tuple(data["unreleased"]), former)


def _check_format(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise FormatError(f"expected listbot data format {FORMAT}, found {found!r}")
