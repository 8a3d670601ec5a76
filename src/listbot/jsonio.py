"""The stable JSON form of papers and catalogs (documented in the README)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from listbot.model import Catalog, Paper

if TYPE_CHECKING:
    from listbot.diff import CatalogDiff

PAPER_KEYS = (
    *("id", "short", "title", "org", "date", "sections"),
    *("paper_url", "code_url", "hot", "recom"),
)
"""The keys of a paper object, in order (``changed`` entries of a diff name some of them)."""


def paper_to_json(paper: Paper) -> dict[str, Any]:
    """A paper as the JSON object of ``listbot parse --json``."""
    return {
        "id": paper.id,
        "short": paper.short,
        "title": paper.title,
        "org": paper.org,
        "date": str(paper.date) if paper.date else None,
        "sections": list(paper.sections),
        "paper_url": paper.paper.url if paper.paper else None,
        "code_url": paper.code.url if paper.code else None,
        "hot": paper.hot,
        "recom": paper.recom,
    }


def catalog_to_json(catalog: Catalog) -> dict[str, Any]:
    """A catalog as the JSON document of ``listbot parse --json``."""
    return {
        "papers": [paper_to_json(paper) for paper in catalog.papers],
        "sections": list(catalog.sections),
        "warnings": [{"line": w.line, "message": w.message} for w in catalog.warnings],
    }


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
