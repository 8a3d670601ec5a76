"""Which rows are the same paper, and the paper's id.

Rules (the diff of two versions relies on the same keys, see ``listbot.diff``):

1. **Canonical link.** A paper link is reduced to a key that ignores how it is
   written: the scheme (http/https), ``www.``, a trailing slash, letter case of
   the host, ``#fragments``; arXiv ``abs``/``pdf``/``html`` forms and version
   suffixes (``2401.01234v3``) all become ``arxiv:2401.01234``; OpenReview
   ``pdf``/``forum`` links become ``openreview:<id>``.
2. **Normalised text.** Short names and titles are compared lower-cased, with
   markdown emphasis, emoji and punctuation removed and whitespace collapsed.
3. **Copies are one paper.** Rows in several sections are one paper (with every
   section, in list order) when they share the canonical link and their titles
   agree (Jaccard similarity of title words at least 0.5), or when they share
   the normalised short name and title. Different works that share a short name
   (``[microsoft]``, ``[FlashAttention]`` for v1 and a later note) stay apart
   because their titles differ.
4. **The id** is ``<slug of the short name>-<yyyymm>`` (the title's first words
   when the row has no short name, ``nodate`` when the date is unreadable). It
   survives every edit that keeps the short name and the date: links rewritten
   (pdf to abs, version suffix, http to https, newer version of the paper), code
   repository moved or renamed, typos fixed in the title, bold or emoji changed,
   rows moved or copied into other sections. When two different works would get
   the same id, the later ones get a suffix from their normalised title, so the
   first keeps its id whatever is added later in the list.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from listbot.model import Paper

if TYPE_CHECKING:
    from listbot.parser import Row

_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html|format)/([a-z\-]+/\d{7}|\d{4}\.\d{4,5})", re.I)
_OPENREVIEW = re.compile(r"openreview\.net/(?:pdf|forum)\?id=([\w\-]+)", re.I)
_NON_WORD = re.compile(r"[^0-9a-z]+")
TITLE_AGREEMENT = 0.5


def canonical_url(url: str | None) -> str | None:
    """A key for a link that ignores how the same target is written."""
    if not url:
        return None
    arxiv = _ARXIV.search(url)
    if arxiv:
        return f"arxiv:{arxiv.group(1).lower()}"
    review = _OPENREVIEW.search(url)
    if review:
        return f"openreview:{review.group(1)}"
    key = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I).split("#", 1)[0]
    host, _, path = key.partition("/")
    host = host.lower().removeprefix("www.")
    path = path.rstrip("/")
    return f"{host}/{path}" if path else host


def normalize(text: str) -> str:
    """Lower-case words of a text: no accents, emphasis, emoji or punctuation."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NON_WORD.split(text.lower())).strip()


def title_words(title: str) -> frozenset[str]:
    """The set of normalised words of a title."""
    return frozenset(normalize(title).split())


def title_similarity(a: str, b: str) -> float:
    """Jaccard similarity of two titles' word sets (1.0 for equal titles)."""
    words_a, words_b = title_words(a), title_words(b)
    if not words_a or not words_b:
        return 1.0 if words_a == words_b else 0.0
    return len(words_a & words_b) / len(words_a | words_b)


def slug(text: str, max_words: int = 8) -> str:
    """A lower-case, dash-separated identifier from text."""
    words = normalize(text).split()[:max_words]
    return "-".join(words) or "untitled"


def base_id(short: str, title: str, date: object) -> str:
    """The id a paper gets unless another work already holds it."""
    name = slug(short) if normalize(short) else slug(title, max_words=5)
    stamp = str(date).replace("-", "") if date is not None else "nodate"
    return f"{name}-{stamp}"


def _same_paper(row: Row, first: Row) -> bool:
    link, first_link = canonical_url(_url(row)), canonical_url(_url(first))
    if link and link == first_link:
        return title_similarity(row.title, first.title) >= TITLE_AGREEMENT or (
            normalize(row.short) == normalize(first.short) != ""
        )
    return normalize(row.short) == normalize(first.short) and normalize(row.title) == normalize(
        first.title
    )


def _url(row: Row) -> str | None:
    return row.paper.url if row.paper else None


def group_rows(rows: Iterable[Row]) -> list[list[Row]]:
    """Group the rows that are copies of one paper, in order of first appearance."""
    groups: list[list[Row]] = []
    by_link: dict[str, list[list[Row]]] = {}
    by_text: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        link = canonical_url(_url(row))
        candidates = list(by_link.get(link, [])) if link else []
        text_key = (normalize(row.short), normalize(row.title))
        if text_key in by_text:
            candidates.append(by_text[text_key])
        group = next((g for g in candidates if _same_paper(row, g[0])), None)
        if group is None:
            group = []
            groups.append(group)
            if link:
                by_link.setdefault(link, []).append(group)
            by_text.setdefault(text_key, group)
        group.append(row)
    return groups


def assign_ids(rows: Sequence[Row]) -> list[Paper]:
    """Merge copies into papers and give each paper its id (see the module rules)."""
    papers: list[Paper] = []
    taken: set[str] = set()
    for group in group_rows(rows):
        first = group[0]
        paper_id = base_id(first.short, first.title, first.date)
        if paper_id in taken:
            digest = hashlib.sha1(normalize(first.title).encode()).hexdigest()[:6]
            paper_id = f"{paper_id}-{digest}"
        taken.add(paper_id)
        sections = tuple(dict.fromkeys(row.section for row in group))
        papers.append(
            Paper(
                id=paper_id,
                short=first.short,
                title=first.title,
                org=first.org,
                date=first.date,
                sections=sections,
                paper=first.paper,
                code=first.code,
                hot=max(row.hot for row in group),
                recom=max(row.recom for row in group),
                line=first.line,
            )
        )
    return papers
