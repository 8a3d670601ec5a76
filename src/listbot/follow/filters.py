"""Which papers a subscription wants: matching, and reading filters from command words.

Filter words: ``topic:<section>`` (fuzzy on the list's section names; several are
alternatives), ``keyword:<word>`` or ``kw:`` (in the short name, title or org; several
are alternatives), ``org:<name>``, ``stars:<n>`` (at least n ⭐). Kinds of filter combine
with AND. Quote values with spaces: ``topic:"KV Cache"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from listbot.catalog.identity import normalize
from listbot.catalog.model import Paper
from listbot.store.records import Filters


class FilterError(ValueError):
    """A filter word that cannot be used; the message says why, for the user."""


def matches(filters: Filters, paper: Paper) -> bool:
    """Whether the paper passes every filter."""
    if filters.topics and not set(filters.topics) & set(paper.sections):
        return False
    if filters.keywords:
        text = normalize(f"{paper.short} {paper.title} {paper.org or ''}")
        if not any(normalize(k) in text for k in filters.keywords):
            return False
    if filters.org and normalize(filters.org) not in normalize(paper.org or ""):
        return False
    return paper.recom >= filters.min_stars


def select(filters: Filters, papers: Iterable[Paper]) -> list[Paper]:
    """The papers that pass the filters, in their order."""
    return [paper for paper in papers if matches(filters, paper)]


def topic_of(filters: Filters, paper: Paper) -> str:
    """The topic a paper is grouped under: the first of its sections the filters asked for."""
    wanted = [s for s in paper.sections if s in filters.topics]
    return (wanted or list(paper.sections) or ["Other"])[0]


def resolve_topic(name: str, sections: Sequence[str]) -> str:
    """The section a topic word names: exact, else the only one containing the words
    (or the only one of those starting with them)."""
    key = normalize(name)
    exact = [s for s in sections if normalize(s) == key]
    if exact:
        return exact[0]
    words = key.split()
    partial = [s for s in sections if all(w in normalize(s).split() for w in words)]
    if not partial:
        partial = [s for s in sections if key and key in normalize(s)]
    leading = [s for s in partial if normalize(s).startswith(key)]
    partial = leading if len(leading) == 1 else partial
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise FilterError(f"unknown topic {name!r}; see /topics for the list's sections")
    raise FilterError(f"topic {name!r} is ambiguous: {', '.join(partial[:5])}")


def parse_filter(word: str, sections: Sequence[str], filters: Filters) -> Filters | None:
    """``filters`` with the filter ``word`` added, or None when ``word`` is not a filter."""
    name, sep, value = word.partition(":")
    name = name.lower()
    if not sep or name not in {"topic", "keyword", "kw", "org", "stars"}:
        return None
    if not value.strip():
        raise FilterError(f"{name}: needs a value, e.g. {name}:{_EXAMPLES[name]}")
    if name == "topic":
        return _add(filters, topics=(*filters.topics, resolve_topic(value, sections)))
    if name in {"keyword", "kw"}:
        return _add(filters, keywords=(*filters.keywords, value.strip()))
    if name == "org":
        return _add(filters, org=value.strip())
    if not value.isdigit() or not 0 <= int(value) <= 5:
        raise FilterError(f"stars: takes a number from 0 to 5, not {value!r}")
    return _add(filters, min_stars=int(value))


_EXAMPLES = {"topic": "kv", "keyword": "quantization", "kw": "quant", "org": "nvidia", "stars": "1"}


def _add(filters: Filters, **changes: object) -> Filters:
    data = filters.to_json()
    data.update({k: list(v) if isinstance(v, tuple) else v for k, v in changes.items()})
    return Filters.from_json(data)
