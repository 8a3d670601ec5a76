"""Which rows are the same paper, and the paper's id.

Rules (``listbot.catalog.matching`` pairs the papers of two versions with the same keys):

1. **Canonical link.** A link is reduced to a key that ignores how it is
   written: the scheme (http/https), ``www.``, a trailing slash, letter case of
   the host, ``#fragments``; arXiv ``abs``/``pdf``/``html``/``format`` forms,
   a ``.pdf`` ending and version suffixes (``2401.01234v3``) all become
   ``arxiv:2401.01234``; OpenReview ``pdf``/``forum`` links become
   ``openreview:<id>``. Query strings and the letter case of paths are kept.
2. **Normalised text.** Short names and titles are compared lower-cased, with
   accents, markdown emphasis, emoji and punctuation removed and whitespace
   collapsed (letters of any script are kept). A short name's *key* also drops
   a leading category tag of up to four capitals and a colon and then every
   space, and keeps at most 40 characters (``SP: Ring Attention`` is
   ``ringattention``), so ``FlashAttention-3``, ``Flash Attention 3`` and
   ``**FlashAttention3**🔥`` are one name (and so are ``Flash-Decoding`` and
   ``Flash-Decoding++``). Titles *agree* when the Jaccard similarity of their
   word sets is at least 0.5, and agree *closely* from 0.8.
3. **Copies are one paper.** Two rows (in any sections) are copies of one work
   by the first of these tests that applies:

   a. they share the canonical paper link: copies exactly when their name keys
      are equal (and not empty) or their titles agree;
   b. they have the same date, titles that agree closely, and the row's title
      has six distinct words or more: copies, whatever their names (one copy's
      link was updated);
   c. both have a short name, with different keys: different works
      (``[TensorRT-LLM]`` and ``[TensorRT-LLM KV Cache FP8]`` share the title
      "NVIDIA TensorRT LLM" but not a link);
   d. their titles are equal: copies, whatever their dates;
   e. otherwise copies when their dates are equal and their titles agree
      (closely, unless both have a short name).

   Rows are read in list order; a row joins the first paper that holds a copy of
   it (a copy of any of its rows), among the papers sharing its canonical link,
   its name key or its title. A paper takes its fields from its first row, every
   section of its rows in list order, and the most 🔥 and ⭐️ of any row.
   Different works sharing a short name (``[FlashAttention]`` for the 2022 paper
   and a 2023 note) stay apart because their titles and links differ.
4. **The id** is ``<name key>-<yyyymm>`` (``flashattention3-202407``) of the
   copy that names the paper, chosen whatever the order of the rows: a named
   copy, of the latest date, whose name is the closest to its code repository's
   (``[vLLM]`` over ``[PagedAttention]`` for ``vllm-project/vllm``), then the
   least name key. Without a short name the key is ``t`` and the initials of
   the title's first ten words (robust to typos inside words); ``nodate`` when
   the date is unreadable. It survives every edit that keeps the naming copy's
   short-name key and date (for a row without a short name, the initials of its
   title too): links rewritten (pdf to abs, version suffix, http to https,
   trailing slash, a newer version of the paper), code repository moved or
   renamed, the title fixed or rewritten, bold or emoji changed, rows moved or
   copied into other sections; rule 5 has the one exception. Renaming the short
   name or correcting the date changes the id; ``listbot.catalog.diff`` still pairs such
   a paper with its old form (as changed).
5. **Clashes.** When works would share an id, the one whose naming copy's title
   initials come first (then its canonical link) keeps it, whatever the list
   order, the links or typos inside words; each other gets
   ``-<initials of its title>`` (then ``-<initials>-2``, ``-3``...). So an edit
   of one namesake (its title's initials, its name, its date) or a namesake
   added later can hand the plain id to another work of the same name and month;
   ``listbot.catalog.matching`` checks every id match against link and title for this
   reason; ``listbot.catalog.diff`` reports the other work as changed in its ``id`` only.

Measured on the 45 consecutive pairs of real versions: 9,565 of 9,575 paired papers kept
their id; the other 10 were renamed (``PagedAttention`` to ``vLLM``...), had their date
corrected, or lost their plain id to a namesake (v2.2). Squashed name keys, the category
tag and order-independent naming come from that data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Protocol

from listbot.catalog.model import Link, Paper, Row, YearMonth


class Entry(Protocol):
    """What the rules read of a row, or of a paper: a parsed row and a paper both fit."""

    @property
    def short(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def date(self) -> YearMonth | None: ...
    @property
    def paper(self) -> Link | None: ...


_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html|format)/([a-z\-]+/\d{7}|\d{4}\.\d{4,5})", re.I)
_OPENREVIEW = re.compile(r"openreview\.net/(?:pdf|forum)\?id=([\w\-]+)", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.I)
_NON_WORD = re.compile(r"[\W_]+")
_CATEGORY = re.compile(r"^[\W_]*[A-Z]{1,4}\s*:\s*(?=\w)")
AGREE = 0.5
"""Title similarity from which two titles name the same work."""
CLOSE = 0.8
"""Title similarity from which two titles alone (with the same date) name the same work."""
LONG_TITLE = 6
"""Words from which a title alone (with the date) names one work, whatever the short names."""
MAX_KEY = 40
"""Characters kept of a name key."""


@lru_cache(maxsize=8192)
def canonical_url(url: str | None) -> str | None:
    """A key for a link that ignores how the same target is written."""
    if not url or not url.strip():
        return None
    arxiv = _ARXIV.search(url)
    if arxiv:
        return f"arxiv:{arxiv.group(1).lower()}"
    review = _OPENREVIEW.search(url)
    if review:
        return f"openreview:{review.group(1)}"
    key = _SCHEME.sub("", url.strip()).split("#", 1)[0]
    host, _, path = key.partition("/")
    host = host.lower().removeprefix("www.")
    path = path.rstrip("/")
    return f"{host}/{path}" if path else host


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Lower-case words of a text: no accents, emphasis, emoji or punctuation."""
    if text.isascii():
        return " ".join(_NON_WORD.split(text.lower())).strip()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NON_WORD.split(text.lower())).strip()


