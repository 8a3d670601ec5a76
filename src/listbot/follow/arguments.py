"""Reading ``/subscribe`` arguments: a kind, filters, a weekly schedule; precise errors.

/subscribe [new|weekly|releases] [topic:<t>] [keyword:<w>] [org:<o>] [stars:<n>]
           [<weekday> <HH:MM> <Area/City|UTC>] [quiet-note]
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from listbot.follow.config import WEEKDAYS
from listbot.follow.filters import FilterError, parse_filter
from listbot.store.records import Filters, Kind, Schedule

USAGE = (
    "/subscribe [new|weekly|releases] [topic:<topic>] [keyword:<word>] [org:<org>] "
    "[stars:<n>] [<weekday> <HH:MM> <timezone>] [quiet-note]"
)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_KINDS = {"new": Kind.NEW, "weekly": Kind.WEEKLY, "releases": Kind.RELEASES}
_KINDS |= {"release": Kind.RELEASES, "digest": Kind.WEEKLY, "notices": Kind.NOTICES}
_ABBREVIATIONS = frozenset(
    {"EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "CET", "CEST", "EET", "EEST"}
    | {"WET", "WEST", "BST", "IST", "JST", "KST", "HKT", "SGT", "AEST", "AEDT"}
)
"""Zone abbreviations people type; ambiguous or DST-blind, so refused with a hint."""


class ArgumentError(ValueError):
    """Arguments that cannot be used; the message tells the user exactly why."""


@dataclass(frozen=True, slots=True)
class SubscribeArgs:
    """What ``/subscribe`` asked for."""

    kind: Kind
    filters: Filters
    schedule: Schedule
    given: frozenset[str] = frozenset()
    """The parts of the schedule given: ``weekday``, ``time``, ``timezone``, ``quiet-note``."""

    @property
    def scheduled(self) -> bool:
        """True when a weekday, time, zone or quiet-note was given."""
        return bool(self.given)


def parse_kind(word: str) -> Kind | None:
    """The kind a word names, or None."""
    return _KINDS.get(word.lower())


def split_words(text: str) -> list[str]:
    """Words of the arguments; quotes group words (``topic:"KV Cache"``)."""
    try:
        return shlex.split(text)
    except ValueError as error:
        raise ArgumentError(f"unbalanced quotes in {text!r}") from error


def parse_subscribe(text: str, sections: Sequence[str], default: Schedule) -> SubscribeArgs:
    """Read ``/subscribe`` arguments, or raise ArgumentError naming the word at fault."""
    words = split_words(text)
    kind = parse_kind(words[0]) if words else None
    words = words[1:] if kind else words
    args = SubscribeArgs(kind or Kind.NEW, Filters(), default)
    for word in words:
        args = _read_word(word, args, sections)
    if args.scheduled and args.kind is not Kind.WEEKLY:
        raise ArgumentError(
            f"a weekday, time, timezone or quiet-note only applies to weekly, "
            f"not to {args.kind.value}"
        )
    return args


def _read_word(word: str, args: SubscribeArgs, sections: Sequence[str]) -> SubscribeArgs:
    try:
        filters = parse_filter(word, sections, args.filters)
    except FilterError as error:
        raise ArgumentError(str(error)) from error
    if filters is not None:
        return replace(args, filters=filters)
    read = _read_schedule_word(word, args.schedule)
    if read is not None:
        schedule, part = read
        if part in args.given:
            raise ArgumentError(f"{word!r}: give one {part} per /subscribe")
        return replace(args, schedule=schedule, given=args.given | {part})
    if parse_kind(word):
        raise ArgumentError(f"{word!r}: give one kind per /subscribe, first")
    raise ArgumentError(f"I don't understand {word!r}. Usage: {USAGE}")


def _read_schedule_word(word: str, schedule: Schedule) -> tuple[Schedule, str] | None:
    """The schedule with this word applied and the part it set, or None if not a schedule."""
    lowered = word.lower()
    days = [n for n, day in enumerate(WEEKDAYS) if len(lowered) >= 3 and day.startswith(lowered)]
    if days:
        return replace(schedule, weekday=days[0]), "weekday"
    match = _TIME.match(word)
    if match:
        return replace(schedule, at=time(int(match.group(1)), int(match.group(2)))), "time"
    if lowered in {"quiet-note", "quiet"}:
        return replace(schedule, quiet_note=True), "quiet-note"
    if "/" in word or word.upper() in {"UTC", "GMT"}:
        return replace(schedule, tz=_zone(word)), "timezone"
    if re.fullmatch(r"\d{1,2}[:h.]\d{0,2}", word):
        raise ArgumentError(f"{word!r} is not a time; write it as HH:MM, e.g. 09:00")
    if word.upper() in _ABBREVIATIONS:
        raise ArgumentError(
            f"{word!r} is not an IANA timezone; use a name such as Europe/Paris, "
            "America/New_York or UTC"
        )
    return None


def _zone(name: str) -> str:
    canonical = "UTC" if name.upper() in {"UTC", "GMT"} else name
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ArgumentError(
            f"unknown timezone {name!r}; use an IANA name such as Europe/Paris or UTC"
        ) from error
    return canonical
