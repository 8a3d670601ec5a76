"""Which paper of one version of the list is which paper of another.

Papers of the two catalogs are paired in passes, each pass only over papers
that no earlier pass paired, each pairing the most similar candidates first:

1. the same id (see ``listbot.catalog.identity``), unless both the paper link and the
   title differ (then the id has passed to another work of the same name);
2. the same canonical paper link (pdf/abs, versions, http/https... ignored);
3. the same short-name key, and
4. the same canonical code link, each with one more piece of evidence: titles
   that agree, the same date, or both the same short-name key and code link (so
   a row whose title was rewritten and date corrected at once still pairs);
5. titles that agree closely, with the same date or short name (a row whose
   name and link were both rewritten).

"Titles agree" is the word similarity of ``listbot.catalog.identity.title_similarity``.
A paper left unpaired is then compared with the papers of the other version
(:func:`relate_leftovers`). It is a copy that was edited apart from its other
copies (split off, or merged back) when it is the same work as one of them: by
the copy rule of ``listbot.catalog.identity``; by a closely agreeing title on the same
date, in a section the other has; or, when it sits only in sections the other
paper vacated between the versions (left, for a split; entered, for a merge), by
agreeing titles or a shared short name or paper link, corroborated as in passes
3 and 4 (a code link alone is no evidence: one repository serves many works). A
new namesake added beside a paper that keeps its sections, or in a section the
paper left but of another month and repository, is new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain

from listbot.catalog.identity import (
    AGREE,
    CLOSE,
    canonical_url,
    group_keys,
    name_key,
    paper_link,
    same_paper,
    title_similarity,
)
from listbot.catalog.model import Catalog, Paper

_Score = Callable[[Paper, Paper], float | None]


def match_papers(old: Catalog, new: Catalog) -> dict[str, str]:
    """Pair the papers of two versions: new id to old id (see the module rules)."""
    pairs: dict[str, str] = {}
    old_left = {p.id: p for p in old.papers}
    new_left = {p.id: p for p in new.papers}
    for paper_id in [i for i in new_left if i in old_left]:
        if _compatible(old_left[paper_id], new_left[paper_id]):
            pairs[paper_id] = paper_id
            del new_left[paper_id], old_left[paper_id]
    for key, score in _PASSES:
        _pair_by(key, score, old_left, new_left, pairs)
    return pairs


def relate_leftovers(
    old: Catalog, new: Catalog, pairs: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Unpaired papers that are another paper's copy: split off (new id to old id) or
    merged (old id to new id), e.g. one copy of a row edited apart from the others."""
    paired_old = set(pairs.values())
    left = {o: _sections(old, o) - _sections(new, n) for n, o in pairs.items()}
    entered = {n: _sections(new, n) - _sections(old, o) for n, o in pairs.items()}
    splits = _copies_among([p for p in new.papers if p.id not in pairs], old.papers, left)
    merges = _copies_among([p for p in old.papers if p.id not in paired_old], new.papers, entered)
    return splits, merges


def _sections(catalog: Catalog, paper_id: str) -> set[str]:
    return set(catalog.by_id[paper_id].sections)


def _copies_among(
    strays: list[Paper], others: tuple[Paper, ...], vacated: dict[str, set[str]]
) -> dict[str, str]:
    """For each stray paper, the first of ``others`` it is a copy of, by id. ``vacated`` holds
    the sections each paper of ``others`` left (or entered) between the two versions."""
    if not strays:
        return {}
    index: dict[tuple[str, object], list[Paper]] = {}
    for paper in others:
        for key in _work_keys(paper):
            index.setdefault(key, []).append(paper)
    moved = [paper for paper in others if vacated.get(paper.id)]
    found: dict[str, str] = {}
    for stray in strays:
        candidates = chain((p for key in _work_keys(stray) for p in index.get(key, ())), moved)
        match = next((p for p in candidates if _copy_of(stray, p, vacated.get(p.id))), None)
        if match is not None:
            found[stray.id] = match.id
    return found


def _work_keys(paper: Paper) -> list[tuple[str, object]]:
    """Keys one of which a copy of the paper shares, unless it sits in vacated sections."""
    return [("date", paper.date), *group_keys(paper)]