@lru_cache(maxsize=8192)
def name_key(short: str) -> str:
    """A short name's key: normalised, no category tag or spaces (``flashattention3``)."""
    return normalize(_CATEGORY.sub("", short)).replace(" ", "")[:MAX_KEY]


@lru_cache(maxsize=8192)
def title_words(title: str) -> frozenset[str]:
    """The set of normalised words of a title."""
    return frozenset(normalize(title).split())


def title_similarity(a: str, b: str) -> float:
    """Jaccard similarity of two titles' word sets (1.0 for equal titles)."""
    words_a, words_b = title_words(a), title_words(b)
    if not words_a or not words_b:
        return 1.0 if words_a == words_b else 0.0
    return len(words_a & words_b) / len(words_a | words_b)


def initials(text: str, max_words: int = 10) -> str:
    """The first letters of a text's first words (``Fast and Exact`` is ``fae``)."""
    return "".join(word[0] for word in normalize(text).split()[:max_words])


def base_id(short: str, title: str, date: object) -> str:
    """The id a paper gets unless an earlier work in the list already holds it."""
    name = name_key(short) or "t" + initials(title)
    stamp = str(date).replace("-", "") if date is not None else "nodate"
    return f"{name}-{stamp}"


def paper_link(entry: Entry) -> str | None:
    """The canonical paper link of a row or a paper (rule 1), or ``None``."""
    return canonical_url(entry.paper.url) if entry.paper else None


def same_paper(a: Entry, b: Entry) -> bool:
    """Whether two rows (or papers) are copies of one work (rule 3)."""
    link = paper_link(a)
    name, other_name = name_key(a.short), name_key(b.short)
    similarity = title_similarity(a.title, b.title)
    if link and link == paper_link(b):
        return name == other_name != "" or similarity >= AGREE
    if a.date == b.date and similarity >= CLOSE and is_long_title(a.title):
        return True
    if name and other_name and name != other_name:
        return False
    if normalize(a.title) == normalize(b.title):
        return True
    needed = AGREE if name and other_name else CLOSE
    return a.date == b.date and similarity >= needed


def is_long_title(title: str) -> bool:
    """Whether a title has enough words to name one work on its own (rule 3)."""
    return len(title_words(title)) >= LONG_TITLE


def group_rows(rows: Iterable[Row]) -> list[list[Row]]:
    """Group the rows that are copies of one paper, in order of first appearance.

    A row joins the first group holding a copy of it (rule 3), among the groups that share
    its canonical link, its name key or its normalised title (every pair that rule 3 joins
    shares one, bar titles that differ slightly under different names and links).
    """
    groups: list[list[Row]] = []
    index: dict[tuple[str, str], list[list[Row]]] = {}
    for row in rows:
        keys = group_keys(row)
        group = _group_of(row, keys, index)
        if group is None:
            group = []
            groups.append(group)
        for key in keys:
            bucket = index.setdefault(key, [])
            if not bucket or bucket[-1] is not group:
                bucket.append(group)
        group.append(row)
    return groups


