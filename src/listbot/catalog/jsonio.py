"""The stable JSON form of papers and catalogs (documented in the README)."""

from __future__ import annotations

from typing import Any

from listbot.catalog.model import Catalog, Paper

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
