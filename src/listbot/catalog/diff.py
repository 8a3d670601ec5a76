"""What changed between two versions of the list: ``diff(old, new) -> CatalogDiff``.

Papers are paired by ``listbot.catalog.matching``. A paired paper is ``changed`` when a
field of its JSON form differs (its id included). An unpaired paper that is a
copy of a paired one, edited apart from its other copies, is ``changed`` from
that paper (new side) or ``merged`` into it (old side). Only what is still left
is ``added`` (new side) or ``removed`` (old side). Hence an edited, moved,
re-formatted or copied row is never "added". ``moved`` lists the changed papers
whose sections differ, and ``renamed_sections`` the sections that vanished while
a new one took most of their papers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from listbot.catalog.jsonio import PAPER_KEYS, paper_to_json
from listbot.catalog.matching import match_papers, relate_leftovers
from listbot.catalog.model import Catalog, Paper


@dataclass(frozen=True, slots=True)
class Change:
    """One paper in both versions whose JSON fields differ."""

    id: str
    """The paper's id in the new version."""
    fields: tuple[str, ...]
    before: Paper
    after: Paper


@dataclass(frozen=True, slots=True)
class Move:
    """A paper whose sections changed: the sections it left and those it entered."""

    id: str
    left: tuple[str, ...]
    entered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Merge:
    """A paper of the old version that became a copy of another paper of the new one."""

    id: str
    """The id, in the new version, of the paper it merged into."""
    before: Paper


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    """Added, changed, removed and moved papers between two versions, in list order."""

    added: tuple[Paper, ...]
    changed: tuple[Change, ...]
    removed: tuple[Paper, ...]
    moved: tuple[Move, ...]
    merged: tuple[Merge, ...] = ()
    renamed_sections: tuple[tuple[str, str], ...] = ()
    """(old name, new name) of sections that vanished while a new one took their papers."""

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def diff(old: Catalog, new: Catalog) -> CatalogDiff:
    """The differences from ``old`` to ``new`` (see the module rules)."""
    pairs = match_papers(old, new)
    splits, merges = relate_leftovers(old, new, pairs)
    sources = {**pairs, **splits}
    paired_old = set(pairs.values())
    added = tuple(p for p in new.papers if p.id not in sources)
    removed = tuple(p for p in old.papers if p.id not in paired_old and p.id not in merges)
    merged = tuple(Merge(merges[p.id], p) for p in old.papers if p.id in merges)
    changed = _changes(old, new, sources)
    moved = tuple(_move(change) for change in changed if "sections" in change.fields)
    renamed = renamed_sections(old, new, moved)
    return CatalogDiff(added, changed, removed, moved, merged, renamed)


def _changes(old: Catalog, new: Catalog, sources: dict[str, str]) -> tuple[Change, ...]:
    """The papers of ``new`` whose JSON form differs from the paper they come from."""
    changes = []
    for paper in new.papers:
        if paper.id in sources:
            before = old.by_id[sources[paper.id]]
            fields = changed_fields(before, paper)
            if fields:
                changes.append(Change(paper.id, fields, before, paper))
    return tuple(changes)


def _move(change: Change) -> Move:
    before, after = change.before.sections, change.after.sections
    left = tuple(s for s in before if s not in after)
    return Move(change.id, left, tuple(s for s in after if s not in before))


def renamed_sections(
    old: Catalog, new: Catalog, moved: Sequence[Move]
) -> tuple[tuple[str, str], ...]:
    """Sections of ``old`` gone from ``new`` whose papers mostly entered one new section."""
    gone = [s for s in old.sections if s not in new.sections]
    fresh = {s for s in new.sections if s not in old.sections}
    renamed: list[tuple[str, str]] = []
    for section in gone:
        size = sum(section in paper.sections for paper in old.papers)
        targets = Counter(e for m in moved if section in m.left for e in m.entered if e in fresh)
        if targets:
            target, count = targets.most_common(1)[0]
            if 2 * count > size and target not in {t for _, t in renamed}:
                renamed.append((section, target))
    return tuple(renamed)


def changed_fields(before: Paper, after: Paper) -> tuple[str, ...]:
    """The keys of the paper object (``listbot parse --json``) whose values differ."""
    a, b = paper_to_json(before), paper_to_json(after)
    return tuple(key for key in PAPER_KEYS if a[key] != b[key])


def diff_to_json(result: CatalogDiff) -> dict[str, Any]:
    """A diff as the JSON document of ``listbot diff --json``: exactly ``added``, ``changed``
    (``id``, ``fields``, ``before``, ``after``) and ``removed``. Section moves are the
    ``changed`` entries whose ``fields`` hold ``sections``."""
    return {
        "added": [paper_to_json(paper) for paper in result.added],
        "changed": [
            {
                "id": change.id,
                "fields": list(change.fields),
                "before": paper_to_json(change.before),
                "after": paper_to_json(change.after),
            }
            for change in result.changed
        ],
        "removed": [paper_to_json(paper) for paper in result.removed],
    }