def _group_of(
    row: Row, keys: list[tuple[str, str]], index: dict[tuple[str, str], list[list[Row]]]
) -> list[Row] | None:
    """The first group, among those sharing one of the row's keys, holding a copy of it."""
    for key in keys:
        for group in index.get(key, ()):
            if _holds_copy(group, row):
                return group
    return None


def _holds_copy(group: Sequence[Row], row: Row) -> bool:
    return any(same_paper(row, other) for other in group)


def group_keys(entry: Entry) -> list[tuple[str, str]]:
    """Keys one of which any copy of the row (or paper) shares: title, link, name key."""
    keys = [("title", normalize(entry.title))]
    link = paper_link(entry)
    if link:
        keys.append(("link", link))
    name = name_key(entry.short)
    if name:
        keys.append(("name", name))
    return keys


def unique_id(wanted: str, title: str, taken: set[str]) -> str:
    """``wanted``, or a variant no other work holds yet (rule 5)."""
    if wanted not in taken:
        return wanted
    candidate = f"{wanted}-{initials(title) or 'x'}"
    number = 2
    while candidate in taken:
        candidate = f"{wanted}-{initials(title) or 'x'}-{number}"
        number += 1
    return candidate


def naming_row(group: Sequence[Row]) -> Row:
    """The copy that names a paper (rule 4): whatever the order of the rows."""
    if len(group) == 1:
        return group[0]
    return min(group, key=_naming_rank)


def _naming_rank(row: Row) -> tuple[bool, int, float, str]:
    """Named before unnamed, latest date first, the name closest to the code repository's,
    then the least name key."""
    key = name_key(row.short)
    date = row.date.year * 12 + row.date.month if row.date else 0
    repo = row.code.url.rstrip("/").rsplit("/", 1)[-1] if row.code else ""
    fit = SequenceMatcher(None, key, name_key(repo)).ratio() if key and repo else 0.0
    return (key == "", -date, -fit, key)


def assign_ids(rows: Sequence[Row]) -> list[Paper]:
    """Merge copies into papers and give each paper its id (see the module rules)."""
    groups = group_rows(rows)
    named = [naming_row(group) for group in groups]
    ids = resolve_clashes([base_id(r.short, r.title, r.date) for r in named], named)
    return [_paper(paper_id, group) for paper_id, group in zip(ids, groups, strict=True)]


def resolve_clashes(wanted: Sequence[str], named: Sequence[Row]) -> list[str]:
    """Unique ids: of works wanting one id, the senior keeps it, the others get a suffix."""
    by_id: dict[str, list[int]] = {}
    for index, paper_id in enumerate(wanted):
        by_id.setdefault(paper_id, []).append(index)
    ids, taken = list(wanted), set(wanted)
    for paper_id, indexes in by_id.items():
        for index in sorted(indexes, key=lambda i: _seniority(named[i]))[1:]:
            ids[index] = unique_id(paper_id, named[index].title, taken)
            taken.add(ids[index])
    return ids


def _seniority(row: Row) -> tuple[str, str]:
    """The least title initials, then the least canonical link: content that survives moves,
    new links and typos inside words, never the position in the list."""
    return (initials(row.title), paper_link(row) or "")


def _paper(paper_id: str, group: Sequence[Row]) -> Paper:
    """A paper from its rows: fields of the first, sections of all, the most 🔥 and ⭐."""
    first = group[0]
    return Paper(
        id=paper_id,
        short=first.short,
        title=first.title,
        org=first.org,
        date=first.date,
        sections=tuple(dict.fromkeys(row.section for row in group)),
        paper=first.paper,
        code=first.code,
        hot=max(row.hot for row in group),
        recom=max(row.recom for row in group),
        line=first.line,
        aliases=_aliases(group),
    )


def _aliases(group: Sequence[Row]) -> tuple[str, ...]:
    """The short names of the copies that differ from the first row's (normalised)."""
    names: dict[str, str] = {normalize(group[0].short): group[0].short}
    for row in group[1:]:
        names.setdefault(normalize(row.short), row.short)
    return tuple(name for key, name in list(names.items())[1:] if key)
