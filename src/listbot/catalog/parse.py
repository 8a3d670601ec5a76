"""Markdown text of the list to a catalog.

The list is a README of markdown tables under topic headings. Its format drifted:
4 columns (Date | Title | Paper | Code) and 5 (… | Recom), header cells named
``App``, ``PDF``, ``Repo``… (matched by their words, in any order), bare URLs or
``[[label]](url)`` or ``[[arxiv][pdf]](url)`` links, ``⚠️``/``-``/``👍`` for no
code, ``🔥`` and ``⭐️``/``🌟`` decorations, bold short names, links inside the
title cell. A *dated row* is a table line whose first cell holds a year: it is
always captured, whatever else is wrong with it (``2024.05``, ``2024-05-12``,
``**2024.05**`` and ``May 2024`` are read; anything else is a warning). A row
that cannot be read fully still becomes a paper, and whatever was wrong with it
becomes a warning carrying its line number. The parser never raises on any text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from listbot.catalog.identity import assign_ids
from listbot.catalog.markdown import (
    DECORATION,
    HTML_TAG,
    MD_LINK,
    heading_of,
    is_separator,
    lines_of,
    plain,
    split_cells,
)
from listbot.catalog.model import Catalog, Link, ParseWarning, Row, YearMonth

_DATED_ROW = re.compile(r"^\s*\|?[^|\d]{0,16}(?:19|20)\d\d(?!\d)[^|]{0,16}(?:\||$)")
_BARE_DATED_ROW = re.compile(r"^\s*[*_]*(?:19|20)\d\d[.\-/]\d{1,2}[*_]*\s*\|")
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()\[\]\s]*\)")
_BARE_URL = re.compile(r"https?://[^\s|)<>]+")
_TITLE_TAG = re.compile(r"^\s*\[(?P<short>[^\[\]]+)\](?:\((?P<url>[^)\s]*)\))?")
_ORG = re.compile(r"\(\s*@([^()]*(?:\([^()]*\)[^()]*)*)\)")
_STARS = re.compile(r"⭐️?|🌟")
_NO_CODE = {"", "⚠️", "⚠", "-", "—", "👍", "n/a", "N/A"}
_DATE = re.compile(r"[\s*_~`]*(\d{4})[.\-/](\d{1,2})(?:[.\-/]\d{1,2})?[\s*_~`]*")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NAMED_MONTH = re.compile(
    r"[\s*_~`]*((?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?,?\s+(\d{4})[\s*_~`]*"
)
_LABEL = re.compile(r"\[([^\[\]]*)\]")

_Warn = Callable[[str], None]

DEFAULT_COLUMNS = ("date", "title", "paper", "code", "recom")
_COLUMN_WORDS = (
    ("date", ("date", "time", "month", "year")),
    ("title", ("title", "name")),
    ("code", ("code", "repo", "github", "source")),
    ("paper", ("paper", "app", "pdf", "link", "blog", "doc", "report", "arxiv")),
    ("recom", ("recom", "star", "rating", "score")),
)
"""Header cell words naming each column (a header cell is matched by the first that it holds)."""


def parse_catalog(text: str) -> Catalog:
    """Parse the README text into a catalog; rows of the same paper are merged."""
    rows, warnings, sections = parse_rows(text)
    papers = assign_ids(rows)
    return Catalog(tuple(papers), tuple(sections), tuple(warnings), rows=len(rows))


def parse_rows(text: str) -> tuple[list[Row], list[ParseWarning], list[str]]:
    """Read every dated table row; return rows, warnings and the sections that hold rows."""
    rows: list[Row] = []
    warnings: list[ParseWarning] = []
    sections: list[str] = []
    section = ""
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    for number, line in enumerate(lines_of(text), start=1):
        first = line.lstrip()[:1]
        if first == "#" and (heading := heading_of(line)) is not None:
            section, columns = heading, DEFAULT_COLUMNS
            continue
        if (first != "|" and not _BARE_DATED_ROW.match(line)) or is_separator(line):
            continue
        cells = split_cells(line)
        if not _DATED_ROW.match(line):
            header = _header_columns(cells)
            if header:
                columns = header
            continue
        row = _read_row(number, section, cells, columns, warnings)
        rows.append(row)
        if section not in sections:
            sections.append(section)
    return rows, warnings, sections


def _header_columns(cells: list[str]) -> tuple[str, ...] | None:
    names = [_column_name(cell) for cell in cells]
    if "date" not in names or "title" not in names:
        return None
    return tuple(
        name if name and name not in names[:i] else f"extra{i}" for i, name in enumerate(names)
    )


def _column_name(cell: str) -> str | None:
    """The column a header cell names (``Paper Title`` is the title), or ``None``."""
    text = plain(DECORATION.sub("", cell)).lower()
    if len(text) > 30:
        return None
    return next((name for name, words in _COLUMN_WORDS if any(w in text for w in words)), None)


def _read_row(
    number: int,
    section: str,
    cells: list[str],
    columns: tuple[str, ...],
    warnings: list[ParseWarning],
) -> Row:
    def warn(message: str) -> None:
        warnings.append(ParseWarning(number, message))

    if len(cells) < len(columns) and len(cells) < 4:
        warn(f"row has {len(cells)} cells, expected {len(columns)}")
    if len(cells) > len(columns):
        warn(f"row has {len(cells)} cells, expected {len(columns)}; extra cells ignored")
    cell = dict(zip(columns, cells, strict=False))
    date = _read_date(cell.get("date", ""), warn)
    hot, short, title, org = _read_title(cell.get("title", ""), warn)
    paper = _read_link(cell.get("paper", ""), "paper", warn)
    code = _read_link(cell.get("code", ""), "code", warn)
    recom = len(_STARS.findall(cell.get("recom", "")))
    return Row(number, section, date, short, title, org, paper, code, hot, recom)


def _read_date(text: str, warn: _Warn) -> YearMonth | None:
    match = _DATE.fullmatch(text)
    if not match and not text.isascii():
        match = _DATE.fullmatch(DECORATION.sub("", text))
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    elif named := _NAMED_MONTH.fullmatch(text):
        year, month = int(named.group(2)), _MONTHS.index(named.group(1)[:3].lower()) + 1
    else:
        warn(f"unreadable date {text!r}")
        return None
    if not 1 <= month <= 12:
        warn(f"month out of range in date {text!r}")
        return None
    return _year_month(year, month)


@lru_cache(maxsize=1024)
def _year_month(year: int, month: int) -> YearMonth:
    return YearMonth(year, month)


def _read_title(text: str, warn: _Warn) -> tuple[int, str, str, str | None]:
    """The title cell's 🔥 count, short name, title and org."""
    hot = text.count("🔥")
    short, text = _split_tag(_undecorated(text))
    org, text = _split_org(text)
    if "](" in text:
        text = MD_LINK.sub(lambda m: m.group(1).strip("[]"), text)
    title = plain(text).strip(" ,;:-") or short
    if not title:
        warn("row has no title")
    return hot, short, title, org


