"""Neutral replies: what the core answers, before any platform renders it.

A reply is made of lines of styled spans, cards (one paper, or one titled block),
buttons and choices. Renderers in ``listbot.render`` turn a reply into plain text,
a Discord message payload or Telegram ``sendMessage`` parameters, each enforcing
its platform's limits and escaping. Nothing here knows a platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Style(Enum):
    """How a span of text is emphasised."""

    PLAIN = "plain"
    BOLD = "bold"
    ITALIC = "italic"
    CODE = "code"


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one style, optionally a link."""

    text: str
    style: Style = Style.PLAIN
    url: str | None = None


Line = tuple[Span, ...]


def plain(text: str) -> Line:
    """A line of one plain span."""
    return (Span(text),)


@dataclass(frozen=True, slots=True)
class Field:
    """A named block inside a card (a Discord embed field, a bold label elsewhere)."""

    name: str
    lines: tuple[Line, ...]
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    """A titled block: one paper in full, or one section of a listing."""

    title: str
    url: str | None = None
    lines: tuple[Line, ...] = ()
    fields: tuple[Field, ...] = ()
    footer: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """What pressing a button or picking a choice asks the core to do.

    ``encode()`` gives the compact string that travels in Telegram callback data
    (at most 64 bytes) and Discord custom ids (at most 100 characters).
    """

    command: str
    arg: str = ""
    page: int = 0

    def encode(self) -> str:
        """``command:page:arg``; the caller checks that it fits its platform."""
        return f"{self.command}:{self.page}:{self.arg}"

    @classmethod
    def decode(cls, data: str) -> Action | None:
        """The action encoded in ``data``, or None when it is not one of ours."""
        command, sep, rest = data.partition(":")
        page_text, sep2, arg = rest.partition(":")
        if not (sep and sep2 and command.isidentifier() and page_text.isdigit()):
            return None
        return cls(command, arg, int(page_text))


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a reply: an action for the core, or a plain link."""

    label: str
    action: Action | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a disambiguation menu."""

    label: str
    description: str
    action: Action


class Kind(Enum):
    """What sort of answer a reply is; adapters may show errors privately."""

    ANSWER = "answer"
    NOT_FOUND = "not_found"
    ERROR = "error"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Page:
    """Where a paginated reply stands."""

    number: int
    count: int


@dataclass(frozen=True)
class Reply:
    """A neutral answer of the core."""

    lines: tuple[Line, ...] = ()
    cards: tuple[Card, ...] = ()
    buttons: tuple[Button, ...] = ()
    choices: tuple[Choice, ...] = ()
    kind: Kind = Kind.ANSWER
    page: Page | None = None
    meta: dict[str, object] = field(default_factory=dict, compare=False)
    """Structured data for machine-readable output (``listbot ask --json``)."""

    @property
    def is_error(self) -> bool:
        """True when the reply tells the user something went wrong with their request."""
        return self.kind is Kind.ERROR


def text_reply(text: str, kind: Kind = Kind.INFO) -> Reply:
    """A reply of plain lines."""
    return Reply(lines=tuple(plain(line) for line in text.splitlines()), kind=kind)
