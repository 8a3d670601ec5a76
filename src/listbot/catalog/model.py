"""The catalog model: papers of the list, as frozen dataclasses (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    """The month a paper is dated in the list (``2024.07`` is ``YearMonth(2024, 7)``)."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """Parse ``YYYY-MM`` (the JSON form)."""
        year, month = text.split("-")
        return cls(int(year), int(month))


@dataclass(frozen=True, slots=True)
class Link:
    """A link of a row: its URL and its label (``pdf``, ``docs``, a repository name...)."""

    url: str
    label: str


@dataclass(frozen=True, slots=True)
class Paper:
    """One work of the list, however many rows and sections it appears in."""

    id: str
    short: str
    title: str
    org: str | None
    date: YearMonth | None
    sections: tuple[str, ...]
    paper: Link | None
    code: Link | None
    hot: int = 0
    recom: int = 0
    line: int = 0
    """Line (1-based) of the paper's first row in the README it was parsed from."""
    aliases: tuple[str, ...] = ()
    """Other short names its copies carry (``RadixAttention`` for ``SGLang``), in list order."""

    @property
    def display_name(self) -> str:
        """The short name, or the title when the row has none."""
        return self.short or self.title


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """A table row, or another line, that the parser could not read fully."""

    line: int
    message: str


@dataclass(frozen=True)
class Catalog:
    """The papers of one version of the list, the topic sections in list order, and warnings."""

    papers: tuple[Paper, ...]
    sections: tuple[str, ...]
    warnings: tuple[ParseWarning, ...] = ()
    rows: int = 0
    """Number of dated table rows captured (a paper copied into two sections is two rows)."""

    @cached_property
    def by_id(self) -> dict[str, Paper]:
        """Papers keyed by their id."""
        return {paper.id: paper for paper in self.papers}

    def __len__(self) -> int:
        return len(self.papers)


class Row(NamedTuple):
    """One dated table row, read but not yet merged with its copies elsewhere.

    A named tuple rather than a frozen dataclass: a README has hundreds of rows and a
    tuple is built several times faster.
    """

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
