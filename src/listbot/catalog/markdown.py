"""The markdown of the list, line by line: lines, headings, table separators and cells.

Every pattern here runs in time linear in the line (pathological lines of thousands
of brackets, pipes or hashes included), because the parser reads untrusted text.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"[ ]{0,3}(#{1,6})(?:[ \t]+(.*))?")
_NOT_SEPARATOR = re.compile(r"[^\s|:\-]")
_PIPE_IN_BRACKETS = re.compile(r"\[[^\[\]]*\||\([^()]*\|")
_EMPTY_PARENS = re.compile(r"\(\s*\)")
MD_LINK = re.compile(r"(?<!!)\[((?:\[[^\[\]]*\])+|[^\[\]]*)\]\(([^()\[\]\s]*)\)")
"""A markdown link: group 1 its label(s), group 2 its URL (no brackets or spaces in it)."""
HTML_TAG = re.compile(r"<[^>]{0,200}>")
EMPHASIS = re.compile(r"\*\*|__|`")
DECORATION = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\u200d]")
"""Emoji, variation selectors and joiners, which decorate names and headings."""


def lines_of(text: str) -> list[str]:
    """The lines of a markdown text: split on ``\\n``, ``\\r\\n`` or ``\\r`` only, so that
    line numbers are those an editor shows."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def is_separator(line: str) -> bool:
    """Whether a table line is the ``|---|:---:|`` line under a header."""
    return "-" in line and not _NOT_SEPARATOR.search(line)


def _heading_text(text: str) -> str:
    """A heading's text without its optional closing ``#`` sequence."""
    text = text.rstrip()
    bare = text.rstrip("#")
    return bare.rstrip() if bare != text and (not bare or bare[-1] in " \t") else text


def clean_heading(text: str) -> str:
    """A heading's topic name: no links, anchors, emoji or trailing decoration."""
    text = MD_LINK.sub("", text)
    text = _EMPTY_PARENS.sub("", text)
    text = HTML_TAG.sub("", text)
    text = DECORATION.sub("", text)
    return " ".join(text.split()).strip(" -:")


def split_cells(line: str) -> list[str]:
    """Split a table line on ``|`` outside brackets, parentheses and backslash escapes."""
    line = line.strip()
    if "\\" in line or _PIPE_IN_BRACKETS.search(line):
        cells = _split_escaped(line)
    else:
        cells = [cell.strip() for cell in line.split("|")]
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _split_escaped(line: str) -> list[str]:
    """``split_cells`` for a line with escapes or bracketed pipes, one character at a time."""
    cells: list[str] = []
    depth = 0
    current: list[str] = []
    escaped = False
    for char in line:
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
    return cells


def plain(text: str) -> str:
    """Strip markdown emphasis and collapse whitespace."""
    if "*" in text or "_" in text or "`" in text:
        text = EMPHASIS.sub("", text)
    return " ".join(text.split())


def heading_of(line: str) -> str | None:
    """The section name of a heading line (``### 📖KV Cache`` is ``KV Cache``), else None."""
    if line.lstrip()[:1] != "#":
        return None
    heading = _HEADING.fullmatch(line)
    return clean_heading(_heading_text(heading.group(2) or "")) if heading else None
