"""Markdown text of the list to a catalog.

The list is a README of markdown tables under topic headings. Its format drifted:
4 columns (Date | Title | Paper | Code) and 5 (… | Recom), a Paper column named
``App`` in places, bare URLs or ``[[label]](url)`` or ``[[arxiv][pdf]](url)`` links,
``⚠️``/``-``/``👍`` for no code, ``🔥`` and ``⭐️``/``🌟`` decorations, bold short
names, links inside the title cell. Rows are read one by one: a dated row that
cannot be read fully still becomes a paper when it has a title, and whatever was
wrong with it becomes a warning carrying its line number. The parser never raises
on any text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from listbot.identity import assign_ids
from listbot.model import Catalog, Link, ParseWarning, YearMonth

_DATED_ROW = re.compile(r"^\s*\|?\s*(\d{4})[.\-/](\d{1,2})\s*\|")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_LINK = re.compile(r"(?<!!)\[((?:\[[^\]]*\])+|[^\[\]]*)\]\(([^)\s]*)\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_BARE_URL = re.compile(r"https?://[^\s|)<>]+")
_HTML_TAG = re.compile(r"<[^>]{0,200}>")
_TITLE_TAG = re.compile(r"^\s*\[(?P<short>[^\[\]]+)\](?:\((?P<url>[^)\s]*)\))?")
_ORG = re.compile(r"\(\s*@([^()]*(?:\([^()]*\)[^()]*)*)\)")
_STARS = re.compile(r"⭐️?|🌟")
_NO_CODE = {"", "⚠️", "⚠", "-", "—", "👍", "n/a", "N/A"}
_DECORATION = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\u200d]")

_Warn = Callable[[str], None]

DEFAULT_COLUMNS = ("date", "title", "paper", "code", "recom")
_COLUMN_NAMES = {
    "date": "date",
    "title": "title",
    "paper": "paper",
    "app": "paper",
    "pdf": "paper",
    "code": "code",
    "recom": "recom",
    "recommend": "recom",
}


@dataclass(frozen=True, slots=True)
class Row:
    """One dated table row, read but not yet merged with its copies elsewhere."""

    line: int
    section: str
    date: YearMonth | None
    short: str
    title: str
    org: str | None
    paper: Link | None
    code: Link | None
    hot: int
    recom: int


class NotAList(ValueError):
    """The text holds no table rows of the list at all."""


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
    for number, line in enumerate(text.splitlines(), start=1):
        heading = _HEADING.match(line)
        if heading:
            section = clean_heading(heading.group(2))
            columns = DEFAULT_COLUMNS
            continue
        if not line.lstrip().startswith("|") or _SEPARATOR.match(line):
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


def clean_heading(text: str) -> str:
    """A heading's topic name: no links, anchors, emoji or trailing decoration."""
    text = _MD_LINK.sub("", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = _HTML_TAG.sub("", text)
    text = _DECORATION.sub("", text)
    return " ".join(text.split()).strip(" -:")


def split_cells(line: str) -> list[str]:
    """Split a table line on ``|`` outside brackets, parentheses and backslash escapes."""
    cells: list[str] = []
    depth = 0
    current: list[str] = []
    escaped = False
    for char in line.strip():
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "[(":
            depth += 1
            current.append(char)
        elif char in "])":
            depth = max(0, depth - 1)
            current.append(char)
        elif char == "|" and depth == 0:
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    cells.append("".join(current).strip())
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _header_columns(cells: list[str]) -> tuple[str, ...] | None:
    names = [_COLUMN_NAMES.get(_DECORATION.sub("", cell).strip("* ").lower()) for cell in cells]
    if "date" not in names or "title" not in names:
        return None
    return tuple(name or f"extra{i}" for i, name in enumerate(names))


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
    match = re.fullmatch(r"\s*(\d{4})[.\-/](\d{1,2})\s*", text)
    if not match:
        warn(f"unreadable date {text!r}")
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        warn(f"month out of range in date {text!r}")
        return None
    return YearMonth(year, month)


def _read_title(text: str, warn: _Warn) -> tuple[int, str, str, str | None]:
    hot = text.count("🔥")
    text = _IMAGE.sub("", text)
    text = _HTML_TAG.sub(" ", text)
    text = _DECORATION.sub("", text).strip()
    short = ""
    tag = _TITLE_TAG.match(text)
    if tag:
        short = _plain(tag.group("short"))
        text = text[tag.end() :]
    org = None
    orgs = list(_ORG.finditer(text))
    if orgs:
        last = orgs[-1]
        org = " ".join(last.group(1).split()) or None
        text = text[: last.start()] + text[last.end() :]
    title = _plain(_MD_LINK.sub(lambda m: m.group(1).strip("[]"), text)).strip(" ,;:-")
    if not title:
        title = short
    if not title:
        warn("row has no title")
    return hot, short, title, org


def _read_link(text: str, column: str, warn: _Warn) -> Link | None:
    text = _IMAGE.sub("", text).strip()
    match = _MD_LINK.search(text)
    if match:
        labels = re.findall(r"\[([^\[\]]*)\]", match.group(1)) or [match.group(1)]
        label = _plain(labels[-1]) or column
        url = match.group(2).strip()
        if not url:
            warn(f"empty {column} link [{label}]()")
            return None
        return Link(url, label)
    bare = _BARE_URL.search(text)
    if bare:
        return Link(bare.group(0), _default_label(bare.group(0), column))
    if _plain(text) not in _NO_CODE:
        warn(f"unreadable {column} cell {text[:60]!r}")
    return None


def _default_label(url: str, column: str) -> str:
    if column == "code":
        return url.rstrip("/").rsplit("/", 1)[-1] or "code"
    return "pdf" if url.lower().endswith(".pdf") else "link"


def _plain(text: str) -> str:
    """Strip markdown emphasis and collapse whitespace."""
    text = re.sub(r"(\*\*|__|`)", "", text)
    return " ".join(text.split()).strip()