def _undecorated(text: str) -> str:
    """A cell without images, HTML tags, emoji or surrounding spaces."""
    if "![" in text:
        text = _IMAGE.sub("", text)
    if "<" in text:
        text = HTML_TAG.sub(" ", text)
    if not text.isascii():
        text = DECORATION.sub("", text)
    return text.strip()


def _split_tag(text: str) -> tuple[str, str]:
    """The leading ``[short name]`` of a title cell (``""`` when none), and the rest."""
    tag = _TITLE_TAG.match(text)
    if not tag:
        return "", text
    return plain(tag.group("short")), text[tag.end() :]


def _split_org(text: str) -> tuple[str | None, str]:
    """The last ``(@org)`` of a title (``None`` when none), and the title without it."""
    orgs = list(_ORG.finditer(text)) if "@" in text else []
    if not orgs:
        return None, text
    last = orgs[-1]
    return " ".join(last.group(1).split()) or None, text[: last.start()] + text[last.end() :]


def _read_link(text: str, column: str, warn: _Warn) -> Link | None:
    if "![" in text:
        text = _IMAGE.sub("", text)
    text = text.strip()
    match = MD_LINK.search(text)
    if match:
        labels = _LABEL.findall(match.group(1)) or [match.group(1)]
        label = plain(labels[-1]) or column
        url = match.group(2).strip()
        if not url:
            warn(f"empty {column} link [{label}]()")
            return None
        return Link(url, label)
    bare = _BARE_URL.search(text)
    if bare:
        return Link(bare.group(0), _default_label(bare.group(0), column))
    if plain(text) not in _NO_CODE:
        warn(f"unreadable {column} cell {text[:60]!r}")
    return None


def _default_label(url: str, column: str) -> str:
    if column == "code":
        return url.rstrip("/").rsplit("/", 1)[-1] or "code"
    return "pdf" if url.lower().endswith(".pdf") else "link"
