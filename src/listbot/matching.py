"""Which paper of one version of the list is which paper of another.

Papers of the two catalogs are paired in passes, each pass only over papers
that no earlier pass paired, each pairing the most similar candidates first:

1. the same id (see ``listbot.identity``), unless both the paper link and the
   title differ (then the id has passed to another work of the same name);
2. the same canonical paper link (pdf/abs, versions, http/https... ignored);
3. the same short-name key, with titles that agree or the same date;
4. the same canonical code link, with titles that agree;
5. titles that agree closely, with the same date or short name (a row whose
   name and link were both rewritten).

"Titles agree" is the word similarity of ``listbot.identity.title_similarity``.
A paper left unpaired is then compared with every paper of the other version
(:func:`relate_leftovers`): one that is the same work as a paired paper, by the
copy rule of ``listbot.identity`` or by a closely agreeing title on the same date
in a section the other already had, is a copy that was edited apart from its
other copies (split off, or merged back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from listbot.identity import (
    AGREE,
    CLOSE,
    canonical_url,
    is_long_title,
    name_key,
    title_similarity,
)
from listbot.model import Catalog, Paper

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
    splits = _same_work_among([p for p in new.papers if p.id not in pairs], old.papers)
    merges = _same_work_among([p for p in old.papers if p.id not in paired_old], new.papers)
    return splits, merges


def _same_work_among(strays: list[Paper], others: tuple[Paper, ...]) -> dict[str, str]:
    """For each stray paper, the first of ``others`` that is the same work, by id."""
    if not strays:
        return {}
    index: dict[tuple[str, object], list[Paper]] = {}
    for paper in others:
        for key in _work_keys(paper):
            index.setdefault(key, []).append(paper)
    found: dict[str, str] = {}
    for stray in strays:
        candidates = (p for key in _work_keys(stray) for p in index.get(key, ()))
        match = next((p for p in candidates if _same_work(stray, p)), None)
        if match is not None:
            found[stray.id] = match.id
    return found


def _work_keys(paper: Paper) -> list[tuple[str, object]]:
    keys: list[tuple[str, object]] = [("date", paper.date)]
    link = _paper_key(paper)
    if link:
        keys.append(("link", link))
    return keys


def _same_work(a: Paper, b: Paper) -> bool:
    """Whether stray paper ``a`` is the same work as ``b`` of the other version: the copy rule
    of ``listbot.identity`` (a shared link; or the same date and long titles that agree
    closely; or compatible names, the same date and agreeing titles), or the same date and
    closely agreeing titles in sections that ``b`` already had (a copy edited apart)."""
    similarity = title_similarity(a.title, b.title)
    name_a, name_b = _short_key(a), _short_key(b)
    link = _paper_key(a)
    if link is not None and link == _paper_key(b):
        return similarity >= AGREE or name_a == name_b is not None
    if a.date != b.date:
        return False
    if similarity >= CLOSE and (is_long_title(a.title) or set(a.sections) <= set(b.sections)):
        return True
    if name_a and name_b and name_a != name_b:
        return False
    return similarity >= (AGREE if name_a and name_a == name_b else CLOSE)


def _compatible(before: Paper, after: Paper) -> bool:
    """Whether two papers holding the same id are one work (ids of namesakes can swap)."""
    link = _paper_key(before)
    same_link = link is not None and link == _paper_key(after)
    return same_link or title_similarity(before.title, after.title) >= AGREE


def _pair_by(
    key: Callable[[Paper], str | None],
    score: _Score,
    old_left: dict[str, Paper],
    new_left: dict[str, Paper],
    pairs: dict[str, str],
) -> None:
    """Pair papers sharing a key, best score first, when the score says they agree."""
    buckets: dict[str, list[Paper]] = {}
    for paper in old_left.values():
        k = key(paper)
        if k:
            buckets.setdefault(k, []).append(paper)
    candidates: list[tuple[float, int, int, Paper, Paper]] = []
    for n, paper in enumerate(new_left.values()):
        k = key(paper)
        for o, other in enumerate(buckets.get(k, ()) if k else ()):
            value = score(other, paper)
            if value is not None:
                candidates.append((-value, n, o, other, paper))
    for _, _, _, before, after in sorted(candidates, key=lambda c: c[:3]):
        if before.id in old_left and after.id in new_left:
            pairs[after.id] = before.id
            del old_left[before.id], new_left[after.id]


def _paper_key(paper: Paper) -> str | None:
    return canonical_url(paper.paper.url) if paper.paper else None


def _code_key(paper: Paper) -> str | None:
    return canonical_url(paper.code.url) if paper.code else None


def _short_key(paper: Paper) -> str | None:
    return name_key(paper.short) or None


def _year_key(paper: Paper) -> str | None:
    return str(paper.date.year) if paper.date else "nodate"


def _any_title(before: Paper, after: Paper) -> float | None:
    return title_similarity(before.title, after.title)


def _agreeing_title(before: Paper, after: Paper) -> float | None:
    similarity = title_similarity(before.title, after.title)
    return similarity if similarity >= AGREE else None


def _title_or_date(before: Paper, after: Paper) -> float | None:
    similarity = title_similarity(before.title, after.title)
    if similarity >= AGREE or (before.date and before.date == after.date):
        return similarity
    return None


def _close_title(before: Paper, after: Paper) -> float | None:
    similarity = title_similarity(before.title, after.title)
    same_name = _short_key(before) == _short_key(after)
    if similarity >= CLOSE and (before.date == after.date or same_name):
        return similarity
    return None


_PASSES: Iterable[tuple[Callable[[Paper], str | None], _Score]] = (
    (_paper_key, _any_title),
    (_short_key, _title_or_date),
    (_code_key, _agreeing_title),
    (_year_key, _close_title),
)
