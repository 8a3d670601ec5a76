"""The list's release history: which release first held each paper.

A :class:`History` is built from the README of every release tag, oldest first
(:func:`build_history`), by diffing each release against the one before with
the same matching as ``listbot diff``: a paper that was edited, renamed, moved
or copied is the same paper, so it keeps its first release. Ids are those of the
newest catalog the history was built against (the bundled snapshot), so
``history.first_release(paper.id)`` works for every paper of ``bundle.catalog``.
A paper that was dropped and later restored keeps its first release. A paper
that was in a release but is gone from the newest catalog keeps the id it had
when last seen; its last form is in :attr:`History.former`.

Release dates come from git tag dates when the history is built from a clone,
or from an optional dates file; copies of READMEs carry no date, and then the
date is ``None`` rather than a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from listbot.catalog.matching import match_papers, relate_leftovers
from listbot.catalog.model import Catalog, Paper


@dataclass(frozen=True, slots=True)
class Release:
    """A release tag of the list and its date (``None`` when unknown)."""

    tag: str
    date: dt.date | None = None


@dataclass(frozen=True)
class History:
    """Releases in order (oldest first) and the papers each one added."""

    releases: tuple[Release, ...]
    added: Mapping[str, tuple[str, ...]]
    """Release tag to the ids of the papers it added, in list order."""
    unreleased: tuple[str, ...] = ()
    """Ids of the newest catalog's papers that no release holds yet."""
    former: Mapping[str, Paper] = field(default_factory=dict)
    """Papers that were in a release but are gone from the newest catalog, by id."""

    @cached_property
    def _first(self) -> dict[str, Release]:
        by_tag = {release.tag: release for release in self.releases}
        first: dict[str, Release] = {}
        for tag, ids in self.added.items():
            for paper_id in ids:
                first.setdefault(paper_id, by_tag[tag])
        return first

    @property
    def latest_release(self) -> Release | None:
        """The newest release, or ``None`` when the history is empty."""
        return self.releases[-1] if self.releases else None

    def release(self, tag: str) -> Release | None:
        """The release with this tag (``2.6.13`` finds ``v2.6.13``), or ``None``."""
        wanted = _tag_key(tag)
        return next((r for r in self.releases if _tag_key(r.tag) == wanted), None)

    def first_release(self, paper_id: str) -> Release | None:
        """The first release that held the paper, or ``None`` (not in any release yet)."""
        return self._first.get(paper_id)

    def added_in(self, tag: str) -> list[str]:
        """Ids of the papers first seen in the release (empty for an unknown tag)."""
        release = self.release(tag)
        return list(self.added.get(release.tag, ())) if release else []

    def previous(self, tag: str) -> Release | None:
        """The release before the given one, or ``None``."""
        release = self.release(tag)
        if release is None:
            return None
        index = self.releases.index(release)
        return self.releases[index - 1] if index else None


EMPTY_HISTORY = History(releases=(), added={})


def _tag_key(tag: str) -> str:
    return tag.strip().lower().removeprefix("v")


_VERSION_PART = re.compile(r"\d+|\D+")


def version_key(tag: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key putting ``v2.6.9`` before ``v2.6.10`` (numbers compare as numbers)."""
    parts = _VERSION_PART.findall(_tag_key(tag))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def build_history(versions: Sequence[tuple[Release, Catalog]], current: Catalog) -> History:
    """The history of ``versions`` (oldest first), with ids of the ``current`` catalog."""
    tracker = _Tracker()
    for release, catalog in versions:
        tracker.advance(release.tag, catalog)
    tracker.advance(_CURRENT, current)
    names = {key: paper_id for paper_id, key in tracker.lineage.items()}
    former: dict[str, Paper] = {}
    for key, paper in tracker.last_form.items():
        if key not in names:
            name = paper.id if paper.id not in current.by_id else f"{paper.id}-former"
            names[key] = name
            former[name] = paper
    unreleased = tuple(names[key] for key in tracker.added.pop(_CURRENT, []))
    added = {r.tag: tuple(names[key] for key in tracker.added.get(r.tag, [])) for r, _ in versions}
    return History(tuple(release for release, _ in versions), added, unreleased, former)


_CURRENT = "\0current"
"""The tag under which papers of the current catalog that no release held are first seen."""


@dataclass
class _Tracker:
    """Follows each paper from version to version under a key made where it was first seen."""

    lineage: dict[str, str] = field(default_factory=dict)
    """Paper id in the latest version to its key."""
    first: dict[str, str] = field(default_factory=dict)
    """Key to the tag of the version that first held the paper."""
    added: dict[str, list[str]] = field(default_factory=dict)
    """Tag to the keys it added, in list order."""
    last_form: dict[str, Paper] = field(default_factory=dict)
    previous: Catalog | None = None

    def advance(self, tag: str, catalog: Catalog) -> None:
        """Take the next version: paired papers keep their key, copies split off a paper get
        a key of their own (first seen with it), new papers get a new key."""
        pairs, splits = self._sources(catalog)
        lineage = {new: self.lineage[old] for new, old in pairs.items()}
        lineage.update(self._returning(catalog, set(pairs) | set(splits)))
        for paper in catalog.papers:
            if paper.id in lineage:
                pass
            elif paper.id in splits:
                source_key = self.lineage[splits[paper.id]]
                lineage[paper.id] = self._new_key(
                    f"{source_key}\0{paper.id}", self.first[source_key]
                )
            else:
                lineage[paper.id] = self._new_key(f"{tag}\0{paper.id}", tag)
        for paper in catalog.papers:
            self.last_form[lineage[paper.id]] = paper
        self.lineage, self.previous = lineage, catalog

    def _returning(self, catalog: Catalog, known: set[str]) -> dict[str, str]:
        """Papers that were in an earlier version, gone from the previous one, and are back:
        they keep their key (and first release). New id to key."""
        current = set(self.lineage.values())
        gone = {p.id: key for key, p in self.last_form.items() if key not in current}
        strays = tuple(p for p in catalog.papers if p.id not in known)
        if not gone or not strays:
            return {}
        earlier = Catalog(tuple(self.last_form[key] for key in gone.values()), ())
        return {new: gone[old] for new, old in match_papers(earlier, Catalog(strays, ())).items()}

    def _new_key(self, key: str, first_tag: str) -> str:
        self.first[key] = first_tag
        self.added.setdefault(first_tag, []).append(key)
        return key

    def _sources(self, catalog: Catalog) -> tuple[dict[str, str], dict[str, str]]:
        """Papers of ``catalog`` paired with one of the previous version, and copies split
        off one (new id to old id)."""
        if self.previous is None:
            return {}, {}
        pairs = match_papers(self.previous, catalog)
        splits, _ = relate_leftovers(self.previous, catalog, pairs)
        return pairs, splits
