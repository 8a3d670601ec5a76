"""The facade that the console and the chat adapters call: :class:`Listbot`.

``handle(text, actor)`` answers a typed message, ``press(data, actor)`` a pressed button or
picked choice (its encoded :class:`~listbot.replies.Action`); neither ever raises. A message
without a leading ``/`` is a ``/paper`` query. ``complete_papers``/``complete_topics`` feed
autocomplete, ``commands()`` the platforms' command menus.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from listbot.catalog.history import EMPTY_HISTORY, History
from listbot.catalog.model import Catalog
from listbot.commands import Command, CommandSet, Context, Registry, Services, core_commands
from listbot.commands.views import echo, meta, usage
from listbot.context import Actor
from listbot.render.textutil import cut
from listbot.replies import Action, Kind, Reply, Span
from listbot.search.topics import TOPIC_MIN

if TYPE_CHECKING:
    from listbot.catalog.bundle import Bundle, Source

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096
"""Characters of a message that are read; the rest is ignored."""
LABEL_CHARS = 100
DEFAULT_COMMAND = "paper"
"""The command a message without a leading ``/`` runs."""
FREEZE_PAPERS = 20_000
"""From this many papers on, the catalog and its index are moved out of the cycle collector's
sight once built (``gc.freeze``): otherwise each full collection walks their hundreds of
thousands of objects, a pause of about 0.4 s every few hundred answers at 100,000 papers.
They are still freed when the next catalog replaces them (they hold no reference cycles)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Listbot:
    """listbot's answers over one catalog, for every front end.

    ``source`` is the bundle (catalog, release history, source) or a bare catalog.
    ``extra`` are feature command sets (e.g. the follow commands). ``first_seen`` maps paper
    ids to when sync first saw them; it is read live, so a mapping the store keeps current
    is seen by /latest and /stats at once. ``clock`` and ``rng`` make answers reproducible.
    """

    def __init__(
        self,
        source: Bundle | Catalog,
        *,
        extra: Iterable[CommandSet] = (),
        first_seen: Mapping[str, dt.datetime] | None = None,
        clock: Callable[[], dt.datetime] = _now,
        rng: random.Random | None = None,
        on_answer: Callable[[Actor, Reply], None] | None = None,
    ) -> None:
        catalog, history, origin = _unpack(source)
        self.on_answer = on_answer
        """Called with every reply of ``handle`` and ``press`` (for metrics)."""
        self.registry = Registry(core_commands())
        for command_set in extra:
            self.registry.extend(command_set)
        self.services = Services(
            catalog,
            _searcher(catalog),
            history,
            origin,
            {} if first_seen is None else first_seen,
            clock,
            rng or random.Random(),
        )

    def update(
        self,
        catalog: Catalog,
        *,
        history: History | None = None,
        first_seen: Mapping[str, dt.datetime] | None = None,
        updated_at: dt.datetime | None = None,
    ) -> None:
        """Answer from a new version of the list from now on (after a sync at ``updated_at``)."""
        old = self.services
        self.services = replace(
            old,
            catalog=catalog,
            searcher=_searcher(catalog),
            history=old.history if history is None else history,
            first_seen=old.first_seen if first_seen is None else first_seen,
            updated_at=updated_at or old.updated_at,
        )

    def handle(self, text: str, actor: Actor) -> Reply:
        """The answer to a message; an internal error becomes a short error reply."""
        try:
            reply = self._dispatch(text[:MAX_MESSAGE], actor)
        except Exception:
            log.exception("error answering %r for %s", text[:200], actor.user_id)
            reply = _failure()
        return self._answered(actor, reply)

    def press(self, data: str, actor: Actor) -> Reply:
        """The answer to a pressed button or picked choice; stale or forged data is declined."""
        try:
            reply = self._press(data, actor)
        except Exception:
            log.exception("error answering button %r for %s", data[:200], actor.user_id)
            reply = _failure()
        return self._answered(actor, reply)

    def _answered(self, actor: Actor, reply: Reply) -> Reply:
        if self.on_answer is not None:
            try:
                self.on_answer(actor, reply)
            except Exception:
                log.exception("the on_answer hook failed")
        return reply

    def commands(self) -> list[tuple[str, str]]:
        """``(name, description)`` of every command, for the platforms' command menus."""
        return [(command.name, command.description) for command in self.registry.commands()]

    def complete_papers(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete for a paper: ``(label, paper id)``, labels at most 100 characters."""
        try:
            papers = self.services.searcher.complete(prefix[:MAX_MESSAGE], limit)
        except Exception:
            log.exception("error completing %r", prefix[:200])
            return []
        return [(_label(p.display_name, p.title), p.id) for p in papers][:limit]

    def complete_topics(self, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete for a topic: section names, best first."""
        sections = list(self.services.catalog.sections)
        wanted = " ".join(prefix.lower().split())
        hits = [s for s in sections if s.lower().startswith(wanted)]
        hits += [s for s in sections if wanted in s.lower() and s not in hits]
        if len(hits) < limit and wanted:
            matched = self.services.searcher.match_topic(wanted, limit)
            hits += [name for name, score in matched if score >= TOPIC_MIN and name not in hits]
        return [cut(s, LABEL_CHARS) for s in hits[:limit]]

    def context(self, actor: Actor, page: int = 0, pressed: bool = False) -> Context:
        """The context handlers are given (for tests and feature modules)."""
        return Context(actor, self.services, self.registry, page, pressed)

    def _dispatch(self, text: str, actor: Actor) -> Reply:
        words = text.strip()
        if not words:
            return _greeting()
        if not words.startswith("/"):
            return self._run(self.registry.get(DEFAULT_COMMAND), words, self.context(actor))
        head, _, args = words.partition(" ")
        name = head[1:].split("@", 1)[0]
        command = self.registry.get(name)
        if command is None:
            return self._unknown(name, args)
        return self._run(command, args.strip(), self.context(actor))

    def _press(self, data: str, actor: Actor) -> Reply:
        decoded = Action.decode(data[:200])
        command = self.registry.get(decoded.command) if decoded else None
        if decoded is None or command is None or (command.needs_args and not decoded.arg):
            return _stale()
        return self._run(command, decoded.arg, self.context(actor, decoded.page, True))

    def _run(self, command: Command | None, args: str, ctx: Context) -> Reply:
        if command is None:
            return _failure()
        if command.needs_args and not args:
            return usage(command.name, command.usage, command.example, command.description)
        return command.handler(ctx, args)

    def _unknown(self, name: str, args: str) -> Reply:
        close = self.registry.suggest(name)
        lines = [f"There is no /{echo(name)} command."]
        if close:
            lines.append("Did you mean " + " or ".join(f"/{c}" for c in close) + "?")
        elif name and not args:
            lines.append(f"To look up a paper, write /paper {echo(name)}")
        lines.append("Send /help for the list of commands.")
        return Reply(
            lines=tuple((Span(line),) for line in lines),
            kind=Kind.NOT_FOUND,
            meta=meta(name or "unknown"),
        )


def _unpack(source: Bundle | Catalog) -> tuple[Catalog, History, Source | None]:
    if isinstance(source, Catalog):
        return source, EMPTY_HISTORY, None
    return source.catalog, source.history, source.source


def _searcher(catalog: Catalog) -> Searcher:
    """The catalog's searcher; a large one is then kept out of the cycle collector's walks."""
    from listbot.search import Searcher

    searcher = Searcher(catalog)
    if len(catalog) >= FREEZE_PAPERS:
        catalog.by_id  # noqa: B018 - built now, to be frozen with the rest (/paper reads it)
        gc.collect()
        gc.freeze()
    return searcher


if TYPE_CHECKING:
    from listbot.search import Searcher


def _label(name: str, title: str) -> str:
    text = title if name == title or name.lower() in title.lower() else f"{name} — {title}"
    return cut(" ".join(text.split()), LABEL_CHARS)


def _greeting() -> Reply:
    lines = [
        "Ask me about a paper of Awesome-LLM-Inference, e.g. /paper flashattention,",
        "or just write its name. Send /help for every command.",
    ]
    return Reply(lines=tuple((Span(line),) for line in lines), kind=Kind.INFO, meta=meta("help"))


def _failure() -> Reply:
    return Reply(
        lines=((Span("Sorry, something went wrong answering that. It was logged."),),),
        kind=Kind.ERROR,
        meta=meta("error"),
    )


def _stale() -> Reply:
    return Reply(
        lines=((Span("That button has expired or is not one of mine; please ask again."),),),
        kind=Kind.ERROR,
        meta=meta("stale"),
    )