def _copy_of(stray: Paper, other: Paper, vacated: set[str] | None) -> bool:
    """Whether stray paper ``stray`` is a copy of ``other`` of the other version, edited apart
    from it: the copy rule of ``listbot.catalog.identity``; or the same date and closely agreeing
    titles, in sections ``other`` has; or, only in sections ``other`` vacated (left, or
    entered), agreeing titles or the same short name or paper link, with the evidence of
    pass 3 (agreeing titles, the same date, or the same name and code link)."""
    if same_paper(stray, other):
        return True
    sections = set(stray.sections)
    similarity = title_similarity(stray.title, other.title)
    if stray.date == other.date and similarity >= CLOSE and sections <= set(other.sections):
        return True
    if not vacated or not sections <= vacated:
        return False
    keys = (_short_key, paper_link)
    shares = similarity >= AGREE or any(_same(key, stray, other) for key in keys)
    return shares and _corroborated(other, stray) is not None


def _compatible(before: Paper, after: Paper) -> bool:
    """Whether two papers holding the same id are one work (ids of namesakes can swap)."""
    return _same(paper_link, before, after) or title_similarity(before.title, after.title) >= AGREE


def _pair_by(
    key: Callable[[Paper], str | None],
    score: _Score,
    old_left: dict[str, Paper],
    new_left: dict[str, Paper],
    pairs: dict[str, str],
) -> None:
    """Pair papers sharing a key, best score first, when the score says they agree."""
    for *_, before, after in sorted(_candidates(key, score, old_left, new_left), key=_rank):
        if before.id in old_left and after.id in new_left:
            pairs[after.id] = before.id
            del old_left[before.id], new_left[after.id]


def _rank(candidate: tuple[float, int, int, Paper, Paper]) -> tuple[float, int, int]:
    return candidate[:3]


def _candidates(
    key: Callable[[Paper], str | None],
    score: _Score,
    old_left: dict[str, Paper],
    new_left: dict[str, Paper],
) -> list[tuple[float, int, int, Paper, Paper]]:
    """(-score, new position, old position, old paper, new paper) of agreeing pairs."""
    buckets: dict[str, list[Paper]] = {}
    for paper in old_left.values():
        k = key(paper)
        if k:
            buckets.setdefault(k, []).append(paper)
    found = []
    for n, paper in enumerate(new_left.values()):
        k = key(paper)
        for o, other in enumerate(buckets.get(k, ()) if k else ()):
            value = score(other, paper)
            if value is not None:
                found.append((-value, n, o, other, paper))
    return found


def _same(key: Callable[[Paper], str | None], a: Paper, b: Paper) -> bool:
    """Whether two papers have the same key, and not none."""
    value = key(a)
    return value is not None and value == key(b)


def _code_key(paper: Paper) -> str | None:
    return canonical_url(paper.code.url) if paper.code else None


def _short_key(paper: Paper) -> str | None:
    return name_key(paper.short) or None


def _year_key(paper: Paper) -> str | None:
    return str(paper.date.year) if paper.date else "nodate"


def _any_title(before: Paper, after: Paper) -> float | None:
    return title_similarity(before.title, after.title)


def _corroborated(before: Paper, after: Paper) -> float | None:
    """The title similarity of two papers sharing a key, if one more piece of evidence
    (agreeing titles, the same date, the same short-name key or code link) agrees."""
    similarity = title_similarity(before.title, after.title)
    same_date = before.date is not None and before.date == after.date
    same_name_and_code = _same(_short_key, before, after) and _same(_code_key, before, after)
    if similarity >= AGREE or same_date or same_name_and_code:
        return similarity
    return None


def _close_title(before: Paper, after: Paper) -> float | None:
    similarity = title_similarity(before.title, after.title)
    same_name = _short_key(before) == _short_key(after)
    if similarity >= CLOSE and (before.date == after.date or same_name):
        return similarity
    return None


_PASSES: Iterable[tuple[Callable[[Paper], str | None], _Score]] = (
    (paper_link, _any_title),
    (_short_key, _corroborated),
    (_code_key, _corroborated),
    (_year_key, _close_title),
)
